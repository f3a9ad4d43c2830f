// h2harness: the command-line tool. `h2harness --help` lists the commands;
// `h2harness COMMAND --help` describes one.
//
// Flags are Abseil flags; on the command line they may be spelled with dashes
// (--table-size) or underscores (--table_size).
#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "conformance/story.h"
#include "conformance/story_codec.h"
#include "hpack/error.h"
#include "nlohmann/json.hpp"

ABSL_FLAG(uint32_t, table_size, 4096,
          "SETTINGS_HEADER_TABLE_SIZE of the decoder, also the encoder's table cap; written "
          "as the first case's header_table_size when not 4096");
ABSL_FLAG(std::string, huffman, "auto",
          "Huffman-code string literals: auto (only when shorter), never, always");
ABSL_FLAG(bool, dump_table, false,
          "print the dynamic table to stderr after each case, as RFC 7541 Appendix C does");

namespace {

struct Command {
  std::string name;     // "hpack decode"
  std::string args;     // positional arguments, for the usage line
  std::string summary;  // what it does (first line is the one-line summary)
  std::vector<std::string> flags;
  std::function<int(const std::vector<std::string>& args)> run;
};

std::string ReadAll(std::istream& in) {
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string JsonString(absl::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false,
                                             nlohmann::json::error_handler_t::replace);
}

void DumpTable(int64_t seqno, const hpack::HdTable& table) {
  std::cerr << "seqno " << seqno << ": dynamic table (maximum size " << table.max_size << ")\n"
            << hpack::FormatHdTable(table);
}

int HpackDecode(const std::vector<std::string>&) {
  absl::StatusOr<conformance::Story> story =
      conformance::ParseStory(ReadAll(std::cin), "<stdin>");
  if (!story.ok()) {
    std::cerr << "h2harness: " << story.status().message() << "\n";
    return 2;
  }
  const bool dump = absl::GetFlag(FLAGS_dump_table);
  conformance::DecodeFailure failure;
  absl::Status s = conformance::DecodeStory(
      *story,
      [&](const conformance::StoryCase& c, const hpack::Inflater& inflater) {
        if (dump) DumpTable(c.seqno, inflater.GetHdTable());
      },
      &failure);
  if (!s.ok()) {
    // The adapter protocol: a rejected block is a non-zero exit, the reason on stdout.
    std::cerr << "h2harness: " << s.message() << "\n";
    std::cout << "{\"error\": " << JsonString(s.message()) << ", \"rule\": "
              << JsonString(hpack::ErrorName(failure.error)) << ", \"seqno\": "
              << story->cases[failure.case_index].seqno << "}\n";
    return 1;
  }
  std::cout << conformance::SerializeStory(*story);
  return 0;
}

int HpackEncode(const std::vector<std::string>&) {
  conformance::EncodeOptions options;
  options.table_size = absl::GetFlag(FLAGS_table_size);
  if (!conformance::ParseHuffmanMode(absl::GetFlag(FLAGS_huffman), &options.huffman)) {
    std::cerr << "h2harness: --huffman must be auto, never or always, not \""
              << absl::GetFlag(FLAGS_huffman) << "\"\n";
    return 2;
  }
  absl::StatusOr<conformance::Story> story =
      conformance::ParseStory(ReadAll(std::cin), "<stdin>");
  if (!story.ok()) {
    std::cerr << "h2harness: " << story.status().message() << "\n";
    return 2;
  }
  const bool dump = absl::GetFlag(FLAGS_dump_table);
  absl::Status s = conformance::EncodeStory(
      *story, options, [&](const conformance::StoryCase& c, const hpack::Deflater& deflater) {
        if (dump) DumpTable(c.seqno, deflater.GetHdTable());
      });
  if (!s.ok()) {
    std::cerr << "h2harness: " << s.message() << "\n";
    return 1;
  }
  std::cout << conformance::SerializeStory(*story);
  return 0;
}

std::vector<Command> Commands() {
  return {
      {"hpack decode", "< STORY.json",
       "Decode a story: reads story JSON with \"wire\" on stdin and writes the same story "
       "with \"headers\" filled in (the role of nghttp2's inflatehd). Cases share one HPACK "
       "context; header_table_size is honoured. On a decoding error, exits 1 and prints "
       "{\"error\": MESSAGE, \"rule\": RULE, \"seqno\": N} on stdout (the adapter protocol).",
       {"dump_table"},
       HpackDecode},
      {"hpack encode", "< STORY.json",
       "Encode a story: reads story JSON with \"headers\" on stdin and writes it with \"wire\" "
       "filled in (the role of nghttp2's deflatehd).",
       {"table_size", "huffman", "dump_table"},
       HpackEncode},
  };
}

std::string Dashed(absl::string_view flag) {
  std::string s(flag);
  std::replace(s.begin(), s.end(), '_', '-');
  return s;
}

void PrintFlagHelp(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (!flag) continue;
    std::cout << "  --" << Dashed(name) << "  (default: "
              << (flag->DefaultValue().empty() ? "\"\"" : flag->DefaultValue()) << ")\n      "
              << flag->Help() << "\n";
  }
}

