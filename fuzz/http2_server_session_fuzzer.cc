// A client script (fuzz/http2_script.h: frame descriptions, junk, delivery in pieces, the
// clock, server calls) against an http2::Session in the server role, whose handler answers
// requests as each HEADERS record says: responses with and without bodies (small, larger than
// every window, deferred, failing), 1xx, trailers, pushes, resets.
//
// Checked all along:
//  - the client's view: every octet the server sends parses, with a FrameParser, as valid
//    frames a client must accept (RFC 9113 as the client role sees it): no frame larger
//    than the client's SETTINGS_MAX_FRAME_SIZE in force, field blocks that decode with an
//    independent hpack::Inflater (following the client's SETTINGS_HEADER_TABLE_SIZE) into
//    valid responses, trailers and push requests, HEADERS/DATA only on streams the client
//    opened or the server promised, in order (1xx, final, DATA, trailers) and never after
//    the server ended or reset the stream, DATA within the client's flow-control windows
//    (computed from what the server has processed), PUSH_PROMISE with increasing even ids on
//    open client streams, no ENABLE_PUSH=1, ACKs only for SETTINGS and PINGs received,
//    GOAWAY last-stream-ids that never grow, nothing after a GOAWAY with an error;
//  - the handler's view: requests, data, end of stream and close reported once, in order,
//    for odd streams, and never after the stream closed or the connection failed;
//  - bounded memory: the session's own accounting (SessionStats) against its limits after
//    every call (queued output, control frames, streams remembered, field block octets);
//  - liveness: after the server's output is drained, Receive() makes progress; timers due
//    are handled (NextDeadline() is never left in the past).
//
// Input: 8 config octets (the server's options, mostly small limits so that they fire), then
// script records.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fuzz/http2_fuzz_util.h"
#include "fuzz/http2_script.h"
#include "hpack/inflater.h"
#include "http2/error_code.h"
#include "http2/field_validation.h"
#include "http2/frame.h"
#include "http2/frame_parser.h"
#include "http2/options.h"
#include "http2/session.h"
#include "http2/settings.h"
#include "http2/testing.h"
#include "http2/visitor.h"

namespace {

using fuzz::Check;
using fuzz::Fail;
using http2::ErrorCode;
using http2::FrameHeader;
using http2::FrameType;

// H2FUZZ_VERBOSE=1 prints the frames each way and a summary (for reading a corpus).
bool Verbose() {
  static const bool verbose = std::getenv("H2FUZZ_VERBOSE") != nullptr;
  return verbose;
}

void Trace(const char* dir, const FrameHeader& h) {
  if (!Verbose()) return;
  std::fprintf(stderr, "%s %s stream=%u flags=%s length=%u\n", dir,
               http2::FrameTypeName(h.type).c_str(), h.stream_id,
               http2::FrameFlagsToString(h.type, h.flags).c_str(), h.length);
}

// Slack over max_output_buffer that one input frame may add (a response's header blocks,
// pushes, a GOAWAY with its message) before Receive() stops reading.
constexpr size_t kOutputSlack = 16 * 1024;

struct Config {
  http2::SessionOptions options;
  bool clock = true;
};

Config MakeConfig(absl::string_view c, const http2::Clock* clock) {
  auto at = [&c](size_t i) -> uint8_t { return i < c.size() ? static_cast<uint8_t>(c[i]) : 0; };
  Config cfg;
  http2::SessionOptions& o = cfg.options;
  static constexpr uint32_t kConcurrent[] = {100, 1, 2, 5};
  static constexpr uint32_t kWindows[] = {65535, 65535, 0, 100, 16384, 1 << 20, 0x7fffffff, 65536};
  o.max_concurrent_streams = kConcurrent[at(0) & 3];
  o.initial_window_size = kWindows[(at(0) >> 2) & 7];
  o.enable_connect_protocol = (at(0) & 0x20) != 0;
  o.auto_consume = (at(0) & 0x40) == 0;
  o.goaway_debug_data = (at(0) & 0x80) == 0;
  static constexpr uint32_t kFrameSizes[] = {16384, 16384, 20000, 1 << 20};
  static constexpr uint32_t kTableSizes[] = {4096, 0, 256, 65536};
  o.max_frame_size = kFrameSizes[at(1) & 3];
  o.header_table_size = kTableSizes[(at(1) >> 2) & 3];
  static constexpr uint32_t kListSizes[] = {65536, 200, 1000, 1 << 20};
  o.max_header_list_size = kListSizes[(at(1) >> 4) & 3];
  if (at(1) & 0x40) o.max_header_fields = 4;
  if (at(1) & 0x80) o.max_data_frame_size = 100;
  const uint8_t limits = at(2);
  if (limits & 0x01) o.max_continuations = 2;
  if (limits & 0x02) o.max_field_block_bytes = 512;
  if (limits & 0x04) o.max_settings = 4;
  if (limits & 0x08) o.max_outbound_control_frames = 8;
  if (limits & 0x10) {
    o.stream_reset_burst = 4;
    o.stream_reset_rate = 1;
  }
  if (limits & 0x20) {
    o.glitch_burst = 8;
    o.glitch_rate = 1;
  }
  if (limits & 0x40) o.max_closed_streams = 2;
  if (limits & 0x80) o.max_output_buffer = 256;
  static constexpr uint32_t kConnWindows[] = {65535, 65535, 1 << 20, 0x7fffffff};
  o.connection_window_size = kConnWindows[at(3) & 3];
  if (at(3) & 0x04) o.stalled_stream_timeout = absl::Seconds(1);
  if (at(3) & 0x08) o.settings_timeout = absl::Seconds(1);
  if (at(3) & 0x10) o.graceful_shutdown_delay = absl::Milliseconds(100);
  if (at(3) & 0x20) o.max_goaway_debug_data = 8;
  cfg.clock = (at(3) & 0x40) == 0;
  const uint8_t v = at(4);
  http2::FieldValidationOptions& fv = o.field_validation;
  if (v & 0x01) fv.validate_http_headers = false;
  if (v & 0x02) fv.no_rfc9113_leading_and_trailing_ws_validation = true;
  if (v & 0x04) fv.allow_different_host_and_authority = true;
  if (v & 0x08) fv.require_authority_or_host = true;
  if (v & 0x10) fv.validate_content_length = false;
  if (v & 0x20) fv.allow_non_token_names = true;
  if (v & 0x40) fv.validate_path = false;
  // The handler's own headers checked too; it then tries a malformed response first.
  o.validate_submitted_headers = (v & 0x80) != 0;
  o.clock = cfg.clock ? clock : nullptr;
  return cfg;
}

// --- The client's view of the server's output --------------------------------------------

// Per-stream state as the client sees it (server side of the stream) and the credit it has
// granted.
struct ClientStream {
  bool opened_by_client = false;
  bool promised = false;
  bool informational_allowed = true;
  bool final_headers = false;
  bool server_ended = false;
  bool server_reset = false;
  bool head = false;
  int64_t window = 0;
};

class ClientView : public http2::FrameListener {
 public:
  ClientView() : parser_(this, ParserOptions()), inflater_(InflaterOptions()) {}

