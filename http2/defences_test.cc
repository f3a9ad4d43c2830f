// Defences against the published HTTP/2 denial-of-service patterns (RFC 9113 §10.5,
// §10.5.1; RFC 7541 §7.3). Each test performs the attack on a server session (the client
// for pushes) and asserts the outcome: the GOAWAY code, how many frames it took, and that
// memory stays bounded, using the session's own accounting (SessionStats).
//
//   attack                         limit (SessionOptions)            outcome
//   HPACK bomb                     max_header_list_size              GOAWAY COMPRESSION_ERROR
//   tiny-field bomb                max_header_fields                 GOAWAY COMPRESSION_ERROR
//   CONTINUATION flood (frames)    max_continuations                 GOAWAY ENHANCE_YOUR_CALM
//   CONTINUATION flood (octets)    max_field_block_bytes             GOAWAY ENHANCE_YOUR_CALM
//   Rapid Reset                    stream_reset_burst/_rate          GOAWAY ENHANCE_YOUR_CALM
//   MadeYouReset (4 kinds)         glitch_burst/_rate                GOAWAY ENHANCE_YOUR_CALM
//   empty DATA / unknown frames    glitch_burst/_rate                GOAWAY ENHANCE_YOUR_CALM
//   SETTINGS with many entries     max_settings                      GOAWAY ENHANCE_YOUR_CALM
//   SETTINGS / PING flood          max_outbound_control_frames       GOAWAY ENHANCE_YOUR_CALM
//   reset flood                    max_outbound_control_frames       GOAWAY ENHANCE_YOUR_CALM
//   peer does not read             max_output_buffer                 Receive() stops consuming
//   zero-window stall              stalled_stream_timeout            RST_STREAM CANCEL
//   1-octet WINDOW_UPDATE dribble  (pull model)                      1 DATA frame per update
//   1-octet DATA dribble           (WINDOW_UPDATE policy)            no WINDOW_UPDATE per frame
//   PADDED/PRIORITY underflow      (frame parser)                    GOAWAY FRAME_SIZE_ERROR
//   closed streams remembered      max_closed_streams                oldest forgotten
//   SETTINGS never acknowledged    settings_timeout                  GOAWAY SETTINGS_TIMEOUT
//   stream flood                   max_concurrent_streams            RST_STREAM REFUSED_STREAM,
//                                                                    then GOAWAY (glitches)
//   GOAWAY debug data              max_goaway_debug_data             truncated
//   pushed streams reserved        max_reserved_remote_streams       RST_STREAM ENHANCE_YOUR_CALM
#include <algorithm>
#include <cstring>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hpack/deflater.h"
#include "http2/session.h"
#include "http2/session_test_util.h"

