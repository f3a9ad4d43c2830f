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

// Fast-table lookups (see gen_hpack_tables.py). An entry is bits | count << 6, so a shift
// by the entry itself shifts by `bits` (x86 masks shift counts to 6 bits): the
// lookup-to-shift dependency chain stays short.
inline unsigned FastIndex(uint64_t left_aligned_bits) {
  return static_cast<unsigned>(left_aligned_bits >> (64 - kHuffmanFastBits));
}
// Lookups per load of at least 56 valid bits.
constexpr int kLookupsPerLoad = 56 / kHuffmanFastBits;
inline unsigned EntryCount(unsigned e) { return e >> 6; }
inline unsigned EntryBits(unsigned e) { return e & 63; }

// Stores the one or two symbols of entry `i` (the second octet is overwritten later if
// unused).
inline void StoreSymbols(char* dst, unsigned i) {
  std::memcpy(dst, &kHuffmanFastSymbols[i], 2);  // little-endian: sym0 first
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
  const uint8_t* p = reinterpret_cast<const uint8_t*>(in.data());
  const uint8_t* const end = p + in.size();
  size_t b0 = 0, b1 = 0, b2 = 0, b3 = 0;  // independent sums
  for (; end - p >= 4; p += 4) {
    b0 += kHuffmanCodes[p[0]].bits;
    b1 += kHuffmanCodes[p[1]].bits;
    b2 += kHuffmanCodes[p[2]].bits;
    b3 += kHuffmanCodes[p[3]].bits;
  }
  for (; p < end; ++p) b0 += kHuffmanCodes[*p].bits;
  return (b0 + b1 + b2 + b3 + 7) / 8;
}

// The encoder's bit writer: pending bits left-aligned in `acc_` (the rest zero), fewer than
// 8 after each Flush. Flush is branch-free: it stores 8 octets and advances past the whole
// ones (the rest is overwritten later), since where the octet boundaries fall is
// unpredictable.
class BitWriter {
 public:
  explicit BitWriter(char* dst) : dst_(dst) {}
  // `code` is `bits` long; n_ + bits must stay below 64.
  void Put(uint64_t code, unsigned bits) {
    acc_ |= code << (64 - n_ - bits);
    n_ += bits;
  }
  void Flush() {
    const uint64_t be = __builtin_bswap64(acc_);
    std::memcpy(dst_, &be, 8);
    dst_ += n_ >> 3;
    acc_ <<= n_ & ~7u;
    n_ &= 7;
  }
  // Pads the last octet with the most significant bits of EOS (all ones), §5.2.
  char* Finish() {
    if (n_ > 0) *dst_++ = static_cast<char>((acc_ | (~uint64_t{0} >> n_)) >> 56);
    return dst_;
  }
  char* dst() const { return dst_; }

 private:
  char* dst_;
  uint64_t acc_ = 0;
  unsigned n_ = 0;
};