  // --- what the server has processed (fed by InputView) ---
  void OnClientSettings(const std::vector<http2::Setting>& s) {
    pending_settings_.push_back(s);
    for (const http2::Setting& x : s) {
      if (x.id == http2::kSettingsInitialWindowSize && x.value <= http2::kMaxWindowSize) {
        const int64_t delta = int64_t{x.value} - initial_window_;
        for (auto& kv : streams_) kv.second.window += delta;
        initial_window_ = x.value;
      }
    }
  }
  void OnClientStreamOpened(uint32_t id, bool head) {
    ClientStream& s = streams_[id];
    if (!s.opened_by_client) {
      s.opened_by_client = true;
      s.window = initial_window_;
      s.head = head;
    }
    highest_client_ = std::max(highest_client_, id);
  }
  void OnClientWindowUpdate(uint32_t id, uint32_t inc) {
    if (id == 0) {
      conn_window_ += inc;
    } else if (auto it = streams_.find(id); it != streams_.end()) {
      it->second.window += inc;
    }
  }
  void OnClientPing(uint64_t opaque) { pings_.insert(opaque); }
  void LoseTrack() { tracking_ = false; }

  // --- the server's octets ---
  void OnServerBytes(absl::string_view bytes) {
    const size_t n = parser_.Parse(bytes);
    if (!errors_.empty()) Fail(absl::StrCat("the server sent an invalid frame: ", errors_[0]));
    Check(n == bytes.size(), "the client's parser stopped on the server's output");
  }
  bool AtFrameBoundary() const { return parser_.at_frame_boundary(); }
  bool goaway_with_error() const { return goaway_error_; }

