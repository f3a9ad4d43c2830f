// What the HTTP/2 session fuzzers check of the session under test's output: the view of its
// peer. PeerView parses every octet the session sends, with a FrameParser and an independent
// hpack::Inflater, and checks it against RFC 9113 as the peer must see it:
//  - the connection preface (the client magic, then SETTINGS);
//  - no frame larger than the peer's SETTINGS_MAX_FRAME_SIZE the session has acknowledged;
//  - field blocks that decode (following the peer's SETTINGS_HEADER_TABLE_SIZE as
//    acknowledged) into valid messages (FieldValidator): requests and trailers from a client;
//    1xx, final responses, trailers and push requests from a server, in that order;
//  - HEADERS/DATA only on streams the session may use, never after it ended or reset them;
//    DATA only after the message's headers and within the flow-control windows the peer
//    granted (computed from the peer's SETTINGS and WINDOW_UPDATEs the session processed);
//  - PUSH_PROMISE only from a server, on an open client stream, with increasing even ids,
//    not after the client's ENABLE_PUSH=0 was acknowledged; no PRIORITY_UPDATE from a server;
//    no ENABLE_PUSH=1 from a server;
//  - ACKs only for SETTINGS and PINGs the session received; GOAWAY last-stream-ids that
//    never increase and name streams the peer opened (or 2^31-1); nothing after a GOAWAY
//    with an error code.
// InputView feeds PeerView with what the session has processed of its peer's octets.
#ifndef H2HARNESS_FUZZ_HTTP2_PEER_VIEW_H_
#define H2HARNESS_FUZZ_HTTP2_PEER_VIEW_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fuzz/fuzz_util.h"
#include "fuzz/http2_fuzz_util.h"
#include "hpack/inflater.h"
#include "http2/error_code.h"
#include "http2/field_validation.h"
#include "http2/frame.h"
#include "http2/frame_parser.h"
#include "http2/session.h"
#include "http2/settings.h"

namespace fuzz {
namespace h2 {

// H2FUZZ_VERBOSE=1 prints the frames each way and a summary (for reading a corpus).
inline bool Verbose() {
  static const bool verbose = std::getenv("H2FUZZ_VERBOSE") != nullptr;
  return verbose;
}

inline void Trace(const char* dir, const http2::FrameHeader& h) {
  if (!Verbose()) return;
  std::fprintf(stderr, "%s %s stream=%u flags=%s length=%u\n", dir,
               http2::FrameTypeName(h.type).c_str(), h.stream_id,
               http2::FrameFlagsToString(h.type, h.flags).c_str(), h.length);
}

class PeerView : public http2::FrameListener {
 public:
  // `observed`: the role of the session whose output this view checks.
  explicit PeerView(http2::Perspective observed)
      : server_(observed == http2::Perspective::kServer),
        parser_(this, LenientParserOptions()),
        inflater_(UnlimitedInflaterOptions()) {}

  // --- What the session has processed of its peer's octets (from InputView) ---
  void OnPeerSettings(const std::vector<http2::Setting>& s) {
    pending_settings_.push_back(s);
    for (const http2::Setting& x : s) {
      if (x.id == http2::kSettingsInitialWindowSize && x.value <= http2::kMaxWindowSize) {
        const int64_t delta = int64_t{x.value} - initial_window_;
        for (auto& kv : streams_) kv.second.window += delta;
        initial_window_ = x.value;
      }
    }
  }
  // A server's view: the client opened this stream.
  void OnPeerStreamOpened(uint32_t id) {
    Stream& s = streams_[id];
    if (!s.usable) {
      s.usable = true;
      s.window = initial_window_;
    }
    highest_peer_ = std::max(highest_peer_, id);
  }
  // A client's view: the server promised this stream.
  void OnPeerPromised(uint32_t id) {
    streams_[id].peer_promised = true;
    highest_peer_ = std::max(highest_peer_, id);
  }
  void OnPeerWindowUpdate(uint32_t id, uint32_t inc) {
    if (id == 0) {
      conn_window_ += inc;
    } else if (auto it = streams_.find(id); it != streams_.end()) {
      it->second.window += inc;
    }
  }
  void OnPeerPing(uint64_t opaque) { pings_.insert(opaque); }
  // The peer's octets can no longer be followed (they broke the frame layer): checks that
  // depend on them stop.
  void LoseTrack() { tracking_ = false; }

