// Huffman coding of HPACK string literals (RFC 7541 §5.2, Appendix B).
#ifndef H2HARNESS_HPACK_HUFFMAN_H_
#define H2HARNESS_HPACK_HUFFMAN_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace hpack {

// Why a Huffman-coded string was rejected.
enum class HuffmanError {
  kOk = 0,
  kEos,             // the EOS symbol appears in the string (§5.2: MUST be an error)
  kPaddingTooLong,  // more than 7 bits of padding (§5.2)
  kPaddingNotOnes,  // padding is not a prefix of EOS, i.e. not all ones (§5.2)
};

const char* HuffmanErrorName(HuffmanError e);

// Octets needed to Huffman-encode `in` (including padding to the next octet).
size_t HuffmanEncodedLength(absl::string_view in);

// Appends the Huffman encoding of `in` to `out`, padded with the MSBs of EOS.
void HuffmanEncode(absl::string_view in, std::string* out);

// Writes the Huffman encoding of `in` to `out` and returns its length, unless that would be
// more than `max_len`: then returns max_len + 1 and what was written is garbage. `out` must
// have room for max_len + kHuffmanEncodeSlack octets (octets past the result may be
// overwritten). One pass, no length computed up front: the Deflater uses it to try Huffman
// and keep it only when shorter than the raw octets.
inline constexpr size_t kHuffmanEncodeSlack = 16;
size_t HuffmanEncodeBounded(absl::string_view in, char* out, size_t max_len);

// Upper bound on the decoded length of `encoded_len` octets (the shortest code is 5 bits).
inline size_t HuffmanMaxDecodedLength(size_t encoded_len) { return encoded_len * 8 / 5; }

// Lower bound on the decoded length (the longest code that can appear is 30 bits; 7 of the
// last bits may be padding).
inline size_t HuffmanMinDecodedLength(size_t encoded_len) {
  return encoded_len * 8 < 8 ? 0 : (encoded_len * 8 - 7) / 30;
}

// Decodes `in` (a complete Huffman-coded string) into `out`, which must have room for
// HuffmanDecodeBufferSize(in.size()) octets; sets *out_len. On error returns the reason and
// sets *error_offset to the octet of `in` where it was found. Allocation-free.
HuffmanError HuffmanDecode(absl::string_view in, char* out, size_t* out_len,
                           size_t* error_offset = nullptr);

inline size_t HuffmanDecodeBufferSize(size_t encoded_len) {
  return HuffmanMaxDecodedLength(encoded_len) + 1;  // the fast path may store one extra
}

// Convenience form replacing the contents of `out`.
HuffmanError HuffmanDecode(absl::string_view in, std::string* out, size_t* error_offset = nullptr);

}  // namespace hpack

#endif  // H2HARNESS_HPACK_HUFFMAN_H_