  // FrameListener.
  void OnFrameHeader(const FrameHeader& h) override {
    Trace("<", h);
    h_ = h;
    ++frames_;
    if (goaway_error_) {
      Fail(absl::StrCat("a ", http2::FrameTypeName(h.type),
                        " frame after the server's GOAWAY with an error code"));
    }
    if (tracking_ && h.length > max_frame_size_) {
      Fail(absl::StrCat(http2::FrameTypeName(h.type), " frame of ", h.length,
                        " octets exceeds the client's SETTINGS_MAX_FRAME_SIZE ", max_frame_size_,
                        " (RFC 9113 §4.2)"));
    }
    if (frames_ == 1) {
      Check(h.is(FrameType::kSettings) && !h.has(http2::kFlagAck),
            "the server preface is not a SETTINGS frame (RFC 9113 §3.4)");
    }
    switch (static_cast<FrameType>(h.type)) {
      case FrameType::kPriorityUpdate:
        Fail("the server sent PRIORITY_UPDATE (RFC 9218 §7.1: clients only)");
      case FrameType::kData:
      case FrameType::kHeaders:
      case FrameType::kRstStream:
      case FrameType::kWindowUpdate:
      case FrameType::kPushPromise:
        if (h.stream_id != 0) KnownStream(h.stream_id, http2::FrameTypeName(h.type));
        break;
      default:
        if (h.type > 0x9 && h.type != 0x10) Fail("the server sent a frame of unknown type");
        break;
    }
  }
  void OnDataStart(const FrameHeader& h) override {
    ClientStream& s = streams_[h.stream_id];
    Check(s.final_headers, "DATA before the final response HEADERS (RFC 9113 §8.1)");
    Check(!s.server_ended && !s.server_reset, "DATA after the server ended or reset the stream");
    if (tracking_) {
      s.window -= h.length;
      conn_window_ -= h.length;
      if (s.window < 0 || conn_window_ < 0) {
        Fail(absl::StrCat("DATA of ", h.length, " octets on stream ", h.stream_id,
                          " exceeds the flow-control window (stream ", s.window + h.length,
                          ", connection ", conn_window_ + h.length, ") (RFC 9113 §6.9.1)"));
      }
    }
    if (h.has(http2::kFlagEndStream)) s.server_ended = true;
  }
  void OnHeadersStart(const FrameHeader& h, const http2::PrioritySpec*) override {
    ClientStream& s = streams_[h.stream_id];
    Check(!s.server_ended && !s.server_reset,
          "HEADERS after the server ended or reset the stream");
    StartBlock(h.stream_id, 0, h.has(http2::kFlagEndStream));
  }
  void OnPushPromiseStart(const FrameHeader& h, uint32_t promised) override {
    ClientStream& assoc = streams_[h.stream_id];
    Check(assoc.opened_by_client && !assoc.server_ended && !assoc.server_reset,
          "PUSH_PROMISE on a stream that is not open or half-closed (remote) for the server "
          "(RFC 9113 §6.6)");
    Check(promised % 2 == 0 && promised > last_promised_,
          "PUSH_PROMISE with a promised stream id that is not a new even id (RFC 9113 §5.1.1)");
    Check(!tracking_ || enable_push_, "PUSH_PROMISE after the client's ENABLE_PUSH=0 was "
                                      "acknowledged (RFC 9113 §8.4)");
    last_promised_ = promised;
    ClientStream& p = streams_[promised];
    p.promised = true;
    p.window = initial_window_;
    StartBlock(h.stream_id, promised, false);
  }
  void OnFieldBlockFragment(absl::string_view fragment) override {
    block_.append(fragment.data(), fragment.size());
  }
  void OnRstStream(const FrameHeader& h, uint32_t code) override {
    streams_[h.stream_id].server_reset = true;
  }
  void OnSetting(const http2::Setting& s) override {
    if (s.id == http2::kSettingsEnablePush) {
      Check(s.value == 0, "the server sent SETTINGS_ENABLE_PUSH=1 (RFC 9113 §6.5.2)");
    }
  }
  void OnSettingsAck(const FrameHeader&) override {
    if (!tracking_) return;
    Check(!pending_settings_.empty(), "a SETTINGS ACK for no SETTINGS the server received");
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
  void OnPing(const FrameHeader& h, uint64_t opaque) override {
    if (!h.has(http2::kFlagAck) || !tracking_) return;
    auto it = pings_.find(opaque);
    Check(it != pings_.end(), "a PING ACK for no PING the server received (RFC 9113 §6.7)");
    pings_.erase(it);
  }
  void OnGoAwayStart(const FrameHeader&, uint32_t last, uint32_t code) override {
    Check(last <= goaway_last_, "GOAWAY last-stream-id increased (RFC 9113 §6.8)");
    if (last != http2::kMaxStreamId && tracking_) {
      Check(last <= highest_client_, "GOAWAY names a stream the client never opened");
    }
    goaway_last_ = last;
    if (code != 0) goaway_error_ = true;
  }
  void OnWindowUpdate(const FrameHeader& h, uint32_t) override {
    if (h.stream_id != 0) {
      Check(!streams_[h.stream_id].server_reset, "WINDOW_UPDATE after the server's RST_STREAM");
    }
  }
  void OnFrameEnd(const FrameHeader& h) override {
    const auto t = static_cast<FrameType>(h.type);
    if ((t == FrameType::kHeaders || t == FrameType::kPushPromise ||
         t == FrameType::kContinuation) &&
        h.has(http2::kFlagEndHeaders)) {
      FinishBlock();
    }
  }
  void OnFrameError(const http2::ProtocolError& e) override { errors_.push_back(e.message); }

 private:
  static http2::FrameParserOptions ParserOptions() {
    http2::FrameParserOptions o;
    o.max_frame_size = http2::kMaxMaxFrameSize;  // checked against the client's settings
    return o;
  }
  static hpack::InflaterOptions InflaterOptions() {
    hpack::InflaterOptions o;
    o.max_header_list_size = size_t{1} << 30;
    o.max_header_fields = size_t{1} << 20;
    return o;
  }

  void KnownStream(uint32_t id, const std::string& what) {
    if (!tracking_) return;
    auto it = streams_.find(id);
    const bool known = it != streams_.end() && (it->second.opened_by_client || it->second.promised);
    if (!known && id % 2 == 1 && id <= highest_client_) return;  // refused/discarded ones
    Check(known || (id % 2 == 0 && id <= last_promised_),
          "the server sent a frame on a stream neither side opened (idle; RFC 9113 §5.1)");
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
      Fail(absl::StrCat("a field block from the server does not decode: ",
                        fields.status().message()));
    }
    http2::FieldValidator v;
    ClientStream& s = streams_[block_promised_ != 0 ? block_promised_ : block_stream_];
    http2::FieldBlockKind kind = http2::FieldBlockKind::kResponse;
    if (block_promised_ != 0) {
      kind = http2::FieldBlockKind::kPushPromise;
    } else if (s.final_headers) {
      kind = http2::FieldBlockKind::kTrailers;
    }
    v.StartBlock(kind, block_promised_ == 0 && block_end_stream_);
    for (const hpack::HeaderField& f : *fields) {
      if (!v.OnField(f.name, f.value)) break;
    }
    if (v.ok()) v.FinishBlock();
    if (!v.ok()) {
      Fail(absl::StrCat("the server sent a malformed field section on stream ", block_stream_,
                        ": ", v.error().message, "\n", fuzz::Describe(*fields)));
    }
    if (block_promised_ != 0) return;
    if (kind == http2::FieldBlockKind::kResponse) {
      if (v.is_informational()) {
        Check(!block_end_stream_, "a 1xx response with END_STREAM");
      } else {
        s.final_headers = true;
      }
    }
    if (block_end_stream_) s.server_ended = true;
  }

