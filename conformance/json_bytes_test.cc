#include "conformance/json_bytes.h"

#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace conformance {
namespace {

// Octets -> JSON text -> octets, through nlohmann as the story code does.
std::string ToJson(const std::string& octets) {
  return JsonTextFromInternal(nlohmann::json(OctetsToJsonString(octets)).dump(-1, ' ', false));
}
std::string FromJson(const std::string& text) {
  return OctetsFromJsonString(nlohmann::json::parse(JsonTextToInternal(text)).get<std::string>());
}

TEST(JsonBytes, AsciiAndUtf8StayReadable) {
  EXPECT_EQ(ToJson("text/html"), "\"text/html\"");
  EXPECT_EQ(ToJson("Jos\xc3\xa9"), "\"Jos\xc3\xa9\"");   // UTF-8 as characters
  EXPECT_EQ(FromJson("\"Jos\\u00e9\""), "Jos\xc3\xa9");  // escapes mean characters
}

TEST(JsonBytes, NonUtf8OctetsAreLoneSurrogates) {
  EXPECT_EQ(ToJson("caf\xe9"), "\"caf\\udce9\"");
  EXPECT_EQ(FromJson("\"caf\\udce9\""), "caf\xe9");
  EXPECT_EQ(FromJson("\"caf\\uDCE9\""), "caf\xe9");
  // Overlong, surrogate and truncated UTF-8 forms are octets, not characters.
  EXPECT_EQ(ToJson("\xc0\xaf"), "\"\\udcc0\\udcaf\"");
  EXPECT_EQ(ToJson("\xed\xa0\x80"), "\"\\udced\\udca0\\udc80\"");
  EXPECT_EQ(ToJson("\xe2\x82"), "\"\\udce2\\udc82\"");
}

TEST(JsonBytes, ControlOctetsUseJsonEscapes) {
  EXPECT_EQ(ToJson(std::string("a\0b\x01\x7f", 5)), "\"a\\u0000b\\u0001\x7f\"");
  EXPECT_EQ(FromJson("\"a\\u0000b\""), std::string("a\0b", 3));
}

TEST(JsonBytes, SurrogatePairsAndTheMarkerItselfSurvive) {
  EXPECT_EQ(FromJson("\"\\ud83d\\ude00\""), "\xf0\x9f\x98\x80");
  const std::string marker = "\xef\xb7\x90";  // U+FDD0 as real text
  EXPECT_EQ(FromJson("\"" + marker + "\xc3\xa9\""), marker + "\xc3\xa9");
  EXPECT_EQ(FromJson("\"\\ufdd0\\u00e9\""), marker + "\xc3\xa9");
  EXPECT_EQ(FromJson(ToJson(marker + "\xe9")), marker + "\xe9");
}

TEST(JsonBytes, EveryOctetRoundTrips) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(FromJson(ToJson(all)), all);
  for (int i = 0; i < 256; ++i) {
    const std::string one(1, static_cast<char>(i));
    EXPECT_EQ(FromJson(ToJson(one)), one) << i;
  }
}

}  // namespace
}  // namespace conformance