size_t HuffmanEncodeBounded(absl::string_view in, char* out, size_t max_len) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(in.data());
  const uint8_t* const end = p + in.size();
  const char* const stop = out + max_len;
  BitWriter w(out);
  // Four symbols per step: their codes are combined in a register and written with one
  // Flush when they total at most 56 bits (with fewer than 8 pending: under 64), which
  // text nearly always does (5 to 8 bits per symbol). Each Flush stores 8 octets at a
  // position at most `stop`, and advances at most 7: within the caller's slack.
  while (end - p >= 4) {
    const HuffmanCode& s0 = kHuffmanCodes[p[0]];
    const HuffmanCode& s1 = kHuffmanCodes[p[1]];
    const HuffmanCode& s2 = kHuffmanCodes[p[2]];
    const HuffmanCode& s3 = kHuffmanCodes[p[3]];
    const unsigned b23 = s2.bits + s3.bits;
    const unsigned bits = s0.bits + s1.bits + b23;
    if (__builtin_expect(bits <= 56, 1)) {
      const uint64_t c01 = (uint64_t{s0.code} << s1.bits) | s1.code;
      const uint64_t c23 = (uint64_t{s2.code} << s3.bits) | s3.code;
      w.Put((c01 << b23) | c23, bits);
      w.Flush();
    } else {  // long codes: one at a time (at most 30 bits each)
      for (const HuffmanCode* c : {&s0, &s1, &s2, &s3}) {
        w.Put(c->code, c->bits);
        w.Flush();
        if (w.dst() > stop) return max_len + 1;
      }
    }
    if (w.dst() > stop) return max_len + 1;
    p += 4;
  }
  for (; p < end; ++p) {
    w.Put(kHuffmanCodes[*p].code, kHuffmanCodes[*p].bits);
    w.Flush();
    if (w.dst() > stop) return max_len + 1;
  }
  const size_t len = w.Finish() - out;
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
  const size_t n = in.size();
  char* dst = out;
  size_t pos = 0;  // bits of `in` consumed: the start of the next code
  *out_len = 0;
  auto fail = [&](HuffmanError e) {
    if (error_offset) *error_offset = pos / 8;  // the octet of the first undecoded bit
    return e;
  };

  // Fast loop, while at least 8 octets are left to load: the bits live left-aligned in a
  // register; a refill tops them up to 56..63 valid bits, enough for four table lookups
  // (kHuffmanFastBits = 14 bits each) or one code of any length (30; looked up only first
  // after a refill), so the hot path has no bounds checks. Bits below `nbits` are zero or the true next bits, so
  // OR-ing octets in again is harmless. The load's address does not depend on the lookups
  // before it (only its shift does), so it is not on their dependency chain.
  if (n >= 8) {
    uint64_t bits = 0;
    unsigned nbits = 0;
    const uint8_t* p = src;
    const uint8_t* const last_load = src + n - 8;
    while (p <= last_load) {
      bits |= LoadBigEndian64(p) >> nbits;
      p += (63 - nbits) >> 3;
      nbits |= 56;
      unsigned i = FastIndex(bits), e = kHuffmanFastBitsCount[i];
      if (__builtin_expect(EntryCount(e) == 0, 0)) {  // longer than kHuffmanFastBits
        int len;
        const int sym = DecodeCanonical(bits, &len);
        if (sym == kEos) {  // §5.2: MUST be a decoding error
          pos = (p - src) * 8 - nbits;
          return fail(HuffmanError::kEos);
        }
        *dst++ = static_cast<char>(sym);
        bits <<= len;
        nbits -= len;
        continue;
      }
      // Up to four lookups, unrolled; a long code ends the group (it is decoded after the
      // next refill).
      for (int k = 0; k < kLookupsPerLoad; ++k) {
        StoreSymbols(dst, i);
        dst += EntryCount(e);
        bits <<= EntryBits(e);
        nbits -= EntryBits(e);
        if (k == kLookupsPerLoad - 1) break;
        i = FastIndex(bits);
        e = kHuffmanFastBitsCount[i];
        if (EntryCount(e) == 0) break;
      }
    }
    pos = (p - src) * 8 - nbits;
  }
  // Groups of lookups as above, each from a load at bit `pos` (57..64 valid bits), while 8
  // octets can be loaded there: a few times at most, as fewer than 8 octets were left to
  // load above.
  while ((pos >> 3) + 8 <= n) {
    uint64_t w = LoadBigEndian64(src + (pos >> 3)) << (pos & 7);  // 57..64 valid bits
    unsigned i = FastIndex(w), e = kHuffmanFastBitsCount[i];
    if (EntryCount(e) == 0) {
      int len;
      const int sym = DecodeCanonical(w, &len);
      if (sym == kEos) return fail(HuffmanError::kEos);
      *dst++ = static_cast<char>(sym);
      pos += len;
      continue;
    }
    for (int k = 0; k < kLookupsPerLoad; ++k) {
      StoreSymbols(dst, i);
      dst += EntryCount(e);
      w <<= EntryBits(e);
      pos += EntryBits(e);
      if (k == kLookupsPerLoad - 1) break;
      i = FastIndex(w);
      e = kHuffmanFastBitsCount[i];
      if (EntryCount(e) == 0) break;
    }
  }

  // The rest (fewer than 8 octets from the one holding bit `pos`), left-aligned in one
  // register with zeros after the end, so every code is checked to end within the `rem`
  // real bits.
  size_t rem = n * 8 - pos;
  if (rem == 0) {
    *out_len = dst - out;
    return HuffmanError::kOk;
  }
  uint64_t w;
  if (n >= 8) {
    const size_t rest = n - (pos >> 3);  // 1..7 octets
    w = LoadBigEndian64(src + n - 8) << (8 * (8 - rest) + (pos & 7));
  } else {
    w = 0;
    for (size_t i = 0; i < n; ++i) w |= static_cast<uint64_t>(src[i]) << (56 - 8 * i);
  }
  while (rem > 0) {
    const unsigned i = FastIndex(w), e = kHuffmanFastBitsCount[i];
    if (EntryCount(e) != 0 && EntryBits(e) <= rem) {
      StoreSymbols(dst, i);
      dst += EntryCount(e);
      w <<= EntryBits(e);
      rem -= EntryBits(e);
      continue;
    }
    // A long code, or the end: padding (valid or not), EOS.
    const uint64_t ones = ~uint64_t{0} << (64 - rem);
    if (rem <= 7 && (w & ones) == ones) break;  // a prefix of EOS: padding, §5.2
    pos = n * 8 - rem;
    int len;
    const int sym = DecodeCanonical(w, &len);
    if (static_cast<size_t>(len) > rem) {
      // Not a whole code (only possible at the end): this is the padding, and it is wrong.
      return fail((w & ones) == ones ? HuffmanError::kPaddingTooLong
                                     : HuffmanError::kPaddingNotOnes);
    }
    if (sym == kEos) return fail(HuffmanError::kEos);
    *dst++ = static_cast<char>(sym);
    w <<= len;
    rem -= len;
  }
  *out_len = dst - out;
  return HuffmanError::kOk;
}

}  // namespace hpack
