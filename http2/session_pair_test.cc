// A client session talking to a server session in memory (RFC 9113 §3.4 preface and
// SETTINGS exchange, §5.1 stream life cycle, §5.2/§6.9 flow control on large bodies, §8.1
// requests, responses, 1xx and trailers, §8.4 server push, §6.7 PING, §6.8 graceful
// shutdown, §6.5.3 settings synchronization).
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http2/session.h"
#include "http2/testing.h"

namespace http2 {
namespace {

using ::testing::ElementsAre;

const Header kGet[] = {{":method", "GET"},
                       {":scheme", "https"},
                       {":authority", "example.org"},
                       {":path", "/index.html"}};

TEST(SessionPairTest, PrefaceAndSettingsExchange) {
  SessionPair p;
  p.Exchange();
  EXPECT_EQ(p.client_visitor.settings_acks, 1);
  EXPECT_EQ(p.server_visitor.settings_acks, 1);
  ASSERT_EQ(p.server_visitor.settings.size(), 1u);
  EXPECT_EQ(p.server.peer_settings().enable_push, 0u);  // the client disabled push
  EXPECT_EQ(p.client.peer_settings().max_concurrent_streams, 100u);
  EXPECT_FALSE(p.client.WantWrite());
  EXPECT_FALSE(p.server.WantWrite());
  EXPECT_TRUE(p.client.WantRead());
  EXPECT_FALSE(p.client.connection_error().has_value());
}

TEST(SessionPairTest, GetWithResponseBody) {
  SessionPair p;
  StringSource body("hello, world");
  p.server_visitor.on_end_stream = [&](uint32_t id) {
    const Header resp[] = {{":status", "200"}, {"content-type", "text/plain"}};
    ASSERT_TRUE(p.server.SubmitResponse(id, resp, &body).ok());
  };
  auto id = p.client.SubmitRequest(kGet);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, 1u);
  p.Exchange();
  ASSERT_EQ(p.server_visitor.headers.size(), 1u);
  const RecordedHeaders& req = p.server_visitor.headers[0];
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.path, "/index.html");
  EXPECT_TRUE(req.end_stream);
  const RecordedHeaders* resp = p.client_visitor.HeadersFor(1);
  ASSERT_NE(resp, nullptr);
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(p.client_visitor.bodies[1], "hello, world");
  EXPECT_THAT(p.client_visitor.closed, ElementsAre(std::make_pair(1u, ErrorCode::kNoError)));
  EXPECT_THAT(p.server_visitor.closed, ElementsAre(std::make_pair(1u, ErrorCode::kNoError)));
  EXPECT_EQ(p.client.stream_state(1), StreamState::kClosed);
}

// A source that hands out `total` octets in pieces, pausing ("nothing now") every
// `pause_every` octets until resumed.
class PatternSource : public DataSource {
 public:
  PatternSource(size_t total, size_t pause_every = 0) : total_(total), pause_every_(pause_every) {}
  Result Read(uint32_t, char* dest, size_t max) override {
    Result r;
    if (paused_) return r;
    size_t n = std::min(max, total_ - sent_);
    if (pause_every_ > 0) n = std::min(n, pause_every_ - sent_ % pause_every_);
    for (size_t i = 0; i < n; ++i) dest[i] = static_cast<char>('a' + (sent_ + i) % 26);
    sent_ += n;
    r.length = n;
    r.end = sent_ == total_;
    if (pause_every_ > 0 && sent_ % pause_every_ == 0 && !r.end) paused_ = true;
    ++reads;
    return r;
  }
  void Unpause() { paused_ = false; }
  bool paused() const { return paused_; }
  int reads = 0;
  size_t sent() const { return sent_; }

 private:
  size_t total_;
  size_t pause_every_;
  size_t sent_ = 0;
  bool paused_ = false;
};

std::string Pattern(size_t n) {
  std::string s(n, 'x');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + i % 26);
  return s;
}