  // --- The session's octets ---
  void OnSessionBytes(absl::string_view bytes) {
    if (!server_ && magic_ < http2::kClientPreface.size()) {
      const size_t n = std::min(http2::kClientPreface.size() - magic_, bytes.size());
      Check(bytes.substr(0, n) == http2::kClientPreface.substr(magic_, n),
            "the client does not start with the connection preface (RFC 9113 §3.4)");
      magic_ += n;
      bytes.remove_prefix(n);
    }
    const size_t n = parser_.Parse(bytes);
    if (!errors_.empty()) {
      Fail(absl::StrCat("the session sent an invalid frame: ", errors_[0]));
    }
    Check(n == bytes.size(), "the peer's parser stopped on the session's output");
  }

  // FrameListener.
  void OnFrameHeader(const http2::FrameHeader& h) override {
    Trace("<", h);
    ++frames_;
    if (goaway_error_) {
      Fail(absl::StrCat("a ", http2::FrameTypeName(h.type),
                        " frame after the session's GOAWAY with an error code"));
    }
    if (tracking_ && h.length > max_frame_size_) {
      Fail(absl::StrCat(http2::FrameTypeName(h.type), " frame of ", h.length,
                        " octets exceeds the peer's SETTINGS_MAX_FRAME_SIZE ", max_frame_size_,
                        " (RFC 9113 §4.2)"));
    }
    if (frames_ == 1) {
      Check(h.is(http2::FrameType::kSettings) && !h.has(http2::kFlagAck),
            "the connection preface does not continue with SETTINGS (RFC 9113 §3.4)");
    }
    if (h.type > 0x9 && h.type != 0x10) Fail("the session sent a frame of unknown type");
    if (h.is(http2::FrameType::kPriorityUpdate) && server_) {
      Fail("a server sent PRIORITY_UPDATE (RFC 9218 §7.1: clients only)");
    }
    if (h.is(http2::FrameType::kPushPromise) && !server_) {
      Fail("a client sent PUSH_PROMISE (RFC 9113 §8.4)");
    }
    if ((h.is(http2::FrameType::kRstStream) || h.is(http2::FrameType::kWindowUpdate)) &&
        h.stream_id != 0) {
      NotIdle(h.stream_id);
    }
  }
  void OnDataStart(const http2::FrameHeader& h) override {
    NotIdle(h.stream_id);
    Stream& s = streams_[h.stream_id];
    Check(s.message_started, "DATA before the message's HEADERS (RFC 9113 §8.1)");
    Check(!s.ended && !s.reset, "DATA after the session ended or reset the stream");
    if (tracking_) {
      s.window -= h.length;
      conn_window_ -= h.length;
      if (s.window < 0 || conn_window_ < 0) {
        Fail(absl::StrCat("DATA of ", h.length, " octets on stream ", h.stream_id,
                          " exceeds the flow-control window (stream ", s.window + h.length,
                          ", connection ", conn_window_ + h.length, ") (RFC 9113 §6.9.1)"));
      }
    }
    if (h.has(http2::kFlagEndStream)) s.ended = true;
  }
  void OnHeadersStart(const http2::FrameHeader& h, const http2::PrioritySpec*) override {
    const uint32_t id = h.stream_id;
    if (!server_ && streams_.find(id) == streams_.end() && id % 2 == 1 && id > last_request_) {
      // A client's new request (§5.1.1: odd, above every stream it opened).
      last_request_ = id;
      Stream& s = streams_[id];
      s.usable = true;
      s.window = initial_window_;
    }
    NotIdle(id);
    Stream& s = streams_[id];
    Check(!s.ended && !s.reset, "HEADERS after the session ended or reset the stream");
    StartBlock(id, 0, h.has(http2::kFlagEndStream));
  }
  void OnPushPromiseStart(const http2::FrameHeader& h, uint32_t promised) override {
    Stream& assoc = streams_[h.stream_id];
    Check(assoc.usable && h.stream_id % 2 == 1 && !assoc.ended && !assoc.reset,
          "PUSH_PROMISE on a stream that is not open or half-closed (remote) for the server "
          "(RFC 9113 §6.6)");
    Check(promised % 2 == 0 && promised > last_promised_,
          "PUSH_PROMISE with a promised stream id that is not a new even id (RFC 9113 §5.1.1)");
    Check(!tracking_ || enable_push_,
          "PUSH_PROMISE after the client's ENABLE_PUSH=0 was acknowledged (RFC 9113 §8.4)");
    last_promised_ = promised;
    Stream& p = streams_[promised];
    p.usable = true;
    p.window = initial_window_;
    StartBlock(h.stream_id, promised, false);
  }
  void OnFieldBlockFragment(absl::string_view fragment) override {
    block_.append(fragment.data(), fragment.size());
  }
  void OnRstStream(const http2::FrameHeader& h, uint32_t) override {
    streams_[h.stream_id].reset = true;
  }
  void OnSetting(const http2::Setting& s) override {
    if (s.id == http2::kSettingsEnablePush && server_) {
      Check(s.value == 0, "a server sent SETTINGS_ENABLE_PUSH=1 (RFC 9113 §6.5.2)");
    }
  }
  void OnSettingsAck(const http2::FrameHeader&) override {
    if (!tracking_) return;
    Check(!pending_settings_.empty(), "a SETTINGS ACK for no SETTINGS the session received");
    for (const http2::Setting& s : pending_settings_.front()) {
      switch (s.id) {
        case http2::kSettingsMaxFrameSize:
          max_frame_size_ = s.value;
          break;
        case http2::kSettingsHeaderTableSize:
          inflater_.ChangeTableSize(s.value);
          break;
        case http2::kSettingsEnablePush:
          enable_push_ = s.value == 1;
          break;
        default:
          break;
      }
    }
    pending_settings_.pop_front();
  }
  void OnPing(const http2::FrameHeader& h, uint64_t opaque) override {
    if (!h.has(http2::kFlagAck) || !tracking_) return;
    auto it = pings_.find(opaque);
    Check(it != pings_.end(), "a PING ACK for no PING the session received (RFC 9113 §6.7)");
    pings_.erase(it);
  }
  void OnGoAwayStart(const http2::FrameHeader&, uint32_t last, uint32_t code) override {
    Check(last <= goaway_last_, "GOAWAY last-stream-id increased (RFC 9113 §6.8)");
    if (last != http2::kMaxStreamId && tracking_) {
      Check(last <= highest_peer_, "GOAWAY names a stream the peer never opened");
    }
    goaway_last_ = last;
    if (code != 0) goaway_error_ = true;
  }
  void OnWindowUpdate(const http2::FrameHeader& h, uint32_t) override {
    if (h.stream_id != 0) {
      Check(!streams_[h.stream_id].reset, "WINDOW_UPDATE after the session's RST_STREAM");
    }
  }
  void OnFrameEnd(const http2::FrameHeader& h) override {
    const auto t = static_cast<http2::FrameType>(h.type);
    if ((t == http2::FrameType::kHeaders || t == http2::FrameType::kPushPromise ||
         t == http2::FrameType::kContinuation) &&
        h.has(http2::kFlagEndHeaders)) {
      FinishBlock();
    }
  }
  void OnFrameError(const http2::ProtocolError& e) override { errors_.push_back(e.message); }

