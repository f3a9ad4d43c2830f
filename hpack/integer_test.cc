// RFC 7541 §5.1 integers, including C.1's examples in the RFC's notation.
#include "hpack/integer.h"

#include <string>

#include "gtest/gtest.h"
#include "hpack/test_util.h"

namespace hpack {
namespace {

using test::FromHex;
using test::ToHex;

std::string Encode(uint64_t v, int prefix, uint8_t flags = 0) {
  char buf[16];
  std::string out(buf, EncodeIntegerTo(buf, v, prefix, flags) - buf);
  EXPECT_EQ(out.size(), EncodedIntegerLength(v, prefix));
  return out;
}

IntegerStatus Decode(const std::string& in, int prefix, uint32_t* v, size_t* used = nullptr) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(in.data());
  const uint8_t* begin = p;
  IntegerStatus s = DecodeInteger(&p, p + in.size(), prefix, v);
  if (used) *used = p - begin;
  return s;
}

// C.1.1: 10 with a 5-bit prefix is one octet, 0a (here with flag bits 111 above it).
TEST(Integer, C11_TenWithFiveBitPrefix) {
  EXPECT_EQ(ToHex(Encode(10, 5, 0xe0)), "ea");
  uint32_t v;
  EXPECT_EQ(Decode(FromHex("ea"), 5, &v), IntegerStatus::kOk);
  EXPECT_EQ(v, 10u);
}

// C.1.2: 1337 with a 5-bit prefix: 1f 9a 0a.
TEST(Integer, C12_1337WithFiveBitPrefix) {
  EXPECT_EQ(ToHex(Encode(1337, 5)), "1f9a 0a");
  uint32_t v;
  size_t used;
  EXPECT_EQ(Decode(FromHex("1f9a 0aff"), 5, &v, &used), IntegerStatus::kOk);
  EXPECT_EQ(v, 1337u);
  EXPECT_EQ(used, 3u);  // stops after the integer
}

// C.1.3: 42 starting at an octet boundary (8-bit prefix): 2a.
TEST(Integer, C13_42AtOctetBoundary) {
  EXPECT_EQ(ToHex(Encode(42, 8)), "2a");
  uint32_t v;
  EXPECT_EQ(Decode(FromHex("2a"), 8, &v), IntegerStatus::kOk);
  EXPECT_EQ(v, 42u);
}

TEST(Integer, EveryPrefixAroundItsBoundary) {
  for (int prefix = 1; prefix <= 8; ++prefix) {
    const uint64_t max = (1u << prefix) - 1;
    for (uint64_t v : {uint64_t{0}, max - 1, max, max + 1, max + 127, max + 128, max + 16383,
                       max + 16384, uint64_t{0xffffffff}}) {
      if (v > 0xffffffffu) continue;
      const std::string enc = Encode(v, prefix);
      uint32_t got = 0;
      size_t used = 0;
      ASSERT_EQ(Decode(enc, prefix, &got, &used), IntegerStatus::kOk) << prefix << " " << v;
      EXPECT_EQ(got, v);
      EXPECT_EQ(used, enc.size());
    }
  }
  EXPECT_EQ(ToHex(Encode(30, 5)), "1e");        // 2^5-2: one octet
  EXPECT_EQ(ToHex(Encode(31, 5)), "1f00");      // 2^5-1: prefix full, a zero continuation
  EXPECT_EQ(ToHex(Encode(158, 5)), "1f7f");     // +127: one continuation octet
  EXPECT_EQ(ToHex(Encode(159, 5)), "1f80 01");  // +128: two
}

TEST(Integer, FlagBitsAbovePrefixAreIgnoredOnDecode) {
  uint32_t v;
  EXPECT_EQ(Decode(FromHex("ff9a 0a"), 5, &v), IntegerStatus::kOk);
  EXPECT_EQ(v, 1337u);
}

TEST(Integer, MaxValueAndOverflow) {
  uint32_t v;
  // 2^32-1 with a 7-bit prefix: 127 + 4294967168.
  const std::string max = Encode(0xffffffffu, 7);
  EXPECT_EQ(ToHex(max), "7f80 ffff ff0f");
  ASSERT_EQ(Decode(max, 7, &v), IntegerStatus::kOk);
  EXPECT_EQ(v, 0xffffffffu);
  // One more is an overflow, found at the last octet.
  size_t at;
  EXPECT_EQ(Decode(FromHex("7f81 ffff ff0f"), 7, &v, &at), IntegerStatus::kOverflow);
  EXPECT_EQ(at, 5u);
  EXPECT_EQ(Decode(FromHex("7fff ffff ff7f"), 7, &v), IntegerStatus::kOverflow);
}

TEST(Integer, NonMinimalEncodingsUpToFiveContinuationOctets) {
  uint32_t v;
  // 31 with padding continuation octets (zero payload): accepted, by policy.
  EXPECT_EQ(Decode(FromHex("1f80 00"), 5, &v), IntegerStatus::kOk);
  EXPECT_EQ(v, 31u);
  EXPECT_EQ(Decode(FromHex("1f80 8080 8000"), 5, &v), IntegerStatus::kOk);
  EXPECT_EQ(v, 31u);
  // A sixth continuation octet can only be padding: rejected at the fifth's flag.
  size_t at;
  EXPECT_EQ(Decode(FromHex("1f80 8080 8080 00"), 5, &v, &at), IntegerStatus::kTooLong);
  EXPECT_EQ(at, 5u);
}

TEST(Integer, TruncatedNeedsMore) {
  uint32_t v;
  size_t used;
  EXPECT_EQ(Decode("", 5, &v, &used), IntegerStatus::kNeedMore);
  EXPECT_EQ(used, 0u);
  EXPECT_EQ(Decode(FromHex("1f"), 5, &v, &used), IntegerStatus::kNeedMore);
  EXPECT_EQ(used, 0u);
  EXPECT_EQ(Decode(FromHex("1f9a"), 5, &v, &used), IntegerStatus::kNeedMore);
  EXPECT_EQ(used, 0u);
}

}  // namespace
}  // namespace hpack
