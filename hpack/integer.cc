#include "hpack/integer.h"

namespace hpack {

void EncodeInteger(uint64_t value, int prefix_bits, uint8_t flags, std::string* out) {
  const uint64_t max_prefix = (uint64_t{1} << prefix_bits) - 1;
  if (value < max_prefix) {
    out->push_back(static_cast<char>(flags | value));
    return;
  }
  out->push_back(static_cast<char>(flags | max_prefix));
  value -= max_prefix;
  while (value >= 128) {
    out->push_back(static_cast<char>(0x80 | (value & 0x7f)));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

size_t EncodedIntegerLength(uint64_t value, int prefix_bits) {
  const uint64_t max_prefix = (uint64_t{1} << prefix_bits) - 1;
  if (value < max_prefix) return 1;
  size_t n = 2;
  for (value -= max_prefix; value >= 128; value >>= 7) ++n;
  return n;
}

IntegerStatus DecodeInteger(const uint8_t** p, const uint8_t* end, int prefix_bits,
                            uint32_t* value) {
  const uint8_t* q = *p;
  if (q >= end) return IntegerStatus::kNeedMore;
  const uint32_t max_prefix = (1u << prefix_bits) - 1;
  const uint32_t prefix = *q++ & max_prefix;
  if (prefix < max_prefix) {
    *value = prefix;
    *p = q;
    return IntegerStatus::kOk;
  }
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
