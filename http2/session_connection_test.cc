// Connection-level behaviour of a session, by RFC 9113 section:
//   §3.4 connection preface (client magic, SETTINGS first, both roles)
//   §4.2 frame size (SETTINGS_MAX_FRAME_SIZE honoured both ways)
//   §5.4.1 connection errors (GOAWAY with the last processed stream, nothing accepted after)
//   §5.5 unknown frame types and settings ignored
//   §6.5, §6.5.2 SETTINGS (acknowledged, applied, invalid values, role rules)
//   §6.5.3 settings synchronization (ACK applies ours; the timeout is in defences_test)
//   §6.7 PING
//   §6.8 GOAWAY (received; sent; graceful two-step shutdown)
//   RFC 8441 §3 SETTINGS_ENABLE_CONNECT_PROTOCOL; RFC 9218 §7.1 PRIORITY_UPDATE
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hpack/inflater.h"
#include "http2/session.h"
#include "http2/session_test_util.h"

namespace http2 {
namespace {

using test::ExpectGoAway;
using test::FindFrame;
using test::Get;
using test::RawPeer;
using test::Summary;
using ::testing::HasSubstr;

// --- §3.4 Connection preface ---

TEST(PrefaceTest, ServerSendsSettingsFirstAndAcknowledgesTheClients) {
  RawPeer s(Perspective::kServer);
  std::vector<Frame> out = s.Handshake({{kSettingsInitialWindowSize, 1000}});
  ASSERT_GE(out.size(), 2u) << Summary(out);
  EXPECT_EQ(out[0].type(), FrameType::kSettings);
  EXPECT_FALSE(out[0].header.has(kFlagAck));
  EXPECT_THAT(out[0].settings, ::testing::Contains(Setting{kSettingsMaxConcurrentStreams, 100}));
  EXPECT_EQ(out[1].type(), FrameType::kSettings);
  EXPECT_TRUE(out[1].header.has(kFlagAck));
  EXPECT_EQ(s.visitor.settings_acks, 1);
  EXPECT_EQ(s.session.peer_settings().initial_window_size, 1000u);
  EXPECT_TRUE(s.session.WantRead());
}

TEST(PrefaceTest, ClientSendsMagicThenSettings) {
  Session client(Perspective::kClient, nullptr);
  std::string out;
  client.Send(&out);
  ASSERT_GT(out.size(), 24u);
  EXPECT_EQ(out.substr(0, 24), kClientPreface);
  const ParsedFrames f = ParseFrames(absl::string_view(out).substr(24));
  ASSERT_FALSE(f.frames.empty());
  EXPECT_EQ(f.frames[0].type(), FrameType::kSettings);
  EXPECT_THAT(f.frames[0].settings, ::testing::Contains(Setting{kSettingsEnablePush, 0}));
}

TEST(PrefaceTest, BadMagicIsProtocolError) {
  RawPeer s(Perspective::kServer);
  s.Drain();
  // The first octets are right, the error is found where it starts, across calls.
  EXPECT_EQ(s.session.Receive("PRI * HTTP/2"), 12u);
  std::vector<Frame> out = s.Feed(".1\r\n\r\nSM\r\n\r\n");
  ExpectGoAway(out, ErrorCode::kProtocolError, 0);
  ASSERT_TRUE(s.session.connection_error().has_value());
  EXPECT_EQ(s.session.connection_error()->error, Error::kBadPreface);
  EXPECT_FALSE(s.session.WantRead());
  EXPECT_TRUE(s.visitor.connection_error.has_value());
}

TEST(PrefaceTest, MagicMustBeFollowedBySettings) {
  RawPeer s(Perspective::kServer);
  s.Drain();
  s.peer.Preface().Ping(1);
  std::vector<Frame> out = s.Feed(s.peer);
  ExpectGoAway(out, ErrorCode::kProtocolError, 0);
  EXPECT_EQ(s.session.connection_error()->error, Error::kPrefaceNotSettings);
  EXPECT_EQ(FindFrame(out, FrameType::kPing), nullptr);  // the PING was not answered
  // A SETTINGS ACK is not the preface SETTINGS either.
  RawPeer s2(Perspective::kServer);
  s2.Drain();
  s2.peer.Preface().SettingsAck();
  ExpectGoAway(s2.Feed(s2.peer), ErrorCode::kProtocolError, 0);
}

TEST(PrefaceTest, ClientRequiresServerSettingsFirst) {
  RawPeer c(Perspective::kClient);
  c.Drain();
  c.peer.WindowUpdate(0, 100);
  std::vector<Frame> out = c.Feed(c.peer);
  ExpectGoAway(out, ErrorCode::kProtocolError, 0);
  EXPECT_THAT(c.session.connection_error()->message,
              HasSubstr("the server preface must be a SETTINGS frame"));
}

// --- §4.2 Frame size ---

TEST(FrameSizeTest, FramesAboveOurMaxFrameSizeEndTheConnection) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.peer.Headers(1, Get(), 0).Data(1, std::string(16385, 'x'));
  std::vector<Frame> out = s.Feed(s.peer);
  ExpectGoAway(out, ErrorCode::kFrameSizeError, 1);
  EXPECT_EQ(s.session.connection_error()->error, Error::kFrameTooLarge);
}

TEST(FrameSizeTest, LargerMaxFrameSizeIsAdvertisedAndAccepted) {
  SessionOptions o;
  o.max_frame_size = 65536;
  RawPeer s(Perspective::kServer, o);
  std::vector<Frame> out = s.Handshake();
  EXPECT_THAT(out[0].settings, ::testing::Contains(Setting{kSettingsMaxFrameSize, 65536}));
  s.peer.Headers(1, Get(), 0).Data(1, std::string(40000, 'x'), kFlagEndStream);
  s.Feed(s.peer);
  EXPECT_FALSE(s.session.connection_error().has_value());
  EXPECT_EQ(s.visitor.bodies[1].size(), 40000u);
}

TEST(FrameSizeTest, OurDataFramesFollowThePeersMaxFrameSize) {
  RawPeer s(Perspective::kServer);
  s.Handshake({{kSettingsMaxFrameSize, 20000}, {kSettingsInitialWindowSize, 100000}});
  s.peer.WindowUpdate(0, 100000).Headers(1, Get(), kFlagEndStream);
  StringSource body(std::string(50000, 'b'));
  s.visitor.on_end_stream = [&](uint32_t id) {
    const Header resp[] = {{":status", "200"}};
    ASSERT_TRUE(s.session.SubmitResponse(id, resp, &body).ok());
  };
  SessionOptions big;
  std::vector<Frame> out = s.Feed(s.peer);
  size_t total = 0, frames = 0;
  for (const Frame& f : out) {
    if (f.type() != FrameType::kData) continue;
    EXPECT_LE(f.payload.size(), 16384u) << "max_data_frame_size caps it";
    total += f.payload.size();
    ++frames;
  }
  EXPECT_EQ(total, 50000u);
  EXPECT_EQ(frames, 4u);
}

// --- §5.5 Extensions ---

TEST(ExtensionTest, UnknownFramesAndSettingsAreIgnored) {
  RawPeer s(Perspective::kServer);
  s.Handshake({{0x99, 7}});
  s.peer.Raw(0xee, 0xff, 0, "whatever").Raw(0xef, 0, 5, "x").Ping(3);
  std::vector<Frame> out = s.Feed(s.peer);
  EXPECT_FALSE(s.session.connection_error().has_value());
  const Frame* ack = FindFrame(out, FrameType::kPing);
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->ping_data, 3u);
  EXPECT_EQ(s.session.stats().glitches, 2u);  // counted, within the budget
}

