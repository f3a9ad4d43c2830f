// Frame parser tests, by RFC 9113 section:
//   §4.1 frame format (unknown types, unused flags, reserved bit), §4.2 frame size,
//   §4.3 field blocks are contiguous, §5.5 extension frames (ignored; not inside a field
//   block), §6.1 DATA, §6.2 HEADERS, §6.3 PRIORITY, §6.4 RST_STREAM, §6.5 SETTINGS,
//   §6.5.2 setting values, §6.6 PUSH_PROMISE, §6.7 PING, §6.8 GOAWAY, §6.9 WINDOW_UPDATE,
//   §6.10 CONTINUATION; RFC 9218 §7.1 PRIORITY_UPDATE.
// Every test parses its input whole and also cut at every position, one octet at a time,
// and at random boundaries (Parse() below), and all must report the same frames and errors.
#include "http2/frame_parser.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http2/frame_builder.h"

namespace http2 {
namespace {

using ::testing::HasSubstr;

// Frames, errors and octets consumed, as one comparable string.
std::string Canonical(const std::vector<Frame>& frames, const std::vector<ProtocolError>& errors,
                      size_t consumed) {
  std::vector<std::string> lines;
  for (const Frame& f : frames) {
    std::string wire;
    SerializeFrame(f, &wire);
    lines.push_back(absl::StrCat(DescribeFrame(f), " [", absl::CHexEscape(wire), "]"));
  }
  for (const ProtocolError& e : errors) {
    lines.push_back(absl::StrCat("error ", ErrorName(e.error), e.connection ? " conn " : " stream ",
                                 e.message));
  }
  lines.push_back(absl::StrCat("consumed ", consumed));
  return absl::StrJoin(lines, "\n");
}

std::string ParseCut(absl::string_view wire, const std::vector<size_t>& cuts,
                     const FrameParserOptions& options) {
  FrameCollector c;
  FrameParser parser(&c, options);
  size_t consumed = 0, prev = 0;
  for (size_t cut : cuts) {
    consumed += parser.Parse(wire.substr(prev, cut - prev));
    prev = cut;
  }
  consumed += parser.Parse(wire.substr(prev));
  return Canonical(c.frames, c.errors, consumed);
}

// Parses `wire` whole and checks that every other way of cutting it gives the same result.
ParsedFrames Parse(absl::string_view wire, const FrameParserOptions& options = {}) {
  ParsedFrames whole = ParseFrames(wire, options);
  const std::string expected = Canonical(whole.frames, whole.errors, whole.consumed);
  for (size_t i = 0; i <= wire.size(); ++i) {
    EXPECT_EQ(ParseCut(wire, {i}, options), expected) << "cut at " << i;
  }
  std::vector<size_t> every;
  for (size_t i = 1; i < wire.size(); ++i) every.push_back(i);
  EXPECT_EQ(ParseCut(wire, every, options), expected) << "one octet at a time";
  std::mt19937 rng(1234);
  for (int round = 0; round < 20; ++round) {
    std::vector<size_t> cuts;
    size_t at = 0;
    while (wire.size() > 0) {
      at += 1 + rng() % 13;
      if (at >= wire.size()) break;
      cuts.push_back(at);
    }
    EXPECT_EQ(ParseCut(wire, cuts, options), expected) << "random cuts, round " << round;
  }
  return whole;
}

void ExpectConnectionError(const ParsedFrames& r, Error e, ErrorCode code) {
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].error, e) << r.errors[0].message;
  EXPECT_EQ(r.errors[0].code, code);
  EXPECT_TRUE(r.errors[0].connection) << r.errors[0].message;
}

// --- §4.1 Frame format ---