namespace http2 {
namespace {

using test::FindFrame;
using test::Get;
using test::RawPeer;
using test::Summary;

// Asserts that the attack ended the connection with `code` for `error` after exactly
// `frames` frames were received (the offending one included).
void ExpectGoAway(RawPeer& p, ErrorCode code, Error error, uint64_t frames) {
  test::ExpectConnectionError(p, code, error);
  EXPECT_EQ(p.session.stats().frames_received, frames);
}

// --- HPACK (RFC 7541 §7.3, RFC 9113 §10.5.1) ---

TEST(DefencesTest, HpackBomb) {
  RawPeer fresh(Perspective::kServer);
  fresh.Drain();
  // One 3000-octet field enters the dynamic table; every later reference to it costs one
  // octet on the wire and 3037 octets of header list.
  hpack::DeflaterOptions all;
  all.indexing = hpack::IndexingPolicy::kAll;
  FrameSequence attacker(all);
  const std::string big(3000, 'a');
  hpack::HeaderList first = {{":method", "GET"},
                             {":scheme", "https"},
                             {":authority", "a"},
                             {":path", "/"},
                             {"x-big", big}};
  hpack::HeaderList bomb = first;
  for (int i = 0; i < 40; ++i) bomb.emplace_back("x-big", big);
  attacker.Preface()
      .Settings({})
      .SettingsAck()
      .Headers(1, first, kFlagEndStream)
      .Headers(3, bomb, kFlagEndStream);
  const std::string wire = attacker.Take();
  EXPECT_LT(wire.size(), 3300u);  // ~3 KB on the wire...
  fresh.Feed(wire);               // ...would decode to over 120 KB
  ExpectGoAway(fresh, ErrorCode::kCompressionError, Error::kHeaderListTooLarge, 4);
  EXPECT_EQ(fresh.session.stats().header_limit_exceeded, 1u);
  EXPECT_EQ(fresh.visitor.headers.size(), 1u);
  // Decoding stopped at the limit: at most 64 KiB of fields were held.
  EXPECT_LE(fresh.session.stats().field_block_bytes, kDefaultMaxHeaderListSize);
}

TEST(DefencesTest, TinyFieldBomb) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  // 2000 one-octet fields (static index 16, "accept-encoding: gzip, deflate").
  std::string block = s.peer.EncodeBlock(Get());
  block.append(2000, '\x90');
  s.peer.HeadersFragment(1, block, kFlagEndHeaders | kFlagEndStream);
  s.Feed(s.peer);
  ExpectGoAway(s, ErrorCode::kCompressionError, Error::kHeaderListTooLarge, 3);
  EXPECT_THAT(s.session.connection_error()->message, ::testing::HasSubstr("1024"));
  EXPECT_TRUE(s.visitor.headers.empty());
}

// --- CONTINUATION flood (CVE-2024-27316, CVE-2024-31309 and kin) ---

TEST(DefencesTest, ContinuationFloodFrames) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.peer.HeadersFragment(1, s.peer.EncodeBlock(Get()), 0);
  for (int i = 0; i < 100000; ++i) s.peer.Continuation(1, "", 0);
  s.Feed(s.peer);
  // HEADERS + 8 CONTINUATIONs are allowed; the 9th ends it. (+2: SETTINGS, ACK.)
  ExpectGoAway(s, ErrorCode::kEnhanceYourCalm, Error::kTooManyContinuations, 2 + 1 + 9);
  EXPECT_EQ(s.session.stats().continuation_limit_exceeded, 1u);
}

TEST(DefencesTest, ContinuationFloodOctets) {
  SessionOptions o;
  o.max_continuations = 1000;
  RawPeer s(Perspective::kServer, o);
  s.Handshake();
  // Dynamic table size updates decode to nothing, so only the octet limit stops them.
  const std::string zero_updates(16384, '\x20');
  s.peer.HeadersFragment(1, zero_updates, 0);
  for (int i = 0; i < 100; ++i) s.peer.Continuation(1, zero_updates, 0);
  s.Feed(s.peer);
  // 128 KiB = 8 frames of 16 KiB; the 9th frame's octets go over.
  ExpectGoAway(s, ErrorCode::kEnhanceYourCalm, Error::kFieldBlockTooLarge, 2 + 9);
}

// --- Rapid Reset (CVE-2023-44487) ---

TEST(DefencesTest, RapidReset) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  uint32_t id = 1;
  for (int batch = 0; batch < 20 && !s.session.connection_error(); ++batch) {
    for (int i = 0; i < 100; ++i, id += 2) {
      s.peer.Headers(id, Get(), 0).RstStream(id, ErrorCode::kCancel);
    }
    s.Feed(s.peer);
  }
  // 1000 resets are the burst; the 1001st (after its HEADERS) ends it.
  ExpectGoAway(s, ErrorCode::kEnhanceYourCalm, Error::kRapidReset, 2 + 2 * 1001);
  EXPECT_EQ(s.session.stats().rapid_reset_limit_exceeded, 1u);
  EXPECT_LE(s.session.stats().remembered_streams, kDefaultMaxClosedStreams + 1);
}

TEST(DefencesTest, ResetsAtTheAllowedRateAreFine) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  uint32_t id = 1;
  for (int second = 0; second < 100; ++second) {
    for (int i = 0; i < 33; ++i, id += 2) {
      s.peer.Headers(id, Get(), 0).RstStream(id, ErrorCode::kCancel);
    }
    s.Feed(s.peer);
    s.clock.Advance(absl::Seconds(1));
  }
  EXPECT_FALSE(s.session.connection_error().has_value());
  EXPECT_EQ(s.session.stats().rst_stream_received, 3300u);
}

// --- MadeYouReset (CVE-2025-8671): stream errors the client provokes ---

class MadeYouResetTest : public ::testing::TestWithParam<int> {};