// --- §6.5 SETTINGS ---

TEST(SettingsTest, HeaderTableSizeAppliesToOurEncoder) {
  RawPeer s(Perspective::kServer);
  s.Handshake({{kSettingsHeaderTableSize, 0}});
  s.peer.Headers(1, Get(), kFlagEndStream);
  s.visitor.on_end_stream = [&](uint32_t id) {
    const Header resp[] = {{":status", "200"}, {"x-a", "b"}};
    ASSERT_TRUE(s.session.SubmitResponse(id, resp).ok());
  };
  std::vector<Frame> out = s.Feed(s.peer);
  const Frame* h = FindFrame(out, FrameType::kHeaders, 1);
  ASSERT_NE(h, nullptr) << Summary(out);
  // RFC 7541 §4.2: the block starts with a dynamic table size update to 0 (0x20).
  ASSERT_FALSE(h->payload.empty());
  EXPECT_EQ(static_cast<uint8_t>(h->payload[0]), 0x20);
}

// The same response headers again: the encoder's last block is sent again only while the
// encoder is as that block left it; a SETTINGS_HEADER_TABLE_SIZE change in between means a
// size update first and no stale indices (RFC 7541 §4.2, §6.3).
TEST(SettingsTest, RepeatedResponseHeadersAfterATableSizeChange) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.visitor.on_end_stream = [&](uint32_t id) {
    const Header resp[] = {{":status", "200"}, {"server", "h2harness"}, {"x-a", "b"}};
    ASSERT_TRUE(s.session.SubmitResponse(id, resp).ok());
  };
  // The client's decoder: every block must decode to the response, in order.
  hpack::Inflater client;
  auto decodes_to_response = [&](const std::string& block) {
    absl::StatusOr<hpack::HeaderList> fields = client.Inflate(block);
    return fields.ok() && fields->size() == 3 && (*fields)[1].value == "h2harness" &&
           (*fields)[2].name == "x-a";
  };
  std::vector<std::string> blocks;
  for (uint32_t id : {1u, 3u, 5u}) {
    s.peer.Headers(id, Get(), kFlagEndStream);
    std::vector<Frame> out = s.Feed(s.peer);
    const Frame* h = FindFrame(out, FrameType::kHeaders, id);
    ASSERT_NE(h, nullptr) << Summary(out);
    blocks.push_back(h->payload);
    EXPECT_TRUE(decodes_to_response(h->payload)) << id;
  }
  EXPECT_EQ(blocks[1], std::string("\x88\xbf\xbe", 3));  // indices only, from the second on
  EXPECT_EQ(blocks[2], blocks[1]);
  s.peer.Settings({{kSettingsHeaderTableSize, 0}});
  s.peer.Headers(7, Get(), kFlagEndStream);
  std::vector<Frame> out = s.Feed(s.peer);
  const Frame* h = FindFrame(out, FrameType::kHeaders, 7);
  ASSERT_NE(h, nullptr) << Summary(out);
  ASSERT_FALSE(h->payload.empty());
  EXPECT_EQ(static_cast<uint8_t>(h->payload[0]), 0x20);  // size update to 0
  client.ChangeTableSize(0);  // what the client's SETTINGS said (acknowledged)
  EXPECT_TRUE(decodes_to_response(h->payload));  // literals now: the table is empty
}

