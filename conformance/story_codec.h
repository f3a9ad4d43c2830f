// Running a story through the h2harness codec: decoding its wire, encoding its headers.
#ifndef H2HARNESS_CONFORMANCE_STORY_CODEC_H_
#define H2HARNESS_CONFORMANCE_STORY_CODEC_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "conformance/story.h"
#include "hpack/deflater.h"
#include "hpack/inflater.h"

namespace conformance {

// Called after each case with the codec's state (e.g. to dump the dynamic table).
using InflaterObserver = std::function<void(const StoryCase&, const hpack::Inflater&)>;
using DeflaterObserver = std::function<void(const StoryCase&, const hpack::Deflater&)>;

struct DecodeFailure {
  size_t case_index = 0;
  hpack::Error error = hpack::Error::kOk;  // kOk: the case had no wire to decode
};

// Decodes each case's `wire` with one fresh Inflater (SETTINGS_HEADER_TABLE_SIZE 4096,
// changed by each case's header_table_size) and stores the result in `headers`. Stops at the
// first error, which names the story, case and seqno, and fills *failure if given.
absl::Status DecodeStory(Story& story, const InflaterObserver& observer = nullptr,
                         DecodeFailure* failure = nullptr);

struct EncodeOptions {
  // The decoder's SETTINGS_HEADER_TABLE_SIZE for the whole story, also the encoder's cap.
  // When not 4096 it is written as the first case's header_table_size.
  uint32_t table_size = hpack::kDefaultHeaderTableSize;
  hpack::HuffmanMode huffman = hpack::HuffmanMode::kAuto;
  // Change SETTINGS_HEADER_TABLE_SIZE mid-story (a quarter of the way in to half the size,
  // half way to 0, three quarters to the full size again), writing header_table_size into
  // those cases; each change makes the next block start with a dynamic table size update.
  bool change_table_size = false;
};

// The header_table_size EncodeStory gives case `index` of `count` under `options` (absent:
// no change at that case).
std::optional<uint32_t> PlannedTableSize(const EncodeOptions& options, size_t index, size_t count);

// "h2harness 0.1 (table size 4096, Huffman auto, table size changes mid-story)".
std::string EncoderDescription(const EncodeOptions& options);

// Encodes each case's `headers` into `wire` with one fresh Deflater. A case's own
// header_table_size (if present) is honoured from that case on. Each case's never-indexed
// marks are set from the wire (the Deflater adds marks of its own) and listed, as long as
// the blocks decode back to the same fields; the wire is not checked otherwise (that is
// VerifyStory's job).
absl::Status EncodeStory(Story& story, const EncodeOptions& options,
                         const DeflaterObserver& observer = nullptr);

absl::string_view HuffmanModeName(hpack::HuffmanMode mode);
bool ParseHuffmanMode(absl::string_view text, hpack::HuffmanMode* mode);

}  // namespace conformance

#endif  // H2HARNESS_CONFORMANCE_STORY_CODEC_H_