  http2::FrameParser parser_;
  hpack::Inflater inflater_;
  std::vector<std::string> errors_;
  FrameHeader h_;
  uint64_t frames_ = 0;
  bool tracking_ = true;
  std::deque<std::vector<http2::Setting>> pending_settings_;
  uint32_t max_frame_size_ = http2::kDefaultMaxFrameSize;
  bool enable_push_ = true;  // RFC 9113 §6.5.2: initial value 1
  int64_t initial_window_ = http2::kDefaultInitialWindowSize;
  int64_t conn_window_ = http2::kDefaultInitialWindowSize;
  std::map<uint32_t, ClientStream> streams_;
  std::multiset<uint64_t> pings_;
  uint32_t highest_client_ = 0;
  uint32_t last_promised_ = 0;
  uint32_t goaway_last_ = http2::kMaxStreamId;
  bool goaway_error_ = false;
  std::string block_;
  uint32_t block_stream_ = 0;
  uint32_t block_promised_ = 0;
  bool block_end_stream_ = false;
};

// Parses the octets the server consumed, as the server did, and tells the ClientView what
// the server has processed (its SETTINGS, windows, streams, PINGs).
class InputView : public http2::FrameListener {
 public:
  explicit InputView(ClientView* view) : view_(view), parser_(this, ParserOptions()) {}

  void OnConsumed(absl::string_view bytes) {
    if (lost_) return;
    if (preface_ < http2::kClientPreface.size()) {
      const size_t n = std::min(http2::kClientPreface.size() - preface_, bytes.size());
      preface_ += n;
      bytes.remove_prefix(n);
    }
    parser_.Parse(bytes);
    if (parser_.halted()) Lose();
  }
  void Lose() {
    lost_ = true;
    view_->LoseTrack();
  }

