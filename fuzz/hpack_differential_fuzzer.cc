// The same bytes into the h2harness Inflater and libnghttp2's inflater (the comparison peer
// only: nothing of nghttp2 is in the library). Both must accept with identical header lists
// (names, values, never-indexed flags) and identical table sizes, or both reject — except
// for the known, justified differences below, after which the two contexts are no longer
// comparable and the input ends.
//
// Known differences (h2harness rejects, libnghttp2 1.52 accepts):
//  1. kIntegerTooLong: an integer with more than 5 continuation octets (only zero-payload
//     padding can make one). RFC 7541 §5.1 lets a decoder set its own limit on integer
//     length; h2harness rejects what can only be padding (README: integer policy).
//  2. kHeaderListTooLarge / kTooManyFields: not reached here (the h2harness limits are
//     raised to far above anything an input can decode to), listed for completeness.
// Any other disagreement is a bug in one of the two and crashes the target.
#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_util.h"
#include "hpack/inflater.h"
#include "tools/nghttp2_peer.h"

namespace {

struct NgResult {
  bool ok = false;
  hpack::HeaderList headers;
  int error = 0;
};

NgResult NgInflate(nghttp2_hd_inflater* inf, const std::string& block) {
  NgResult r;
  r.error = peer::NgInflateBlock(inf, block, [&r](const nghttp2_nv& nv) {
    r.headers.emplace_back(std::string(peer::NameOf(nv)), std::string(peer::ValueOf(nv)),
                           (nv.flags & NGHTTP2_NV_FLAG_NO_INDEX) != 0);
  });
  if (r.error == peer::kNgStalled) fuzz::Fail("libnghttp2 made no progress on a final block");
  r.ok = r.error == 0;
  return r;
}

bool KnownDifference(hpack::Error e) {
  return e == hpack::Error::kIntegerTooLong || e == hpack::Error::kHeaderListTooLarge ||
         e == hpack::Error::kTooManyFields;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  hpack::InflaterOptions options;
  options.max_header_list_size = size_t{1} << 40;  // nghttp2's inflater has no such limits
  options.max_header_fields = size_t{1} << 40;
  hpack::Inflater ours(options);
  peer::NgInflater ng;
  if (!ng.ok()) return 0;
  nghttp2_hd_inflater* const theirs = ng.p;

  for (int block = 0; block < 8 && in.remaining_bytes() > 0; ++block) {
    if (in.ConsumeIntegralInRange(0, 7) == 0) {
      const uint32_t size = fuzz::PickTableSize(in);
      ours.ChangeTableSize(size);
      if (nghttp2_hd_inflate_change_table_size(theirs, size) != 0) break;
    }
    const std::string bytes = in.ConsumeRandomLengthString(4096);
    absl::StatusOr<hpack::HeaderList> a = ours.Inflate(bytes);
    const NgResult b = NgInflate(theirs, bytes);
    if (a.ok() && b.ok) {
      fuzz::CheckSameList(*a, b.headers, "h2harness and libnghttp2 decode different lists");
      for (size_t i = 0; i < a->size(); ++i) {
        fuzz::Check((*a)[i].never_indexed == b.headers[i].never_indexed,
                    "h2harness and libnghttp2 disagree on never-indexed");
      }
      continue;
    }
    if (!a.ok() && !b.ok) break;
    if (!a.ok() && KnownDifference(ours.error())) break;
    fuzz::Fail(a.ok() ? absl::StrCat("libnghttp2 rejects (", peer::NgErrorText(b.error),
                                     ") a block h2harness accepts:\n", fuzz::Describe(*a))
                      : absl::StrCat(
                            "h2harness rejects a block libnghttp2 accepts: ", a.status().message(),
                            "\nlibnghttp2 decoded:\n", fuzz::Describe(b.headers)));
  }
  return 0;
}
