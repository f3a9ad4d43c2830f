// Covers RFC 9113 §4.1 (frame layout) and §6.1-§6.10 (each frame type's wire format),
// RFC 9218 §7.1 (PRIORITY_UPDATE): the serializer byte for byte, and parse/serialize round
// trips.
#include "http2/frame.h"

#include <string>

#include "gtest/gtest.h"
#include "hpack/test_util.h"
#include "http2/frame_parser.h"

namespace http2 {
namespace {

using ::hpack::test::FromHex;
using ::hpack::test::ToHex;

std::string Hex(const std::string& s) { return ToHex(s); }

TEST(FrameSerializerTest, FrameHeaderLayout) {  // §4.1
  std::string out;
  AppendFrameHeader(&out, 0x123456, 0xfa, 0x81, 0x80000005);
  EXPECT_EQ(out, FromHex("123456 fa 81 80000005"));
  out.clear();
  AppendFrameHeader(&out, 0x1000000, 0, 0, 1);  // only 24 bits of length are written
  EXPECT_EQ(out, FromHex("000000 00 00 00000001"));
}

TEST(FrameSerializerTest, Data) {  // §6.1
  std::string out;
  AppendData(&out, 1, "abc", kFlagEndStream);
  EXPECT_EQ(out, FromHex("000003 00 01 00000001 616263"));
  out.clear();
  AppendData(&out, 3, "hi", 0, 2);
  EXPECT_EQ(out, FromHex("000005 00 08 00000003 02 6869 0000"));
}

TEST(FrameSerializerTest, Headers) {  // §6.2
  std::string out;
  AppendHeaders(&out, 1, "\x82", kFlagEndHeaders | kFlagEndStream);
  EXPECT_EQ(out, FromHex("000001 01 05 00000001 82"));
  out.clear();
  PrioritySpec p;
  p.stream_dependency = 3;
  p.exclusive = true;
  p.weight = 200;
  AppendHeaders(&out, 5, "\x82\x84", kFlagEndHeaders, &p, 1);
  EXPECT_EQ(out, FromHex("000009 01 2c 00000005 01 80000003 c8 8284 00"));
}

TEST(FrameSerializerTest, PriorityRstSettingsPing) {  // §6.3, §6.4, §6.5, §6.7
  std::string out;
  PrioritySpec p;
  p.stream_dependency = 1;
  p.weight = 0;
  AppendPriority(&out, 3, p);
  EXPECT_EQ(Hex(out), Hex(FromHex("000005 02 00 00000003 00000001 00")));
  out.clear();
  AppendRstStream(&out, 7, 8);
  EXPECT_EQ(out, FromHex("000004 03 00 00000007 00000008"));
  out.clear();
  AppendSettings(&out, {{kSettingsMaxConcurrentStreams, 100}, {kSettingsInitialWindowSize, 1}});
  EXPECT_EQ(out, FromHex("00000c 04 00 00000000 0003 00000064 0004 00000001"));
  out.clear();
  AppendSettingsAck(&out);
  EXPECT_EQ(out, FromHex("000000 04 01 00000000"));
  out.clear();
  AppendPing(&out, 0x0102030405060708, kFlagAck);
  EXPECT_EQ(out, FromHex("000008 06 01 00000000 0102030405060708"));
}

TEST(FrameSerializerTest, PushPromiseGoAwayWindowUpdateContinuation) {  // §6.6, §6.8-§6.10
  std::string out;
  AppendPushPromise(&out, 1, 2, "\x82", kFlagEndHeaders);
  EXPECT_EQ(out, FromHex("000005 05 04 00000001 00000002 82"));
  out.clear();
  AppendPushPromise(&out, 1, 4, "", 0, 0);
  EXPECT_EQ(out, FromHex("000005 05 08 00000001 00 00000004"));
  out.clear();
  AppendGoAway(&out, 5, 2, "bye");
  EXPECT_EQ(out, FromHex("00000b 07 00 00000000 00000005 00000002 627965"));
  out.clear();
  AppendWindowUpdate(&out, 0, 0x7fffffff);
  EXPECT_EQ(out, FromHex("000004 08 00 00000000 7fffffff"));
  out.clear();
  AppendContinuation(&out, 1, "\x84", kFlagEndHeaders);
  EXPECT_EQ(out, FromHex("000001 09 04 00000001 84"));
  out.clear();
  AppendPriorityUpdate(&out, 1, "u=1");
  EXPECT_EQ(out, FromHex("000007 10 00 00000000 00000001 753d31"));
}

TEST(FrameSerializerTest, MalformedFramesAreWrittenAsAsked) {
  std::string out;
  // A PING with a 7-octet payload, flags the PING does not define, and the reserved bit.
  AppendRawFrame(&out, 6, 0xfe, 0x80000000, "1234567");
  EXPECT_EQ(out, FromHex("000007 06 fe 80000000 31323334353637"));
  out.clear();
  // A header claiming more payload than follows.
  AppendFrameHeader(&out, 100, 0, 1, 1);
  EXPECT_EQ(out.size(), 9u);
  out.clear();
  // WINDOW_UPDATE with the reserved bit set in the increment.
  AppendWindowUpdate(&out, 1, 0x80000001);
  EXPECT_EQ(out, FromHex("000004 08 00 00000001 80000001"));
}

TEST(FrameTest, NamesAndFlags) {
  EXPECT_EQ(FrameTypeName(0), "DATA");
  EXPECT_EQ(FrameTypeName(9), "CONTINUATION");
  EXPECT_EQ(FrameTypeName(0x10), "PRIORITY_UPDATE");
  EXPECT_EQ(FrameTypeName(0xab), "UNKNOWN(0xab)");
  EXPECT_EQ(FrameFlagsToString(1, 0x25), "END_STREAM|END_HEADERS|PRIORITY");
  EXPECT_EQ(FrameFlagsToString(6, 0x7), "ACK|0x6");
  EXPECT_EQ(FrameFlagsToString(3, 0), "");
}

// Every frame the serializer writes parses back to the same fields and re-serializes to the
// same octets (reserved bits and padding octets included).
TEST(FrameTest, RoundTrip) {
  std::string wire;
  PrioritySpec p;
  p.stream_dependency = 9;
  p.weight = 7;
  AppendData(&wire, 1, "body", kFlagEndStream, 3);
  AppendHeaders(&wire, 3, "frag", kFlagEndHeaders, &p, 2);
  AppendPriority(&wire, 5, p);
  AppendRstStream(&wire, 5, 0x1234);
  AppendSettings(&wire, {{kSettingsHeaderTableSize, 0}, {0x99, 7}});
  AppendSettingsAck(&wire);
  AppendPushPromise(&wire, 3, 0x80000002, "pp", kFlagEndHeaders, 0);
  AppendPing(&wire, 42);
  AppendGoAway(&wire, 0x80000003, 11, "debug");
  AppendWindowUpdate(&wire, 0x80000000, 99);
  AppendHeaders(&wire, 7, "a", 0);
  AppendContinuation(&wire, 7, "b", kFlagEndHeaders);
  AppendPriorityUpdate(&wire, 7, "u=0");
  AppendRawFrame(&wire, 0x77, 0xff, 13, "unknown payload");
  const ParsedFrames parsed = ParseFrames(wire);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors[0].message;
  ASSERT_EQ(parsed.frames.size(), 14u);
  EXPECT_TRUE(parsed.complete);
  std::string again;
  for (const Frame& f : parsed.frames) SerializeFrame(f, &again);
  EXPECT_EQ(Hex(again), Hex(wire));

  EXPECT_EQ(parsed.frames[0].payload, "body");
  EXPECT_EQ(parsed.frames[0].pad_length, 3);
  EXPECT_EQ(parsed.frames[1].priority, p);
  EXPECT_EQ(parsed.frames[6].promised_stream_id, 2u);
  EXPECT_EQ(parsed.frames[6].header.reserved, kReservedPayloadBit);
  EXPECT_EQ(parsed.frames[8].last_stream_id, 3u);
  EXPECT_EQ(parsed.frames[9].header.stream_id, 0u);
  EXPECT_EQ(parsed.frames[9].header.reserved, kReservedStreamIdBit);
  EXPECT_EQ(parsed.frames[13].payload, "unknown payload");
  EXPECT_EQ(DescribeFrame(parsed.frames[0]),
            "DATA stream=1 flags=END_STREAM|PADDED length=8 pad=3 data=4 octets");
  EXPECT_EQ(DescribeFrame(parsed.frames[8]),
            "GOAWAY stream=0 length=13 last_stream=3 error=ENHANCE_YOUR_CALM (0xb) "
            "debug=\"debug\"");
}

}  // namespace
}  // namespace http2