TEST(FrameParserTest, UnknownTypesAndUnusedFlagsAndReservedBitAreIgnored) {
  const std::string wire = FrameSequence()
                               .Raw(0xfa, 0xff, 0x80000003, "extension")
                               .Raw(FrameType::kPing, 0xfe, 0, "12345678")
                               .Bytes(FrameSequence().Data(1, "x").bytes())
                               .Take();
  const ParsedFrames r = Parse(wire);
  ASSERT_TRUE(r.errors.empty());
  ASSERT_EQ(r.frames.size(), 3u);
  EXPECT_EQ(r.frames[0].header.type, 0xfa);
  EXPECT_EQ(r.frames[0].header.stream_id, 3u);
  EXPECT_EQ(r.frames[0].header.reserved, kReservedStreamIdBit);
  EXPECT_EQ(r.frames[0].payload, "extension");
  EXPECT_EQ(r.frames[1].header.flags, 0xfe);  // ACK (0x1) not set: a PING, not an ACK
  EXPECT_EQ(r.frames[1].ping_data, 0x3132333435363738u);
  EXPECT_EQ(r.frames[2].payload, "x");
}

// --- §4.2 Frame size ---

TEST(FrameParserTest, FrameLargerThanMaxFrameSizeIsConnectionFrameSizeError) {
  const std::string ok = FrameSequence().Data(1, std::string(16384, 'a')).Take();
  EXPECT_TRUE(ParseFrames(ok).errors.empty());
  const std::string big = FrameSequence().Data(1, std::string(16385, 'a')).Take();
  const ParsedFrames r = ParseFrames(big);
  ExpectConnectionError(r, Error::kFrameTooLarge, ErrorCode::kFrameSizeError);
  EXPECT_EQ(r.errors[0].message,
            "DATA frame on stream 1 at octet 0: length 16385 exceeds SETTINGS_MAX_FRAME_SIZE "
            "16384 (RFC 9113 §4.2)");
  // Reported from the header alone, before any payload arrives.
  EXPECT_EQ(ParseFrames(absl::string_view(big).substr(0, 9)).errors.size(), 1u);
  FrameParserOptions larger;
  larger.max_frame_size = 20000;
  EXPECT_TRUE(ParseFrames(big, larger).errors.empty());
}

TEST(FrameParserTest, ErrorsNameTheOffsetOfTheFrame) {
  FrameSequence seq;
  seq.Ping(1).Raw(FrameType::kPing, 0, 0, "short");
  const ParsedFrames r = Parse(seq.bytes());
  ExpectConnectionError(r, Error::kBadFrameLength, ErrorCode::kFrameSizeError);
  EXPECT_EQ(r.errors[0].offset, 17u);
  EXPECT_EQ(r.errors[0].frame_type, 6);
  EXPECT_EQ(r.errors[0].message,
            "PING frame on stream 0 at octet 17: length 5, must be 8 (RFC 9113 §6.7)");
  ASSERT_EQ(r.frames.size(), 1u);
}

TEST(FrameParserTest, NothingIsParsedAfterAConnectionError) {
  const std::string wire = FrameSequence().Raw(FrameType::kSettings, 0, 1, "").Ping(1).Take();
  const ParsedFrames r = Parse(wire);
  ExpectConnectionError(r, Error::kStreamIdNotZero, ErrorCode::kProtocolError);
  EXPECT_TRUE(r.frames.empty());
  EXPECT_FALSE(r.complete);
}

// --- §4.3, §6.10 Field blocks and CONTINUATION ---

TEST(FrameParserTest, FieldBlockAcrossContinuations) {
  const std::string wire = FrameSequence()
                               .HeadersFragment(1, "ab", 0)
                               .Continuation(1, "cd", 0)
                               .Continuation(1, "", 0)
                               .Continuation(1, "e", kFlagEndHeaders)
                               .Ping(7)
                               .Take();
  const ParsedFrames r = Parse(wire);
  ASSERT_TRUE(r.errors.empty());
  ASSERT_EQ(r.frames.size(), 5u);
  EXPECT_EQ(r.frames[1].payload, "cd");
  EXPECT_EQ(r.frames[3].header.flags, kFlagEndHeaders);
}

TEST(FrameParserTest, OtherFrameInsideFieldBlockIsConnectionProtocolError) {
  const ParsedFrames r = Parse(FrameSequence().HeadersFragment(1, "ab", 0).Ping(1).Take());
  ExpectConnectionError(r, Error::kExpectedContinuation, ErrorCode::kProtocolError);
  EXPECT_THAT(r.errors[0].message, HasSubstr("PING frame on stream 0 at octet 11"));
  EXPECT_THAT(r.errors[0].message, HasSubstr("RFC 9113 §4.3, §6.10"));
}

