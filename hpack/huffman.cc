#include "hpack/huffman.h"

#include <array>
#include <cstring>

namespace hpack {
namespace {

struct HuffmanCode {
  uint32_t code;
  uint8_t bits;
};

#include "hpack/huffman_tables.inc"

constexpr int kEos = 256;

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

// The fast-table entry fields (see gen_hpack_tables.py).
inline int EntryCount(uint32_t e) { return (e >> 16) & 0xff; }
inline int EntryBits(uint32_t e) { return e >> 24; }

// Stores the entry's one or two symbols (the second octet is overwritten later if unused).
inline void StoreSymbols(char* dst, uint32_t e) {
  const uint16_t syms = static_cast<uint16_t>(e);  // little-endian: sym0 first
  std::memcpy(dst, &syms, 2);
}

}  // namespace

const char* HuffmanErrorName(HuffmanError e) {
  switch (e) {
    case HuffmanError::kOk:
      return "ok";
    case HuffmanError::kEos:
      return "Huffman string contains EOS";
    case HuffmanError::kPaddingTooLong:
      return "Huffman padding longer than 7 bits";
    case HuffmanError::kPaddingNotOnes:
      return "Huffman padding is not all ones";
  }
  return "?";
}

size_t HuffmanEncodedLength(absl::string_view in) {
  size_t bits = 0;
  for (unsigned char c : in) bits += kHuffmanCodes[c].bits;
  return (bits + 7) / 8;
}

// Ids of the 64 symbols that kHuffmanPairCode covers are below this.
constexpr unsigned kNoPairId = 64;

size_t HuffmanEncodeBounded(absl::string_view in, char* out, size_t max_len) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(in.data());
  const uint8_t* const end = p + in.size();
  char* dst = out;
  char* const stop = out + max_len;
  uint64_t acc = 0;  // pending bits in the low `n` bits (higher bits are stale)
  int n = 0;
  auto put = [&](uint32_t code, int bits) {  // bits <= 30
    acc = (acc << bits) | code;
    n += bits;
    if (n >= 32) {  // n stays below 32 + 30
      n -= 32;
      const uint32_t word = __builtin_bswap32(static_cast<uint32_t>(acc >> n));
      std::memcpy(dst, &word, 4);
      dst += 4;
    }
  };
  while (end - p >= 2) {
    const unsigned a = kHuffmanPairId[p[0]], b = kHuffmanPairId[p[1]];
    if (__builtin_expect((a | b) < kNoPairId, 1)) {  // both have codes of 5 to 7 bits
      const uint32_t e = kHuffmanPairCode[a * 64 + b];
      put(e & 0xffff, e >> 16);
    } else {
      put(kHuffmanCodes[p[0]].code, kHuffmanCodes[p[0]].bits);
      put(kHuffmanCodes[p[1]].code, kHuffmanCodes[p[1]].bits);
    }
    if (dst > stop) return max_len + 1;  // at most 8 octets past `stop` were written
    p += 2;
  }
  if (p < end) put(kHuffmanCodes[*p].code, kHuffmanCodes[*p].bits);
  if (dst > stop) return max_len + 1;
  while (n >= 8) {
    n -= 8;
    *dst++ = static_cast<char>(acc >> n);
  }
  if (n > 0) {  // pad with the most significant bits of EOS (all ones), §5.2
    *dst++ = static_cast<char>((acc << (8 - n)) | (0xffu >> n));
  }
  const size_t len = dst - out;
  return len > max_len ? max_len + 1 : len;
}

void HuffmanEncode(absl::string_view in, std::string* out) {
  const size_t start = out->size();
  const size_t len = HuffmanEncodedLength(in);
  out->resize(start + len + kHuffmanEncodeSlack);
  HuffmanEncodeBounded(in, &(*out)[start], len);
  out->resize(start + len);
}

HuffmanError HuffmanDecode(absl::string_view in, std::string* out, size_t* error_offset) {
  out->resize(HuffmanDecodeBufferSize(in.size()));
  size_t len = 0;
  const HuffmanError e = HuffmanDecode(in, &(*out)[0], &len, error_offset);
  out->resize(len);
  return e;
}

HuffmanError HuffmanDecode(absl::string_view in, char* out, size_t* out_len, size_t* error_offset) {
  const uint8_t* const src = reinterpret_cast<const uint8_t*>(in.data());
  char* dst = out;
  size_t pos = 0;  // bits consumed
  *out_len = 0;
  auto fail = [&](HuffmanError e) {
    if (error_offset) *error_offset = pos / 8;  // the octet of the first undecoded bit
    return e;
  };

  // Fast loop, while at least 8 octets are left to load: the bits live left-aligned in a
  // register; a refill tops them up to 56..63 valid bits, enough for three table lookups
  // (12 bits each) or one code of any length (30), so the hot path has no bounds checks.
  // Bits below `nbits` are zero or the true next bits, so OR-ing octets in again is harmless.
  uint64_t bits = 0;
  int nbits = 0;
  const uint8_t* p = src;
  const uint8_t* const end = src + in.size();
  while (end - p >= 8) {
    bits |= LoadBigEndian64(p) >> nbits;
    p += (63 - nbits) >> 3;
    nbits |= 56;
    for (int k = 0; k < 3; ++k) {
      const uint32_t e = kHuffmanFastTable[bits >> (64 - kHuffmanFastBits)];
      if (__builtin_expect(EntryCount(e) == 0, 0)) {
        if (nbits < 30) break;  // refill before a long code
        int len;
        const int sym = DecodeCanonical(bits, &len);
        if (sym == kEos) {
          pos = (p - src) * 8 - nbits;
          return fail(HuffmanError::kEos);
        }
        *dst++ = static_cast<char>(sym);
        bits <<= len;
        nbits -= len;
        break;
      }
      StoreSymbols(dst, e);
      dst += EntryCount(e);
      bits <<= EntryBits(e);
      nbits -= EntryBits(e);
    }
  }

  // The last octets, one at a time. Once all are in, the bits below `nbits` are zero, so a
  // code must be checked to end within the `nbits` real bits.
  for (;;) {
    while (nbits <= 56 && p < end) {
      bits |= static_cast<uint64_t>(*p++) << (56 - nbits);
      nbits += 8;
    }
    if (nbits == 0) break;
    const uint32_t e = kHuffmanFastTable[bits >> (64 - kHuffmanFastBits)];
    if (EntryCount(e) != 0 && EntryBits(e) <= nbits) {
      StoreSymbols(dst, e);
      dst += EntryCount(e);
      bits <<= EntryBits(e);
      nbits -= EntryBits(e);
      continue;
    }
    // A long code, or the end: padding (valid or not), EOS.
    const uint64_t ones = ~uint64_t{0} << (64 - nbits);
    if (nbits <= 7 && (bits & ones) == ones) break;  // a prefix of EOS: padding, §5.2
    pos = (p - src) * 8 - nbits;
    int len;
    const int sym = DecodeCanonical(bits, &len);
    if (len > nbits) {
      // Not a whole code (only possible at the end): this is the padding, and it is wrong.
      return fail((bits & ones) == ones ? HuffmanError::kPaddingTooLong
                                        : HuffmanError::kPaddingNotOnes);
    }
    if (sym == kEos) return fail(HuffmanError::kEos);
    *dst++ = static_cast<char>(sym);
    bits <<= len;
    nbits -= len;
  }
  *out_len = dst - out;
  return HuffmanError::kOk;
}

}  // namespace hpack
