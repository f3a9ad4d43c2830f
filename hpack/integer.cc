#include "hpack/integer.h"

namespace hpack {

IntegerStatus DecodeIntegerSlow(const uint8_t** p, const uint8_t* end, int prefix_bits,
                                uint32_t* value) {
  const uint8_t* q = *p;
  if (q >= end) return IntegerStatus::kNeedMore;
  const uint32_t max_prefix = (1u << prefix_bits) - 1;
  ++q;  // the prefix is all ones (DecodeInteger handled the rest)
  // At most 5 continuation octets carry 35 bits: the sum cannot overflow 64 bits, so the
  // range check below happens before any arithmetic can wrap.
  uint64_t v = max_prefix;
  for (int i = 0; i < kMaxIntegerContinuationOctets; ++i) {
    if (q >= end) return IntegerStatus::kNeedMore;
    const uint8_t b = *q;
    v += static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if (v > kMaxIntegerValue) {
      *p = q;
      return IntegerStatus::kOverflow;
    }
    ++q;
    if ((b & 0x80) == 0) {
      *value = static_cast<uint32_t>(v);
      *p = q;
      return IntegerStatus::kOk;
    }
  }
  *p = q - 1;  // the last continuation octet still had its continuation flag set
  return IntegerStatus::kTooLong;
}

}  // namespace hpack