 private:
  struct Stream {
    bool usable = false;          // opened by the client, or promised by the server
    bool peer_promised = false;   // (client) promised by the server
    bool message_started = false;  // request headers / final response sent
    bool ended = false;
    bool reset = false;
    int64_t window = 0;
  };

  // The session may send on `id`: a stream it or its peer opened, or one promised.
  void NotIdle(uint32_t id) {
    if (!tracking_) return;
    auto it = streams_.find(id);
    const bool known = it != streams_.end() && (it->second.usable || it->second.peer_promised);
    if (known) return;
    // Streams the session refused or discarded, or forgot, below the highest ones.
    if (server_ && id % 2 == 1 && id <= highest_peer_) return;
    if (!server_ && id % 2 == 1 && id <= last_request_) return;
    if (id % 2 == 0 && id <= std::max(last_promised_, server_ ? 0u : highest_peer_)) return;
    Fail(absl::StrCat("a frame on stream ", id, ", which neither side opened (idle; RFC 9113 §5.1)"));
  }

  void StartBlock(uint32_t stream, uint32_t promised, bool end_stream) {
    block_.clear();
    block_stream_ = stream;
    block_promised_ = promised;
    block_end_stream_ = end_stream;
  }

  void FinishBlock() {
    absl::StatusOr<hpack::HeaderList> fields = inflater_.Inflate(block_);
    if (!fields.ok()) {
      Fail(absl::StrCat("a field block from the session does not decode: ",
                        fields.status().message()));
    }
    Stream& s = streams_[block_promised_ != 0 ? block_promised_ : block_stream_];
    http2::FieldBlockKind kind;
    if (block_promised_ != 0) {
      kind = http2::FieldBlockKind::kPushPromise;
    } else if (s.message_started) {
      kind = http2::FieldBlockKind::kTrailers;
    } else {
      kind = server_ ? http2::FieldBlockKind::kResponse : http2::FieldBlockKind::kRequest;
    }
    http2::FieldValidator v;
    v.StartBlock(kind, block_promised_ == 0 && block_end_stream_);
    for (const hpack::HeaderField& f : *fields) {
      if (!v.OnField(f.name, f.value)) break;
    }
    if (v.ok()) v.FinishBlock();
    if (!v.ok()) {
      Fail(absl::StrCat("the session sent a malformed field section on stream ", block_stream_,
                        ": ", v.error().message, "\n", Describe(*fields)));
    }
    if (block_promised_ != 0) return;
    if (kind == http2::FieldBlockKind::kResponse && v.is_informational()) {
      Check(!block_end_stream_, "a 1xx response with END_STREAM");
    } else if (kind != http2::FieldBlockKind::kTrailers) {
      s.message_started = true;
    }
    if (block_end_stream_) s.ended = true;
  }

