// Helpers shared by the HTTP/2 fuzz targets: a small deterministic RNG for cutting inputs
// into pieces, and Check/Fail from fuzz_util.h.
#ifndef H2HARNESS_FUZZ_HTTP2_FUZZ_UTIL_H_
#define H2HARNESS_FUZZ_HTTP2_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "hpack/inflater.h"
#include "http2/frame_parser.h"
#include "http2/settings.h"

namespace fuzz {

// xorshift32 (a seed of 0 is replaced): split points only, nothing statistical.
class SplitRng {
 public:
  explicit SplitRng(uint32_t seed) : s_(seed != 0 ? seed : 0x9e3779b9u) {}
  uint32_t Next() {
    s_ ^= s_ << 13;
    s_ ^= s_ >> 17;
    s_ ^= s_ << 5;
    return s_;
  }

 private:
  uint32_t s_;
};

// Increasing cut points in (0, size): mostly short pieces (1-16 octets, so every field of a
// frame gets cut somewhere), sometimes long ones.
inline std::vector<size_t> RandomCuts(SplitRng& rng, size_t size) {
  std::vector<size_t> cuts;
  size_t at = 0;
  while (cuts.size() < 100000) {
    const uint32_t r = rng.Next();
    at += (r & 3) != 0 ? 1 + (r >> 8) % 16 : 1 + (r >> 8) % 4096;
    if (at >= size) break;
    cuts.push_back(at);
  }
  return cuts;
}

namespace h2 {

// A frame parser for checking another endpoint's octets: every frame size the protocol allows
// (the checker compares lengths with the settings in force itself).
inline http2::FrameParserOptions LenientParserOptions(bool validate_setting_values = true) {
  http2::FrameParserOptions o;
  o.max_frame_size = http2::kMaxMaxFrameSize;
  o.validate_setting_values = validate_setting_values;
  return o;
}

// An inflater for checking: no list limits of its own (the decoder under test has them).
inline hpack::InflaterOptions UnlimitedInflaterOptions() {
  hpack::InflaterOptions o;
  o.max_header_list_size = size_t{1} << 30;
  o.max_header_fields = size_t{1} << 20;
  return o;
}

}  // namespace h2
}  // namespace fuzz

#endif  // H2HARNESS_FUZZ_HTTP2_FUZZ_UTIL_H_