TEST(SettingsTest, EnablePushOneFromAServerIsProtocolError) {
  RawPeer c(Perspective::kClient);
  c.Drain();
  c.peer.Settings({{kSettingsEnablePush, 1}});
  ExpectGoAway(c.Feed(c.peer), ErrorCode::kProtocolError, 0);
  EXPECT_EQ(c.session.connection_error()->error, Error::kUnexpectedFrame);
  // 0 is fine.
  RawPeer c2(Perspective::kClient);
  c2.Drain();
  c2.peer.Settings({{kSettingsEnablePush, 0}});
  c2.Feed(c2.peer);
  EXPECT_FALSE(c2.session.connection_error().has_value());
}

TEST(SettingsTest, InvalidValuesEndTheConnection) {
  struct Case {
    Setting setting;
    ErrorCode code;
  } cases[] = {
      {{kSettingsEnablePush, 2}, ErrorCode::kProtocolError},
      {{kSettingsInitialWindowSize, 0x80000000u}, ErrorCode::kFlowControlError},
      {{kSettingsMaxFrameSize, 16383}, ErrorCode::kProtocolError},
      {{kSettingsMaxFrameSize, 1u << 24}, ErrorCode::kProtocolError},
      {{kSettingsEnableConnectProtocol, 3}, ErrorCode::kProtocolError},
  };
  for (const Case& c : cases) {
    RawPeer s(Perspective::kServer);
    s.Drain();
    s.peer.Preface().Settings({c.setting});
    ExpectGoAway(s.Feed(s.peer), c.code, 0);
  }
}

