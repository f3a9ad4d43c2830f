// Covers RFC 9113 §6.5.2 (defined settings and their ranges), RFC 8441 §3 and RFC 9218 §2.1.
#include "http2/settings.h"

#include "gtest/gtest.h"

namespace http2 {
namespace {

TEST(SettingsTest, InitialValuesAsInSection652) {
  Settings s;
  EXPECT_EQ(s.header_table_size, 4096u);
  EXPECT_EQ(s.enable_push, 1u);
  EXPECT_EQ(s.max_concurrent_streams, kUnlimited);
  EXPECT_EQ(s.initial_window_size, 65535u);
  EXPECT_EQ(s.max_frame_size, 16384u);
  EXPECT_EQ(s.max_header_list_size, kUnlimited);
}

TEST(SettingsTest, RangeChecks) {
  EXPECT_EQ(ValidateSetting({kSettingsEnablePush, 0}), Error::kNone);
  EXPECT_EQ(ValidateSetting({kSettingsEnablePush, 1}), Error::kNone);
  EXPECT_EQ(ValidateSetting({kSettingsEnablePush, 2}), Error::kInvalidSettingValue);
  EXPECT_EQ(ValidateSetting({kSettingsInitialWindowSize, 0x7fffffff}), Error::kNone);
  EXPECT_EQ(ValidateSetting({kSettingsInitialWindowSize, 0x80000000}),
            Error::kInitialWindowTooLarge);
  EXPECT_EQ(ValidateSetting({kSettingsMaxFrameSize, 16383}), Error::kInvalidSettingValue);
  EXPECT_EQ(ValidateSetting({kSettingsMaxFrameSize, 16384}), Error::kNone);
  EXPECT_EQ(ValidateSetting({kSettingsMaxFrameSize, 16777215}), Error::kNone);
  EXPECT_EQ(ValidateSetting({kSettingsMaxFrameSize, 16777216}), Error::kInvalidSettingValue);
  EXPECT_EQ(ValidateSetting({kSettingsEnableConnectProtocol, 2}), Error::kInvalidSettingValue);
  EXPECT_EQ(ValidateSetting({kSettingsNoRfc7540Priorities, 7}), Error::kInvalidSettingValue);
  // Any value of other settings, known or not.
  EXPECT_EQ(ValidateSetting({kSettingsHeaderTableSize, 0xffffffff}), Error::kNone);
  EXPECT_EQ(ValidateSetting({kSettingsMaxConcurrentStreams, 0}), Error::kNone);
  EXPECT_EQ(ValidateSetting({0x7777, 0xffffffff}), Error::kNone);
}

TEST(SettingsTest, ApplyAndNames) {
  Settings s;
  EXPECT_TRUE(s.Apply({kSettingsMaxFrameSize, 20000}));
  EXPECT_EQ(s.max_frame_size, 20000u);
  EXPECT_TRUE(s.Apply({kSettingsEnableConnectProtocol, 1}));
  EXPECT_EQ(s.enable_connect_protocol, 1u);
  EXPECT_FALSE(s.Apply({0x42, 1}));
  EXPECT_EQ(SettingName(kSettingsInitialWindowSize), "SETTINGS_INITIAL_WINDOW_SIZE");
  EXPECT_EQ(SettingName(0x42), "0x42");
}

}  // namespace
}  // namespace http2
