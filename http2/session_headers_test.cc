// Field blocks and HTTP messages, by RFC 9113 section:
//   §4.3 field section compression (decoding errors: COMPRESSION_ERROR; the context stays in
//        sync when a message is rejected)
//   §4.3.1 compression state (SETTINGS_HEADER_TABLE_SIZE applies once acknowledged)
//   §6.2 HEADERS (padding, priority fields, END_STREAM with CONTINUATION)
//   §6.10 CONTINUATION (assembly; interleaving)
//   §8.1 message framing (trailers end the stream; 1xx before the final response)
//   §8.1.1 malformed messages: stream error PROTOCOL_ERROR, never delivered; content-length
//   §8.2.1, §8.2.2 field validity and connection-specific fields
//   §8.2.3 cookie crumbs joined
//   §8.3, §8.3.1, §8.3.2 pseudo-header fields; host and :authority
//   §8.5 CONNECT; RFC 8441 §4 extended CONNECT; §8.6 no 101
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http2/session.h"
#include "http2/session_test_util.h"

namespace http2 {
namespace {

using test::FindFrame;
using test::Get;
using test::RawPeer;
using test::Summary;
using ::testing::HasSubstr;

class ServerHeadersTest : public ::testing::Test {
 protected:
  explicit ServerHeadersTest(SessionOptions o = {}) : s(Perspective::kServer, o) { s.Handshake(); }
  std::vector<Frame> Feed() { return s.Feed(s.peer); }
  // Feeds one request and expects it to be reset as malformed, with `why` in the message.
  // `delivered`: field sections of the stream that were valid and reached the Visitor
  // before the malformed part (a request before its bad trailers or body).
  void ExpectMalformed(uint32_t stream_id, absl::string_view why, size_t delivered_before = 0) {
    const size_t delivered = s.visitor.headers.size() + delivered_before;
    std::vector<Frame> out = Feed();
    const Frame* rst = FindFrame(out, FrameType::kRstStream, stream_id);
    ASSERT_NE(rst, nullptr) << Summary(out);
    EXPECT_EQ(rst->error_code, static_cast<uint32_t>(ErrorCode::kProtocolError));
    EXPECT_EQ(FindFrame(out, FrameType::kGoAway), nullptr) << Summary(out);
    ASSERT_FALSE(s.visitor.stream_errors.empty());
    EXPECT_EQ(s.visitor.stream_errors.back().error, Error::kMalformedMessage);
    EXPECT_THAT(s.visitor.stream_errors.back().message, HasSubstr(std::string(why)));
    EXPECT_EQ(s.visitor.headers.size(), delivered) << "a malformed request was delivered";
  }
  RawPeer s;
};

// --- §4.3 ---

TEST_F(ServerHeadersTest, DecodingErrorIsCompressionError) {
  s.peer.HeadersFragment(1, std::string("\x80", 1), kFlagEndHeaders | kFlagEndStream);
  std::vector<Frame> out = Feed();
  const Frame* g = FindFrame(out, FrameType::kGoAway);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->error_code, static_cast<uint32_t>(ErrorCode::kCompressionError));
  EXPECT_EQ(s.session.connection_error()->error, Error::kCompression);
  EXPECT_THAT(s.session.connection_error()->message, HasSubstr("RFC 7541 §6.1"));
}

TEST_F(ServerHeadersTest, RejectedMessagesKeepTheHpackContextInSync) {
  // The first request adds entries to the dynamic table and is malformed (uppercase name);
  // the second refers to them.
  s.peer.Headers(1,
                 {{":method", "GET"},
                  {":scheme", "https"},
                  {":authority", "example.org"},
                  {":path", "/"},
                  {"x-custom", "v"},
                  {"X-Bad", "1"}},
                 kFlagEndStream);
  ExpectMalformed(1, "uppercase");
  s.peer.Headers(3,
                 {{":method", "GET"},
                  {":scheme", "https"},
                  {":authority", "example.org"},
                  {":path", "/"},
                  {"x-custom", "v"}},
                 kFlagEndStream);
  Feed();
  ASSERT_EQ(s.visitor.headers.size(), 1u);
  EXPECT_EQ(s.visitor.headers[0].fields.back().value, "v");
}

TEST_F(ServerHeadersTest, HeaderTableSizeReductionAppliesOnAcknowledgement) {  // §4.3.1
  ASSERT_TRUE(s.session.SubmitSettings({{kSettingsHeaderTableSize, 0}}).ok());
  s.Drain();
  s.peer.SettingsAck();
  Feed();
  // The peer's next block must start with a size update (RFC 7541 §4.2).
  s.peer.Headers(1, Get(), kFlagEndStream);  // the builder's encoder was not told
  std::vector<Frame> out = Feed();
  ASSERT_NE(FindFrame(out, FrameType::kGoAway), nullptr) << Summary(out);
  EXPECT_THAT(s.session.connection_error()->message, HasSubstr("dynamic table size update"));
  RawPeer t(Perspective::kServer);
  t.Handshake();
  ASSERT_TRUE(t.session.SubmitSettings({{kSettingsHeaderTableSize, 0}}).ok());
  t.peer.SettingsAck();
  t.peer.deflater().ChangeTableSize(0);
  t.peer.Headers(1, Get(), kFlagEndStream);
  t.Feed(t.peer);
  EXPECT_FALSE(t.session.connection_error().has_value());
  EXPECT_EQ(t.visitor.headers.size(), 1u);
}

// --- §6.2, §6.10 ---

TEST_F(ServerHeadersTest, FieldBlockOverContinuationsWithPaddingAndPriority) {
  HeadersOptions o;
  o.max_fragment = 5;
  o.pad_length = 7;
  o.priority = PrioritySpec{0, false, 200};
  s.peer.Headers(1, Get("/a/rather/long/path"), kFlagEndStream, o);
  Feed();
  ASSERT_EQ(s.visitor.headers.size(), 1u);
  EXPECT_EQ(s.visitor.headers[0].path, "/a/rather/long/path");
  EXPECT_TRUE(s.visitor.headers[0].end_stream);  // END_STREAM was on the HEADERS frame
  EXPECT_EQ(s.session.stream_state(1), StreamState::kHalfClosedRemote);
}

TEST_F(ServerHeadersTest, NothingIsDeliveredBeforeEndHeaders) {
  HeadersOptions open;
  open.end_headers = false;
  s.peer.Headers(1, Get(), kFlagEndStream, open);
  Feed();
  EXPECT_TRUE(s.visitor.headers.empty());
  s.peer.Continuation(1, "", kFlagEndHeaders);
  Feed();
  EXPECT_EQ(s.visitor.headers.size(), 1u);
}

TEST_F(ServerHeadersTest, InterleavedFrameInFieldBlockIsConnectionError) {
  HeadersOptions open;
  open.end_headers = false;
  s.peer.Headers(1, Get(), kFlagEndStream, open).Headers(3, Get(), kFlagEndStream);
  std::vector<Frame> out = Feed();
  const Frame* g = FindFrame(out, FrameType::kGoAway);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->error_code, static_cast<uint32_t>(ErrorCode::kProtocolError));
  EXPECT_EQ(s.session.connection_error()->error, Error::kExpectedContinuation);
}