  void OnFrameHeader(const FrameHeader& h) override { Trace(">", h); }
  void OnSettingsStart(const FrameHeader&) override { settings_.clear(); }
  void OnSetting(const http2::Setting& s) override { settings_.push_back(s); }
  void OnHeadersStart(const FrameHeader& h, const http2::PrioritySpec*) override {
    if (h.stream_id % 2 == 1 && h.stream_id > highest_) {
      highest_ = h.stream_id;
      view_->OnClientStreamOpened(h.stream_id, false);
    }
  }
  void OnWindowUpdate(const FrameHeader& h, uint32_t inc) override {
    view_->OnClientWindowUpdate(h.stream_id, inc);
  }
  void OnPing(const FrameHeader& h, uint64_t opaque) override {
    if (!h.has(http2::kFlagAck)) view_->OnClientPing(opaque);
  }
  void OnFrameEnd(const FrameHeader& h) override {
    if (h.is(FrameType::kSettings) && !h.has(http2::kFlagAck)) view_->OnClientSettings(settings_);
  }
  void OnFrameError(const http2::ProtocolError& e) override {
    if (e.connection) Lose();
  }

 private:
  static http2::FrameParserOptions ParserOptions() {
    http2::FrameParserOptions o;
    o.max_frame_size = http2::kMaxMaxFrameSize;
    return o;
  }
  ClientView* view_;
  http2::FrameParser parser_;
  size_t preface_ = 0;
  bool lost_ = false;
  uint32_t highest_ = 0;
  std::vector<http2::Setting> settings_;
};

// --- The server application ----------------------------------------------------------------

// A response body: `total` octets, in pieces of at most `chunk`; `defer` makes every other
// Read() say "nothing now" (the handler resumes it later); `fail_after` fails the stream
// once that many octets went out.
class BodySource : public http2::DataSource {
 public:
  BodySource(size_t total, size_t chunk, bool defer, size_t fail_after, bool trailers_follow)
      : total_(total), chunk_(chunk), defer_(defer), fail_after_(fail_after),
        trailers_follow_(trailers_follow) {}
  Result Read(uint32_t stream_id, char* dest, size_t max) override {
    Result r;
    if (sent_ >= fail_after_) {
      r.error = true;
      return r;
    }
    if (defer_ && (calls_++ % 2 == 0)) {
      deferred_ = true;
      return r;
    }
    const size_t n = std::min({max, chunk_, total_ - sent_});
    for (size_t i = 0; i < n; ++i) dest[i] = static_cast<char>('a' + (sent_ + i) % 26);
    sent_ += n;
    r.length = n;
    r.end = sent_ == total_;
    r.trailers_follow = r.end && trailers_follow_;
    return r;
  }
  bool deferred() const { return deferred_; }
  void clear_deferred() { deferred_ = false; }

 private:
  size_t total_, chunk_;
  bool defer_;
  size_t fail_after_;
  bool trailers_follow_;
  size_t sent_ = 0;
  size_t calls_ = 0;
  bool deferred_ = false;
};

// Answers requests as the script's handler action octets say, and checks the events.
class Handler : public http2::Visitor {
 public:
  http2::Session* session = nullptr;
  std::map<uint32_t, uint8_t> actions;

  struct Stream {
    bool request = false;
    bool ended = false;
    bool closed = false;
    bool responded = false;
    bool pushed = false;
    uint8_t action = 0;
    std::unique_ptr<BodySource> body;
  };
  std::map<uint32_t, Stream> streams;
  std::vector<std::unique_ptr<BodySource>> retired;  // sources of closed streams
  uint32_t last_request = 0;
  bool connection_failed = false;

