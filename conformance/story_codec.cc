#include "conformance/story_codec.h"

#include <limits>

#include "absl/strings/str_cat.h"

namespace conformance {

absl::Status DecodeStory(Story& story, const InflaterObserver& observer, DecodeFailure* failure) {
  hpack::Inflater inflater;
  for (size_t i = 0; i < story.cases.size(); ++i) {
    StoryCase& c = story.cases[i];
    auto fail = [&](const absl::Status& s) {
      if (failure) *failure = DecodeFailure{i, inflater.error()};
      return absl::Status(s.code(), absl::StrCat(story.source, ": case ", i, " (seqno ", c.seqno,
                                                 "): ", s.message()));
    };
    if (!c.wire) return fail(absl::InvalidArgumentError("no \"wire\" to decode"));
    if (c.header_table_size) inflater.ChangeTableSize(*c.header_table_size);
    absl::StatusOr<hpack::HeaderList> headers = inflater.Inflate(*c.wire);
    if (!headers.ok()) return fail(headers.status());
    c.headers = *std::move(headers);
    c.never_indexed_listed = true;  // the marks say how this wire encodes each field
    c.error.reset();
    if (observer) observer(c, inflater);
  }
  return absl::OkStatus();
}

absl::Status EncodeStory(Story& story, const EncodeOptions& options,
                         const DeflaterObserver& observer) {
  hpack::DeflaterOptions o;
  o.max_table_size = options.table_size;
  o.huffman = options.huffman;
  hpack::Deflater deflater(o);
  // Decodes what was encoded, so that the story's never-indexed marks say what the wire
  // does (the Deflater never-indexes sensitive fields of its own accord), and as a check.
  hpack::InflaterOptions io;
  io.max_header_list_size = std::numeric_limits<size_t>::max();
  io.max_header_fields = std::numeric_limits<size_t>::max();
  hpack::Inflater inflater(io);
  bool decodable = true;
  for (size_t i = 0; i < story.cases.size(); ++i) {
    StoryCase& c = story.cases[i];
    if (!c.headers) {
      return absl::InvalidArgumentError(absl::StrCat(story.source, ": case ", i, " (seqno ",
                                                     c.seqno, "): no \"headers\" to encode"));
    }
    if (!c.header_table_size)
      c.header_table_size = PlannedTableSize(options, i, story.cases.size());
    if (c.header_table_size) {
      deflater.ChangeTableSize(*c.header_table_size);
      inflater.ChangeTableSize(*c.header_table_size);
    }
    std::string wire;
    absl::Status s = deflater.Deflate(*c.headers, &wire);
    if (!s.ok()) return s;
    // The marks are listed only while the blocks decode back to the same fields; checking
    // the wire is for `stories verify` and the decoders, not for the encoder role.
    if (decodable) {
      absl::StatusOr<hpack::HeaderList> back = inflater.Inflate(wire);
      decodable = back.ok() && back->size() == c.headers->size();
      for (size_t k = 0; decodable && k < back->size(); ++k) {
        decodable = hpack::SameNameAndValue((*back)[k], (*c.headers)[k]);
        (*c.headers)[k].never_indexed = (*back)[k].never_indexed;
      }
      c.never_indexed_listed = decodable;
    }
    if (!decodable) c.never_indexed_listed = false;
    c.wire = std::move(wire);
    if (observer) observer(c, deflater);
  }
  return absl::OkStatus();
}

std::optional<uint32_t> PlannedTableSize(const EncodeOptions& options, size_t index, size_t count) {
  if (index == 0) {
    if (options.table_size != hpack::kDefaultHeaderTableSize) return options.table_size;
    return std::nullopt;
  }
  if (!options.change_table_size || count < 4) return std::nullopt;
  if (index == count / 4) return options.table_size / 2;
  if (index == count / 2) return 0;
  if (index == 3 * count / 4) return options.table_size;
  return std::nullopt;
}

std::string EncoderDescription(const EncodeOptions& options) {
  return absl::StrCat("h2harness (table size ", options.table_size, ", Huffman ",
                      HuffmanModeName(options.huffman),
                      options.change_table_size ? ", table size changes mid-story" : "", ")");
}

absl::string_view HuffmanModeName(hpack::HuffmanMode mode) {
  switch (mode) {
    case hpack::HuffmanMode::kAuto:
      return "auto";
    case hpack::HuffmanMode::kNever:
      return "never";
    case hpack::HuffmanMode::kAlways:
      return "always";
  }
  return "?";
}

bool ParseHuffmanMode(absl::string_view text, hpack::HuffmanMode* mode) {
  for (auto m :
       {hpack::HuffmanMode::kAuto, hpack::HuffmanMode::kNever, hpack::HuffmanMode::kAlways}) {
    if (text == HuffmanModeName(m)) {
      *mode = m;
      return true;
    }
  }
  return false;
}

}  // namespace conformance
