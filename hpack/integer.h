// Integer representation with an N-bit prefix (RFC 7541 §5.1).
//
// Policy for decoding: values are limited to 2^32-1 (every HPACK integer is an index, a
// length or a table size, and HTTP/2 settings are 32-bit). Non-minimal encodings (extra
// continuation octets with zero payload) are accepted as §5.1 does not forbid them, but at
// most kMaxIntegerContinuationOctets continuation octets are read: that is the most any
// 32-bit value needs, so a longer encoding can only be padding and is rejected.
#ifndef H2HARNESS_HPACK_INTEGER_H_
#define H2HARNESS_HPACK_INTEGER_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace hpack {

inline constexpr int kMaxIntegerContinuationOctets = 5;
inline constexpr uint64_t kMaxIntegerValue = 0xffffffffu;

// Writes `value` with a `prefix_bits`-bit prefix (1..8) at `p` and returns the end. `flags`
// holds the bits of the first octet above the prefix (the representation's pattern, e.g.
// 0x80 for §6.1). At most 11 octets are written (6 for values up to 2^32-1).
inline char* EncodeIntegerTo(char* p, uint64_t value, int prefix_bits, uint8_t flags) {
  const uint64_t max_prefix = (uint64_t{1} << prefix_bits) - 1;
  if (value < max_prefix) {
    *p++ = static_cast<char>(flags | value);
    return p;
  }
  *p++ = static_cast<char>(flags | max_prefix);
  value -= max_prefix;
  while (value >= 128) {
    *p++ = static_cast<char>(0x80 | (value & 0x7f));
    value >>= 7;
  }
  *p++ = static_cast<char>(value);
  return p;
}

// Octets EncodeInteger would append.
inline size_t EncodedIntegerLength(uint64_t value, int prefix_bits) {
  const uint64_t max_prefix = (uint64_t{1} << prefix_bits) - 1;
  if (value < max_prefix) return 1;
  size_t n = 2;
  for (value -= max_prefix; value >= 128; value >>= 7) ++n;
  return n;
}

enum class IntegerStatus {
  kOk,
  kNeedMore,  // the input ends inside the integer
  kOverflow,  // the value exceeds kMaxIntegerValue
  kTooLong,   // more than kMaxIntegerContinuationOctets continuation octets
};

// Decodes the integer starting at *p (its first octet holds the prefix in its low bits).
// On kOk sets *value and advances *p past the integer; otherwise *p is unchanged, except
// that on kOverflow/kTooLong *p points at the offending octet.
// The multi-octet case of DecodeInteger: *p is at the end or at an octet whose prefix is
// all ones.
IntegerStatus DecodeIntegerSlow(const uint8_t** p, const uint8_t* end, int prefix_bits,
                                uint32_t* value);
inline IntegerStatus DecodeInteger(const uint8_t** p, const uint8_t* end, int prefix_bits,
                                   uint32_t* value) {
  const uint32_t max_prefix = (1u << prefix_bits) - 1;
  if (*p < end && (**p & max_prefix) < max_prefix) {  // the common one-octet case
    *value = **p & max_prefix;
    ++*p;
    return IntegerStatus::kOk;
  }
  return DecodeIntegerSlow(p, end, prefix_bits, value);
}

}  // namespace hpack

#endif  // H2HARNESS_HPACK_INTEGER_H_
