// Flow control, by RFC 9113 section:
//   §5.2.1 flow-control principles (DATA only; both windows; receiver-advertised)
//   §6.1 DATA (padding counts against the windows)
//   §6.9 WINDOW_UPDATE (increment 0; on closed streams)
//   §6.9.1 the flow-control window (exceeded: stream / connection FLOW_CONTROL_ERROR;
//          overflow past 2^31-1; our WINDOW_UPDATE policy)
//   §6.9.2 initial window size (changes move every stream window, possibly below zero;
//          overflow; the connection window is not affected)
//   §6.9.3 reducing the stream window size (applies when acknowledged)
#include <algorithm>
#include <cstring>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http2/session.h"
#include "http2/session_test_util.h"

namespace http2 {
namespace {

using test::ExpectConnectionError;
using test::FindFrame;
using test::Get;
using test::RawPeer;
using test::Summary;

size_t DataOctets(const std::vector<Frame>& frames, uint32_t stream_id) {
  size_t n = 0;
  for (const Frame& f : frames) {
    if (f.type() == FrameType::kData && f.header.stream_id == stream_id) n += f.payload.size();
  }
  return n;
}

// --- Receiving ---

TEST(ReceiveWindowTest, DataBeyondTheConnectionWindowIsConnectionError) {
  SessionOptions o;
  o.auto_consume = false;
  RawPeer s(Perspective::kServer, o);
  s.Handshake();
  s.peer.Headers(1, Get(), 0).Headers(3, Get(), 0);
  s.peer.Data(1, std::string(16384, 'a')).Data(1, std::string(16384, 'a'));
  s.peer.Data(3, std::string(16384, 'a')).Data(3, std::string(16383, 'a'));
  std::vector<Frame> out = s.Feed(s.peer);
  EXPECT_EQ(FindFrame(out, FrameType::kGoAway), nullptr) << Summary(out);
  EXPECT_EQ(s.session.connection_receive_window(), 0);
  s.peer.Data(3, "x");
  out = s.Feed(s.peer);
  ExpectConnectionError(s, ErrorCode::kFlowControlError, Error::kWindowExceeded);
}

TEST(ReceiveWindowTest, DataBeyondTheStreamWindowResetsTheStream) {
  SessionOptions o;
  o.initial_window_size = 100;
  RawPeer s(Perspective::kServer, o);
  std::vector<Frame> out = s.Handshake();
  EXPECT_THAT(out[0].settings, ::testing::Contains(Setting{kSettingsInitialWindowSize, 100}));
  // Padding counts too (§6.1): 1 + 50 + 49 = 100 octets fill the window exactly.
  s.peer.Headers(1, Get(), 0).Data(1, std::string(50, 'a'), 0, 49);
  out = s.Feed(s.peer);
  EXPECT_EQ(FindFrame(out, FrameType::kRstStream), nullptr) << Summary(out);
  EXPECT_EQ(s.visitor.bodies[1].size(), 50u);
  // The stream window is back (padding and data consumed), so open another and overflow it.
  s.peer.Headers(3, Get(), 0).Data(3, std::string(101, 'a'));
  out = s.Feed(s.peer);
  const Frame* rst = FindFrame(out, FrameType::kRstStream, 3);
  ASSERT_NE(rst, nullptr) << Summary(out);
  EXPECT_EQ(rst->error_code, static_cast<uint32_t>(ErrorCode::kFlowControlError));
  EXPECT_FALSE(s.session.connection_error().has_value());
  EXPECT_TRUE(s.visitor.bodies[3].empty());
}

TEST(ReceiveWindowTest, SmallerInitialWindowAppliesOnlyOnceAcknowledged) {  // §6.9.3
  SessionOptions o;
  o.initial_window_size = 100;
  RawPeer s(Perspective::kServer, o);
  s.Drain();
  // The client sends before it has seen our SETTINGS: the default window holds.
  s.peer.Preface().Settings({}).Headers(1, Get(), 0).Data(1, std::string(1000, 'a'));
  std::vector<Frame> out = s.Feed(s.peer);
  EXPECT_EQ(FindFrame(out, FrameType::kRstStream), nullptr) << Summary(out);
  EXPECT_EQ(s.visitor.bodies[1].size(), 1000u);
  s.peer.SettingsAck();
  s.Feed(s.peer);
  EXPECT_EQ(s.session.local_settings().initial_window_size, 100u);
}

TEST(ReceiveWindowTest, WindowUpdatesFollowConsumptionByHalfWindows) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.peer.Headers(1, Get(), 0).Data(1, std::string(1000, 'a'));
  std::vector<Frame> out = s.Feed(s.peer);
  EXPECT_EQ(FindFrame(out, FrameType::kWindowUpdate), nullptr) << Summary(out);
  s.peer.Data(1, std::string(16384, 'a')).Data(1, std::string(16384, 'a'));
  out = s.Feed(s.peer);
  const Frame* conn = FindFrame(out, FrameType::kWindowUpdate, 0);
  const Frame* stream = FindFrame(out, FrameType::kWindowUpdate, 1);
  ASSERT_NE(conn, nullptr) << Summary(out);
  ASSERT_NE(stream, nullptr) << Summary(out);
  EXPECT_EQ(conn->window_increment, 33768u);
  EXPECT_EQ(stream->window_increment, 33768u);
  // No stream credit once the peer has ended the stream.
  s.peer.Data(1, std::string(16384, 'a'), kFlagEndStream).Data(1, "", 0);
  out = s.Feed(s.peer);
  EXPECT_EQ(FindFrame(out, FrameType::kWindowUpdate, 1), nullptr) << Summary(out);
}

TEST(ReceiveWindowTest, LargerConnectionWindowIsOpenedAfterThePreface) {
  SessionOptions o;
  o.connection_window_size = 1 << 24;
  RawPeer s(Perspective::kServer, o);
  std::vector<Frame> out = s.Drain();
  ASSERT_EQ(out.size(), 2u) << Summary(out);
  EXPECT_EQ(out[1].type(), FrameType::kWindowUpdate);
  EXPECT_EQ(out[1].header.stream_id, 0u);
  EXPECT_EQ(out[1].window_increment, (1u << 24) - 65535);
  EXPECT_EQ(s.session.connection_receive_window(), 1 << 24);
}

// --- WINDOW_UPDATE received (§6.9, §6.9.1) ---

TEST(WindowUpdateTest, ZeroIncrement) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.peer.Headers(1, Get(), 0).WindowUpdate(1, 0);
  std::vector<Frame> out = s.Feed(s.peer);
  const Frame* rst = FindFrame(out, FrameType::kRstStream, 1);
  ASSERT_NE(rst, nullptr) << Summary(out);
  EXPECT_EQ(rst->error_code, static_cast<uint32_t>(ErrorCode::kProtocolError));
  s.peer.WindowUpdate(0, 0);
  s.Feed(s.peer);
  ExpectConnectionError(s, ErrorCode::kProtocolError, Error::kZeroWindowIncrement);
}

