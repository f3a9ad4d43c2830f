#include "conformance/story_codec.h"

#include "absl/strings/str_cat.h"

namespace conformance {

absl::Status DecodeStory(Story& story, const InflaterObserver& observer,
                         DecodeFailure* failure) {
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
  for (size_t i = 0; i < story.cases.size(); ++i) {
    StoryCase& c = story.cases[i];
    if (!c.headers) {
      return absl::InvalidArgumentError(absl::StrCat(story.source, ": case ", i, " (seqno ",
                                                     c.seqno, "): no \"headers\" to encode"));
    }
    if (i == 0 && !c.header_table_size && options.table_size != hpack::kDefaultHeaderTableSize) {
      c.header_table_size = options.table_size;
    }
    if (c.header_table_size) deflater.ChangeTableSize(*c.header_table_size);
    std::string wire;
    absl::Status s = deflater.Deflate(*c.headers, &wire);
    if (!s.ok()) return s;
    c.wire = std::move(wire);
    if (observer) observer(c, deflater);
  }
  return absl::OkStatus();
}

absl::string_view HuffmanModeName(hpack::HuffmanMode mode) {
  switch (mode) {
    case hpack::HuffmanMode::kAuto: return "auto";
    case hpack::HuffmanMode::kNever: return "never";
    case hpack::HuffmanMode::kAlways: return "always";
  }
  return "?";
}

bool ParseHuffmanMode(absl::string_view text, hpack::HuffmanMode* mode) {
  for (auto m : {hpack::HuffmanMode::kAuto, hpack::HuffmanMode::kNever, hpack::HuffmanMode::kAlways}) {
    if (text == HuffmanModeName(m)) {
      *mode = m;
      return true;
    }
  }
  return false;
}

}  // namespace conformance