TEST(FrameParserTest, ContinuationOnAnotherStreamIsConnectionProtocolError) {
  HeadersOptions open;
  open.end_headers = false;
  const ParsedFrames r = Parse(
      FrameSequence().PushPromise(1, 2, {{":method", "GET"}}, 0, open).Continuation(3, "x").Take());
  ExpectConnectionError(r, Error::kExpectedContinuation, ErrorCode::kProtocolError);
}

TEST(FrameParserTest, ExtensionFrameInsideFieldBlockIsConnectionProtocolError) {  // §5.5
  const ParsedFrames r =
      Parse(FrameSequence().HeadersFragment(1, "ab", 0).Raw(0xbb, 0, 1, "").Take());
  ExpectConnectionError(r, Error::kExpectedContinuation, ErrorCode::kProtocolError);
}

TEST(FrameParserTest, ContinuationWithoutFieldBlockIsConnectionProtocolError) {
  ExpectConnectionError(Parse(FrameSequence().Continuation(1, "x").Take()),
                        Error::kUnexpectedContinuation, ErrorCode::kProtocolError);
  // After END_HEADERS the block is over.
  ExpectConnectionError(
      Parse(FrameSequence().HeadersFragment(1, "a", kFlagEndHeaders).Continuation(1, "x").Take()),
      Error::kUnexpectedContinuation, ErrorCode::kProtocolError);
  ExpectConnectionError(Parse(FrameSequence().Continuation(0, "x").Take()),
                        Error::kStreamIdRequired, ErrorCode::kProtocolError);
}

// --- §6.1 DATA ---

TEST(FrameParserTest, DataOnStreamZeroIsConnectionProtocolError) {
  const ParsedFrames r = Parse(FrameSequence().Data(0, "x").Take());
  ExpectConnectionError(r, Error::kStreamIdRequired, ErrorCode::kProtocolError);
  EXPECT_EQ(r.errors[0].message,
            "DATA frame on stream 0 at octet 0: the frame must be on a stream, not stream 0 "
            "(RFC 9113 §6.1)");
}

TEST(FrameParserTest, DataPadding) {
  // Padding that leaves no data is fine; padding as long as the payload is not.
  ParsedFrames r = Parse(FrameSequence().Raw(FrameType::kData, kFlagPadded, 1, "\x02zz").Take());
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.frames[0].payload, "");
  EXPECT_EQ(r.frames[0].padding, "zz");
  r = Parse(FrameSequence().Raw(FrameType::kData, kFlagPadded, 1, "\x03zz").Take());
  ExpectConnectionError(r, Error::kPaddingTooLong, ErrorCode::kProtocolError);
  EXPECT_THAT(r.errors[0].message, HasSubstr("RFC 9113 §6.1"));
  // PADDED with no room for the Pad Length octet.
  r = Parse(FrameSequence().Raw(FrameType::kData, kFlagPadded, 1, "").Take());
  ExpectConnectionError(r, Error::kFrameTooShort, ErrorCode::kFrameSizeError);
}

TEST(FrameParserTest, LargeDataIsDeliveredAsItArrives) {
  struct Chunks : FrameListener {
    std::vector<size_t> sizes;
    void OnDataPayload(absl::string_view d) override { sizes.push_back(d.size()); }
  } l;
  FrameParser parser(&l);
  const std::string wire = FrameSequence().Data(1, std::string(10000, 'x')).Take();
  EXPECT_EQ(parser.Parse(wire.substr(0, 109)), 109u);
  EXPECT_EQ(l.sizes, std::vector<size_t>({100}));
  EXPECT_EQ(parser.Parse(wire.substr(109)), wire.size() - 109);
  EXPECT_EQ(l.sizes, std::vector<size_t>({100, 9900}));
}

// --- §6.2 HEADERS ---

TEST(FrameParserTest, HeadersPriorityAndPaddingFields) {
  PrioritySpec p;
  p.stream_dependency = 1;
  p.exclusive = true;
  p.weight = 255;
  const ParsedFrames r =
      Parse(FrameSequence().HeadersFragment(3, "frag", kFlagEndHeaders, &p, 4).Take());
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.frames[0].priority, p);
  EXPECT_EQ(r.frames[0].payload, "frag");
  EXPECT_EQ(r.frames[0].pad_length, 4);
}

