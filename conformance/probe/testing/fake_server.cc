#include "conformance/probe/testing/fake_server.h"

#include "http2/frame_parser.h"

namespace probe {
namespace testing {

void FakeServer::OnBytes(absl::string_view bytes, Reply* reply) {
  buffer_.append(bytes.data(), bytes.size());
  if (!preface_done_) {
    if (buffer_.size() < http2::kClientPreface.size()) return;
    buffer_.erase(0, http2::kClientPreface.size());
    preface_done_ = true;
    if (preface_answer_.empty()) {
      out_.Settings({{http2::kSettingsMaxConcurrentStreams, 100}});
    } else {
      out_.Bytes(preface_answer_);
    }
  }
  // Parse whole frames only (the probe may write a frame in pieces).
  size_t complete = 0;
  while (buffer_.size() - complete >= 9) {
    const auto* u = reinterpret_cast<const unsigned char*>(buffer_.data() + complete);
    const size_t len = (size_t{u[0]} << 16) | (size_t{u[1]} << 8) | u[2];
    if (buffer_.size() - complete < 9 + len) break;
    complete += 9 + len;
  }
  http2::FrameParserOptions o;
  o.max_frame_size = http2::kMaxMaxFrameSize;
  o.validate_setting_values = false;
  const http2::ParsedFrames parsed = http2::ParseFrames(buffer_.substr(0, complete), o);
  buffer_.erase(0, complete);
  for (const http2::Frame& f : parsed.frames) {
    received_.push_back(f);
    if (hook_ && hook_(f, out_, reply)) continue;
    if (silent_) continue;
    const http2::FrameHeader& h = f.header;
    if (h.is(http2::FrameType::kSettings) && !h.has(http2::kFlagAck)) out_.SettingsAck();
    if (h.is(http2::FrameType::kPing) && !h.has(http2::kFlagAck)) out_.PingAck(f.ping_data);
    if ((h.is(http2::FrameType::kHeaders) || h.is(http2::FrameType::kData)) && h.has(http2::kFlagEndStream)) {
      out_.Headers(h.stream_id, {{":status", std::to_string(status)}, {"content-length", "6"}}, 0)
          .Data(h.stream_id, "hello\n", http2::kFlagEndStream);
    }
  }
  reply->bytes += out_.Take();
}

}  // namespace testing
}  // namespace probe