  const bool server_;
  http2::FrameParser parser_;
  hpack::Inflater inflater_;
  std::vector<std::string> errors_;
  size_t magic_ = 0;
  uint64_t frames_ = 0;
  bool tracking_ = true;
  std::deque<std::vector<http2::Setting>> pending_settings_;
  uint32_t max_frame_size_ = http2::kDefaultMaxFrameSize;
  bool enable_push_ = true;  // RFC 9113 §6.5.2: initial value 1
  int64_t initial_window_ = http2::kDefaultInitialWindowSize;
  int64_t conn_window_ = http2::kDefaultInitialWindowSize;
  std::map<uint32_t, Stream> streams_;
  std::multiset<uint64_t> pings_;
  uint32_t highest_peer_ = 0;
  uint32_t last_request_ = 0;
  uint32_t last_promised_ = 0;
  uint32_t goaway_last_ = http2::kMaxStreamId;
  bool goaway_error_ = false;
  std::string block_;
  uint32_t block_stream_ = 0;
  uint32_t block_promised_ = 0;
  bool block_end_stream_ = false;
};

// Parses the octets the session consumed, as the session did, and tells the PeerView what
// the session has processed of its peer (SETTINGS, windows, streams, PINGs).
class InputView : public http2::FrameListener {
 public:
  InputView(http2::Perspective observed, PeerView* view)
      : server_(observed == http2::Perspective::kServer),
        view_(view),
        parser_(this, LenientParserOptions()) {}

  // `bytes`: what the session's Receive() consumed (not after a connection error: then it
  // discards its input).
  void OnConsumed(absl::string_view bytes) {
    if (lost_) return;
    if (server_ && magic_ < http2::kClientPreface.size()) {
      const size_t n = std::min(http2::kClientPreface.size() - magic_, bytes.size());
      magic_ += n;
      bytes.remove_prefix(n);
    }
    parser_.Parse(bytes);
    if (parser_.halted()) Lose();
  }
  void Lose() {
    lost_ = true;
    view_->LoseTrack();
  }

  void OnFrameHeader(const http2::FrameHeader& h) override { Trace(">", h); }
  void OnSettingsStart(const http2::FrameHeader&) override { settings_.clear(); }
  void OnSetting(const http2::Setting& s) override { settings_.push_back(s); }
  void OnHeadersStart(const http2::FrameHeader& h, const http2::PrioritySpec*) override {
    if (server_ && h.stream_id % 2 == 1 && h.stream_id > highest_) {
      highest_ = h.stream_id;
      view_->OnPeerStreamOpened(h.stream_id);
    }
  }
  void OnPushPromiseStart(const http2::FrameHeader&, uint32_t promised) override {
    if (!server_) view_->OnPeerPromised(promised);
  }
  void OnWindowUpdate(const http2::FrameHeader& h, uint32_t inc) override {
    view_->OnPeerWindowUpdate(h.stream_id, inc);
  }
  void OnPing(const http2::FrameHeader& h, uint64_t opaque) override {
    if (!h.has(http2::kFlagAck)) view_->OnPeerPing(opaque);
  }
  void OnFrameEnd(const http2::FrameHeader& h) override {
    if (h.is(http2::FrameType::kSettings) && !h.has(http2::kFlagAck)) view_->OnPeerSettings(settings_);
  }
  void OnFrameError(const http2::ProtocolError& e) override {
    if (e.connection) Lose();
  }

 private:
  const bool server_;
  PeerView* view_;
  http2::FrameParser parser_;
  size_t magic_ = 0;
  bool lost_ = false;
  uint32_t highest_ = 0;
  std::vector<http2::Setting> settings_;
};

}  // namespace h2
}  // namespace fuzz

#endif  // H2HARNESS_FUZZ_HTTP2_PEER_VIEW_H_
