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

// Appends `value` with a `prefix_bits`-bit prefix (1..8). `flags` holds the bits of the
// first octet above the prefix (the representation's pattern, e.g. 0x80 for §6.1).
void EncodeInteger(uint64_t value, int prefix_bits, uint8_t flags, std::string* out);

// Octets EncodeInteger would append.
size_t EncodedIntegerLength(uint64_t value, int prefix_bits);

enum class IntegerStatus {
  kOk,
  kNeedMore,  // the input ends inside the integer
  kOverflow,  // the value exceeds kMaxIntegerValue
  kTooLong,   // more than kMaxIntegerContinuationOctets continuation octets
};

// Decodes the integer starting at *p (its first octet holds the prefix in its low bits).
// On kOk sets *value and advances *p past the integer; otherwise *p is unchanged, except
// that on kOverflow/kTooLong *p points at the offending octet.
IntegerStatus DecodeInteger(const uint8_t** p, const uint8_t* end, int prefix_bits,
                            uint32_t* value);

}  // namespace hpack

#endif  // H2HARNESS_HPACK_INTEGER_H_
