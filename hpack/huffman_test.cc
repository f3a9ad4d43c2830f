// RFC 7541 §5.2 and Appendix B.
#include "hpack/huffman.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hpack/test_util.h"

namespace hpack {
namespace {

struct HuffmanCode {
  uint32_t code;
  uint8_t bits;
};
#include "hpack/huffman_tables.inc"

// A bit string built from codes, for inputs with errors at chosen positions.
class Bits {
 public:
  void Add(uint32_t code, int bits) {
    for (int i = bits - 1; i >= 0; --i) bits_.push_back((code >> i) & 1);
  }
  void Symbol(int s) { Add(kHuffmanCodes[s].code, kHuffmanCodes[s].bits); }
  void Ones(int n) { Add((1u << n) - 1, n); }  // n <= 31
  size_t size() const { return bits_.size(); }
  // The octets, the last one completed with `fill` bits.
  std::string Octets(int fill) const {
    std::string out((bits_.size() + 7) / 8, '\0');
    for (size_t i = 0; i < out.size() * 8; ++i) {
      const int bit = i < bits_.size() ? bits_[i] : fill;
      if (bit) out[i / 8] |= static_cast<char>(0x80 >> (i % 8));
    }
    return out;
  }

 private:
  std::vector<int> bits_;
};

using test::FromHex;
using test::ToHex;

std::string Encode(absl::string_view s) {
  std::string out;
  HuffmanEncode(s, &out);
  EXPECT_EQ(out.size(), HuffmanEncodedLength(s));
  return out;
}

// Every Huffman string in RFC 7541 Appendix C.4 and C.6.
TEST(Huffman, AppendixCStrings) {
  const struct {
    const char* text;
    const char* hex;
  } vectors[] = {
      {"www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff"},
      {"no-cache", "a8eb 1064 9cbf"},
      {"custom-key", "25a8 49e9 5ba9 7d7f"},
      {"custom-value", "25a8 49e9 5bb8 e8b4 bf"},
      {"302", "6402"},
      {"307", "640e ff"},
      {"private", "aec3 771a 4b"},
      {"Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"},
      {"Mon, 21 Oct 2013 20:13:22 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff"},
      {"https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"},
      {"gzip", "9bd9 ab"},
      {"foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
       "94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 "
       "65c0 03ed 4ee5 b106 3d50 07"},
  };
  for (const auto& v : vectors) {
    EXPECT_EQ(ToHex(Encode(v.text)), ToHex(FromHex(v.hex))) << v.text;
    std::string out;
    ASSERT_EQ(HuffmanDecode(FromHex(v.hex), &out), HuffmanError::kOk) << v.text;
    EXPECT_EQ(out, v.text);
  }
}

TEST(Huffman, EverySymbolAloneAndInRuns) {
  for (int c = 0; c < 256; ++c) {
    for (size_t n : {1, 2, 3, 7, 8, 9, 31}) {
      const std::string s(n, static_cast<char>(c));
      std::string out;
      ASSERT_EQ(HuffmanDecode(Encode(s), &out), HuffmanError::kOk) << c << " x" << n;
      ASSERT_EQ(out, s) << c << " x" << n;
    }
  }
}

TEST(Huffman, RandomOctetStringsRoundTrip) {
  std::mt19937 rng(42);
  for (int i = 0; i < 20000; ++i) {
    std::string s(std::uniform_int_distribution<int>(0, 100)(rng), '\0');
    const bool text = i % 2;  // half printable text (short codes), half any octet
    for (char& c : s) {
      c = static_cast<char>(text ? std::uniform_int_distribution<int>(32, 126)(rng)
                                 : std::uniform_int_distribution<int>(0, 255)(rng));
    }
    std::string out;
    ASSERT_EQ(HuffmanDecode(Encode(s), &out), HuffmanError::kOk) << ToHex(s);
    ASSERT_EQ(out, s);
  }
}

TEST(Huffman, EmptyString) {
  EXPECT_EQ(Encode(""), "");
  std::string out = "junk";
  EXPECT_EQ(HuffmanDecode("", &out), HuffmanError::kOk);
  EXPECT_EQ(out, "");
}

TEST(Huffman, EveryPaddingLength) {
  // 'a' is 00011 (5 bits); n copies leave (8 - 5n % 8) % 8 bits of padding.
  for (int n = 1; n <= 8; ++n) {
    const std::string s(n, 'a');
    std::string out;
    ASSERT_EQ(HuffmanDecode(Encode(s), &out), HuffmanError::kOk);
    EXPECT_EQ(out, s);
  }
}

TEST(Huffman, PaddingRules) {
  std::string out;
  size_t at = 99;
  // '0' is 00000: "0" + 3 bits of ones padding = 00000111.
  EXPECT_EQ(HuffmanDecode(FromHex("07"), &out), HuffmanError::kOk);
  EXPECT_EQ(out, "0");
  // Padding of zeros is not a prefix of EOS.
  EXPECT_EQ(HuffmanDecode(FromHex("00"), &out, &at), HuffmanError::kPaddingNotOnes);
  // A full octet of ones after the string: padding of 8 bits.
  EXPECT_EQ(HuffmanDecode(FromHex("07ff"), &out, &at), HuffmanError::kPaddingTooLong);
  EXPECT_EQ(at, 0u);  // the octet where the undecodable bits start
  EXPECT_EQ(HuffmanDecode(FromHex("18ff ff"), &out, &at), HuffmanError::kPaddingTooLong);
  EXPECT_EQ(at, 1u);  // "aa" (10 bits), then 14 ones from bit 2 of octet 1
  // A lone octet of ones: 8 bits of padding and nothing else.
  EXPECT_EQ(HuffmanDecode(FromHex("ff"), &out), HuffmanError::kPaddingTooLong);
  // Ones mixed with a zero at the end: an incomplete code, not padding.
  EXPECT_EQ(HuffmanDecode(FromHex("fe"), &out), HuffmanError::kPaddingNotOnes);
  // 29 ones (a prefix of EOS, but far more than 7 bits).
  EXPECT_EQ(HuffmanDecode(FromHex("ffff fff8"), &out), HuffmanError::kPaddingNotOnes);
  EXPECT_EQ(HuffmanDecode(FromHex("ffff ff"), &out), HuffmanError::kPaddingTooLong);
}

TEST(Huffman, EosIsAnError) {
  std::string out;
  // EOS is 30 ones; then 2 bits of padding.
  EXPECT_EQ(HuffmanDecode(FromHex("ffff ffff"), &out), HuffmanError::kEos);
  // EOS after a symbol: '0' (00000) + 30 ones + padding.
  EXPECT_EQ(HuffmanDecode(FromHex("07ff ffff ff"), &out), HuffmanError::kEos);
  // EOS between two symbols: "a" (00011) + EOS (30 ones) + "a" (00011) + 4 ones = 00011111 11111111
  // 11111111 11111111 11100011 1111 -> 1f ff ff ff e3 f
  EXPECT_EQ(HuffmanDecode(FromHex("1fff ffff e3ff"), &out), HuffmanError::kEos);
}

// EOS (§5.2: a decoding error) and bad padding at every position, in strings long enough
// for each stage of the decoder to meet them: the 8-octets-at-a-time loop, the loads at a
// bit position, and the last octets. The error names the octet where the bad code starts.
TEST(Huffman, ErrorsAtEveryPositionOfLongStrings) {
  std::mt19937 rng(11);
  for (int len = 0; len < 48; ++len) {
    for (int trial = 0; trial < 20; ++trial) {
      Bits prefix;
      std::string text;
      for (int i = 0; i < len; ++i) {
        // Mostly text (short codes), sometimes any octet (codes up to 30 bits).
        const int s = trial % 4 == 0 ? static_cast<int>(rng() % 256) : 'a' + static_cast<int>(rng() % 26);
        prefix.Symbol(s);
        text.push_back(static_cast<char>(s));
      }
      const size_t at = prefix.size() / 8;
      std::string out;
      size_t error_at = 999;

      Bits eos = prefix;  // EOS, then more symbols and valid padding
      eos.Symbol(256);
      for (int i = 0; i < 12; ++i) eos.Symbol('a' + static_cast<int>(rng() % 26));
      ASSERT_EQ(HuffmanDecode(eos.Octets(1), &out, &error_at), HuffmanError::kEos)
          << len << " " << trial;
      ASSERT_EQ(error_at, at) << len << " " << trial;

      Bits too_long = prefix;  // 8 to 22 ones after the last symbol (with the fill, < 30)
      too_long.Ones(8 + static_cast<int>(rng() % 15));
      error_at = 999;
      ASSERT_EQ(HuffmanDecode(too_long.Octets(1), &out, &error_at),
                HuffmanError::kPaddingTooLong)
          << len << " " << trial;
      ASSERT_EQ(error_at, at) << len << " " << trial;

      // Padding of 1 to 4 zeros (no code is that short, so they are the padding): not
      // a prefix of EOS.
      if (prefix.size() % 8 >= 4) {
        error_at = 999;
        ASSERT_EQ(HuffmanDecode(prefix.Octets(0), &out, &error_at),
                  HuffmanError::kPaddingNotOnes)
            << len << " " << trial;
        ASSERT_EQ(error_at, at) << len << " " << trial;
      }

      // And the valid string itself, with every padding length.
      ASSERT_EQ(HuffmanDecode(prefix.Octets(1), &out), HuffmanError::kOk) << len << " " << trial;
      ASSERT_EQ(out, text);
    }
  }
}

TEST(Huffman, DecodedLengthBoundsHold) {
  for (int c = 0; c < 256; ++c) {
    const std::string s(40, static_cast<char>(c));
    const size_t enc = HuffmanEncodedLength(s);
    EXPECT_LE(s.size(), HuffmanMaxDecodedLength(enc));
    EXPECT_GE(s.size(), HuffmanMinDecodedLength(enc));
  }
}

}  // namespace
}  // namespace hpack
