// libnghttp2's HPACK codec as the comparison peer (benchmarks, the adapter, differential
// fuzzing): owning handles and the decoding loop, written once. Never used by the library.
#ifndef H2HARNESS_TOOLS_NGHTTP2_PEER_H_
#define H2HARNESS_TOOLS_NGHTTP2_PEER_H_

#include <nghttp2/nghttp2.h>

#include <cstdint>

#include "absl/strings/string_view.h"

namespace peer {

// Owns an nghttp2_hd_inflater; `p` is null if creation failed (check ok()).
struct NgInflater {
  nghttp2_hd_inflater* p = nullptr;
  NgInflater() { nghttp2_hd_inflate_new(&p); }
  ~NgInflater() { nghttp2_hd_inflate_del(p); }
  NgInflater(const NgInflater&) = delete;
  NgInflater& operator=(const NgInflater&) = delete;
  bool ok() const { return p != nullptr; }
};

// Owns an nghttp2_hd_deflater whose table is capped at `table_size`.
struct NgDeflater {
  nghttp2_hd_deflater* p = nullptr;
  explicit NgDeflater(uint32_t table_size) { nghttp2_hd_deflate_new(&p, table_size); }
  ~NgDeflater() { nghttp2_hd_deflate_del(p); }
  NgDeflater(const NgDeflater&) = delete;
  NgDeflater& operator=(const NgDeflater&) = delete;
  bool ok() const { return p != nullptr; }
};

// Returned by NgInflateBlock when the inflater stopped without finishing the block (cannot
// happen with in_final set, but a loop must not rely on that).
inline constexpr int kNgStalled = 1;

// Decodes one complete header block, calling sink(const nghttp2_nv&) for each field.
// Returns 0, an nghttp2 error code (< 0, see nghttp2_strerror), or kNgStalled.
template <typename Sink>
int NgInflateBlock(nghttp2_hd_inflater* inf, absl::string_view block, Sink&& sink) {
  const uint8_t* in = reinterpret_cast<const uint8_t*>(block.data());
  size_t left = block.size();
  for (;;) {
    nghttp2_nv nv;
    int flags = 0;
    const ssize_t rv = nghttp2_hd_inflate_hd2(inf, &nv, &flags, in, left, /*in_final=*/1);
    if (rv < 0) return static_cast<int>(rv);
    in += rv;
    left -= static_cast<size_t>(rv);
    if (flags & NGHTTP2_HD_INFLATE_EMIT) sink(nv);
    if (flags & NGHTTP2_HD_INFLATE_FINAL) {
      nghttp2_hd_inflate_end_headers(inf);
      return 0;
    }
    if (!(flags & NGHTTP2_HD_INFLATE_EMIT) && left == 0) return kNgStalled;
  }
}

inline const char* NgErrorText(int rv) {
  return rv == kNgStalled ? "the inflater stopped before the end of the block"
                          : nghttp2_strerror(rv);
}

inline absl::string_view NameOf(const nghttp2_nv& nv) {
  return absl::string_view(reinterpret_cast<const char*>(nv.name), nv.namelen);
}
inline absl::string_view ValueOf(const nghttp2_nv& nv) {
  return absl::string_view(reinterpret_cast<const char*>(nv.value), nv.valuelen);
}

}  // namespace peer

#endif  // H2HARNESS_TOOLS_NGHTTP2_PEER_H_
