#include "hpack/huffman.h"

#include <cstring>

namespace hpack {
namespace {

struct HuffmanCode {
  uint32_t code;
  uint8_t bits;
};

#include "hpack/huffman_tables.inc"

constexpr int kEos = 256;

// Reads 8 octets big-endian (the caller guarantees they exist).
inline uint64_t LoadBigEndian64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}

// Canonical decode of the next code from the top bits of `bits` (left-aligned). Returns the
// symbol and sets *len; works for every code length including EOS.
inline int DecodeCanonical(uint64_t bits, int* len) {
  const uint32_t top = static_cast<uint32_t>(bits >> 32);
  int n = 5;
  while (top >= kHuffmanLimit[n]) ++n;  // kHuffmanLimit[30] == 2^32 stops the loop.
  *len = n;
  return kHuffmanSorted[kHuffmanOffset[n] + ((top >> (32 - n)) - kHuffmanFirstCode[n])];
}

}  // namespace

const char* HuffmanErrorName(HuffmanError e) {
  switch (e) {
    case HuffmanError::kOk: return "ok";
    case HuffmanError::kEos: return "Huffman string contains EOS";
    case HuffmanError::kPaddingTooLong: return "Huffman padding longer than 7 bits";
    case HuffmanError::kPaddingNotOnes: return "Huffman padding is not all ones";
  }
  return "?";
}

size_t HuffmanEncodedLength(absl::string_view in) {
  size_t bits = 0;
  for (unsigned char c : in) bits += kHuffmanCodes[c].bits;
  return (bits + 7) / 8;
}

void HuffmanEncode(absl::string_view in, std::string* out) {
  const size_t start = out->size();
  out->resize(start + HuffmanEncodedLength(in));
  uint8_t* dst = reinterpret_cast<uint8_t*>(&(*out)[start]);
  uint64_t acc = 0;  // pending bits in the low `n` bits
  int n = 0;
  for (unsigned char c : in) {
    const HuffmanCode& hc = kHuffmanCodes[c];
    acc = (acc << hc.bits) | hc.code;
    n += hc.bits;
    if (n >= 32) {  // flush four octets at a time; n stays below 32 + 30 bits
      n -= 32;
      const uint32_t word = static_cast<uint32_t>(acc >> n);
      dst[0] = word >> 24;
      dst[1] = word >> 16;
      dst[2] = word >> 8;
      dst[3] = word;
      dst += 4;
    }
  }
  while (n >= 8) {
    n -= 8;
    *dst++ = static_cast<uint8_t>(acc >> n);
  }
  if (n > 0) {  // pad with the most significant bits of EOS (all ones), §5.2
    *dst++ = static_cast<uint8_t>((acc << (8 - n)) | (0xffu >> n));
  }
}

HuffmanError HuffmanDecode(absl::string_view in, std::string* out, size_t* error_offset) {
  out->resize(HuffmanDecodeBufferSize(in.size()));
  size_t len = 0;
  const HuffmanError e = HuffmanDecode(in, &(*out)[0], &len, error_offset);
  out->resize(len);
  return e;
}

HuffmanError HuffmanDecode(absl::string_view in, char* out, size_t* out_len,
                           size_t* error_offset) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(in.data());
  const uint8_t* const end = p + in.size();
  char* dst = out;
  *out_len = 0;

  // Bits are kept left-aligned in `bits`; `nbits` of them are valid. Bits below those are
  // either zero or the correct following input bits (the 8-octet refill over-reads), so
  // OR-ing in the same octets again later is harmless.
  uint64_t bits = 0;
  int nbits = 0;
  auto fail = [&](HuffmanError e) {
    // The octet holding the first bit not yet decoded.
    if (error_offset) {
      *error_offset = ((p - reinterpret_cast<const uint8_t*>(in.data())) * 8 - nbits) / 8;
    }
    return e;
  };

  for (;;) {
    if (end - p >= 8) {
      bits |= LoadBigEndian64(p) >> nbits;
      const int take = (63 - nbits) >> 3;
      p += take;
      nbits += take * 8;
    } else {
      while (nbits <= 56 && p < end) {
        bits |= static_cast<uint64_t>(*p++) << (56 - nbits);
        nbits += 8;
      }
    }
    if (nbits < 30) break;  // fewer bits than the longest code: finish carefully below
    // At least 30 valid bits: decode until fewer than 30 remain or a refill is due.
    do {
      const uint32_t e = kHuffmanFastTable[bits >> (64 - kHuffmanFastBits)];
      const int count = (e >> 16) & 3;
      if (__builtin_expect(count != 0, 1)) {
        dst[0] = static_cast<char>(e & 0xff);
        dst[1] = static_cast<char>((e >> 8) & 0xff);
        dst += count;
        const int used = e >> 18;
        bits <<= used;
        nbits -= used;
      } else {
        int len;
        const int sym = DecodeCanonical(bits, &len);
        if (sym == kEos) return fail(HuffmanError::kEos);
        *dst++ = static_cast<char>(sym);
        bits <<= len;
        nbits -= len;
      }
    } while (nbits >= 30);
  }

  // Fewer than 30 bits left and no more input; bits beyond nbits are zero.
  while (nbits > 0) {
    const uint64_t ones_mask = ~uint64_t{0} << (64 - nbits);
    if ((bits & ones_mask) == ones_mask) {  // all ones: a prefix of EOS, so padding
      if (nbits > 7) return fail(HuffmanError::kPaddingTooLong);
      break;
    }
    int len;
    const int sym = DecodeCanonical(bits, &len);
    if (len > nbits || sym == kEos) {
      // The remaining bits are not a whole code and are not all ones.
      return fail(HuffmanError::kPaddingNotOnes);
    }
    *dst++ = static_cast<char>(sym);
    bits <<= len;
    nbits -= len;
  }
  *out_len = dst - out;
  return HuffmanError::kOk;
}

}  // namespace hpack