TEST(WindowUpdateTest, OverflowPast2To31) {
  RawPeer s(Perspective::kServer);
  s.Handshake();
  s.peer.Headers(1, Get(), 0).WindowUpdate(1, kMaxWindowSize - 65535).WindowUpdate(1, 1);
  std::vector<Frame> out = s.Feed(s.peer);
  const Frame* rst = FindFrame(out, FrameType::kRstStream, 1);
  ASSERT_NE(rst, nullptr) << Summary(out);
  EXPECT_EQ(rst->error_code, static_cast<uint32_t>(ErrorCode::kFlowControlError));
  s.peer.WindowUpdate(0, kMaxWindowSize - 65535);
  EXPECT_TRUE(s.Feed(s.peer).empty());
  EXPECT_EQ(s.session.connection_send_window(), kMaxWindowSize);
  s.peer.WindowUpdate(0, 1);
  s.Feed(s.peer);
  ExpectConnectionError(s, ErrorCode::kFlowControlError, Error::kWindowOverflow);
}

// --- Sending (§6.9.1, §6.9.2) ---

class SendWindowTest : public ::testing::Test {
 protected:
  SendWindowTest() : s(Perspective::kServer) {}
  void Open(std::initializer_list<Setting> settings, size_t body_size) {
    s.Handshake(settings);
    body = std::make_unique<StringSource>(std::string(body_size, 'b'));
    s.peer.Headers(1, Get(), kFlagEndStream);
    s.Feed(s.peer);
    const Header resp[] = {{":status", "200"}};
    ASSERT_TRUE(s.session.SubmitResponse(1, resp, body.get()).ok());
  }
  RawPeer s;
  std::unique_ptr<StringSource> body;
};

TEST_F(SendWindowTest, SendsNoMoreThanTheStreamWindow) {
  Open({{kSettingsInitialWindowSize, 1000}}, 5000);
  std::vector<Frame> out = s.Drain();
  EXPECT_EQ(DataOctets(out, 1), 1000u);
  EXPECT_FALSE(s.session.WantWrite());
  s.peer.WindowUpdate(1, 3000);
  out = s.Feed(s.peer);
  EXPECT_EQ(DataOctets(out, 1), 3000u);
  s.peer.WindowUpdate(1, 5000);
  out = s.Feed(s.peer);
  EXPECT_EQ(DataOctets(out, 1), 1000u);
  EXPECT_TRUE(out.back().header.has(kFlagEndStream));
}