TEST(FrameParserTest, HeadersLengthUnderflowWithPaddedAndPriority) {
  // PADDED + PRIORITY need 6 octets before the fragment.
  const ParsedFrames r =
      Parse(FrameSequence()
                .Raw(FrameType::kHeaders, kFlagPadded | kFlagPriority | kFlagEndHeaders, 1,
                     std::string(5, '\0'))
                .Take());
  ExpectConnectionError(r, Error::kFrameTooShort, ErrorCode::kFrameSizeError);
  EXPECT_THAT(r.errors[0].message, HasSubstr("Pad Length and priority fields (6 octets)"));
  ExpectConnectionError(
      Parse(FrameSequence().Raw(FrameType::kHeaders, kFlagPriority, 1, "1234").Take()),
      Error::kFrameTooShort, ErrorCode::kFrameSizeError);
}

TEST(FrameParserTest, HeadersPaddingIntoPriorityFieldsIsProtocolError) {
  // Length 7 = Pad Length + 5 priority octets + 1: a Pad Length of 2 does not fit.
  ParsedFrames r = Parse(FrameSequence()
                             .Raw(FrameType::kHeaders, kFlagPadded | kFlagPriority, 1,
                                  std::string("\x02") + std::string(6, '\0'))
                             .Take());
  ExpectConnectionError(r, Error::kPaddingTooLong, ErrorCode::kProtocolError);
  EXPECT_THAT(r.errors[0].message, HasSubstr("RFC 9113 §6.2"));
  r = Parse(FrameSequence()
                .Raw(FrameType::kHeaders, kFlagPadded | kFlagPriority | kFlagEndHeaders, 1,
                     std::string("\x01") + std::string(6, '\0'))
                .Take());
  EXPECT_TRUE(r.errors.empty());
  ExpectConnectionError(Parse(FrameSequence().Raw(FrameType::kHeaders, 0, 0, "").Take()),
                        Error::kStreamIdRequired, ErrorCode::kProtocolError);
}

// --- §6.3 PRIORITY ---

TEST(FrameParserTest, PriorityWithWrongLengthIsStreamErrorAndParsingGoesOn) {
  const ParsedFrames r =
      Parse(FrameSequence().Raw(FrameType::kPriority, 0, 3, "1234").Ping(9).Take());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].error, Error::kBadFrameLength);
  EXPECT_EQ(r.errors[0].code, ErrorCode::kFrameSizeError);
  EXPECT_FALSE(r.errors[0].connection);
  EXPECT_EQ(r.errors[0].stream_id, 3u);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(r.frames[0].ping_data, 9u);
  EXPECT_TRUE(r.complete);
  ExpectConnectionError(Parse(FrameSequence().Priority(0, 1).Take()), Error::kStreamIdRequired,
                        ErrorCode::kProtocolError);
}

TEST(FrameParserTest, PriorityOnItselfIsNotAFrameError) {
  // RFC 7540 §5.3.1 made this a stream error; RFC 9113 deprecates the scheme and dropped
  // the rule, so the frame is delivered.
  const ParsedFrames r = Parse(FrameSequence().Priority(3, 3).Take());
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.frames[0].priority->stream_dependency, 3u);
}

// --- §6.4 RST_STREAM ---

TEST(FrameParserTest, RstStreamRules) {
  ParsedFrames r = Parse(FrameSequence().RstStream(1, ErrorCode::kCancel).Take());
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.frames[0].error_code, 8u);
  ExpectConnectionError(Parse(FrameSequence().Raw(FrameType::kRstStream, 0, 1, "123").Take()),
                        Error::kBadFrameLength, ErrorCode::kFrameSizeError);
  ExpectConnectionError(Parse(FrameSequence().RstStream(0, ErrorCode::kCancel).Take()),
                        Error::kStreamIdRequired, ErrorCode::kProtocolError);
}

// --- §6.5 SETTINGS ---