void PrintUsage(const std::vector<Command>& commands) {
  std::cout << "h2harness: HPACK (RFC 7541) and HTTP/2 (RFC 9113) test harness\n\n"
               "usage: h2harness COMMAND [FLAGS] [ARGS]\n\ncommands:\n";
  for (const Command& c : commands) {
    std::cout << "  " << c.name << " " << c.args << "\n      "
              << c.summary.substr(0, c.summary.find(": ")) << "\n";
  }
  std::cout << "\n`h2harness COMMAND --help` describes a command and its flags.\n";
}

void PrintCommandUsage(const Command& c) {
  std::cout << "usage: h2harness " << c.name << " [FLAGS] " << c.args << "\n\n"
            << c.summary << "\n";
  if (!c.flags.empty()) {
    std::cout << "\nflags:\n";
    PrintFlagHelp(c.flags);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Accept --table-size as well as --table_size; stop at "--".
  std::vector<std::string> args(argv, argv + argc);
  bool help = false;
  for (size_t i = 1; i < args.size(); ++i) {
    std::string& a = args[i];
    if (a == "--") break;
    if (a == "--help" || a == "-h" || a == "--helpfull" || a == "-help") {
      help = true;
      a.clear();
      continue;
    }
    if (absl::StartsWith(a, "--")) {
      const size_t end = std::min(a.find('='), a.size());
      std::replace(a.begin() + 2, a.begin() + end, '-', '_');
    }
  }
  args.erase(std::remove(args.begin() + 1, args.end(), std::string()), args.end());
  std::vector<char*> cargs;
  for (std::string& a : args) cargs.push_back(a.data());

  const std::vector<Command> commands = Commands();
  absl::SetProgramUsageMessage("HPACK and HTTP/2 test harness; see h2harness --help");
  std::vector<char*> rest = absl::ParseCommandLine(static_cast<int>(cargs.size()), cargs.data());
  std::vector<std::string> positional(rest.begin() + 1, rest.end());

  // The longest command name that prefixes the positional arguments.
  const Command* command = nullptr;
  size_t words = 0;
  for (const Command& c : commands) {
    std::vector<std::string> parts = absl::StrSplit(c.name, ' ');
    if (parts.size() <= positional.size() &&
        std::equal(parts.begin(), parts.end(), positional.begin()) && parts.size() > words) {
      command = &c;
      words = parts.size();
    }
  }
  if (!command) {
    if (help || positional.empty()) {
      PrintUsage(commands);
      return help ? 0 : 2;
    }
    std::cerr << "h2harness: unknown command \"" << absl::StrJoin(positional, " ")
              << "\"; see h2harness --help\n";
    return 2;
  }
  if (help) {
    PrintCommandUsage(*command);
    return 0;
  }
  positional.erase(positional.begin(), positional.begin() + words);
  return command->run(positional);
}