TEST_P(MadeYouResetTest, ProvokedResetsExhaustTheGlitchBudget) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  uint32_t id = 1;
  int frames_per_attack = 0;
  for (int batch = 0; batch < 20 && !s.session.connection_error(); ++batch) {
    for (int i = 0; i < 100; ++i, id += 2) {
      switch (GetParam()) {
        case 0:  // WINDOW_UPDATE increment 0 on a stream (§6.9)
          s.peer.Headers(id, Get(), 0).WindowUpdate(id, 0);
          frames_per_attack = 2;
          break;
        case 1:  // WINDOW_UPDATE overflow (§6.9.1)
          s.peer.Headers(id, Get(), 0).WindowUpdate(id, kMaxWindowSize);
          frames_per_attack = 2;
          break;
        case 2:  // DATA on a half-closed (remote) stream (§5.1)
          s.peer.Headers(id, Get(), kFlagEndStream).Data(id, "x");
          frames_per_attack = 2;
          break;
        case 3:  // PRIORITY with a bad length (§6.3)
          s.peer.Headers(id, Get(), 0).Raw(FrameType::kPriority, 0, id, "1234");
          frames_per_attack = 2;
          break;
      }
    }
    s.Feed(s.peer);
  }
  ExpectGoAway(s, ErrorCode::kEnhanceYourCalm, Error::kTooManyGlitches,
               2 + frames_per_attack * 1001);
  EXPECT_EQ(s.session.stats().glitches, 1001u);
  EXPECT_EQ(s.session.stats().glitch_limit_exceeded, 1u);
  EXPECT_LE(s.session.stats().remembered_streams, kDefaultMaxClosedStreams + 1);
}

std::string KindName(const ::testing::TestParamInfo<int>& info) {
  static const char* const kNames[] = {"WindowUpdateZero", "WindowOverflow", "DataOnHalfClosed",
                                       "BadPriorityLength"};
  return kNames[info.param];
}
INSTANTIATE_TEST_SUITE_P(Kinds, MadeYouResetTest, ::testing::Values(0, 1, 2, 3), KindName);

TEST(DefencesTest, EmptyDataFloodIsAGlitch) {  // CVE-2019-9518
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.peer.Headers(1, Get(), 0);
  for (int i = 0; i < 2000; ++i) s.peer.Data(1, "");
  s.Feed(s.peer);
  ExpectGoAway(s, ErrorCode::kEnhanceYourCalm, Error::kTooManyGlitches, 2 + 1 + 1001);
}

TEST(DefencesTest, UnknownFrameFloodIsAGlitch) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  for (int i = 0; i < 2000; ++i) s.peer.Raw(0xfe, 0, 0, "");
  s.Feed(s.peer);
  ExpectGoAway(s, ErrorCode::kEnhanceYourCalm, Error::kTooManyGlitches, 2 + 1001);
}

TEST(DefencesTest, GlitchesAtTheAllowedRateAreFine) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  for (int second = 0; second < 60; ++second) {
    for (int i = 0; i < 33; ++i) s.peer.Raw(0xfe, 0, 0, "");
    s.Feed(s.peer);
    s.clock.Advance(absl::Seconds(1));
  }
  EXPECT_FALSE(s.session.connection_error().has_value());
  EXPECT_EQ(s.session.stats().glitches, 60u * 33);
}

// --- SETTINGS (CVE-2019-9515 kin) ---

TEST(DefencesTest, SettingsWithTooManyEntries) {
  RawPeer s(Perspective::kServer);
  s.Drain();
  std::vector<Setting> many(33, Setting{kSettingsMaxConcurrentStreams, 1});
  s.peer.Preface().Settings(many);
  s.Feed(s.peer);
  ExpectGoAway(s, ErrorCode::kEnhanceYourCalm, Error::kTooManySettings, 1);
  EXPECT_EQ(s.session.stats().settings_limit_exceeded, 1u);
  // 32 are fine.
  RawPeer t(Perspective::kServer);
  t.Drain();
  t.peer.Preface().Settings(std::vector<Setting>(32, Setting{0x77, 1}));
  t.Feed(t.peer);
  EXPECT_FALSE(t.session.connection_error().has_value());
}

// --- SETTINGS never acknowledged (§6.5.3) ---