  void OnHeaders(const http2::ReceivedHeaders& h) override {
    Check(!connection_failed, "OnHeaders after the connection error");
    Check(h.stream_id % 2 == 1, "a request on an even stream");
    Stream& s = streams[h.stream_id];
    Check(!s.closed, "OnHeaders on a closed stream");
    if (h.kind == http2::HeadersKind::kRequest) {
      Check(!s.request, "a second request on one stream");
      Check(h.stream_id > last_request, "requests out of order");
      last_request = h.stream_id;
      s.request = true;
      if (session->options().field_validation.validate_http_headers) {
        Check(!h.method.empty(), "a request without :method reached the handler");
        if (h.method != "CONNECT" || !h.protocol.empty()) {
          Check(!h.scheme.empty() && !h.path.empty(),
                "a request without :scheme or :path reached the handler (RFC 9113 §8.3.1)");
        }
      }
      auto it = actions.find(h.stream_id);
      s.action = it != actions.end() ? it->second : static_cast<uint8_t>(h.stream_id * 37);
      if (h.end_stream) {
        s.ended = true;
      }
      if ((s.action & 3) == 0 || ((s.action & 3) == 1 && h.end_stream)) Respond(h.stream_id);
      if ((s.action & 3) == 2) {
        (void)session->SubmitRstStream(h.stream_id, ErrorCode::kCancel);
      }
      return;
    }
    Check(h.kind == http2::HeadersKind::kTrailers, "a server received a response");
    Check(s.request && !s.ended, "trailers without a request, or after its end");
    Check(h.end_stream, "trailers without END_STREAM reached the handler (RFC 9113 §8.1)");
    s.ended = true;
    if ((s.action & 3) == 1) Respond(h.stream_id);
  }
  void OnData(uint32_t id, absl::string_view data) override {
    Check(!connection_failed, "OnData after the connection error");
    Stream& s = streams[id];
    Check(s.request && !s.ended && !s.closed, "OnData outside a request body");
    if (!session->options().auto_consume && id % 3 != 0) {
      Check(session->Consume(id, data.size()).ok(), "Consume() of data just delivered failed");
    }
  }
  void OnEndStream(uint32_t id) override {
    Check(!connection_failed, "OnEndStream after the connection error");
    Stream& s = streams[id];
    Check(s.request && !s.closed, "OnEndStream without a request");
    s.ended = true;
    if ((s.action & 3) == 1 && !s.responded) Respond(id);
  }
  void OnStreamClose(uint32_t id, ErrorCode code) override {
    Stream& s = streams[id];
    Check(!s.closed, "OnStreamClose twice for one stream");
    Check(s.request || s.pushed, "OnStreamClose for a stream the handler never saw");
    s.closed = true;
    if (s.body) retired.push_back(std::move(s.body));
  }
  void OnStreamError(const http2::ProtocolError& e) override {
    Check(!e.connection && e.stream_id != 0, "OnStreamError with a connection error");
  }
  void OnPushPromise(uint32_t, uint32_t, const http2::ReceivedHeaders&) override {
    Fail("a server received a push promise");
  }
  void OnConnectionError(const http2::ProtocolError& e) override {
    Check(!connection_failed, "OnConnectionError twice");
    Check(e.connection, "OnConnectionError with a stream error");
    connection_failed = true;
  }

  // The response the action asks for.
  void Respond(uint32_t id) {
    Stream& s = streams[id];
    if (s.responded) return;
    s.responded = true;
    const uint8_t a = s.action;
    if (session->options().validate_submitted_headers) {
      // Malformed submissions fail and change nothing (the client's view checks the rest).
      static const http2::Header kBad[][2] = {{{":status", "200"}, {"Upper", "x"}},
                                              {{":status", "20"}, {"x", "y"}},
                                              {{"x", "y"}, {":status", "200"}},
                                              {{":status", "200"}, {"connection", "close"}}};
      const auto& bad = kBad[a % 4];
      Check(!session->SubmitResponse(id, bad, nullptr).ok(),
            "SubmitResponse accepted a malformed header section with validation on");
    }
    if (a & 0x20) {
      (void)session->SubmitInformational(id, {{":status", "103"}, {"link", "</a>; rel=preload"}});
    }
    if (a & 0x40) Push(id);
    const int body = (a >> 2) & 3;
    const bool trailers = (a & 0x10) != 0;
    std::vector<http2::Header> headers = {{":status", body == 0 && (a & 0x80) ? "204" : "200"},
                                          {"content-type", "text/plain"}};
    if (body == 0) {
      (void)session->SubmitResponse(id, headers, nullptr);
      return;
    }
    const size_t total = body == 1 ? 5 : body == 2 ? 70000 + size_t{a} * 100 : 3000;
    const bool fail = body == 1 && (a & 0x80);
    s.body = std::make_unique<BodySource>(total, body == 2 ? 16384 : 1000, body == 3,
                                          fail ? 0 : SIZE_MAX, trailers && (a & 0x80));
    if (!session->SubmitResponse(id, headers, s.body.get()).ok()) {
      retired.push_back(std::move(s.body));
      return;
    }
    if (trailers) {
      if (session->options().validate_submitted_headers) {
        // The stream takes trailers now (its body is pending): only validation refuses these.
        Check(!session->SubmitTrailers(id, {{":status", "200"}}).ok(),
              "SubmitTrailers accepted a pseudo-header field with validation on");
      }
      (void)session->SubmitTrailers(id, {{"x-trailer", "done"}});
    }
  }

  void Push(uint32_t id) {
    absl::StatusOr<uint32_t> p = session->SubmitPushPromise(
        id, {{":method", "GET"}, {":scheme", "https"}, {":authority", "example.com"},
             {":path", "/pushed.css"}});
    if (!p.ok()) return;
    Stream& ps = streams[*p];
    ps.pushed = true;
    ps.body = std::make_unique<BodySource>(10, 10, false, SIZE_MAX, false);
    if (!session->SubmitResponse(*p, {{":status", "200"}}, ps.body.get()).ok()) {
      retired.push_back(std::move(ps.body));
    }
  }

  void ResumeAll() {
    for (auto& kv : streams) {
      if (kv.second.body && kv.second.body->deferred()) {
        kv.second.body->clear_deferred();
        (void)session->ResumeData(kv.first);
      }
    }
  }