TEST(FrameParserTest, SettingsEntriesAckAndUnknownIds) {
  const ParsedFrames r = Parse(FrameSequence()
                                   .Settings({{kSettingsInitialWindowSize, 1000}, {0xabcd, 5}})
                                   .SettingsAck()
                                   .Settings({})
                                   .Take());
  ASSERT_TRUE(r.errors.empty());
  ASSERT_EQ(r.frames.size(), 3u);
  EXPECT_EQ(r.frames[0].settings,
            (std::vector<Setting>{{kSettingsInitialWindowSize, 1000}, {0xabcd, 5}}));
  EXPECT_TRUE(r.frames[1].header.has(kFlagAck));
  EXPECT_TRUE(r.frames[2].settings.empty());
}

TEST(FrameParserTest, SettingsFrameErrors) {
  ExpectConnectionError(Parse(FrameSequence().Raw(FrameType::kSettings, 0, 3, "").Take()),
                        Error::kStreamIdNotZero, ErrorCode::kProtocolError);
  ExpectConnectionError(
      Parse(FrameSequence().Raw(FrameType::kSettings, kFlagAck, 0, std::string(6, '\0')).Take()),
      Error::kBadFrameLength, ErrorCode::kFrameSizeError);
  ExpectConnectionError(
      Parse(FrameSequence().Raw(FrameType::kSettings, 0, 0, std::string(7, '\0')).Take()),
      Error::kBadFrameLength, ErrorCode::kFrameSizeError);
}

TEST(FrameParserTest, SettingValuesOutOfRange) {  // §6.5.2
  ParsedFrames r = Parse(FrameSequence().Settings({{kSettingsEnablePush, 2}}).Take());
  ExpectConnectionError(r, Error::kInvalidSettingValue, ErrorCode::kProtocolError);
  EXPECT_EQ(r.errors[0].message,
            "SETTINGS frame on stream 0 at octet 0: SETTINGS_ENABLE_PUSH value 2 is out of "
            "range (RFC 9113 §6.5.2)");
  ExpectConnectionError(
      Parse(FrameSequence().Settings({{kSettingsInitialWindowSize, 0x80000000}}).Take()),
      Error::kInitialWindowTooLarge, ErrorCode::kFlowControlError);
  ExpectConnectionError(Parse(FrameSequence().Settings({{kSettingsMaxFrameSize, 100}}).Take()),
                        Error::kInvalidSettingValue, ErrorCode::kProtocolError);
  FrameParserOptions raw;
  raw.validate_setting_values = false;
  EXPECT_TRUE(
      Parse(FrameSequence().Settings({{kSettingsMaxFrameSize, 100}}).Take(), raw).errors.empty());
}

// --- §6.6 PUSH_PROMISE ---

TEST(FrameParserTest, PushPromiseRules) {
  ParsedFrames r =
      Parse(FrameSequence()
                .Raw(FrameType::kPushPromise, kFlagEndHeaders, 1, std::string("\0\0\0\x02xy", 6))
                .Take());
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.frames[0].promised_stream_id, 2u);
  EXPECT_EQ(r.frames[0].payload, "xy");
  ExpectConnectionError(
      Parse(FrameSequence()
                .Raw(FrameType::kPushPromise, kFlagEndHeaders, 1, std::string("\0\0\2", 3))
                .Take()),
      Error::kFrameTooShort, ErrorCode::kFrameSizeError);
  ExpectConnectionError(Parse(FrameSequence()
                                  .Raw(FrameType::kPushPromise, kFlagPadded | kFlagEndHeaders, 1,
                                       std::string("\x01\0\0\0\x02", 5))
                                  .Take()),
                        Error::kPaddingTooLong, ErrorCode::kProtocolError);
  ExpectConnectionError(Parse(FrameSequence().PushPromise(0, 2, {{":method", "GET"}}).Take()),
                        Error::kStreamIdRequired, ErrorCode::kProtocolError);
}

// --- §6.7 PING ---

TEST(FrameParserTest, PingRules) {
  ExpectConnectionError(Parse(FrameSequence().Raw(FrameType::kPing, 0, 1, "12345678").Take()),
                        Error::kStreamIdNotZero, ErrorCode::kProtocolError);
  ExpectConnectionError(Parse(FrameSequence().Raw(FrameType::kPing, 0, 0, "123456789").Take()),
                        Error::kBadFrameLength, ErrorCode::kFrameSizeError);
}