TEST(SettingsTest, EnableConnectProtocolCannotGoBackToZero) {  // RFC 8441 §3
  RawPeer c(Perspective::kClient);
  c.Drain();
  c.peer.Settings({{kSettingsEnableConnectProtocol, 1}})
      .Settings({{kSettingsEnableConnectProtocol, 0}});
  ExpectGoAway(c.Feed(c.peer), ErrorCode::kProtocolError, 0);
}

TEST(SettingsTest, OursApplyWhenAcknowledged) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  EXPECT_EQ(s.session.local_settings().max_concurrent_streams, 100u);
  ASSERT_TRUE(s.session.SubmitSettings({{kSettingsHeaderTableSize, 100}}).ok());
  std::vector<Frame> out = s.Drain();
  ASSERT_NE(FindFrame(out, FrameType::kSettings), nullptr);
  EXPECT_EQ(s.session.local_settings().header_table_size, 4096u);
  s.peer.SettingsAck();
  s.Feed(s.peer);
  EXPECT_EQ(s.session.local_settings().header_table_size, 100u);
  EXPECT_EQ(s.visitor.settings_acks, 2);
  // An ACK for nothing is only suspicious.
  s.peer.SettingsAck();
  s.Feed(s.peer);
  EXPECT_FALSE(s.session.connection_error().has_value());
  EXPECT_EQ(s.session.stats().glitches, 1u);
  EXPECT_FALSE(s.session.SubmitSettings({{kSettingsEnablePush, 1}}).ok());
  EXPECT_FALSE(s.session.SubmitSettings({{kSettingsMaxFrameSize, 5}}).ok());
}

// --- §6.7 PING ---

TEST(PingTest, AnsweredWithTheSameDataAndAckNotAnswered) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.peer.Ping(0x0102030405060708).PingAck(99);
  std::vector<Frame> out = s.Feed(s.peer);
  ASSERT_EQ(out.size(), 1u) << Summary(out);
  EXPECT_TRUE(out[0].header.has(kFlagAck));
  EXPECT_EQ(out[0].ping_data, 0x0102030405060708u);
  EXPECT_THAT(s.visitor.pings, ::testing::ElementsAre(0x0102030405060708u));
  EXPECT_THAT(s.visitor.ping_acks, ::testing::ElementsAre(99u));
  ASSERT_TRUE(s.session.SubmitPing(5).ok());
  out = s.Drain();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].header.has(kFlagAck));
}

// --- §6.8 GOAWAY ---

