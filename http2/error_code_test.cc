// Covers RFC 9113 §7 (error codes) and the internal error -> wire code mapping (§5.4).
#include "http2/error_code.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace http2 {
namespace {

TEST(ErrorCodeTest, NamesAndValuesAsInSection7) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kNoError), "NO_ERROR");
  EXPECT_EQ(static_cast<uint32_t>(ErrorCode::kProtocolError), 0x1u);
  EXPECT_EQ(static_cast<uint32_t>(ErrorCode::kSettingsTimeout), 0x4u);
  EXPECT_EQ(static_cast<uint32_t>(ErrorCode::kCompressionError), 0x9u);
  EXPECT_EQ(static_cast<uint32_t>(ErrorCode::kEnhanceYourCalm), 0xbu);
  EXPECT_EQ(ErrorCodeName(ErrorCode::kHttp11Required), "HTTP_1_1_REQUIRED");
  EXPECT_EQ(ErrorCodeToString(0x6), "FRAME_SIZE_ERROR (0x6)");
  EXPECT_EQ(ErrorCodeToString(0xe), "0xe (unknown)");
  EXPECT_EQ(ErrorCodeToString(0xdeadbeef), "0xdeadbeef (unknown)");
}

TEST(ErrorCodeTest, EveryInternalErrorHasNameRuleAndCode) {
  std::set<std::string> names;
  for (int i = static_cast<int>(Error::kFrameTooLarge); i <= static_cast<int>(Error::kInternal);
       ++i) {
    const Error e = static_cast<Error>(i);
    EXPECT_NE(ErrorName(e), "unknown") << i;
    EXPECT_TRUE(names.insert(std::string(ErrorName(e))).second) << ErrorName(e);
    EXPECT_FALSE(ErrorRule(e).empty()) << ErrorName(e);
    EXPECT_NE(ToErrorCode(e), ErrorCode::kNoError) << ErrorName(e);
  }
}

TEST(ErrorCodeTest, MappingFollowsTheRfc) {
  EXPECT_EQ(ToErrorCode(Error::kFrameTooLarge), ErrorCode::kFrameSizeError);  // §4.2
  EXPECT_EQ(ToErrorCode(Error::kPaddingTooLong), ErrorCode::kProtocolError);  // §6.1
  EXPECT_EQ(ToErrorCode(Error::kInitialWindowTooLarge), ErrorCode::kFlowControlError);
  EXPECT_EQ(ToErrorCode(Error::kStreamClosed), ErrorCode::kStreamClosed);        // §5.1
  EXPECT_EQ(ToErrorCode(Error::kRefusedStream), ErrorCode::kRefusedStream);      // §5.1.2
  EXPECT_EQ(ToErrorCode(Error::kCompression), ErrorCode::kCompressionError);     // §4.3
  EXPECT_EQ(ToErrorCode(Error::kMalformedMessage), ErrorCode::kProtocolError);   // §8.1.1
  EXPECT_EQ(ToErrorCode(Error::kSettingsTimeout), ErrorCode::kSettingsTimeout);  // §6.5.3
  EXPECT_EQ(ToErrorCode(Error::kRapidReset), ErrorCode::kEnhanceYourCalm);       // §10.5
  EXPECT_EQ(ToErrorCode(Error::kTooManyGlitches), ErrorCode::kEnhanceYourCalm);
  EXPECT_EQ(ToErrorCode(Error::kNone), ErrorCode::kNoError);
}

}  // namespace
}  // namespace http2