TEST(SettingsTimeoutTest, UnacknowledgedSettingsEndTheConnection) {
  RawPeer s(Perspective::kServer);
  s.Drain();
  s.peer.Preface().Settings({});  // no ACK
  s.Feed(s.peer);
  EXPECT_EQ(s.session.NextDeadline(), s.clock.Now() + absl::Seconds(10));
  s.clock.Advance(absl::Seconds(9));
  s.session.OnTimer();
  EXPECT_FALSE(s.session.connection_error().has_value());
  s.clock.Advance(absl::Seconds(1));
  s.session.OnTimer();
  s.Drain();
  ExpectGoAway(s, ErrorCode::kSettingsTimeout, Error::kSettingsTimeout, 1);
  EXPECT_EQ(s.session.stats().settings_timeouts, 1u);
}

TEST(SettingsTimeoutTest, AcknowledgedSettingsStopTheTimer) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  EXPECT_EQ(s.session.NextDeadline(), absl::InfiniteFuture());
  s.clock.Advance(absl::Hours(1));
  s.session.OnTimer();
  EXPECT_FALSE(s.session.connection_error().has_value());
}

// --- Stream flood beyond SETTINGS_MAX_CONCURRENT_STREAMS (§5.1.2) ---

TEST(DefencesTest, StreamFloodIsRefusedThenEnded) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  uint32_t id = 1;
  for (int i = 0; i < 500; ++i, id += 2) s.peer.Headers(id, Get(), 0);
  s.Feed(s.peer);
  // 100 are open, 400 refused (each a glitch: the limit was acknowledged); memory bounded.
  EXPECT_EQ(s.visitor.headers.size(), 100u);
  EXPECT_EQ(s.session.stats().streams_refused, 400u);
  EXPECT_EQ(s.session.stats().active_streams, 100u);
  EXPECT_LE(s.session.stats().remembered_streams, 100u + kDefaultMaxClosedStreams);
  EXPECT_FALSE(s.session.connection_error().has_value());
  for (int i = 0; i < 1000; ++i, id += 2) s.peer.Headers(id, Get(), 0);
  s.Feed(s.peer);
  ExpectGoAway(s, ErrorCode::kEnhanceYourCalm, Error::kTooManyGlitches, 2 + 500 + 601);
}

// --- GOAWAY debug data kept ---

TEST(DefencesTest, GoAwayDebugDataIsTruncated) {
  RawPeer c(Perspective::kClient);
  c.Handshake();
  c.peer.GoAway(0, ErrorCode::kNoError, std::string(10000, 'd'));
  c.Feed(c.peer);
  ASSERT_EQ(c.visitor.goaways.size(), 1u);
  EXPECT_EQ(c.visitor.goaways[0].debug.size(), kDefaultMaxGoAwayDebugData);
}

// --- Floods of frames that need an answer (CVE-2019-9512, -9515, -9514) ---
// The attacker does not read: the ACKs and RST_STREAMs pile up unsent.

TEST(DefencesTest, SettingsFlood) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  for (int i = 0; i < 5000; ++i) s.peer.Settings({});
  s.Feed(s.peer);  // one Receive(): nothing is sent in between
  ExpectGoAway(s, ErrorCode::kEnhanceYourCalm, Error::kOutboundQueueFlood, 2 + 1001);
  EXPECT_EQ(s.session.stats().outbound_flood, 1u);
}

TEST(DefencesTest, PingFlood) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  for (int i = 0; i < 5000; ++i) s.peer.Ping(i);
  s.Feed(s.peer);
  ExpectGoAway(s, ErrorCode::kEnhanceYourCalm, Error::kOutboundQueueFlood, 2 + 1001);
  size_t acks = 0;
  for (const Frame& f : s.sent) acks += f.type() == FrameType::kPing;
  EXPECT_EQ(acks, 1001u);  // the queue never held more
}

TEST(DefencesTest, PingsAnsweredAndDrainedAreFine) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  for (int batch = 0; batch < 50; ++batch) {
    for (int i = 0; i < 100; ++i) s.peer.Ping(i);
    s.Feed(s.peer);  // the answers are taken after each batch
  }
  EXPECT_FALSE(s.session.connection_error().has_value());
  EXPECT_EQ(s.visitor.pings.size(), 5000u);
}