// --- §6.8 GOAWAY ---

TEST(FrameParserTest, GoAwayFieldsAndRules) {
  const ParsedFrames r =
      Parse(FrameSequence().GoAway(0x80000007, ErrorCode::kProtocolError, "why").Take());
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.frames[0].last_stream_id, 7u);
  EXPECT_EQ(r.frames[0].header.reserved, kReservedPayloadBit);
  EXPECT_EQ(r.frames[0].payload, "why");
  ExpectConnectionError(Parse(FrameSequence().Raw(FrameType::kGoAway, 0, 0, "1234567").Take()),
                        Error::kFrameTooShort, ErrorCode::kFrameSizeError);
  ExpectConnectionError(Parse(FrameSequence().Raw(FrameType::kGoAway, 0, 1, "12345678").Take()),
                        Error::kStreamIdNotZero, ErrorCode::kProtocolError);
}

// --- §6.9 WINDOW_UPDATE ---

TEST(FrameParserTest, WindowUpdateRules) {
  ParsedFrames r = Parse(FrameSequence().WindowUpdate(1, 0x80000010).Take());
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.frames[0].window_increment, 16u);  // the reserved bit is ignored
  ExpectConnectionError(Parse(FrameSequence().Raw(FrameType::kWindowUpdate, 0, 1, "12345").Take()),
                        Error::kBadFrameLength, ErrorCode::kFrameSizeError);
  // Increment 0: a stream error on a stream (parsing goes on), a connection error on 0.
  r = Parse(FrameSequence().WindowUpdate(5, 0).Ping(1).Take());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].error, Error::kZeroWindowIncrement);
  EXPECT_FALSE(r.errors[0].connection);
  EXPECT_EQ(r.errors[0].stream_id, 5u);
  EXPECT_EQ(r.frames.size(), 1u);
  ExpectConnectionError(Parse(FrameSequence().WindowUpdate(0, 0).Take()),
                        Error::kZeroWindowIncrement, ErrorCode::kProtocolError);
}

// --- RFC 9218 §7.1 PRIORITY_UPDATE ---

TEST(FrameParserTest, PriorityUpdateRules) {
  ParsedFrames r = Parse(FrameSequence().PriorityUpdate(5, "u=2, i").Take());
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.frames[0].prioritized_stream_id, 5u);
  EXPECT_EQ(r.frames[0].payload, "u=2, i");
  ExpectConnectionError(Parse(FrameSequence().PriorityUpdate(0, "u=1").Take()),
                        Error::kPriorityUpdateStreamZero, ErrorCode::kProtocolError);
  ExpectConnectionError(
      Parse(
          FrameSequence().Raw(FrameType::kPriorityUpdate, 0, 1, std::string("\0\0\0\1", 4)).Take()),
      Error::kStreamIdNotZero, ErrorCode::kProtocolError);
  ExpectConnectionError(
      Parse(FrameSequence().Raw(FrameType::kPriorityUpdate, 0, 0, std::string("\0\0\1", 3)).Take()),
      Error::kFrameTooShort, ErrorCode::kFrameSizeError);
}

// --- Pause / Halt ---

TEST(FrameParserTest, PauseReturnsAfterTheFrameAndResumes) {
  struct Pauser : FrameListener {
    FrameParser* parser = nullptr;
    int ends = 0;
    void OnFrameEnd(const FrameHeader&) override {
      ++ends;
      parser->Pause();
    }
  } l;
  FrameParser parser(&l);
  l.parser = &parser;
  const std::string wire = FrameSequence().Ping(1).Ping(2).Ping(3).Take();
  EXPECT_EQ(parser.Parse(wire), 17u);
  EXPECT_EQ(parser.Parse(absl::string_view(wire).substr(17)), 17u);
  EXPECT_EQ(l.ends, 2);
  parser.Halt();
  EXPECT_EQ(parser.Parse(absl::string_view(wire).substr(34)), 0u);
  EXPECT_EQ(l.ends, 2);
}

}  // namespace
}  // namespace http2