// --- §8.1 framing ---

TEST_F(ServerHeadersTest, TrailersEndTheRequest) {
  s.peer.Headers(1, Get(), 0).Data(1, "body").Headers(1, {{"x-checksum", "1"}}, kFlagEndStream);
  Feed();
  ASSERT_EQ(s.visitor.headers.size(), 2u);
  EXPECT_EQ(s.visitor.headers[1].kind, HeadersKind::kTrailers);
  EXPECT_THAT(s.visitor.ended, ::testing::ElementsAre(1u));
}

TEST_F(ServerHeadersTest, TrailersWithoutEndStreamAreMalformed) {
  s.peer.Headers(1, Get(), 0).Headers(1, {{"x-checksum", "1"}}, 0);
  ExpectMalformed(1, "END_STREAM", 1);
}

TEST_F(ServerHeadersTest, PseudoHeaderInTrailersIsMalformed) {
  s.peer.Headers(1, Get(), 0).Headers(1, {{":path", "/"}}, kFlagEndStream);
  ExpectMalformed(1, "trailer", 1);
}

// --- §8.1.1 content-length ---

TEST_F(ServerHeadersTest, ContentLengthMustMatchTheData) {
  s.peer
      .Headers(1,
               {{":method", "POST"},
                {":scheme", "https"},
                {":authority", "a"},
                {":path", "/"},
                {"content-length", "5"}},
               0)
      .Data(1, "abc", kFlagEndStream);
  ExpectMalformed(1, "content-length", 1);
  s.peer
      .Headers(3,
               {{":method", "POST"},
                {":scheme", "https"},
                {":authority", "a"},
                {":path", "/"},
                {"content-length", "2"}},
               0)
      .Data(3, "abc", kFlagEndStream);
  ExpectMalformed(3, "content-length", 1);
  EXPECT_TRUE(s.visitor.bodies[3].empty());  // the excess was never delivered
  s.peer
      .Headers(5,
               {{":method", "POST"},
                {":scheme", "https"},
                {":authority", "a"},
                {":path", "/"},
                {"content-length", "3"}},
               0)
      .Data(5, "a")
      .Data(5, "bc", kFlagEndStream);
  Feed();
  EXPECT_EQ(s.visitor.bodies[5], "abc");
  EXPECT_EQ(s.visitor.HeadersFor(5)->content_length, 3u);
}

