// Server push, by RFC 9113 section:
//   §5.1 reserved (remote) state; §5.1.1 promised stream identifiers
//   §6.5.2 SETTINGS_ENABLE_PUSH (acknowledged 0: connection error)
//   §6.6 PUSH_PROMISE (associated stream state, promised id, a client cannot push)
//   §8.4, §8.4.1, §8.4.2 promised requests (safe, no content) and pushed responses
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http2/session.h"
#include "http2/session_test_util.h"

namespace http2 {
namespace {

using test::FindFrame;
using test::RawPeer;
using test::Summary;
using ::testing::HasSubstr;

const FieldList kPromise = {{":method", "GET"},
                            {":scheme", "https"},
                            {":authority", "example.org"},
                            {":path", "/style.css"}};

class ClientPushTest : public ::testing::Test {
 protected:
  explicit ClientPushTest(bool enable_push = true) : c(Perspective::kClient, Options(enable_push)) {
    c.Handshake();
    const Header req[] = {
        {":method", "GET"}, {":scheme", "https"}, {":authority", "example.org"}, {":path", "/"}};
    EXPECT_EQ(*c.session.SubmitRequest(req), 1u);
    c.Drain();
  }
  static SessionOptions Options(bool enable_push) {
    SessionOptions o;
    o.enable_push = enable_push;
    return o;
  }
  std::vector<Frame> Feed() { return c.Feed(c.peer); }
  void ExpectConnectionError(Error e) {
    Feed();
    test::ExpectConnectionError(c, ErrorCode::kProtocolError, e);
  }
  RawPeer c;
};

TEST_F(ClientPushTest, PromiseThenPushedResponse) {
  c.peer.PushPromise(1, 2, kPromise);
  Feed();
  ASSERT_EQ(c.visitor.headers.size(), 1u);
  EXPECT_EQ(c.visitor.headers[0].kind, HeadersKind::kPushRequest);
  EXPECT_EQ(c.visitor.headers[0].associated_stream_id, 1u);
  EXPECT_EQ(c.visitor.headers[0].path, "/style.css");
  EXPECT_EQ(c.session.stream_state(2), StreamState::kReservedRemote);
  c.peer.Headers(2, {{":status", "200"}}, 0).Data(2, "css", kFlagEndStream);
  Feed();
  EXPECT_EQ(c.visitor.headers.back().kind, HeadersKind::kResponse);
  EXPECT_EQ(c.visitor.bodies[2], "css");
  EXPECT_TRUE(c.visitor.IsClosed(2));
  EXPECT_FALSE(c.visitor.IsClosed(1));
}

TEST_F(ClientPushTest, PromisedIdMustBeEvenAndIncreasing) {
  c.peer.PushPromise(1, 3, kPromise);
  ExpectConnectionError(Error::kBadStreamId);
}

TEST_F(ClientPushTest, PromisedIdCannotGoBack) {
  c.peer.PushPromise(1, 4, kPromise).PushPromise(1, 2, kPromise);
  ExpectConnectionError(Error::kBadStreamId);
}

TEST_F(ClientPushTest, PromiseOnAClosedStreamIsConnectionError) {
  c.peer.Headers(1, {{":status", "200"}}, kFlagEndStream);
  Feed();
  EXPECT_EQ(c.session.stream_state(1), StreamState::kClosed);
  c.peer.PushPromise(1, 2, kPromise);
  ExpectConnectionError(Error::kBadStreamId);
}

TEST_F(ClientPushTest, PromiseOnAStreamWeResetIsRefused) {
  ASSERT_TRUE(c.session.SubmitRstStream(1, ErrorCode::kCancel).ok());
  c.Drain();
  c.peer.PushPromise(1, 2, kPromise);
  std::vector<Frame> out = Feed();
  const Frame* rst = FindFrame(out, FrameType::kRstStream, 2);
  ASSERT_NE(rst, nullptr) << Summary(out);
  EXPECT_EQ(rst->error_code, static_cast<uint32_t>(ErrorCode::kCancel));
  EXPECT_FALSE(c.session.connection_error().has_value());
}

TEST_F(ClientPushTest, UnsafeMethodIsResetOnThePromisedStream) {  // §8.4.1
  c.peer.PushPromise(
      1, 2, {{":method", "POST"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/"}});
  std::vector<Frame> out = Feed();
  const Frame* rst = FindFrame(out, FrameType::kRstStream, 2);
  ASSERT_NE(rst, nullptr) << Summary(out);
  EXPECT_EQ(rst->error_code, static_cast<uint32_t>(ErrorCode::kProtocolError));
  EXPECT_THAT(c.visitor.stream_errors.back().message, HasSubstr("safe"));
  EXPECT_TRUE(c.visitor.headers.empty());
}

TEST_F(ClientPushTest, OnlyHeadersRstPriorityOnReservedRemote) {  // §5.1
  c.peer.PushPromise(1, 2, kPromise).Priority(2, 0).Data(2, "x");
  ExpectConnectionError(Error::kReservedStream);
}

TEST_F(ClientPushTest, WindowUpdateOnReservedRemoteIsConnectionError) {
  c.peer.PushPromise(1, 2, kPromise).WindowUpdate(2, 1);
  ExpectConnectionError(Error::kReservedStream);
}

TEST_F(ClientPushTest, ResetOfAReservedStream) {
  c.peer.PushPromise(1, 2, kPromise).RstStream(2, ErrorCode::kCancel);
  Feed();
  EXPECT_THAT(c.visitor.closed, ::testing::ElementsAre(std::make_pair(2u, ErrorCode::kCancel)));
  EXPECT_EQ(c.session.stats().active_streams, 1u);  // stream 1
}

class ClientNoPushTest : public ClientPushTest {
 protected:
  ClientNoPushTest() : ClientPushTest(false) {}
};

TEST_F(ClientNoPushTest, PushAfterEnablePushZeroAcknowledgedIsConnectionError) {  // §6.5.2
  c.peer.PushPromise(1, 2, kPromise);
  ExpectConnectionError(Error::kPushDisabled);
}

TEST(ClientPushRaceTest, PushBeforeOurSettingsAreAcknowledgedIsRefused) {
  RawPeer c(Perspective::kClient);  // advertises ENABLE_PUSH=0
  c.Drain();
  const Header req[] = {
      {":method", "GET"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/"}};
  ASSERT_TRUE(c.session.SubmitRequest(req).ok());
  c.Drain();
  c.peer.Settings({}).PushPromise(1, 2, kPromise);  // no ACK yet
  std::vector<Frame> out = c.Feed(c.peer);
  const Frame* rst = FindFrame(out, FrameType::kRstStream, 2);
  ASSERT_NE(rst, nullptr) << Summary(out);
  EXPECT_EQ(rst->error_code, static_cast<uint32_t>(ErrorCode::kRefusedStream));
  EXPECT_FALSE(c.session.connection_error().has_value());
  EXPECT_TRUE(c.visitor.headers.empty());
}

TEST(ServerPushTest, AClientCannotPush) {  // §8.4
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.peer.Headers(1, test::Get(), 0).PushPromise(1, 2, kPromise);
  s.Feed(s.peer);
  test::ExpectConnectionError(s, ErrorCode::kProtocolError, Error::kUnexpectedFrame);
}

TEST(ServerPushTest, PromisesNeedAnOpenClientStreamAndPushEnabled) {
  RawPeer s(Perspective::kServer);
  s.Handshake({{kSettingsEnablePush, 1}});
  s.peer.Headers(1, test::Get(), kFlagEndStream);
  s.Feed(s.peer);
  const Header promise[] = {
      {":method", "GET"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/x"}};
  auto p1 = s.session.SubmitPushPromise(1, promise);
  auto p2 = s.session.SubmitPushPromise(1, promise);
  ASSERT_TRUE(p1.ok() && p2.ok());
  EXPECT_EQ(*p1, 2u);
  EXPECT_EQ(*p2, 4u);
  std::vector<Frame> out = s.Drain();
  const Frame* pp = FindFrame(out, FrameType::kPushPromise, 1);
  ASSERT_NE(pp, nullptr) << Summary(out);
  EXPECT_EQ(pp->promised_stream_id, 2u);
  // Not on a stream the server has finished (§6.6), nor a request that is not safe.
  const Header resp[] = {{":status", "200"}};
  ASSERT_TRUE(s.session.SubmitResponse(1, resp).ok());
  EXPECT_FALSE(s.session.SubmitPushPromise(1, promise).ok());
  const Header post[] = {
      {":method", "POST"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/x"}};
  s.peer.Headers(3, test::Get(), kFlagEndStream);
  s.Feed(s.peer);
  EXPECT_EQ(s.session.SubmitPushPromise(3, post).status().code(),
            absl::StatusCode::kInvalidArgument);
  // The client turns push off: no more promises.
  s.peer.Settings({{kSettingsEnablePush, 0}});
  s.Feed(s.peer);
  EXPECT_FALSE(s.session.SubmitPushPromise(3, promise).ok());
}

}  // namespace
}  // namespace http2