TEST(DefencesTest, ResetFlood) {
  SessionOptions o;
  o.glitch_burst = 1000000;  // so that the queue limit, not the glitch budget, fires
  RawPeer s(Perspective::kServer, o);
  s.Handshake();
  for (uint32_t i = 0, id = 1; i < 3000; ++i, id += 2) {
    s.peer.Headers(id, Get(), kFlagEndStream).Data(id, "x");  // each provokes RST_STREAM
  }
  s.Feed(s.peer);
  ExpectGoAway(s, ErrorCode::kEnhanceYourCalm, Error::kOutboundQueueFlood, 2 + 2 * 1001);
}

// --- Output the peer does not take ---

TEST(DefencesTest, ReceiveStopsWhileOutputIsBlocked) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  // Every request is answered with a large header block; the client never reads.
  const std::string big(4000, 'v');
  s.visitor.on_end_stream = [&](uint32_t id) {
    const Header resp[] = {{":status", "200"}, {"x-filler", big}};
    ASSERT_TRUE(s.session.SubmitResponse(id, resp).ok());
  };
  for (uint32_t id = 1; id < 400; id += 2) s.peer.Headers(id, Get(), kFlagEndStream);
  const std::string wire = s.peer.Take();
  const size_t consumed = s.session.Receive(wire);
  EXPECT_LT(consumed, wire.size());
  EXPECT_FALSE(s.session.WantRead());
  const SessionStats st = s.session.stats();
  EXPECT_EQ(st.receive_paused, 1u);
  // Bounded by the limit plus the frame that crossed it.
  EXPECT_LE(st.buffered_output_bytes, kDefaultMaxOutputBuffer + 4100);
  // Once the output is taken, reading resumes where it stopped.
  s.Drain();
  EXPECT_TRUE(s.session.WantRead());
  std::vector<Frame> more = s.Feed(absl::string_view(wire).substr(consumed));
  EXPECT_EQ(s.visitor.headers.size(), 200u);
}

// --- Zero-window stalls and dribbles ---

class LargeResponse : public ::testing::Test {
 protected:
  explicit LargeResponse(std::initializer_list<Setting> settings = {{kSettingsInitialWindowSize,
                                                                     0}})
      : s(Perspective::kServer) {
    s.Handshake(settings);
    s.visitor.on_end_stream = [&](uint32_t id) {
      const Header resp[] = {{":status", "200"}};
      ASSERT_TRUE(s.session.SubmitResponse(id, resp, &body).ok());
    };
  }
  class CountingSource : public DataSource {
   public:
    Result Read(uint32_t, char* dest, size_t max) override {
      ++reads;
      max_asked = std::max(max_asked, max);
      const size_t n = std::min<size_t>(max, 100000000 - sent);
      std::memset(dest, 'z', n);
      sent += n;
      Result r;
      r.length = n;
      r.end = sent == 100000000;
      return r;
    }
    int reads = 0;
    size_t max_asked = 0;
    size_t sent = 0;
  } body;
  RawPeer s;
};

TEST_F(LargeResponse, ZeroWindowStallIsResetAfterTheTimeout) {
  s.peer.Headers(1, Get(), kFlagEndStream);
  s.Feed(s.peer);
  // A 100 MB body, a window of zero: nothing is read from the source, nothing queued.
  EXPECT_EQ(body.reads, 0);
  EXPECT_LE(s.session.stats().buffered_output_bytes, 100u);
  EXPECT_EQ(s.session.NextDeadline(), s.clock.Now() + kDefaultStalledStreamTimeout);
  s.clock.Advance(kDefaultStalledStreamTimeout - absl::Seconds(1));
  s.session.OnTimer();
  EXPECT_EQ(FindFrame(s.Drain(), FrameType::kRstStream), nullptr);
  s.clock.Advance(absl::Seconds(1));
  s.session.OnTimer();
  std::vector<Frame> out = s.Drain();
  const Frame* rst = FindFrame(out, FrameType::kRstStream, 1);
  ASSERT_NE(rst, nullptr) << Summary(out);
  EXPECT_EQ(rst->error_code, static_cast<uint32_t>(ErrorCode::kCancel));
  EXPECT_EQ(s.session.stats().stalled_streams_reset, 1u);
  EXPECT_FALSE(s.session.connection_error().has_value());
}

