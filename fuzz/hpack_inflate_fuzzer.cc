// Arbitrary bytes as header blocks. Checks, for every input:
//  - no crash, no sanitizer report;
//  - decoding a block whole and in fragments gives the same result: the same fields, or the
//    same error (kind and message), and the same dynamic table;
//  - whatever decodes re-encodes: Deflater output inflates to the same list.
// Layout: the parameters (SETTINGS values, block lengths, fragment sizes) are taken from
// the end of the input (FuzzedDataProvider), the blocks' bytes from the front.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_util.h"
#include "hpack/deflater.h"
#include "hpack/inflater.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  hpack::InflaterOptions options;
  options.header_table_size = fuzz::PickTableSize(in);
  if (in.ConsumeIntegralInRange(0, 3) == 0) {  // small limits, to reach the anti-bomb checks
    options.max_header_list_size = in.ConsumeIntegralInRange<size_t>(0, 1 << 14);
    options.max_header_fields = in.ConsumeIntegralInRange<size_t>(0, 64);
  }
  const bool zero_copy = in.ConsumeBool();
  hpack::Inflater whole(options), fragmented(options);
  for (int block = 0; block < 8 && in.remaining_bytes() > 0; ++block) {
    if (in.ConsumeIntegralInRange(0, 7) == 0) {  // SETTINGS_HEADER_TABLE_SIZE changes
      const uint32_t size = fuzz::PickTableSize(in);
      whole.ChangeTableSize(size);
      fragmented.ChangeTableSize(size);
    }
    const std::string bytes = in.ConsumeRandomLengthString(4096);
    absl::StatusOr<hpack::HeaderList> a;
    if (zero_copy) {  // the sink form must see exactly what the list form gets
      hpack::HeaderList seen;
      absl::Status s = whole.Inflate(bytes, [&](absl::string_view n, absl::string_view v, bool ni) {
        seen.emplace_back(std::string(n), std::string(v), ni);
      });
      if (s.ok())
        a = std::move(seen);
      else
        a = s;
    } else {
      a = whole.Inflate(bytes);
    }
    absl::StatusOr<hpack::HeaderList> b = fuzz::InflateInFragments(fragmented, bytes, in);
    if (a.ok() != b.ok()) fuzz::Fail("whole and fragmented decoding disagree on success");
    fuzz::Check(whole.table_size_limit() == fragmented.table_size_limit(), "different limits");
    if (!a.ok()) {
      fuzz::Check(whole.error() == fragmented.error(), "whole and fragmented: different errors");
      fuzz::Check(whole.last_status() == a.status(), "last_status() is not the error returned");
      fuzz::Check(a.status().message() == b.status().message(),
                  "whole and fragmented: different error messages");
      fuzz::Check(!whole.Inflate("\x82").ok(), "an inflater kept working after an error");
      break;
    }
    fuzz::Check(!whole.in_block() && !fragmented.in_block(), "an inflater still in a block");
    fuzz::CheckSameList(*a, *b, "whole and fragmented decoding give different lists");
    fuzz::CheckSameTable(whole.GetHdTable(), fragmented.GetHdTable(),
                         "whole and fragmented decoding leave different tables");
    const hpack::HdTable t = whole.GetHdTable();
    fuzz::Check(t.size <= t.max_size, "the table holds more than its maximum size");

    // What decoded must survive our own encoder and decoder (fresh pair, same limits).
    hpack::Deflater deflater;
    hpack::InflaterOptions big;
    big.max_header_list_size = 1 << 24;
    big.max_header_fields = 1 << 20;
    hpack::Inflater again(big);
    absl::StatusOr<std::string> wire = deflater.Deflate(*a);
    fuzz::Check(wire.ok(), "Deflate failed");
    absl::StatusOr<hpack::HeaderList> back = again.Inflate(*wire);
    fuzz::Check(back.ok(), "re-encoded block does not decode");
    fuzz::CheckSameList(*a, *back, "re-encoded block decodes differently");
    for (size_t i = 0; i < a->size(); ++i) {
      if ((*a)[i].never_indexed) fuzz::Check((*back)[i].never_indexed, "never-indexed lost");
    }
  }
  return 0;
}