TEST_F(SendWindowTest, SendsNoMoreThanTheConnectionWindow) {
  // SETTINGS cannot change the connection window (§6.9.2).
  Open({{kSettingsInitialWindowSize, 1 << 20}}, 100000);
  std::vector<Frame> out = s.Drain();
  EXPECT_EQ(DataOctets(out, 1), 65535u);
  s.peer.WindowUpdate(0, 40000);
  out = s.Feed(s.peer);
  EXPECT_EQ(DataOctets(out, 1), 34465u);
  EXPECT_TRUE(out.back().header.has(kFlagEndStream));
}

TEST_F(SendWindowTest, InitialWindowChangeCanMakeTheWindowNegative) {
  Open({{kSettingsInitialWindowSize, 1000}}, 5000);
  EXPECT_EQ(DataOctets(s.Drain(), 1), 1000u);
  s.peer.Settings({{kSettingsInitialWindowSize, 0}});
  s.Feed(s.peer);
  EXPECT_EQ(s.session.stream_send_window(1), -1000);
  s.peer.WindowUpdate(1, 500);
  EXPECT_EQ(DataOctets(s.Feed(s.peer), 1), 0u);
  s.peer.WindowUpdate(1, 600);
  EXPECT_EQ(DataOctets(s.Feed(s.peer), 1), 100u);
  s.peer.Settings({{kSettingsInitialWindowSize, 10000}});
  EXPECT_EQ(DataOctets(s.Feed(s.peer), 1), 3900u);
}

TEST_F(SendWindowTest, InitialWindowChangePast2To31IsConnectionError) {
  s.Handshake();
  s.peer.Headers(1, Get(), 0)
      .WindowUpdate(1, kMaxWindowSize - 65535 - 10)
      .Settings({{kSettingsInitialWindowSize, 65535 + 11}});
  s.Feed(s.peer);
  ExpectConnectionError(s, ErrorCode::kFlowControlError, Error::kInitialWindowOverflow);
}

TEST_F(SendWindowTest, WantWriteFollowsTheWindows) {
  Open({{kSettingsInitialWindowSize, 10}}, 20);
  EXPECT_TRUE(s.session.WantWrite());
  s.Drain();
  EXPECT_FALSE(s.session.WantWrite());
  EXPECT_EQ(s.session.stream_send_window(1), 0);
  s.peer.WindowUpdate(1, 10);
  s.session.Receive(s.peer.Take());
  EXPECT_TRUE(s.session.WantWrite());
}

// Send(char*, capacity): the same octets as Send(std::string*, capacity), never past
// `capacity`, with DATA payloads read by the source straight into the array.
TEST(SendIntoArrayTest, SameOctetsAsIntoAStringAndNeverPastTheCapacity) {
  std::string want, got;
  for (bool array : {false, true}) {
    RawPeer s(Perspective::kServer);
    s.Handshake({{kSettingsInitialWindowSize, 1 << 20}});
    StringSource a(std::string(40000, 'a')), b(std::string(3000, 'b'));
    s.peer.Headers(1, Get("/a"), kFlagEndStream).Headers(3, Get("/b"), kFlagEndStream);
    s.session.Receive(s.peer.Take());
    const Header resp[] = {{":status", "200"}, {"content-type", "text/plain"}};
    ASSERT_TRUE(s.session.SubmitResponse(1, resp, &a).ok());
    ASSERT_TRUE(s.session.SubmitResponse(3, resp, &b).ok());
    std::string& out = array ? got : want;
    // Capacities that cut frames and headers anywhere; a guard after the array. The
    // string side gets the same limits as max_bytes.
    for (size_t capacity : {1, 9, 10, 5000, 700, 16393, 1, 100000}) {
      if (!array) {
        EXPECT_LE(s.session.Send(&out, capacity), capacity);
        continue;
      }
      std::string buf(capacity + 16, '#');
      const size_t n = s.session.Send(&buf[0], capacity);
      ASSERT_LE(n, capacity);
      EXPECT_EQ(buf.substr(capacity), std::string(16, '#'));
      out.append(buf, 0, n);
    }
    EXPECT_FALSE(s.session.WantWrite());
  }
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);
}

// A body in memory that lends its octets (DataSource::Lend), counting the loans.
class LendingSource : public DataSource {
 public:
  explicit LendingSource(std::string body) : body_(std::move(body)) {}
  Result Read(uint32_t, char* dest, size_t max) override {
    Result r = Next(max);
    std::memcpy(dest, body_.data() + offset_ - r.length, r.length);
    return r;
  }
  bool Lend(uint32_t, size_t max, const char** data, Result* result) override {
    *result = Next(max);
    *data = body_.data() + offset_ - result->length;
    ++loans_;
    return true;
  }
  const std::string& body() const { return body_; }
  int loans() const { return loans_; }

