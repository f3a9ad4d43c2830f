// Helpers shared by the HPACK fuzz targets.
#ifndef H2HARNESS_FUZZ_FUZZ_UTIL_H_
#define H2HARNESS_FUZZ_FUZZ_UTIL_H_

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "hpack/header.h"
#include "hpack/inflater.h"
#include "hpack/static_table.h"

namespace fuzz {

// A broken invariant: report and abort, which libFuzzer (and the replay test) treat as a
// crash.
[[noreturn]] inline void Fail(const std::string& what) {
  std::fprintf(stderr, "invariant broken: %s\n", what.c_str());
  std::abort();
}

inline void Check(bool ok, const char* what) {
  if (!ok) Fail(what);
}

inline std::string Describe(const hpack::HeaderList& l) {
  std::string s;
  for (const hpack::HeaderField& h : l) {
    s += "  " + hpack::EscapeBytes(h.name) + ": " + hpack::EscapeBytes(h.value) + "\n";
  }
  return s;
}

inline void CheckSameList(const hpack::HeaderList& a, const hpack::HeaderList& b,
                          const char* what) {
  // Names and values (callers check never-indexed marks themselves).
  if (!std::equal(a.begin(), a.end(), b.begin(), b.end(), hpack::SameNameAndValue)) {
    Fail(std::string(what) + "\nfirst:\n" + Describe(a) + "second:\n" + Describe(b));
  }
}

inline void CheckSameTable(const hpack::HdTable& a, const hpack::HdTable& b, const char* what) {
  if (a.size != b.size || a.max_size != b.max_size || a.entries != b.entries ||
      hpack::FormatHdTable(a) != hpack::FormatHdTable(b)) {
    Fail(std::string(what) + "\nfirst:\n" + hpack::FormatHdTable(a) + "second:\n" +
         hpack::FormatHdTable(b));
  }
}

// A SETTINGS_HEADER_TABLE_SIZE: mostly interesting values, sometimes anything.
inline uint32_t PickTableSize(FuzzedDataProvider& in) {
  static constexpr uint32_t kSizes[] = {0, 1, 31, 32, 33, 64, 256, 4096, 16384, 65536};
  if (in.ConsumeBool()) return in.PickValueInArray(kSizes);
  return in.ConsumeIntegralInRange<uint32_t>(0, 1 << 17);
}

// Decodes `block` in fragments whose sizes come from `in`, like HEADERS + CONTINUATION.
inline absl::StatusOr<hpack::HeaderList> InflateInFragments(hpack::Inflater& inflater,
                                                            absl::string_view block,
                                                            FuzzedDataProvider& in) {
  hpack::HeaderList out;
  size_t pos = 0;
  for (int fragment = 0;; ++fragment) {
    // Once the parameters run out (or after many fragments) the rest goes in one piece.
    const bool more = in.remaining_bytes() > 0 && fragment < 64;
    const size_t n =
        more ? in.ConsumeIntegralInRange<size_t>(0, block.size() - pos) : block.size() - pos;
    // An empty final fragment after the last octets, sometimes (a CONTINUATION of 0).
    const bool final = pos + n == block.size() && (!more || in.ConsumeBool());
    absl::Status s = inflater.InflateFragment(block.substr(pos, n), final, &out);
    if (!s.ok()) return s;
    pos += n;
    if (final) return out;
  }
}

// A header field from the fuzzer's bytes, often reusing names, values and whole fields
// (from the static table or earlier fields) so that indexing paths get exercised.
inline hpack::HeaderField PickField(FuzzedDataProvider& in,
                                    const std::vector<hpack::HeaderField>& seen) {
  hpack::HeaderField h;
  switch (in.ConsumeIntegralInRange(0, 4)) {
    case 0: {
      const hpack::StaticEntry& e =
          hpack::StaticTableEntry(in.ConsumeIntegralInRange<size_t>(1, hpack::kStaticTableSize));
      h.name = std::string(e.name);
      h.value = in.ConsumeBool() ? std::string(e.value) : in.ConsumeRandomLengthString(64);
      break;
    }
    case 1:
    case 2:
      if (!seen.empty()) {
        h = seen[in.ConsumeIntegralInRange<size_t>(0, seen.size() - 1)];
        if (in.ConsumeBool()) h.value = in.ConsumeRandomLengthString(64);
        break;
      }
      [[fallthrough]];
    default:
      h.name = in.ConsumeRandomLengthString(32);
      h.value = in.ConsumeRandomLengthString(in.ConsumeBool() ? 64 : 4096);
  }
  h.never_indexed = in.ConsumeIntegralInRange(0, 15) == 0;
  return h;
}

}  // namespace fuzz

#endif  // H2HARNESS_FUZZ_FUZZ_UTIL_H_
