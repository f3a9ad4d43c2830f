#include "http2/session_test_util.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"

namespace http2 {
namespace test {

namespace {
SessionOptions WithClock(SessionOptions o, const Clock* c) {
  if (o.clock == nullptr) o.clock = c;
  return o;
}
FrameParserOptions Lenient() {
  FrameParserOptions o;
  o.max_frame_size = kMaxMaxFrameSize;
  return o;
}
}  // namespace

RawPeer::RawPeer(Perspective perspective, SessionOptions options)
    : session(perspective, &visitor, WithClock(options, &clock)),
      parser_(&collector_, Lenient()),
      preface_skipped_(perspective == Perspective::kServer) {}

std::vector<Frame> RawPeer::Drain() {
  std::string out;
  session.Send(&out);
  absl::string_view rest = out;
  if (!preface_skipped_) {
    // A client's output starts with the connection preface.
    out_.append(rest.data(), rest.size());
    if (out_.size() < kClientPreface.size()) return {};
    preface_skipped_ = true;
    std::string tail = out_.substr(kClientPreface.size());
    out_.clear();
    parser_.Parse(tail);
  } else {
    parser_.Parse(rest);
  }
  std::vector<Frame> frames = std::move(collector_.frames);
  collector_.frames.clear();
  for (auto& e : collector_.errors) output_errors.push_back(e);
  collector_.errors.clear();
  sent.insert(sent.end(), frames.begin(), frames.end());
  return frames;
}

std::vector<Frame> RawPeer::Feed(absl::string_view bytes) {
  std::vector<Frame> frames;
  for (int guard = 0; guard < 100000; ++guard) {
    const size_t n = session.Receive(bytes);
    bytes.remove_prefix(n);
    std::vector<Frame> more = Drain();
    frames.insert(frames.end(), more.begin(), more.end());
    if (bytes.empty() || (n == 0 && more.empty())) break;
  }
  return frames;
}

std::vector<Frame> RawPeer::Handshake(std::initializer_list<Setting> settings) {
  std::vector<Frame> frames = Drain();  // the session's own preface
  if (session.perspective() == Perspective::kServer) peer.Preface();
  peer.Settings(settings).SettingsAck();
  std::vector<Frame> more = Feed(peer);
  frames.insert(frames.end(), more.begin(), more.end());
  return frames;
}

const Frame* FindFrame(const std::vector<Frame>& frames, FrameType type, uint32_t stream_id) {
  for (const Frame& f : frames) {
    if (f.type() == type && (stream_id == kAnyStream || f.header.stream_id == stream_id)) {
      return &f;
    }
  }
  return nullptr;
}

std::string Summary(const std::vector<Frame>& frames) {
  std::vector<std::string> parts;
  for (const Frame& f : frames) parts.push_back(DescribeFrame(f));
  return absl::StrJoin(parts, "\n");
}

FieldList Get(absl::string_view path) {
  return FieldList(hpack::HeaderList{{":method", "GET"},
                                     {":scheme", "https"},
                                     {":authority", "example.org"},
                                     {":path", std::string(path)}});
}

void ExpectGoAway(const std::vector<Frame>& frames, ErrorCode code, uint32_t last_stream_id) {
  const Frame* g = FindFrame(frames, FrameType::kGoAway);
  if (g == nullptr) {
    ADD_FAILURE() << "no GOAWAY in:\n" << Summary(frames);
    return;
  }
  EXPECT_EQ(g->error_code, static_cast<uint32_t>(code)) << DescribeFrame(*g);
  EXPECT_EQ(g->last_stream_id, last_stream_id) << DescribeFrame(*g);
}

void ExpectConnectionError(const RawPeer& peer, ErrorCode code, Error error) {
  const Frame* g = FindFrame(peer.sent, FrameType::kGoAway);
  if (g == nullptr) {
    ADD_FAILURE() << "no GOAWAY in:\n" << Summary(peer.sent);
    return;
  }
  EXPECT_EQ(g->error_code, static_cast<uint32_t>(code)) << DescribeFrame(*g);
  if (!peer.session.connection_error().has_value()) {
    ADD_FAILURE() << "no connection error";
    return;
  }
  EXPECT_EQ(peer.session.connection_error()->error, error)
      << peer.session.connection_error()->message;
  EXPECT_FALSE(peer.session.WantRead());
}

void ExpectRst(const std::vector<Frame>& frames, uint32_t stream_id, ErrorCode code) {
  const Frame* r = FindFrame(frames, FrameType::kRstStream, stream_id);
  if (r == nullptr) {
    ADD_FAILURE() << "no RST_STREAM on stream " << stream_id << " in:\n" << Summary(frames);
    return;
  }
  EXPECT_EQ(r->error_code, static_cast<uint32_t>(code)) << DescribeFrame(*r);
  EXPECT_EQ(FindFrame(frames, FrameType::kGoAway), nullptr) << Summary(frames);
}

}  // namespace test
}  // namespace http2