TEST_F(LargeResponse, OneOctetWindowUpdatesGetOneOctetFrames) {
  s.peer.Headers(1, Get(), kFlagEndStream);
  s.Feed(s.peer);
  for (int i = 0; i < 1000; ++i) {
    s.peer.WindowUpdate(1, 1);
    s.Feed(s.peer);
  }
  // No more than the credit, one frame per update, nothing buffered.
  EXPECT_EQ(body.sent, 1000u);
  EXPECT_EQ(body.max_asked, 1u);
  size_t data_frames = 0;
  for (const Frame& f : s.sent) data_frames += f.type() == FrameType::kData;
  EXPECT_EQ(data_frames, 1000u);
  EXPECT_EQ(s.session.stats().buffered_output_bytes, 0u);
  // The stream is making progress: it is not reset as stalled.
  EXPECT_EQ(s.session.stats().stalled_streams_reset, 0u);
}

TEST(DefencesTest, OneOctetDataFramesDoNotGetAWindowUpdateEach) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.peer.Headers(1, Get(), 0);
  for (int i = 0; i < 10000; ++i) s.peer.Data(1, "x");
  std::vector<Frame> out = s.Feed(s.peer);
  EXPECT_EQ(s.visitor.bodies[1].size(), 10000u);
  EXPECT_TRUE(out.empty()) << Summary(out);  // 10000 < half a window: no WINDOW_UPDATE yet
}

// --- Frame-length underflow (§4.2, §6.2) ---

TEST(DefencesTest, PaddedPriorityLengthUnderflow) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.peer.Raw(FrameType::kHeaders, kFlagPadded | kFlagPriority | kFlagEndHeaders, 1,
             std::string(4, '\xff'));
  s.Feed(s.peer);
  ExpectGoAway(s, ErrorCode::kFrameSizeError, Error::kFrameTooShort, 3);
  RawPeer t(Perspective::kServer);
  t.Handshake();
  t.peer.Raw(FrameType::kData, kFlagPadded, 1, "");
  t.Feed(t.peer);
  ExpectGoAway(t, ErrorCode::kFrameSizeError, Error::kFrameTooShort, 3);
}

// --- Closed streams remembered ---

TEST(DefencesTest, ClosedStreamsAreForgottenBeyondTheLimit) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.visitor.on_end_stream = [&](uint32_t id) {
    const Header resp[] = {{":status", "204"}};
    ASSERT_TRUE(s.session.SubmitResponse(id, resp).ok());
  };
  uint32_t id = 1;
  for (int batch = 0; batch < 100; ++batch) {
    for (int i = 0; i < 100; ++i, id += 2) s.peer.Headers(id, Get(), kFlagEndStream);
    s.Feed(s.peer);
    EXPECT_LE(s.session.stats().remembered_streams, kDefaultMaxClosedStreams);
  }
  EXPECT_EQ(s.session.stats().closed_streams_forgotten, 10000u - kDefaultMaxClosedStreams);
  EXPECT_EQ(s.visitor.closed.size(), 10000u);
  EXPECT_FALSE(s.session.connection_error().has_value());
}

// --- Pushed streams (client side, §10.5) ---

TEST(DefencesTest, TooManyReservedStreams) {
  SessionOptions o;
  o.enable_push = true;
  RawPeer c(Perspective::kClient, o);
  c.Handshake();
  const Header req[] = {
      {":method", "GET"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/"}};
  ASSERT_TRUE(c.session.SubmitRequest(req).ok());
  c.Drain();
  const FieldList promise = {
      {":method", "GET"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/p"}};
  for (uint32_t i = 0, id = 2; i < 300; ++i, id += 2) c.peer.PushPromise(1, id, promise);
  std::vector<Frame> out = c.Feed(c.peer);
  size_t refused = 0;
  for (const Frame& f : out) {
    if (f.type() == FrameType::kRstStream &&
        f.error_code == static_cast<uint32_t>(ErrorCode::kEnhanceYourCalm)) {
      ++refused;
    }
  }
  EXPECT_EQ(refused, 300u - kDefaultMaxReservedRemoteStreams);
  EXPECT_EQ(c.session.stats().reserved_streams_refused, refused);
  EXPECT_LE(c.session.stats().active_streams, kDefaultMaxReservedRemoteStreams + 2);
  EXPECT_FALSE(c.session.connection_error().has_value());
}

}  // namespace
}  // namespace http2
