// FrameSequence builds what it says: the connection preface (RFC 9113 §3.4), field blocks
// HPACK-encoded in one context and split into CONTINUATION frames (§4.3, §6.10), and raw
// frames as given.
#include "http2/frame_builder.h"

#include <string>

#include "gtest/gtest.h"
#include "hpack/inflater.h"
#include "hpack/test_util.h"
#include "http2/frame_parser.h"

namespace http2 {
namespace {

using ::hpack::test::FromHex;

TEST(FrameSequenceTest, PrefaceAndSettings) {
  const std::string wire =
      FrameSequence().ClientPreface({{kSettingsMaxConcurrentStreams, 100}}).SettingsAck().Take();
  EXPECT_EQ(wire.substr(0, 24), "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  EXPECT_EQ(wire.substr(24), FromHex("000006 04 00 00000000 0003 00000064 000000 04 01 00000000"));
}

TEST(FrameSequenceTest, HeadersShareOneHpackContext) {
  FrameSequence seq;
  seq.Headers(1, {{":method", "GET"}, {"x-custom", "value"}}, kFlagEndStream)
      .Headers(3, {{":method", "GET"}, {"x-custom", "value"}}, kFlagEndStream);
  const ParsedFrames r = ParseFrames(seq.bytes());
  ASSERT_EQ(r.frames.size(), 2u);
  EXPECT_EQ(r.frames[0].header.flags, kFlagEndStream | kFlagEndHeaders);
  // The second block refers to the dynamic table entry the first added.
  EXPECT_LT(r.frames[1].payload.size(), r.frames[0].payload.size());
  hpack::Inflater inflater;
  for (const Frame& f : r.frames) {
    auto fields = inflater.Inflate(f.payload);
    ASSERT_TRUE(fields.ok());
    ASSERT_EQ(fields->size(), 2u);
    EXPECT_EQ((*fields)[1].value, "value");
  }
}

TEST(FrameSequenceTest, SplitFieldBlock) {
  HeadersOptions split;
  split.max_fragment = 4;
  FrameSequence seq;
  seq.Headers(1, {{"a-long-header-name", "and-a-longer-value"}}, kFlagEndStream, split);
  const ParsedFrames r = ParseFrames(seq.bytes());
  ASSERT_TRUE(r.errors.empty());
  ASSERT_GT(r.frames.size(), 2u);
  EXPECT_EQ(r.frames[0].header.flags, kFlagEndStream);
  for (size_t i = 1; i < r.frames.size(); ++i) {
    EXPECT_EQ(r.frames[i].type(), FrameType::kContinuation);
    EXPECT_EQ(r.frames[i].header.has(kFlagEndHeaders), i + 1 == r.frames.size());
  }
  // Left open for the caller.
  HeadersOptions open;
  open.end_headers = false;
  FrameSequence seq2;
  seq2.Headers(1, {{"a", "b"}}, 0, open).Continuation(1, "", kFlagEndHeaders);
  const ParsedFrames r2 = ParseFrames(seq2.bytes());
  ASSERT_TRUE(r2.errors.empty());
  EXPECT_EQ(r2.frames[0].header.flags, 0);
}

TEST(FrameSequenceTest, RawPieces) {
  const std::string wire =
      FrameSequence().RawHeader(100, FrameType::kData, 0, 1).Bytes("ab").Take();
  EXPECT_EQ(wire, FromHex("000064 00 00 00000001 6162"));
  const ParsedFrames r = ParseFrames(wire);
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.consumed, wire.size());
}

}  // namespace
}  // namespace http2