// §5.2, §6.9: a body far larger than every window crosses in both directions; the receive
// windows are reopened by WINDOW_UPDATEs as the data is consumed.
TEST(SessionPairTest, LargeBodiesBothWaysUnderFlowControl) {
  SessionPair p;
  const size_t kSize = 1 << 20;
  PatternSource upload(kSize), download(kSize);
  p.server_visitor.on_end_stream = [&](uint32_t id) {
    const Header resp[] = {{":status", "200"}};
    ASSERT_TRUE(p.server.SubmitResponse(id, resp, &download).ok());
  };
  const Header post[] = {
      {":method", "POST"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/upload"}};
  ASSERT_TRUE(p.client.SubmitRequest(post, &upload).ok());
  p.Exchange();
  EXPECT_EQ(p.server_visitor.bodies[1], Pattern(kSize));
  EXPECT_EQ(p.client_visitor.bodies[1], Pattern(kSize));
  EXPECT_TRUE(p.client_visitor.IsClosed(1));
  EXPECT_FALSE(p.client.connection_error().has_value());
  EXPECT_FALSE(p.server.connection_error().has_value());
  // The receive window is reopened as data is consumed: less than half of it is owed.
  EXPECT_GT(p.client.connection_receive_window(), 65535 / 2);
  EXPECT_LE(p.client.connection_receive_window(), 65535);
}

// With auto_consume off, nothing beyond the window arrives until the application consumes.
TEST(SessionPairTest, ManualConsumeHoldsTheWindow) {
  SessionOptions server;
  server.auto_consume = false;
  SessionPair p({}, server);
  PatternSource upload(200000);
  const Header post[] = {
      {":method", "POST"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/"}};
  ASSERT_TRUE(p.client.SubmitRequest(post, &upload).ok());
  p.Exchange();
  EXPECT_EQ(p.server_visitor.bodies[1].size(), 65535u);
  EXPECT_EQ(p.server.stream_receive_window(1), 0);
  EXPECT_FALSE(p.client.WantWrite());
  ASSERT_TRUE(p.server.Consume(1, 65535).ok());
  p.Exchange();
  EXPECT_EQ(p.server_visitor.bodies[1].size(), 131070u);
  EXPECT_FALSE(p.server.Consume(1, 70000).ok());  // more than it has
  while (!p.server_visitor.IsClosed(1) && p.server_visitor.bodies[1].size() < 200000) {
    ASSERT_TRUE(p.server.Consume(1, 65535).ok());
    p.Exchange();
  }
  EXPECT_EQ(p.server_visitor.bodies[1], Pattern(200000));
}

// §8.1: interim responses, then the final one, the body, and trailers.
TEST(SessionPairTest, InformationalResponseBodyAndTrailers) {
  SessionPair p;
  PatternSource body(1000);
  p.server_visitor.on_headers = [&](const ReceivedHeaders& h) {
    const Header cont[] = {{":status", "103"}, {"link", "</style.css>; rel=preload"}};
    ASSERT_TRUE(p.server.SubmitInformational(h.stream_id, cont).ok());
  };
  p.server_visitor.on_end_stream = [&](uint32_t id) {
    const Header resp[] = {{":status", "200"}, {"trailer", "x-checksum"}};
    ASSERT_TRUE(p.server.SubmitResponse(id, resp, &body).ok());
    const Header trailers[] = {{"x-checksum", "42"}};
    ASSERT_TRUE(p.server.SubmitTrailers(id, trailers).ok());
  };
  ASSERT_TRUE(p.client.SubmitRequest(kGet).ok());
  p.Exchange();
  ASSERT_EQ(p.client_visitor.headers.size(), 3u);
  EXPECT_EQ(p.client_visitor.headers[0].kind, HeadersKind::kInformational);
  EXPECT_EQ(p.client_visitor.headers[0].status, 103);
  EXPECT_EQ(p.client_visitor.headers[1].kind, HeadersKind::kResponse);
  EXPECT_EQ(p.client_visitor.headers[2].kind, HeadersKind::kTrailers);
  EXPECT_TRUE(p.client_visitor.headers[2].end_stream);
  EXPECT_EQ(p.client_visitor.headers[2].fields[0].value, "42");
  EXPECT_EQ(p.client_visitor.bodies[1].size(), 1000u);
  EXPECT_TRUE(p.client_visitor.IsClosed(1));
}

// Trailers decided after the body (gRPC-style status): the source ends with
// trailers_follow.
TEST(SessionPairTest, TrailersAfterTheBodyEnds) {
  class BodyThenTrailers : public DataSource {
   public:
    Result Read(uint32_t, char* dest, size_t max) override {
      std::memcpy(dest, "ok", 2);
      Result r;
      r.length = 2;
      r.end = true;
      r.trailers_follow = true;
      return r;
    }
  } body;
  SessionPair p;
  p.server_visitor.on_end_stream = [&](uint32_t id) {
    const Header resp[] = {{":status", "200"}};
    ASSERT_TRUE(p.server.SubmitResponse(id, resp, &body).ok());
  };
  ASSERT_TRUE(p.client.SubmitRequest(kGet).ok());
  p.Exchange();
  EXPECT_EQ(p.client_visitor.bodies[1], "ok");
  EXPECT_FALSE(p.client_visitor.IsClosed(1));
  const Header trailers[] = {{"grpc-status", "0"}};
  ASSERT_TRUE(p.server.SubmitTrailers(1, trailers).ok());
  p.Exchange();
  EXPECT_TRUE(p.client_visitor.IsClosed(1));
  EXPECT_EQ(p.client_visitor.headers.back().kind, HeadersKind::kTrailers);
}

// A source that has nothing now waits for ResumeData().
TEST(SessionPairTest, DeferredSourceResumes) {
  SessionPair p;
  PatternSource body(30000, 10000);
  p.server_visitor.on_end_stream = [&](uint32_t id) {
    const Header resp[] = {{":status", "200"}};
    ASSERT_TRUE(p.server.SubmitResponse(id, resp, &body).ok());
  };
  ASSERT_TRUE(p.client.SubmitRequest(kGet).ok());
  p.Exchange();
  EXPECT_EQ(p.client_visitor.bodies[1].size(), 10000u);
  EXPECT_FALSE(p.server.WantWrite());
  for (int i = 0; i < 2; ++i) {
    body.Unpause();
    ASSERT_TRUE(p.server.ResumeData(1).ok());
    EXPECT_TRUE(p.server.WantWrite());
    p.Exchange();
  }
  EXPECT_EQ(p.client_visitor.bodies[1], Pattern(30000));
  EXPECT_TRUE(p.client_visitor.IsClosed(1));
}

// Many streams at once; each gets its own response; round robin shares the connection.
TEST(SessionPairTest, ManyConcurrentStreams) {
  SessionPair p;
  std::vector<std::unique_ptr<PatternSource>> bodies;
  p.server_visitor.on_end_stream = [&](uint32_t id) {
    bodies.push_back(std::make_unique<PatternSource>(id * 100));
    const Header resp[] = {{":status", "200"}};
    ASSERT_TRUE(p.server.SubmitResponse(id, resp, bodies.back().get()).ok());
  };
  std::vector<uint32_t> ids;
  for (int i = 0; i < 50; ++i) {
    auto id = p.client.SubmitRequest(kGet);
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
  }
  p.Exchange();
  for (uint32_t id : ids) {
    EXPECT_EQ(p.client_visitor.bodies[id], Pattern(id * 100)) << id;
    EXPECT_TRUE(p.client_visitor.IsClosed(id)) << id;
  }
  EXPECT_EQ(p.server.stats().active_streams, 0u);
}

// §5.1.2: the server refuses streams over its limit; the client hears REFUSED_STREAM and
// afterwards respects the limit it learned.
TEST(SessionPairTest, ConcurrencyLimit) {
  SessionOptions server;
  server.max_concurrent_streams = 2;
  SessionPair p({}, server);
  // Before the server's SETTINGS arrive, the client does not know the limit.
  const Header post[] = {
      {":method", "POST"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/"}};
  PatternSource a(10, 5), b(10, 5), c(10, 5);
  ASSERT_TRUE(p.client.SubmitRequest(post, &a).ok());
  ASSERT_TRUE(p.client.SubmitRequest(post, &b).ok());
  ASSERT_TRUE(p.client.SubmitRequest(post, &c).ok());
  p.Exchange();
  EXPECT_THAT(p.client_visitor.closed,
              ::testing::ElementsAre(std::make_pair(5u, ErrorCode::kRefusedStream)));
  EXPECT_EQ(p.server.stats().streams_refused, 1u);
  auto more = p.client.SubmitRequest(kGet);
  EXPECT_EQ(more.status().code(), absl::StatusCode::kResourceExhausted);
}

// §8.4: a pushed response, promised on the request's stream.
TEST(SessionPairTest, ServerPush) {
  SessionOptions client;
  client.enable_push = true;
  SessionPair p(client);
  p.Exchange();
  StringSource pushed("body{}"), page("<html>");
  p.server_visitor.on_end_stream = [&](uint32_t id) {
    const Header promise[] = {{":method", "GET"},
                              {":scheme", "https"},
                              {":authority", "example.org"},
                              {":path", "/style.css"}};
    auto promised = p.server.SubmitPushPromise(id, promise);
    ASSERT_TRUE(promised.ok()) << promised.status();
    const Header resp[] = {{":status", "200"}};
    ASSERT_TRUE(p.server.SubmitResponse(id, resp, &page).ok());
    ASSERT_TRUE(p.server.SubmitResponse(*promised, resp, &pushed).ok());
  };
  ASSERT_TRUE(p.client.SubmitRequest(kGet).ok());
  p.Exchange();
  ASSERT_GE(p.client_visitor.headers.size(), 3u);
  EXPECT_EQ(p.client_visitor.headers[0].kind, HeadersKind::kPushRequest);
  EXPECT_EQ(p.client_visitor.headers[0].stream_id, 2u);
  EXPECT_EQ(p.client_visitor.headers[0].associated_stream_id, 1u);
  EXPECT_EQ(p.client_visitor.headers[0].path, "/style.css");
  EXPECT_EQ(p.client_visitor.bodies[2], "body{}");
  EXPECT_EQ(p.client_visitor.bodies[1], "<html>");
  EXPECT_TRUE(p.client_visitor.IsClosed(2));
  EXPECT_TRUE(p.client_visitor.IsClosed(1));
}

TEST(SessionPairTest, PushRefusedWhenTheClientDisabledIt) {
  SessionPair p;  // clients disable push by default
  p.Exchange();
  ASSERT_TRUE(p.client.SubmitRequest(kGet).ok());
  p.Exchange();
  const Header promise[] = {
      {":method", "GET"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/x"}};
  auto r = p.server.SubmitPushPromise(1, promise);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SessionPairTest, ResetByTheClient) {
  SessionPair p;
  PatternSource body(1 << 20);
  p.server_visitor.on_end_stream = [&](uint32_t id) {
    const Header resp[] = {{":status", "200"}};
    ASSERT_TRUE(p.server.SubmitResponse(id, resp, &body).ok());
  };
  ASSERT_TRUE(p.client.SubmitRequest(kGet).ok());
  p.ClientToServer();
  p.ServerToClient();
  ASSERT_TRUE(p.client.SubmitRstStream(1, ErrorCode::kCancel).ok());
  p.Exchange();
  EXPECT_THAT(p.server_visitor.closed,
              ::testing::ElementsAre(std::make_pair(1u, ErrorCode::kCancel)));
  EXPECT_THAT(p.client_visitor.closed,
              ::testing::ElementsAre(std::make_pair(1u, ErrorCode::kCancel)));
  EXPECT_LT(body.sent(), size_t{1} << 20);
  EXPECT_FALSE(p.client.connection_error().has_value());
  EXPECT_FALSE(p.server.connection_error().has_value());
}

TEST(SessionPairTest, GracefulShutdownLetsStreamsFinish) {
  SessionPair p;
  PatternSource body(100000);
  ASSERT_TRUE(p.client.SubmitRequest(kGet).ok());
  p.ClientToServer();
  p.server.SubmitShutdownNotice();
  const Header resp[] = {{":status", "200"}};
  ASSERT_TRUE(p.server.SubmitResponse(1, resp, &body).ok());
  p.Exchange();
  EXPECT_EQ(p.client_visitor.bodies[1].size(), 100000u);
  ASSERT_EQ(p.client_visitor.goaways.size(), 2u);
  EXPECT_EQ(p.client_visitor.goaways[0].last_stream_id, kMaxStreamId);
  EXPECT_EQ(p.client_visitor.goaways[1].last_stream_id, 1u);
  EXPECT_FALSE(p.client.WantRead());
  EXPECT_FALSE(p.server.WantRead());
  EXPECT_FALSE(p.server.WantWrite());
  EXPECT_FALSE(p.client.SubmitRequest(kGet).ok());
}

TEST(SessionPairTest, SettingsChangeMidConnection) {
  SessionPair p;
  p.Exchange();
  ASSERT_TRUE(
      p.server
          .SubmitSettings({{kSettingsInitialWindowSize, 1 << 20}, {kSettingsMaxFrameSize, 1 << 16}})
          .ok());
  p.Exchange();
  EXPECT_EQ(p.server.local_settings().initial_window_size, 1u << 20);
  EXPECT_EQ(p.client.peer_settings().max_frame_size, 1u << 16);
  EXPECT_EQ(p.server_visitor.settings_acks, 2);
}

TEST(SessionPairTest, StreamUserData) {
  SessionPair p;
  int tag = 7;
  auto id = p.client.SubmitRequest(kGet, nullptr, &tag);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(p.client.GetStreamUserData(*id), &tag);
  int other = 8;
  ASSERT_TRUE(p.client.SetStreamUserData(*id, &other).ok());
  EXPECT_EQ(p.client.GetStreamUserData(*id), &other);
  EXPECT_FALSE(p.client.SetStreamUserData(99, &other).ok());
  EXPECT_EQ(p.client.GetStreamUserData(99), nullptr);
}

TEST(SessionPairTest, SubmittedHeadersAreValidatedWhenAsked) {
  SessionOptions o;
  o.validate_submitted_headers = true;
  SessionPair p(o);
  const Header upper[] = {{":method", "GET"},
                          {":scheme", "https"},
                          {":authority", "a"},
                          {":path", "/"},
                          {"X-Upper", "1"}};
  EXPECT_EQ(p.client.SubmitRequest(upper).status().code(), absl::StatusCode::kInvalidArgument);
  const Header no_path[] = {{":method", "GET"}, {":scheme", "https"}, {":authority", "a"}};
  EXPECT_FALSE(p.client.SubmitRequest(no_path).ok());
  EXPECT_EQ(p.client.stats().streams_opened, 0u);
}

}  // namespace
}  // namespace http2