 private:
  Result Next(size_t max) {
    Result r;
    r.length = std::min(max, body_.size() - offset_);
    offset_ += r.length;
    r.end = offset_ == body_.size();
    return r;
  }
  std::string body_;
  size_t offset_ = 0;
  int loans_ = 0;
};

// Send(char*, capacity, pieces): the pieces are the same octets as Send(std::string*,
// capacity), never more than `capacity` and never past it in the array; payloads of at
// least kMinLentPayload octets are pieces of the source's own memory (not copied), smaller
// ones are copied into the array.
TEST(SendIntoArrayTest, LentPayloadsAreReferencedNotCopied) {
  std::string want, got;
  int lent_pieces = 0, loans = 0;
  for (bool lending : {false, true}) {
    RawPeer s(Perspective::kServer);
    s.Handshake({{kSettingsInitialWindowSize, 1 << 20}});
    LendingSource a(std::string(40000, 'a')), b(std::string(3000, 'b'));
    s.peer.Headers(1, Get("/a"), kFlagEndStream).Headers(3, Get("/b"), kFlagEndStream);
    s.session.Receive(s.peer.Take());
    const Header resp[] = {{":status", "200"}, {"content-type", "text/plain"}};
    ASSERT_TRUE(s.session.SubmitResponse(1, resp, &a).ok());
    ASSERT_TRUE(s.session.SubmitResponse(3, resp, &b).ok());
    std::string& out = lending ? got : want;
    for (size_t capacity : {1, 9, 10, 5000, 700, 16393, 1, 20000, 100000}) {
      if (!lending) {
        EXPECT_LE(s.session.Send(&out, capacity), capacity);
        continue;
      }
      std::string buf(capacity + 16, '#');
      std::vector<absl::string_view> pieces = {"stale"};
      const size_t n = s.session.Send(&buf[0], capacity, &pieces);
      ASSERT_LE(n, capacity);
      EXPECT_EQ(buf.substr(capacity), std::string(16, '#'));
      size_t total = 0;
      for (absl::string_view p : pieces) {
        ASSERT_FALSE(p.empty());
        total += p.size();
        out.append(p.data(), p.size());
        const bool in_array = p.data() >= buf.data() && p.data() + p.size() <= buf.data() + capacity;
        const bool in_a = p.data() >= a.body().data() && p.data() + p.size() <= a.body().data() + a.body().size();
        EXPECT_TRUE(in_array || in_a) << "piece of " << p.size() << " octets";
        if (in_a) {
          ++lent_pieces;
          EXPECT_GE(p.size(), Session::kMinLentPayload);
        }
      }
      EXPECT_EQ(total, n);
    }
    EXPECT_FALSE(s.session.WantWrite());
    if (lending) loans = a.loans() + b.loans();
  }
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want);
  // 40000 octets in frames of at most 16384 (SETTINGS_MAX_FRAME_SIZE's default, §4.2),
  // some of them cut short by the capacities: at least two go out by reference.
  EXPECT_GE(lent_pieces, 2);
  EXPECT_GE(loans, lent_pieces);
}

// A DataSource whose Read() drives another session's Send() on the same thread (the
// per-thread DATA buffer is taken): both bodies arrive intact.
TEST(SendIntoArrayTest, ASourceThatDrivesAnotherSessionsSend) {
  RawPeer inner(Perspective::kServer);
  inner.Handshake();
  StringSource inner_body(std::string(5000, 'i'));
  inner.peer.Headers(1, Get(), kFlagEndStream);
  inner.session.Receive(inner.peer.Take());
  const Header resp[] = {{":status", "200"}};
  ASSERT_TRUE(inner.session.SubmitResponse(1, resp, &inner_body).ok());
  std::string inner_out;

  class Relay : public DataSource {
   public:
    Relay(Session* other, std::string* other_out) : other_(other), other_out_(other_out) {}
    Result Read(uint32_t, char* dest, size_t max) override {
      other_->Send(other_out_);  // uses the thread's buffer while ours is being filled
      Result r;
      r.length = std::min<size_t>(max, 3000);
      std::memset(dest, 'o', r.length);
      r.end = true;
      return r;
    }

   private:
    Session* other_;
    std::string* other_out_;
  } relay(&inner.session, &inner_out);

  RawPeer outer(Perspective::kServer);
  outer.Handshake();
  outer.peer.Headers(1, Get(), kFlagEndStream);
  outer.session.Receive(outer.peer.Take());
  ASSERT_TRUE(outer.session.SubmitResponse(1, resp, &relay).ok());
  std::string outer_out;
  outer.session.Send(&outer_out);
  EXPECT_NE(outer_out.find(std::string(3000, 'o')), std::string::npos);
  EXPECT_NE(inner_out.find(std::string(5000, 'i')), std::string::npos);
}

}  // namespace
}  // namespace http2