TEST(GoAwayTest, ReceivedGoAwayRefusesStreamsAboveLastStreamId) {
  RawPeer c(Perspective::kClient);
  c.Handshake();
  const Header req[] = {
      {":method", "GET"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/"}};
  ASSERT_TRUE(c.session.SubmitRequest(req).ok());  // 1
  ASSERT_TRUE(c.session.SubmitRequest(req).ok());  // 3
  ASSERT_TRUE(c.session.SubmitRequest(req).ok());  // 5
  c.Drain();
  c.peer.GoAway(3, ErrorCode::kNoError, "maintenance");
  c.Feed(c.peer);
  ASSERT_EQ(c.visitor.goaways.size(), 1u);
  EXPECT_EQ(c.visitor.goaways[0].debug, "maintenance");
  EXPECT_THAT(c.visitor.closed,
              ::testing::ElementsAre(std::make_pair(5u, ErrorCode::kRefusedStream)));
  EXPECT_EQ(c.session.stream_state(3), StreamState::kHalfClosedLocal);
  EXPECT_FALSE(c.session.SubmitRequest(req).ok());
  // Streams up to 3 still complete.
  c.peer.Headers(3, {{":status", "204"}}, kFlagEndStream);
  c.Feed(c.peer);
  EXPECT_TRUE(c.visitor.IsClosed(3));
  EXPECT_TRUE(c.session.WantRead());  // stream 1 is still open
  // The last-stream-id may not grow (§6.8).
  c.peer.GoAway(5, ErrorCode::kNoError);
  ExpectGoAway(c.Feed(c.peer), ErrorCode::kProtocolError, 0);
  EXPECT_EQ(c.session.connection_error()->error, Error::kGoAwayIncreased);
}

TEST(GoAwayTest, ConnectionErrorGoAwayNamesLastProcessedStreamAndStopsInput) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.peer.Headers(1, Get(), kFlagEndStream).Headers(3, Get(), kFlagEndStream);
  s.Feed(s.peer);
  s.peer.Raw(FrameType::kPing, 0, 0, "bad");
  std::vector<Frame> out = s.Feed(s.peer);
  ExpectGoAway(out, ErrorCode::kFrameSizeError, 3);
  const Frame* g = FindFrame(out, FrameType::kGoAway);
  EXPECT_THAT(g->payload, HasSubstr("PING frame on stream 0"));
  EXPECT_THAT(s.visitor.closed,
              ::testing::ElementsAre(std::make_pair(1u, ErrorCode::kFrameSizeError),
                                     std::make_pair(3u, ErrorCode::kFrameSizeError)));
  // Nothing more is processed or sent.
  s.peer.Ping(1);
  EXPECT_EQ(s.session.Receive(s.peer.Take()), 17u);
  EXPECT_TRUE(s.Drain().empty());
  EXPECT_FALSE(s.session.WantRead());
  EXPECT_FALSE(s.session.WantWrite());
}

TEST(GoAwayTest, StreamsAboveOurGoAwayAreIgnored) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.peer.Headers(1, Get(), 0);
  s.Feed(s.peer);
  s.session.SubmitGoAway(ErrorCode::kNoError);
  ExpectGoAway(s.Drain(), ErrorCode::kNoError, 1);
  s.peer.Headers(3, Get(), kFlagEndStream).Data(1, "body", kFlagEndStream);
  s.Feed(s.peer);
  EXPECT_EQ(s.visitor.headers.size(), 1u);  // stream 3 never reaches the application
  EXPECT_EQ(s.visitor.bodies[1], "body");
  EXPECT_EQ(s.session.stats().glitches, 0u);
  // Once stream 1 is answered, the connection is done.
  const Header resp[] = {{":status", "200"}};
  ASSERT_TRUE(s.session.SubmitResponse(1, resp).ok());
  s.Drain();
  EXPECT_FALSE(s.session.WantRead());
  EXPECT_FALSE(s.session.WantWrite());
}

TEST(GoAwayTest, GracefulShutdownInTwoSteps) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.peer.Headers(1, Get(), kFlagEndStream);
  s.Feed(s.peer);
  s.session.SubmitShutdownNotice();
  std::vector<Frame> out = s.Drain();
  ExpectGoAway(out, ErrorCode::kNoError, kMaxStreamId);
  const Frame* ping = FindFrame(out, FrameType::kPing);
  ASSERT_NE(ping, nullptr);
  // A stream the client started before it saw the notice is still accepted.
  s.peer.Headers(3, Get(), kFlagEndStream).PingAck(ping->ping_data);
  out = s.Feed(s.peer);
  ExpectGoAway(out, ErrorCode::kNoError, 3);
  EXPECT_EQ(s.visitor.headers.size(), 2u);
  // After the second GOAWAY new streams are ignored.
  s.peer.Headers(5, Get(), kFlagEndStream);
  s.Feed(s.peer);
  EXPECT_EQ(s.visitor.headers.size(), 2u);
}

TEST(GoAwayTest, GracefulShutdownSecondStepAfterDelayWithoutPingAck) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.session.SubmitShutdownNotice();
  s.Drain();
  EXPECT_EQ(s.session.NextDeadline(), s.clock.Now() + absl::Seconds(1));
  s.clock.Advance(absl::Seconds(1));
  s.session.OnTimer();
  ExpectGoAway(s.Drain(), ErrorCode::kNoError, 0);
  EXPECT_TRUE(s.session.goaway_sent());
}

// --- RFC 9218 §7.1 PRIORITY_UPDATE ---

TEST(PriorityUpdateTest, DeliveredToServerRejectedByClient) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.peer.PriorityUpdate(1, "u=1, i");
  s.Feed(s.peer);
  EXPECT_THAT(s.visitor.events, ::testing::Contains("priority_update 1 u=1, i"));
  RawPeer c(Perspective::kClient);
  c.Handshake();
  c.peer.PriorityUpdate(1, "u=1");
  ExpectGoAway(c.Feed(c.peer), ErrorCode::kProtocolError, 0);
}

}  // namespace
}  // namespace http2
