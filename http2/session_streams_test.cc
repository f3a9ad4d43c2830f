// Streams, by RFC 9113 section:
//   §5.1 stream states: every state's illegal frames (idle, reserved, half-closed (remote),
//        closed after END_STREAM / after RST_STREAM sent / received, forgotten)
//   §5.1.1 stream identifiers (parity, increasing, no reuse)
//   §5.1.2 stream concurrency (REFUSED_STREAM)
//   §5.4.2 stream errors (RST_STREAM once, connection goes on)
//   §6.3 PRIORITY (any state; bad length)
//   §6.4 RST_STREAM (idle; closes; no RST in answer)
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http2/session.h"
#include "http2/session_test_util.h"

namespace http2 {
namespace {

using test::ExpectConnectionError;
using test::ExpectRst;
using test::FindFrame;
using test::Get;
using test::RawPeer;
using test::Summary;
using ::testing::ElementsAre;

class ServerStreamsTest : public ::testing::Test {
 protected:
  ServerStreamsTest() : s(Perspective::kServer) { s.Handshake(); }
  std::vector<Frame> Feed() { return s.Feed(s.peer); }
  void Respond(uint32_t id, bool end = true) {
    const Header resp[] = {{":status", "200"}};
    ASSERT_TRUE(s.session.SubmitResponse(id, resp, end ? nullptr : &body_).ok());
  }
  RawPeer s;
  StringSource body_{"x"};
};

// --- §5.1 idle ---

TEST_F(ServerStreamsTest, DataOnIdleStreamIsConnectionProtocolError) {
  s.peer.Data(1, "x");
  Feed();
  ExpectConnectionError(s, ErrorCode::kProtocolError, Error::kIdleStream);
}

TEST_F(ServerStreamsTest, RstStreamOnIdleStreamIsConnectionProtocolError) {  // §6.4
  s.peer.RstStream(1, ErrorCode::kCancel);
  Feed();
  ExpectConnectionError(s, ErrorCode::kProtocolError, Error::kIdleStream);
}

TEST_F(ServerStreamsTest, WindowUpdateOnIdleStreamIsConnectionProtocolError) {
  s.peer.WindowUpdate(1, 100);
  Feed();
  ExpectConnectionError(s, ErrorCode::kProtocolError, Error::kIdleStream);
  // Also with increment 0, which alone would be a stream error.
  RawPeer t(Perspective::kServer);
  t.Handshake();
  t.peer.WindowUpdate(3, 0);
  t.Feed(t.peer);
  ExpectConnectionError(t, ErrorCode::kProtocolError, Error::kIdleStream);
}

TEST_F(ServerStreamsTest, PriorityOnIdleStreamIsFine) {  // §6.3
  s.peer.Priority(5, 0).Priority(7, 5, 100, true);
  EXPECT_TRUE(Feed().empty());
  EXPECT_FALSE(s.session.connection_error().has_value());
  EXPECT_EQ(s.session.stream_state(5), StreamState::kIdle);
  // ...and the stream can still be opened.
  s.peer.Headers(5, Get(), kFlagEndStream);
  Feed();
  EXPECT_EQ(s.visitor.headers.size(), 1u);
}

TEST_F(ServerStreamsTest, HeadersOnServerStreamIdIsConnectionProtocolError) {  // §5.1.1
  s.peer.Headers(2, Get(), kFlagEndStream);
  Feed();
  ExpectConnectionError(s, ErrorCode::kProtocolError, Error::kIdleStream);
}

// --- §5.1.1 identifiers ---

TEST_F(ServerStreamsTest, StreamIdsMustIncrease) {
  s.peer.Headers(5, Get(), kFlagEndStream).Headers(3, Get(), kFlagEndStream);
  std::vector<Frame> out = Feed();
  ExpectConnectionError(s, ErrorCode::kProtocolError, Error::kBadStreamId);
  EXPECT_EQ(FindFrame(out, FrameType::kGoAway)->last_stream_id, 5u);
  // Stream 3 was closed implicitly when 5 opened (§5.1.1).
}

TEST_F(ServerStreamsTest, SkippedIdsAreClosed) {
  s.peer.Headers(7, Get(), kFlagEndStream);
  Feed();
  EXPECT_EQ(s.session.stream_state(3), StreamState::kClosed);
  EXPECT_EQ(s.session.stream_state(9), StreamState::kIdle);
}

TEST_F(ServerStreamsTest, ClosedStreamCannotBeReopened) {
  s.peer.Headers(1, Get(), kFlagEndStream);
  Feed();
  Respond(1);
  s.Drain();
  EXPECT_EQ(s.session.stream_state(1), StreamState::kClosed);
  s.peer.Headers(1, Get(), kFlagEndStream);
  Feed();
  ExpectConnectionError(s, ErrorCode::kStreamClosed, Error::kStreamClosed);
}

// --- §5.1 half-closed (remote) ---

TEST_F(ServerStreamsTest, DataAfterEndStreamIsStreamClosed) {
  s.peer.Headers(1, Get(), kFlagEndStream).Data(1, "late");
  std::vector<Frame> out = Feed();
  ExpectRst(out, 1, ErrorCode::kStreamClosed);
  EXPECT_THAT(s.visitor.closed, ElementsAre(std::make_pair(1u, ErrorCode::kStreamClosed)));
  ASSERT_EQ(s.visitor.stream_errors.size(), 1u);
  EXPECT_EQ(s.visitor.stream_errors[0].error, Error::kStreamClosed);
  EXPECT_TRUE(s.visitor.bodies[1].empty());
  // The connection goes on.
  s.peer.Headers(3, Get(), kFlagEndStream);
  Feed();
  EXPECT_EQ(s.visitor.headers.size(), 2u);
}

TEST_F(ServerStreamsTest, HeadersAfterEndStreamIsStreamClosed) {
  s.peer.Headers(1, Get(), kFlagEndStream).Headers(1, {{"x-late", "1"}}, kFlagEndStream);
  ExpectRst(Feed(), 1, ErrorCode::kStreamClosed);
}

TEST_F(ServerStreamsTest, WindowUpdateAndPriorityAllowedInHalfClosedRemote) {
  s.peer.Headers(1, Get(), kFlagEndStream).WindowUpdate(1, 10).Priority(1, 0);
  std::vector<Frame> out = Feed();
  EXPECT_EQ(FindFrame(out, FrameType::kRstStream), nullptr) << Summary(out);
  EXPECT_EQ(s.session.stream_send_window(1), 65545);
}

// --- §5.1 closed ---

TEST_F(ServerStreamsTest, FramesAfterOurResetAreIgnored) {
  s.peer.Headers(1, Get(), 0);
  Feed();
  ASSERT_TRUE(s.session.SubmitRstStream(1, ErrorCode::kCancel).ok());
  ExpectRst(s.Drain(), 1, ErrorCode::kCancel);
  // In flight before the peer saw our RST_STREAM: minimally processed and dropped.
  s.peer.Data(1, "abc")
      .Headers(1, {{"x-trailer", "1"}}, kFlagEndStream)
      .WindowUpdate(1, 5)
      .RstStream(1, ErrorCode::kCancel);
  std::vector<Frame> out = Feed();
  EXPECT_TRUE(out.empty()) << Summary(out);  // §5.4.2: no RST_STREAM for these
  EXPECT_FALSE(s.session.connection_error().has_value());
  EXPECT_TRUE(s.visitor.bodies[1].empty());
  // The HPACK context stayed in sync: the next request decodes.
  s.peer.Headers(3, Get("/next"), kFlagEndStream);
  Feed();
  EXPECT_EQ(s.visitor.headers.back().path, "/next");
}

TEST_F(ServerStreamsTest, DataAfterPeerResetIsConnectionStreamClosed) {
  s.peer.Headers(1, Get(), 0).RstStream(1, ErrorCode::kCancel).Data(1, "x");
  Feed();
  ExpectConnectionError(s, ErrorCode::kStreamClosed, Error::kStreamClosed);
  EXPECT_THAT(s.visitor.closed, ElementsAre(std::make_pair(1u, ErrorCode::kCancel)));
}

TEST_F(ServerStreamsTest, DataAfterBothEndStreamsIsConnectionStreamClosed) {
  s.peer.Headers(1, Get(), kFlagEndStream);
  Feed();
  Respond(1);
  s.Drain();
  s.peer.Data(1, "x");
  Feed();
  ExpectConnectionError(s, ErrorCode::kStreamClosed, Error::kStreamClosed);
}

TEST_F(ServerStreamsTest, WindowUpdateAndRstOnClosedStreamAreNotErrors) {  // §6.9, §5.1
  s.peer.Headers(1, Get(), kFlagEndStream);
  Feed();
  Respond(1);
  s.Drain();
  s.peer.WindowUpdate(1, 100).RstStream(1, ErrorCode::kNoError).Priority(1, 0);
  EXPECT_TRUE(Feed().empty());
  EXPECT_FALSE(s.session.connection_error().has_value());
}

TEST_F(ServerStreamsTest, ForgottenClosedStreamsCostAGlitchNotTheConnection) {
  SessionOptions o;
  o.max_closed_streams = 1;
  RawPeer t(Perspective::kServer, o);
  t.Handshake();
  t.peer.Headers(1, Get(), 0)
      .RstStream(1, ErrorCode::kCancel)
      .Headers(3, Get(), 0)
      .RstStream(3, ErrorCode::kCancel);
  t.Feed(t.peer);
  EXPECT_EQ(t.session.stats().remembered_streams, 1u);  // stream 1 forgotten
  t.peer.Data(1, "x");
  std::vector<Frame> out = t.Feed(t.peer);
  EXPECT_EQ(FindFrame(out, FrameType::kGoAway), nullptr) << Summary(out);
  EXPECT_EQ(t.session.stats().glitches, 1u);
  // It still counts against the connection window (§6.9), as consumed.
  EXPECT_EQ(t.session.connection_receive_window(), 65535 - 1);
}

// --- §5.1 reserved (local): the client may only send RST_STREAM, PRIORITY, WINDOW_UPDATE

TEST(ReservedStreamTest, ClientFramesOnReservedLocalStream) {
  RawPeer s(Perspective::kServer);
  s.Handshake({{kSettingsEnablePush, 1}});
  s.peer.Headers(1, Get(), kFlagEndStream);
  s.Feed(s.peer);
  const Header promise[] = {
      {":method", "GET"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/p"}};
  auto promised = s.session.SubmitPushPromise(1, promise);
  ASSERT_TRUE(promised.ok()) << promised.status();
  s.Drain();
  EXPECT_EQ(s.session.stream_state(2), StreamState::kReservedLocal);
  s.peer.WindowUpdate(2, 10).Priority(2, 0);
  EXPECT_TRUE(s.Feed(s.peer).empty());
  s.peer.Data(2, "x");
  s.Feed(s.peer);
  ExpectConnectionError(s, ErrorCode::kProtocolError, Error::kReservedStream);
}

// --- §5.1.2 concurrency ---

TEST(ConcurrencyTest, StreamsOverTheLimitAreRefused) {
  SessionOptions o;
  o.max_concurrent_streams = 2;
  RawPeer s(Perspective::kServer, o);
  s.Handshake();
  s.peer.Headers(1, Get(), 0).Headers(3, Get(), 0).Headers(5, Get(), 0).Data(5, "in flight");
  std::vector<Frame> out = s.Feed(s.peer);
  ExpectRst(out, 5, ErrorCode::kRefusedStream);
  EXPECT_EQ(s.visitor.headers.size(), 2u);  // stream 5 never reached the application
  EXPECT_EQ(s.session.stats().streams_refused, 1u);
  EXPECT_EQ(s.session.stats().glitches, 1u);  // the limit was acknowledged
  // Closing one makes room.
  s.peer.RstStream(1, ErrorCode::kCancel).Headers(7, Get(), kFlagEndStream);
  out = s.Feed(s.peer);
  EXPECT_EQ(FindFrame(out, FrameType::kRstStream, 7), nullptr);
  EXPECT_EQ(s.visitor.headers.size(), 3u);
}

// --- §5.4.2 stream errors and §6.4 ---

TEST_F(ServerStreamsTest, StreamErrorSendsOneRstAndNoneForRst) {
  s.peer.Headers(1, Get(), kFlagEndStream)
      .Data(1, "a")
      .Data(1, "b")
      .RstStream(1, ErrorCode::kCancel);
  std::vector<Frame> out = Feed();
  int rsts = 0;
  for (const Frame& f : out) rsts += f.type() == FrameType::kRstStream;
  EXPECT_EQ(rsts, 1) << Summary(out);
}

TEST_F(ServerStreamsTest, PeerResetClosesTheStreamAndStopsItsBody) {
  s.peer.Headers(1, Get(), kFlagEndStream);
  Feed();
  Respond(1, /*end=*/false);
  s.peer.RstStream(1, ErrorCode::kCancel);
  std::vector<Frame> out = Feed();
  EXPECT_EQ(FindFrame(out, FrameType::kData), nullptr) << Summary(out);
  EXPECT_THAT(s.visitor.closed, ElementsAre(std::make_pair(1u, ErrorCode::kCancel)));
  EXPECT_FALSE(s.session.WantWrite());
}

// --- §6.3 PRIORITY length ---

TEST_F(ServerStreamsTest, PriorityWithBadLengthResetsTheStream) {
  s.peer.Headers(1, Get(), 0).Raw(FrameType::kPriority, 0, 1, "1234");
  std::vector<Frame> out = Feed();
  ExpectRst(out, 1, ErrorCode::kFrameSizeError);
  EXPECT_EQ(s.session.stats().glitches, 1u);
}

TEST_F(ServerStreamsTest, PriorityWithBadLengthOnIdleStreamEndsTheConnection) {
  // RST_STREAM cannot be sent for an idle stream (§6.4), so the stream error is raised to
  // a connection error (§5.4.1).
  s.peer.Raw(FrameType::kPriority, 0, 9, "123456");
  Feed();
  ExpectConnectionError(s, ErrorCode::kFrameSizeError, Error::kBadFrameLength);
}

// --- Client side (§5.1 from the client's view) ---

TEST(ClientStreamsTest, ResponseOnUnopenedStreamIsProtocolError) {
  RawPeer c(Perspective::kClient);
  c.Handshake();
  c.peer.Headers(1, {{":status", "200"}}, kFlagEndStream);
  c.Feed(c.peer);
  ExpectConnectionError(c, ErrorCode::kProtocolError, Error::kIdleStream);
}

TEST(ClientStreamsTest, ServerCannotOpenStreamsWithHeaders) {
  RawPeer c(Perspective::kClient);
  c.Handshake();
  c.peer.Headers(2, {{":status", "200"}}, kFlagEndStream);
  c.Feed(c.peer);
  ExpectConnectionError(c, ErrorCode::kProtocolError, Error::kIdleStream);
}

TEST(ClientStreamsTest, DataBeforeResponseHeadersIsMalformed) {
  RawPeer c(Perspective::kClient);
  c.Handshake();
  const Header req[] = {
      {":method", "GET"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/"}};
  ASSERT_TRUE(c.session.SubmitRequest(req).ok());
  c.Drain();
  c.peer.Data(1, "x", kFlagEndStream);
  ExpectRst(c.Feed(c.peer), 1, ErrorCode::kProtocolError);
  EXPECT_EQ(c.visitor.stream_errors[0].error, Error::kMalformedMessage);
}

TEST(ClientStreamsTest, ClientIdsAreOddAndIncreasing) {
  RawPeer c(Perspective::kClient);
  c.Handshake();
  const Header req[] = {
      {":method", "GET"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/"}};
  EXPECT_EQ(*c.session.SubmitRequest(req), 1u);
  EXPECT_EQ(*c.session.SubmitRequest(req), 3u);
  std::vector<Frame> out = c.Drain();
  ASSERT_NE(FindFrame(out, FrameType::kHeaders, 1), nullptr);
  ASSERT_NE(FindFrame(out, FrameType::kHeaders, 3), nullptr);
  EXPECT_TRUE(FindFrame(out, FrameType::kHeaders, 1)->header.has(kFlagEndStream));
}

// --- API use from callbacks and between partial frames ---

TEST(SessionApiTest, ResetBetweenTwoHalvesOfADataFrame) {
  SessionOptions o;
  o.max_closed_streams = 0;  // the stream record is dropped at once
  RawPeer s(Perspective::kServer, o);
  s.Handshake();
  s.peer.Headers(1, Get(), 0).Data(1, std::string(1000, 'a'));
  const std::string wire = s.peer.Take();
  s.session.Receive(absl::string_view(wire).substr(0, wire.size() - 500));
  ASSERT_TRUE(s.session.SubmitRstStream(1, ErrorCode::kCancel).ok());
  s.session.Receive(absl::string_view(wire).substr(wire.size() - 500));
  EXPECT_EQ(s.visitor.bodies[1].size(), 500u);  // nothing after the reset
  EXPECT_FALSE(s.session.connection_error().has_value());
  s.peer.Headers(3, Get(), kFlagEndStream);
  s.Feed(s.peer);
  EXPECT_EQ(s.visitor.headers.size(), 2u);
}

TEST(SessionApiTest, DataSourceResettingItsStream) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  struct Resetter : DataSource {
    Session* session = nullptr;
    Result Read(uint32_t id, char* dest, size_t max) override {
      EXPECT_TRUE(session->SubmitRstStream(id, ErrorCode::kInternalError).ok());
      Result r;
      r.length = std::min<size_t>(max, 10);
      return r;
    }
  } body;
  body.session = &s.session;
  s.peer.Headers(1, Get(), kFlagEndStream);
  s.Feed(s.peer);
  const Header resp[] = {{":status", "200"}};
  ASSERT_TRUE(s.session.SubmitResponse(1, resp, &body).ok());
  std::vector<Frame> out = s.Drain();
  EXPECT_EQ(FindFrame(out, FrameType::kData), nullptr) << Summary(out);
  ExpectRst(out, 1, ErrorCode::kInternalError);
}

TEST(SessionApiTest, ReceiveAndSendAreNotReentrant) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  size_t inner = 99;
  s.visitor.on_headers = [&](const ReceivedHeaders&) {
    std::string out;
    inner = s.session.Receive("x") + s.session.Send(&out);
  };
  s.peer.Headers(1, Get(), kFlagEndStream);
  s.Feed(s.peer);
  EXPECT_EQ(inner, 0u);
}

TEST(SessionApiTest, GoAwayWithAnErrorClosesEveryStream) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.peer.Headers(1, Get(), 0).Headers(3, Get(), kFlagEndStream);
  s.Feed(s.peer);
  s.session.SubmitGoAway(ErrorCode::kInternalError, "bye");
  std::vector<Frame> out = s.Drain();
  const Frame* g = FindFrame(out, FrameType::kGoAway);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->last_stream_id, 3u);
  EXPECT_EQ(g->payload, "bye");
  EXPECT_THAT(s.visitor.closed, ElementsAre(std::make_pair(1u, ErrorCode::kInternalError),
                                            std::make_pair(3u, ErrorCode::kInternalError)));
  EXPECT_FALSE(s.session.WantRead());
  EXPECT_FALSE(s.session.WantWrite());
}

}  // namespace
}  // namespace http2
