// h2harness hpack decode|encode: one story through the h2harness codec (the adapter roles).
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/strings/str_cat.h"
#include "conformance/adapter_serve.h"
#include "conformance/story.h"
#include "conformance/story_codec.h"
#include "hpack/error.h"
#include "nlohmann/json.hpp"
#include "tools/cli/command.h"
#include "tools/cli/common.h"

ABSL_FLAG(bool, dump_table, false,
          "print the dynamic table to stderr after each case, as RFC 7541 Appendix C does");
namespace cli {
namespace {

std::string JsonString(absl::string_view s) {
  return nlohmann::json(std::string(s))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void DumpTable(int64_t seqno, const hpack::HdTable& table) {
  std::cerr << "seqno " << seqno << ": dynamic table (maximum size " << table.max_size << ")\n"
            << hpack::FormatHdTable(table);
}

using conformance::AdapterReply;

AdapterReply InputError(const absl::Status& s) {
  return {AdapterReply::Kind::kInputError, std::string(s.message())};
}

AdapterReply StoryReply(const conformance::Story& story, bool one_line) {
  return {AdapterReply::Kind::kStory,
          one_line ? conformance::SerializeStoryLine(story) : conformance::SerializeStory(story)};
}

// Both roles are adapters (README: the adapter protocol), one-shot or batch.
int Serve(const std::function<AdapterReply(conformance::Story&, bool)>& role) {
  return conformance::ServeAdapter(
      std::cin, std::cout, std::cerr, "h2harness", "\"never_indexed\": true",
      [&](absl::string_view text, bool one_line) {
        absl::StatusOr<conformance::Story> story = conformance::ParseStory(text, "<stdin>");
        if (!story.ok()) return InputError(story.status());
        return role(*story, one_line);
      });
}

int HpackDecode(const std::vector<std::string>&) {
  const bool dump = absl::GetFlag(FLAGS_dump_table);
  return Serve([&](conformance::Story& story, bool one_line) {
    conformance::DecodeFailure failure;
    absl::Status s = conformance::DecodeStory(
        story,
        [&](const conformance::StoryCase& c, const hpack::Inflater& inflater) {
          if (dump) DumpTable(c.seqno, inflater.GetHdTable());
        },
        &failure);
    if (s.ok()) return StoryReply(story, one_line);
    // The adapter protocol: a rejected block is a non-zero exit, the reason on stdout.
    std::cerr << "h2harness: " << s.message() << "\n";
    return AdapterReply{AdapterReply::Kind::kRejected,
                        absl::StrCat("{\"error\": ", JsonString(s.message()),
                                     ", \"rule\": ", JsonString(hpack::ErrorName(failure.error)),
                                     ", \"seqno\": ", story.cases[failure.case_index].seqno, "}")};
  });
}

int HpackEncode(const std::vector<std::string>&) {
  conformance::EncodeOptions options;
  options.table_size = absl::GetFlag(FLAGS_table_size);
  if (!conformance::ParseHuffmanMode(absl::GetFlag(FLAGS_huffman), &options.huffman)) {
    std::cerr << "h2harness: --huffman must be auto, never or always, not \""
              << absl::GetFlag(FLAGS_huffman) << "\"\n";
    return 2;
  }
  const bool dump = absl::GetFlag(FLAGS_dump_table);
  return Serve([&](conformance::Story& story, bool one_line) {
    absl::Status s = conformance::EncodeStory(
        story, options, [&](const conformance::StoryCase& c, const hpack::Deflater& deflater) {
          if (dump) DumpTable(c.seqno, deflater.GetHdTable());
        });
    if (!s.ok()) return InputError(s);
    return StoryReply(story, one_line);
  });
}

}  // namespace

std::vector<Command> HpackCommands() {
  return {
      {"hpack decode",
       "< STORY.json",
       "Decode a story: reads story JSON with \"wire\" on stdin and writes the same story "
       "with \"headers\" filled in (the role of nghttp2's inflatehd). Cases share one HPACK "
       "context; header_table_size is honoured; each case lists its never-indexed fields "
       "(\"never_indexed\"). On a decoding error, exits 1 and prints {\"error\": MESSAGE, "
       "\"rule\": RULE, \"seqno\": N} on stdout (the adapter protocol). After the line "
       "{\"h2harness_batch\": 1} it reads one story per line (the batch protocol).",
       {"dump_table"},
       HpackDecode},
      {"hpack encode",
       "< STORY.json",
       "Encode a story: reads story JSON with \"headers\" on stdin and writes it with \"wire\" "
       "filled in (the role of nghttp2's deflatehd); fields listed in \"never_indexed\" are "
       "encoded as never-indexed literals. After the line {\"h2harness_batch\": 1} it reads "
       "one story per line (the batch protocol).",
       {"table_size", "huffman", "dump_table"},
       HpackEncode},
  };
}

}  // namespace cli