  size_t PushedOpen() const {
    size_t n = 0;
    for (const auto& kv : streams) n += kv.second.pushed && !kv.second.closed;
    return n;
  }

  size_t ReservedLocal() const {
    size_t n = 0;
    for (const auto& kv : streams) {
      if (kv.second.pushed &&
          session->stream_state(kv.first) == http2::StreamState::kReservedLocal) {
        ++n;
      }
    }
    return n;
  }
};

// --- The harness ---------------------------------------------------------------------------

class Harness : public fuzz::h2::ScriptListener {
 public:
  explicit Harness(absl::string_view config)
      : cfg_(MakeConfig(config, &clock_)), input_view_(&view_) {
    server_ = std::make_unique<http2::Session>(http2::Perspective::kServer, &handler_,
                                               cfg_.options);
    handler_.session = server_.get();
    max_concurrent_ = cfg_.options.max_concurrent_streams;
    CheckBounds("construction");
  }
  ~Harness() override {
    server_.reset();  // before the handler's body sources
  }

  void Finish() {
    OnDeliver(0);
    if (reading_) Drain();
    CheckBounds("the end");
    // H2FUZZ_VERBOSE=1: what happened, for reading a corpus.
    if (Verbose()) {
      const http2::SessionStats st = server_->stats();
      std::fprintf(stderr,
                   "received %llu octets, %llu frames; sent %llu octets, %llu frames; streams "
                   "%llu opened, %llu closed; glitches %llu; %s\n",
                   (unsigned long long)st.bytes_received, (unsigned long long)st.frames_received,
                   (unsigned long long)st.bytes_sent, (unsigned long long)st.frames_sent,
                   (unsigned long long)st.streams_opened, (unsigned long long)st.streams_closed,
                   (unsigned long long)st.glitches,
                   server_->connection_error() ? server_->connection_error()->message.c_str()
                                               : "no connection error");
    }
  }

  // ScriptListener.
  void OnClientBytes(absl::string_view bytes, fuzz::h2::Op) override {
    pending_.append(bytes.data(), bytes.size());
    if (pending_.size() > 64 * 1024) OnDeliver(0);
  }
  void OnDeliver(size_t piece) override {
    while (!pending_.empty()) {
      const size_t n = std::min(pending_.size(), piece == 0 ? pending_.size() : piece);
      const bool dead_before = server_->connection_error().has_value();
      const size_t used = server_->Receive(absl::string_view(pending_).substr(0, n));
      Check(used <= n, "Receive() consumed more than it was given");
      if (!dead_before) input_view_.OnConsumed(absl::string_view(pending_).substr(0, used));
      pending_.erase(0, used);
      CheckBounds("Receive()");
      if (used == 0) {
        if (!reading_) return;  // the server waits for the client to read
        Drain();
        const size_t again = server_->Receive(absl::string_view(pending_).substr(0, n));
        if (again == 0) {
          Fail("Receive() makes no progress with the output drained (WantRead=" +
               std::to_string(server_->WantRead()) + ")");
        }
        input_view_.OnConsumed(absl::string_view(pending_).substr(0, again));
        pending_.erase(0, again);
        CheckBounds("Receive() after Send()");
      }
    }
  }
  void OnServerSend(size_t budget, bool toggle) override {
    if (toggle) {
      reading_ = !reading_;
      return;
    }
    if (!reading_) return;
    if (budget == 0) {
      Drain();
      return;
    }
    std::string out;
    const size_t n = server_->Send(&out, budget);
    Check(n == out.size() && n <= budget, "Send() wrote more than its budget");
    view_.OnServerBytes(out);
    app_allowance_ = 0;
    CheckBounds("Send(budget)");
  }
  void OnClock(absl::Duration d) override {
    clock_.Advance(d);
    server_->OnTimer();
    if (cfg_.clock && !server_->connection_error()) {
      Check(server_->NextDeadline() > clock_.Now(), "OnTimer() left a deadline in the past");
    }
    CheckBounds("OnTimer()");
  }
  void OnServerAction(uint8_t action, uint32_t id) override {
    const size_t before = server_->stats().buffered_output_bytes;
    http2::Session& s = *server_;
    switch (action % 12) {
      case 0:
        (void)s.SubmitPing(action);
        break;
      case 1: {
        static constexpr http2::Setting kSettings[] = {
            {http2::kSettingsInitialWindowSize, 0},   {http2::kSettingsInitialWindowSize, 1 << 20},
            {http2::kSettingsMaxConcurrentStreams, 1}, {http2::kSettingsMaxConcurrentStreams, 200},
            {http2::kSettingsHeaderTableSize, 0},      {http2::kSettingsHeaderTableSize, 8192},
            {http2::kSettingsMaxFrameSize, 32768},     {http2::kSettingsEnablePush, 1}};
        const http2::Setting st = kSettings[(action >> 4) % 8];
        if (s.SubmitSettings({st}).ok() && st.id == http2::kSettingsMaxConcurrentStreams) {
          max_concurrent_ = std::max(max_concurrent_, st.value);
        }
        break;
      }
      case 2:
        s.SubmitShutdownNotice();
        break;
      case 3:
        s.SubmitGoAway(static_cast<ErrorCode>((action >> 4) % 3), "bye");
        break;
      case 4:
        handler_.ResumeAll();
        (void)s.ResumeData(id);
        break;
      case 5:
        (void)s.SubmitRstStream(id, ErrorCode::kCancel);
        break;
      case 6:
        (void)s.SubmitTrailers(id, {{"x-late", "1"}});
        break;
      case 7:
        handler_.streams[id].action = action & 0xfc;
        if (handler_.streams[id].request) handler_.Respond(id);
        break;
      case 8:
        (void)s.Consume(id, action >> 4);
        (void)s.Consume(id, 1 << 30);  // more than there is: an error, nothing changes
        break;
      case 9:
        if (handler_.streams[id].request) handler_.Push(id);
        break;
      case 10:
        (void)s.SubmitInformational(id, {{":status", "100"}});
        break;
      default: {
        static int user_data;
        (void)s.SetStreamUserData(id, &user_data);
        Check(s.GetStreamUserData(id) == nullptr || s.GetStreamUserData(id) == &user_data,
              "stream user data lost");
        (void)http2::StreamStateName(s.stream_state(id));
        (void)s.stream_send_window(id);
        (void)s.stream_receive_window(id);
        (void)s.connection_send_window();
        (void)s.connection_receive_window();
        (void)s.WantRead();
        (void)s.last_peer_stream_id();
        (void)s.goaway_received();
        (void)s.peer_settings();
        (void)s.local_settings();
        break;
      }
    }
    const size_t after = server_->stats().buffered_output_bytes;
    if (after > before) app_allowance_ += after - before;
    CheckBounds("a server call");
  }
  void OnHandlerAction(uint32_t id, uint8_t action) override { handler_.actions[id] = action; }
  uint32_t ServerHeaderTableSize() override { return cfg_.options.header_table_size; }