TEST_F(ServerHeadersTest, NonZeroContentLengthWithEndStreamOnHeadersIsMalformed) {
  s.peer.Headers(1,
                 {{":method", "POST"},
                  {":scheme", "https"},
                  {":authority", "a"},
                  {":path", "/"},
                  {"content-length", "1"}},
                 kFlagEndStream);
  ExpectMalformed(1, "content-length");
}

// --- §8.2, §8.3 field validity ---

TEST_F(ServerHeadersTest, MalformedRequests) {
  struct Case {
    FieldList fields;
    const char* why;
  } cases[] = {
      {{{":method", "GET"}, {":scheme", "https"}, {":authority", "a"}}, ":path"},
      {{{":method", "GET"},
        {":scheme", "https"},
        {":authority", "a"},
        {":path", "/"},
        {"connection", "keep-alive"}},
       "connection"},
      {{{":method", "GET"},
        {":scheme", "https"},
        {":authority", "a"},
        {":path", "/"},
        {"te", "gzip"}},
       "te"},
      {{{":method", "GET"}, {"x", "y"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/"}},
       "after"},
      {{{":method", "GET"},
        {":method", "GET"},
        {":scheme", "https"},
        {":authority", "a"},
        {":path", "/"}},
       "repeated pseudo-header"},
      {{{":method", "GET"},
        {":scheme", "https"},
        {":authority", "a"},
        {":path", "/"},
        {"x", "bad\r\nvalue"}},
       "x"},
      {{{":method", "GET"},
        {":scheme", "https"},
        {":authority", "a.example"},
        {":path", "/"},
        {"host", "b.example"}},
       "host"},
      {{{":method", "GET"},
        {":scheme", "https"},
        {":authority", "a"},
        {":path", "/"},
        {":status", "200"}},
       ":status"},
      {{{":method", "CONNECT"},
        {":authority", "a:443"},
        {":protocol", "websocket"},
        {":scheme", "https"},
        {":path", "/chat"}},
       "protocol"},
  };
  uint32_t id = 1;
  for (const Case& c : cases) {
    s.peer.Headers(id, c.fields, kFlagEndStream);
    ExpectMalformed(id, c.why);
    id += 2;
  }
  EXPECT_FALSE(s.session.connection_error().has_value());
  // te: trailers is allowed; CONNECT without :scheme and :path is a valid request (§8.5).
  s.peer.Headers(id,
                 {{":method", "GET"},
                  {":scheme", "https"},
                  {":authority", "a"},
                  {":path", "/"},
                  {"te", "trailers"}},
                 kFlagEndStream);
  s.peer.Headers(id + 2, {{":method", "CONNECT"}, {":authority", "a.example:443"}}, 0);
  Feed();
  ASSERT_EQ(s.visitor.headers.size(), 2u);
  EXPECT_EQ(s.visitor.headers[1].method, "CONNECT");
  EXPECT_EQ(s.visitor.headers[1].authority, "a.example:443");
}

TEST(ExtendedConnectTest, AcceptedWhenEnabled) {  // RFC 8441 §4
  SessionOptions o;
  o.enable_connect_protocol = true;
  RawPeer s(Perspective::kServer, o);
  std::vector<Frame> out = s.Handshake();
  EXPECT_THAT(out[0].settings, ::testing::Contains(Setting{kSettingsEnableConnectProtocol, 1}));
  s.peer.Headers(1,
                 {{":method", "CONNECT"},
                  {":protocol", "websocket"},
                  {":scheme", "https"},
                  {":path", "/chat"},
                  {":authority", "a.example"}},
                 0);
  s.Feed(s.peer);
  ASSERT_EQ(s.visitor.headers.size(), 1u);
  EXPECT_EQ(s.visitor.headers[0].protocol, "websocket");
}

// --- §8.2.3 cookies ---

TEST_F(ServerHeadersTest, CookieCrumbsAreJoined) {
  s.peer.Headers(1,
                 {{":method", "GET"},
                  {":scheme", "https"},
                  {":authority", "a"},
                  {":path", "/"},
                  {"cookie", "a=b"},
                  {"cookie", "c=d"},
                  {"cookie", "e=f"}},
                 kFlagEndStream);
  Feed();
  ASSERT_EQ(s.visitor.headers.size(), 1u);
  EXPECT_EQ(s.visitor.headers[0].cookie, "a=b; c=d; e=f");
  EXPECT_EQ(s.visitor.headers[0].fields.size(), 7u);  // the crumbs as sent
}

// --- Client side: responses (§8.1, §8.3.2, §8.6, §8.1.1) ---

class ClientHeadersTest : public ::testing::Test {
 protected:
  ClientHeadersTest() : c(Perspective::kClient) { c.Handshake(); }
  uint32_t Request(absl::string_view method = "GET") {
    const Header req[] = {
        {":method", method}, {":scheme", "https"}, {":authority", "a"}, {":path", "/"}};
    auto id = c.session.SubmitRequest(req);
    EXPECT_TRUE(id.ok()) << id.status();
    c.Drain();
    return *id;
  }
  void ExpectMalformed(uint32_t id, absl::string_view why) {
    std::vector<Frame> out = c.Feed(c.peer);
    const Frame* rst = FindFrame(out, FrameType::kRstStream, id);
    ASSERT_NE(rst, nullptr) << Summary(out);
    EXPECT_EQ(rst->error_code, static_cast<uint32_t>(ErrorCode::kProtocolError));
    ASSERT_FALSE(c.visitor.stream_errors.empty());
    EXPECT_THAT(c.visitor.stream_errors.back().message, HasSubstr(std::string(why)));
  }
  RawPeer c;
};

TEST_F(ClientHeadersTest, InterimThenFinalResponse) {
  const uint32_t id = Request();
  c.peer.Headers(id, {{":status", "100"}}, 0)
      .Headers(id, {{":status", "103"}, {"link", "</a>"}}, 0)
      .Headers(id, {{":status", "200"}, {"content-length", "2"}}, 0)
      .Data(id, "ok", kFlagEndStream);
  c.Feed(c.peer);
  ASSERT_EQ(c.visitor.headers.size(), 3u);
  EXPECT_EQ(c.visitor.headers[0].kind, HeadersKind::kInformational);
  EXPECT_EQ(c.visitor.headers[1].kind, HeadersKind::kInformational);
  EXPECT_EQ(c.visitor.headers[2].kind, HeadersKind::kResponse);
  EXPECT_EQ(c.visitor.bodies[id], "ok");
  EXPECT_TRUE(c.visitor.IsClosed(id));
}

TEST_F(ClientHeadersTest, InformationalWithEndStreamIsMalformed) {
  const uint32_t id = Request();
  c.peer.Headers(id, {{":status", "100"}}, kFlagEndStream);
  ExpectMalformed(id, "END_STREAM");
}

TEST_F(ClientHeadersTest, Status101IsMalformed) {  // §8.6
  const uint32_t id = Request();
  c.peer.Headers(id, {{":status", "101"}}, 0);
  ExpectMalformed(id, "101");
}

TEST_F(ClientHeadersTest, MissingStatusIsMalformed) {
  const uint32_t id = Request();
  c.peer.Headers(id, {{"server", "x"}}, kFlagEndStream);
  ExpectMalformed(id, ":status");
}

TEST_F(ClientHeadersTest, DataAfterInterimResponseIsMalformed) {
  const uint32_t id = Request();
  c.peer.Headers(id, {{":status", "100"}}, 0).Data(id, "x");
  ExpectMalformed(id, "1xx");
}

TEST_F(ClientHeadersTest, HeadResponseHasNoContent) {
  const uint32_t id = Request("HEAD");
  c.peer.Headers(id, {{":status", "200"}, {"content-length", "1000"}}, kFlagEndStream);
  c.Feed(c.peer);
  EXPECT_TRUE(c.visitor.stream_errors.empty());
  EXPECT_EQ(c.visitor.HeadersFor(id)->content_length, 1000u);
  const uint32_t id2 = Request("HEAD");
  c.peer.Headers(id2, {{":status", "200"}}, 0).Data(id2, "x", kFlagEndStream);
  ExpectMalformed(id2, "content");
}

TEST_F(ClientHeadersTest, SecondFinalResponseWithoutEndStreamIsMalformed) {
  const uint32_t id = Request();
  c.peer.Headers(id, {{":status", "200"}}, 0).Headers(id, {{"x", "1"}}, 0);
  ExpectMalformed(id, "END_STREAM");
}

}  // namespace
}  // namespace http2