 private:
  void Drain() {
    std::string out;
    server_->Send(&out);
    view_.OnServerBytes(out);
    app_allowance_ = 0;
    Check(!server_->WantWrite(), "WantWrite() after Send() took everything");
    CheckBounds("Send()");
  }

  // The session's accounting against its limits.
  void CheckBounds(const char* where) {
    const http2::SessionStats st = server_->stats();
    const http2::SessionOptions& o = cfg_.options;
    auto fail = [&](const std::string& what) {
      Fail(absl::StrCat("after ", where, ": ", what));
    };
    if (st.buffered_output_bytes > o.max_output_buffer + kOutputSlack + app_allowance_) {
      fail(absl::StrCat("the session buffers ", st.buffered_output_bytes,
                        " octets of output (max_output_buffer ", o.max_output_buffer, ")"));
    }
    if (st.queued_control_frames > o.max_outbound_control_frames + 1) {
      fail(absl::StrCat(st.queued_control_frames, " control frames queued (limit ",
                        o.max_outbound_control_frames, ")"));
    }
    const size_t peer_active = st.active_streams;
    if (st.remembered_streams >
        peer_active + o.max_closed_streams + handler_.ReservedLocal()) {
      fail(absl::StrCat(st.remembered_streams, " streams remembered with ", peer_active,
                        " active (max_closed_streams ", o.max_closed_streams, ")"));
    }
    if (st.field_block_bytes > o.max_header_list_size) {
      fail(absl::StrCat("a field section of ", st.field_block_bytes,
                        " octets held (max_header_list_size ", o.max_header_list_size, ")"));
    }
    if (st.active_streams > size_t{max_concurrent_} + handler_.PushedOpen()) {
      fail(absl::StrCat(st.active_streams, " streams active; SETTINGS_MAX_CONCURRENT_STREAMS ",
                        max_concurrent_));
    }
  }

  http2::FakeClock clock_;
  Config cfg_;
  Handler handler_;
  ClientView view_;
  InputView input_view_;
  std::unique_ptr<http2::Session> server_;
  std::string pending_;
  bool reading_ = true;
  size_t app_allowance_ = 0;
  uint32_t max_concurrent_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const absl::string_view config = input.substr(0, std::min<size_t>(8, size));
  Harness harness(config);
  fuzz::h2::ScriptRunner runner(256 << 10);
  runner.Run(input.substr(config.size()), &harness);
  harness.Finish();
  return 0;
}
