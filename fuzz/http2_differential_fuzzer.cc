// The same client octets (a fuzz/http2_script.h script) into an h2harness server session and
// a libnghttp2 server session (the comparison peer only: nothing of nghttp2 is in the
// library), frame by frame. After each frame both must agree on
//   - the requests delivered: header sections (every field, in order), trailers, bodies,
//     end of stream;
//   - the streams they reset (RST_STREAM and its code);
//   - the connection's verdict: still open, or closed with GOAWAY and the same error code.
// Both servers advertise the same SETTINGS and answer each finished request with a 200.
//
// Where they disagree, the difference must be one of the known, justified ones (README,
// "Differential fuzzing: known differences"; the table kDifferences below, each with the RFC
// text it rests on and a predicate that recognises exactly that situation). After a known
// difference the two connections are no longer comparable and the input ends there. Any
// other disagreement crashes the target.
#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/string_view.h"
#include "fuzz/http2_frame_model.h"
#include "fuzz/http2_fuzz_util.h"
#include "fuzz/http2_script.h"
#include "hpack/inflater.h"
#include "http2/error_code.h"
#include "http2/frame.h"
#include "http2/frame_parser.h"
#include "http2/options.h"
#include "http2/settings.h"
#include "http2/session.h"
#include "http2/visitor.h"

namespace {

using fuzz::Check;
using fuzz::Fail;

// --- What each server did, in the same form ----------------------------------------------

struct StreamOutcome {
  bool request = false;
  hpack::HeaderList headers;
  bool trailers = false;
  hpack::HeaderList trailer_fields;
  std::string data;
  bool ended = false;
  std::optional<uint32_t> rst;  // the first RST_STREAM the server sent
  bool operator==(const StreamOutcome& o) const {
    return request == o.request && headers == o.headers && trailers == o.trailers &&
           trailer_fields == o.trailer_fields && data == o.data && ended == o.ended &&
           rst == o.rst;
  }
};

struct Outcome {
  std::map<uint32_t, StreamOutcome> streams;
  std::set<uint32_t> touched;  // streams changed in the current step
  std::optional<uint32_t> goaway;  // error code of the GOAWAY the server sent
  bool closed_without_goaway = false;  // nghttp2's fatal errors (e.g. a bad preface)
  // The session still wants input (WantRead(), nghttp2_session_want_read()): false after a
  // connection error, and when GOAWAY went either way and no stream is left.
  bool want_read = true;
  bool dead() const { return goaway.has_value() || closed_without_goaway; }
  StreamOutcome& Stream(uint32_t id) {
    touched.insert(id);
    return streams[id];
  }
  StreamOutcome Get(uint32_t id) const {
    auto it = streams.find(id);
    return it == streams.end() ? StreamOutcome() : it->second;
  }
};

// The verdict before a step.
struct Before {
  explicit Before(const Outcome& o) : goaway(o.goaway), dead(o.dead()) {}
  std::optional<uint32_t> goaway;
  bool dead;
};

// The streams changed in the last step (the others agreed before it).
std::string Describe(const Outcome& o) {
  std::string s;
  for (uint32_t id : o.touched) {
    const auto kv = std::make_pair(id, o.Get(id));
    const StreamOutcome& st = kv.second;
    absl::StrAppend(&s, "  stream ", kv.first, st.request ? " request" : "",
                    st.trailers ? " trailers" : "", st.ended ? " ended" : "", " data=",
                    st.data.size());
    if (st.rst) absl::StrAppend(&s, " RST_STREAM ", http2::ErrorCodeToString(*st.rst));
    absl::StrAppend(&s, "\n");
    for (const auto& f : st.headers) {
      absl::StrAppend(&s, "    ", hpack::EscapeBytes(f.name), ": ", hpack::EscapeBytes(f.value),
                      "\n");
    }
  }
  absl::StrAppend(&s, "  (", o.streams.size(), " streams in all)\n");
  if (o.goaway) absl::StrAppend(&s, "  GOAWAY ", http2::ErrorCodeToString(*o.goaway), "\n");
  if (o.closed_without_goaway) absl::StrAppend(&s, "  closed without GOAWAY\n");
  if (!o.want_read) absl::StrAppend(&s, "  reads no more\n");
  return s;
}

// Reads a server's output for RST_STREAM and GOAWAY.
class OutputWatcher : public http2::FrameListener {
 public:
  explicit OutputWatcher(Outcome* o) : o_(o), parser_(this, fuzz::h2::LenientParserOptions()) {}
  void Feed(absl::string_view bytes) {
    parser_.Parse(bytes);
    Check(!parser_.halted(), "a server's output does not parse");
  }
  void OnRstStream(const http2::FrameHeader& h, uint32_t code) override {
    StreamOutcome& s = o_->Stream(h.stream_id);
    if (!s.rst) s.rst = code;
  }
  void OnGoAwayStart(const http2::FrameHeader&, uint32_t, uint32_t code) override {
    if (!o_->goaway) o_->goaway = code;
  }

 private:
  Outcome* o_;
  http2::FrameParser parser_;
};

// --- h2harness --------------------------------------------------------------------------

class Ours : public http2::Visitor {
 public:
  Ours() : session_(http2::Perspective::kServer, this, Options()), watcher_(&outcome) {
    Drain();
  }
  Outcome outcome;

  void Receive(absl::string_view bytes) {
    while (!bytes.empty()) {
      const size_t n = session_.Receive(bytes);
      bytes.remove_prefix(n);
      Drain();
      Check(n > 0 || bytes.empty(), "h2harness: Receive() makes no progress");
    }
    outcome.want_read = session_.WantRead();
  }
  const std::optional<http2::ProtocolError>& error() const { return session_.connection_error(); }

  void OnHeaders(const http2::ReceivedHeaders& h) override {
    StreamOutcome& s = outcome.Stream(h.stream_id);
    hpack::HeaderList& list = h.kind == http2::HeadersKind::kRequest ? s.headers : s.trailer_fields;
    (h.kind == http2::HeadersKind::kRequest ? s.request : s.trailers) = true;
    for (const http2::Header& f : h.fields) list.emplace_back(std::string(f.name), std::string(f.value));
  }
  void OnData(uint32_t id, absl::string_view data) override {
    outcome.Stream(id).data.append(data.data(), data.size());
  }
  void OnEndStream(uint32_t id) override {
    outcome.Stream(id).ended = true;
    (void)session_.SubmitResponse(id, {{":status", "200"}});
  }
  void OnStreamError(const http2::ProtocolError& e) override { stream_errors.push_back(e); }
  // The stream errors of the current step.
  std::vector<http2::ProtocolError> stream_errors;

 private:
  static http2::SessionOptions Options() {
    http2::SessionOptions o;  // defaults: MAX_CONCURRENT_STREAMS 100, MAX_HEADER_LIST_SIZE 64 KiB
    return o;
  }
  void Drain() {
    std::string out;
    session_.Send(&out);
    watcher_.Feed(out);
  }
  http2::Session session_;
  OutputWatcher watcher_;
};

// --- libnghttp2 -------------------------------------------------------------------------

class Theirs {
 public:
  Theirs() : watcher_(&outcome) {
    nghttp2_session_callbacks* cb;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_begin_headers_callback(cb, OnBeginHeaders);
    nghttp2_session_callbacks_set_on_header_callback(cb, OnHeader);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, OnFrameRecv);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, OnDataChunk);
    nghttp2_session_server_new(&session_, cb, this);
    nghttp2_session_callbacks_del(cb);
    // The SETTINGS h2harness sends by default.
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, http2::kDefaultMaxConcurrentStreams},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, http2::kDefaultMaxHeaderListSize}};
    nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, 2);
    Drain();
  }
  ~Theirs() { nghttp2_session_del(session_); }
  Outcome outcome;
  int fatal = 0;  // a negative nghttp2_session_mem_recv() result

  void Receive(absl::string_view bytes) {
    if (fatal != 0) return;
    const ssize_t rv = nghttp2_session_mem_recv(
        session_, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    if (rv < 0) {
      fatal = static_cast<int>(rv);
      outcome.closed_without_goaway = true;
    }
    Drain();
    outcome.want_read = fatal == 0 && nghttp2_session_want_read(session_) != 0;
  }

 private:
  void Drain() {
    for (;;) {
      const uint8_t* data;
      const ssize_t n = nghttp2_session_mem_send(session_, &data);
      if (n <= 0) break;
      watcher_.Feed(absl::string_view(reinterpret_cast<const char*>(data), n));
    }
  }
  static int OnBeginHeaders(nghttp2_session*, const nghttp2_frame* f, void* u) {
    static_cast<Theirs*>(u)->pending_[f->hd.stream_id].clear();
    return 0;
  }
  static int OnHeader(nghttp2_session*, const nghttp2_frame* f, const uint8_t* name,
                      size_t namelen, const uint8_t* value, size_t valuelen, uint8_t, void* u) {
    static_cast<Theirs*>(u)->pending_[f->hd.stream_id].emplace_back(
        std::string(reinterpret_cast<const char*>(name), namelen),
        std::string(reinterpret_cast<const char*>(value), valuelen));
    return 0;
  }
  static int OnFrameRecv(nghttp2_session* session, const nghttp2_frame* f, void* u) {
    Theirs* t = static_cast<Theirs*>(u);
    const int32_t id = f->hd.stream_id;
    if (f->hd.type == NGHTTP2_HEADERS) {
      StreamOutcome& s = t->outcome.Stream(id);
      if (f->headers.cat == NGHTTP2_HCAT_REQUEST) {
        s.request = true;
        s.headers = std::move(t->pending_[id]);
      } else if (f->headers.cat == NGHTTP2_HCAT_HEADERS) {
        s.trailers = true;
        s.trailer_fields = std::move(t->pending_[id]);
      }
      t->pending_.erase(id);
    }
    if ((f->hd.type == NGHTTP2_HEADERS || f->hd.type == NGHTTP2_DATA) &&
        (f->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
      t->outcome.Stream(id).ended = true;
      const nghttp2_nv status[] = {{(uint8_t*)":status", (uint8_t*)"200", 7, 3,
                                    NGHTTP2_NV_FLAG_NONE}};
      nghttp2_submit_response(session, id, status, 1, nullptr);
    }
    return 0;
  }
  static int OnDataChunk(nghttp2_session*, uint8_t, int32_t id, const uint8_t* data, size_t len,
                         void* u) {
    static_cast<Theirs*>(u)->outcome.Stream(id).data.append(reinterpret_cast<const char*>(data),
                                                             len);
    return 0;
  }

  nghttp2_session* session_ = nullptr;
  OutputWatcher watcher_;
  std::map<int32_t, hpack::HeaderList> pending_;
};

// --- The client's octets, frame by frame, with their field sections decoded -----------------

// One step: the octets fed to both servers at once (the preface, one frame, or the rest).
struct Step {
  absl::string_view bytes;
  size_t offset = 0;  // in the client's octets
  bool frame = false;       // a whole frame
  bool has_header = false;  // (or at least its header)
  http2::FrameHeader header;
  // For a frame that ends a field block: the decoded fields of the whole block (decoded
  // independently), or nullopt if it does not decode.
  std::optional<hpack::HeaderList> block;
  uint32_t block_stream = 0;
  // The frame-layer rules the frame breaks (fuzz/http2_frame_model.h).
  std::vector<fuzz::h2::Violation> violations;
  // The client ended the frame's stream (END_STREAM) in an earlier frame.
  bool stream_ended_before = false;
  // The frame's stream is idle: not 0, and odd above every stream the client opened so far,
  // or even (no server here pushes).
  bool stream_idle = false;
  // SETTINGS (not ACK) frames before this one, and SETTINGS_NO_RFC7540_PRIORITIES as the
  // first of them set it (0 when absent).
  int settings_before = 0;
  uint32_t no_rfc7540_priorities = 0;
  // An earlier SETTINGS frame set SETTINGS_ENABLE_CONNECT_PROTOCOL to 1.
  bool connect_protocol_was_one = false;
};

class Steps : public http2::FrameListener {
 public:
  explicit Steps(absl::string_view bytes)
      : parser_(this, fuzz::h2::LenientParserOptions(/*validate_setting_values=*/false)) {
    size_t pos = 0;
    const size_t pre = std::min(bytes.size(), http2::kClientPreface.size());
    if (pre > 0) Add(bytes.substr(0, pre), false);
    pos = pre;
    if (bytes.substr(0, pre) != http2::kClientPreface) {
      if (pos < bytes.size()) Add(bytes.substr(pos), false);
      return;
    }
    while (pos + 9 <= bytes.size()) {
      const http2::FrameHeader h = HeaderAt(bytes, pos);
      if (pos + 9 + h.length > bytes.size()) break;
      Step& s = Add(bytes.substr(pos, 9 + h.length), true);
      s.has_header = true;
      s.header = h;
      s.offset = pos;
      s.violations = model_.Judge(s.bytes);
      if (s.violations.empty()) model_.Accepted(h.type, h.flags, h.stream_id);
      s.stream_ended_before = ended_.count(h.stream_id) > 0;
      s.settings_before = settings_seen_;
      s.no_rfc7540_priorities = no_rfc7540_priorities_;
      s.connect_protocol_was_one = connect_protocol_one_;
      if (h.is(http2::FrameType::kSettings) && !h.has(http2::kFlagAck)) {
        for (size_t i = 9; i + 6 <= s.bytes.size(); i += 6) {
          if (s.bytes[i] == 0 && s.bytes[i + 1] == http2::kSettingsEnableConnectProtocol &&
              fuzz::h2::Get32(s.bytes, i + 2) == 1) {
            connect_protocol_one_ = true;
          }
        }
        if (settings_seen_++ == 0) {
          for (size_t i = 9; i + 6 <= s.bytes.size(); i += 6) {
            if (s.bytes[i] == 0 && s.bytes[i + 1] == http2::kSettingsNoRfc7540Priorities) {
              no_rfc7540_priorities_ = fuzz::h2::Get32(s.bytes, i + 2);
            }
          }
        }
      }
      s.stream_idle = h.stream_id != 0 && (h.stream_id % 2 == 0 || h.stream_id > highest_opened_);
      if (h.is(http2::FrameType::kHeaders) && h.stream_id % 2 == 1 && s.violations.empty()) {
        highest_opened_ = std::max(highest_opened_, h.stream_id);
      }
      if ((h.is(http2::FrameType::kHeaders) || h.is(http2::FrameType::kData)) &&
          h.has(http2::kFlagEndStream)) {
        ended_.insert(h.stream_id);
      }
      if (!parser_.halted()) {
        cur_ = &s;
        parser_.Parse(s.bytes);
        cur_ = nullptr;
      }
      pos += 9 + h.length;
    }
    if (pos < bytes.size()) {
      Step& s = Add(bytes.substr(pos), false);  // a frame cut short, or junk
      s.offset = pos;
      if (bytes.size() - pos >= 9) {
        s.has_header = true;
        s.header = HeaderAt(bytes, pos);
        s.violations = model_.Judge(s.bytes);
      }
    }
  }
  std::vector<Step> steps;

  static http2::FrameHeader HeaderAt(absl::string_view b, size_t pos) {
    auto u = [&](size_t i) { return uint32_t{static_cast<uint8_t>(b[pos + i])}; };
    http2::FrameHeader h;
    h.length = (u(0) << 16) | (u(1) << 8) | u(2);
    h.type = static_cast<uint8_t>(u(3));
    h.flags = static_cast<uint8_t>(u(4));
    h.stream_id = ((u(5) << 24) | (u(6) << 16) | (u(7) << 8) | u(8)) & http2::kMaxStreamId;
    return h;
  }

  void OnHeadersStart(const http2::FrameHeader& h, const http2::PrioritySpec*) override {
    block_.clear();
    block_stream_ = h.stream_id;
  }
  void OnPushPromiseStart(const http2::FrameHeader& h, uint32_t) override {
    block_.clear();
    block_stream_ = h.stream_id;
  }
  void OnFieldBlockFragment(absl::string_view f) override { block_.append(f.data(), f.size()); }
  void OnFrameEnd(const http2::FrameHeader& h) override {
    const auto t = static_cast<http2::FrameType>(h.type);
    if ((t == http2::FrameType::kHeaders || t == http2::FrameType::kContinuation ||
         t == http2::FrameType::kPushPromise) &&
        h.has(http2::kFlagEndHeaders)) {
      absl::StatusOr<hpack::HeaderList> l = inflater_.Inflate(block_);
      if (l.ok()) cur_->block = *l;
      cur_->block_stream = block_stream_;
    }
  }

 private:
  Step& Add(absl::string_view b, bool frame) {
    steps.emplace_back();
    steps.back().bytes = b;
    steps.back().frame = frame;
    return steps.back();
  }
  http2::FrameParser parser_;
  fuzz::h2::Model model_{http2::kDefaultMaxFrameSize, /*validate_settings=*/true};
  std::set<uint32_t> ended_;
  uint32_t highest_opened_ = 0;
  int settings_seen_ = 0;
  bool connect_protocol_one_ = false;
  uint32_t no_rfc7540_priorities_ = 0;
  hpack::Inflater inflater_{fuzz::h2::UnlimitedInflaterOptions()};
  std::string block_;
  uint32_t block_stream_ = 0;
  Step* cur_ = nullptr;
};

// --- Known differences ----------------------------------------------------------------------

struct Context {
  const Step& step;
  const Outcome& ours;
  const Outcome& theirs;
  const Before& ours_before;  // after the previous step
  const Before& theirs_before;
  const std::optional<http2::ProtocolError>& our_error;
  const std::vector<http2::ProtocolError>& our_stream_errors;  // in this step
  int their_fatal;
  int settings_acks;  // SETTINGS ACK frames the client sent so far, this step's included
};

// The step is a frame of this type (and has these flags).
bool Is(const Context& c, http2::FrameType t, uint8_t flags = 0) {
  return c.step.has_header && c.step.header.is(t) && (c.step.header.flags & flags) == flags;
}

// Only nghttp2 closed the connection, with `code`, in this step; nothing else changed.
bool OnlyTheyClosed(const Context& c, http2::ErrorCode code) {
  return !c.our_error && !c.ours.goaway && !c.theirs_before.dead && c.theirs.goaway &&
         *c.theirs.goaway == static_cast<uint32_t>(code) && c.ours.touched.empty() &&
         c.theirs.touched.empty();
}

struct Difference {
  const char* id;
  const char* what;
  bool (*applies)(const Context&);
  // false: the two are expected to agree again later (the comparison goes on); true: the
  // connections are no longer comparable and the input ends here.
  bool ends_comparison = true;
};

// D1: where RFC 9113 defines a stream error, nghttp2 closes the connection with the same
// error code (§5.4.1: "an endpoint MAY choose to treat a stream error as a connection
// error"). Only for the rules listed, each seen to differ this way.
bool D1StreamErrorEscalated(const Context& c) {
  if (c.our_error || c.our_stream_errors.size() != 1 || c.ours_before.goaway ||
      c.theirs_before.goaway || !c.theirs.goaway) {
    return false;
  }
  const http2::ProtocolError& e = c.our_stream_errors[0];
  static constexpr http2::Error kRules[] = {
      http2::Error::kZeroWindowIncrement,  // §6.9
      http2::Error::kBadFrameLength,       // §6.3: PRIORITY with a length other than 5
  };
  bool listed = false;
  for (http2::Error r : kRules) listed |= e.error == r;
  if (!listed || static_cast<uint32_t>(e.code) != *c.theirs.goaway) return false;
  // Everything else as before the step.
  auto o = c.ours.streams.find(e.stream_id);
  return o != c.ours.streams.end() && o->second.rst == static_cast<uint32_t>(e.code) &&
         c.theirs.touched.empty();
}

// D2: a SETTINGS ACK when no SETTINGS is outstanding (both servers sent one SETTINGS):
// nghttp2 closes the connection with PROTOCOL_ERROR; h2harness ignores it (and counts it
// as a glitch). RFC 9113 §6.5.3 defines an ACK only as acknowledging "the oldest
// unacknowledged SETTINGS frame" and sets no rule for an unsolicited one; §5.4.1: "An
// endpoint can end a connection at any time."
bool D2UnsolicitedSettingsAck(const Context& c) {
  return Is(c, http2::FrameType::kSettings, http2::kFlagAck) && c.step.header.length == 0 &&
         c.settings_acks > 1 && OnlyTheyClosed(c, http2::ErrorCode::kProtocolError);
}

// D3: Rapid Reset (CVE-2023-44487). Both servers allow a burst of 1000 RST_STREAM frames
// refilled at 33 per second; h2harness's session here has no clock (the burst is a total)
// and answers ENHANCE_YOUR_CALM, nghttp2 refills with real time and answers INTERNAL_ERROR.
// §10.5: "An endpoint MAY treat activity that is suspicious as a connection error (Section
// 5.4.1) of type ENHANCE_YOUR_CALM"; §5.4: "a generic error code (such as PROTOCOL_ERROR or
// INTERNAL_ERROR) can always be used in place of more specific error codes".
bool D3RapidReset(const Context& c) {
  if (!Is(c, http2::FrameType::kRstStream) || !c.our_error ||
      c.our_error->error != http2::Error::kRapidReset || c.ours_before.dead) {
    return false;
  }
  // nghttp2 at the same RST_STREAM with INTERNAL_ERROR, or not yet (it refilled).
  return !c.theirs_before.dead &&
         (!c.theirs.dead() ||
          c.theirs.goaway == static_cast<uint32_t>(http2::ErrorCode::kInternalError));
}

// D4: CONTINUATION flood (CVE-2024-27316 and kin): both allow 8 CONTINUATION frames per field
// block and close the connection at the ninth; nghttp2 closes without GOAWAY. §6.8: "An
// endpoint might choose to close a connection without sending a GOAWAY for misbehaving
// peers." nghttp2 counts any frame that arrives in the block's place as the ninth; when that
// frame also breaks a frame rule (another type, another stream), h2harness reports that rule
// (§5.4: "it MAY choose to report any one of those errors").
bool D4ContinuationFloodWithoutGoaway(const Context& c) {
  if (!c.step.has_header || !c.our_error ||
      c.their_fatal != NGHTTP2_ERR_TOO_MANY_CONTINUATIONS || c.theirs_before.dead ||
      c.ours_before.dead) {
    return false;
  }
  if (c.our_error->error == http2::Error::kTooManyContinuations) return true;
  for (const fuzz::h2::Violation& v : c.step.violations) {
    if (v.error == c.our_error->error) return true;
  }
  return false;
}

// D5: PRIORITY with a length other than 5 on an idle stream. §6.3 makes it "a stream error
// (Section 5.4.2) of type FRAME_SIZE_ERROR", but §6.4 says "RST_STREAM frames MUST NOT be
// sent for a stream in the 'idle' state", so both close the connection instead (§5.4.1);
// h2harness keeps §6.3's FRAME_SIZE_ERROR, nghttp2 uses PROTOCOL_ERROR (§5.4: "a generic
// error code (such as PROTOCOL_ERROR ...) can always be used in place of more specific error
// codes").
bool D5BadPriorityOnIdleStream(const Context& c) {
  return Is(c, http2::FrameType::kPriority) && c.step.header.length != 5 && c.our_error &&
         c.our_error->error == http2::Error::kBadFrameLength &&
         c.ours.goaway == static_cast<uint32_t>(http2::ErrorCode::kFrameSizeError) &&
         c.theirs.goaway == static_cast<uint32_t>(http2::ErrorCode::kProtocolError) &&
         !c.ours_before.dead && !c.theirs_before.dead;
}

// Errors the frame layer finds (http2/frame_parser.cc), before the session sees the frame.
bool IsFrameLayerError(http2::Error e) {
  return e >= http2::Error::kFrameTooLarge && e <= http2::Error::kPriorityUpdateStreamZero;
}

// D6: the first frame after the client magic is not SETTINGS and also breaks a frame-layer
// rule (e.g. too large). §3.4: "Clients and servers MUST treat an invalid connection preface
// as a connection error (Section 5.4.1) of type PROTOCOL_ERROR"; §5.4: "If an endpoint
// detects multiple different errors, it MAY choose to report any one of those errors."
// h2harness reports the frame-layer error, nghttp2 the preface.
bool D6PrefaceAndFrameError(const Context& c) {
  return c.step.has_header && c.step.offset == http2::kClientPreface.size() &&
         !(c.step.header.is(http2::FrameType::kSettings) &&
           !c.step.header.has(http2::kFlagAck)) &&
         c.our_error && IsFrameLayerError(c.our_error->error) &&
         c.theirs.goaway == static_cast<uint32_t>(http2::ErrorCode::kProtocolError);
}

// D7: a client's GOAWAY whose Last-Stream-ID is not 0 though the server opened no stream (no
// server here pushes). nghttp2 requires a stream the server initiated and closes with
// PROTOCOL_ERROR; h2harness accepts it. §6.8 defines the field as "the highest-numbered
// stream identifier for which the sender of the GOAWAY frame might have taken some action on
// or might yet take action on" and gives no error for other values (only "Endpoints MUST NOT
// increase the value they send").
bool D7GoAwayLastStreamId(const Context& c) {
  if (!Is(c, http2::FrameType::kGoAway) || !c.step.frame || c.step.header.length < 8) {
    return false;
  }
  const absl::string_view p = c.step.bytes.substr(9);
  const uint32_t last = ((uint32_t{static_cast<uint8_t>(p[0])} << 24) |
                         (uint32_t{static_cast<uint8_t>(p[1])} << 16) |
                         (uint32_t{static_cast<uint8_t>(p[2])} << 8) | static_cast<uint8_t>(p[3])) &
                        http2::kMaxStreamId;
  return last != 0 && OnlyTheyClosed(c, http2::ErrorCode::kProtocolError);
}

// D8: a SETTINGS frame listing a parameter more than once, where processing the values in
// order fails (an out-of-range value, SETTINGS_ENABLE_CONNECT_PROTOCOL going from 1 to 0,
// an INITIAL_WINDOW_SIZE step taking a window past 2^31-1). nghttp2 keeps only the last
// value of each known parameter and checks that one; h2harness processes every value in
// order and rejects the frame. §6.5.3: "The values in the SETTINGS frame MUST be processed
// in the order they appear, with no other frame processing between values"; §6.5.2 (e.g.
// SETTINGS_MAX_FRAME_SIZE): "Values outside this range MUST be treated as a connection error
// (Section 5.4.1) of type PROTOCOL_ERROR"; RFC 8441 §3: "A sender MUST NOT send a
// SETTINGS_ENABLE_CONNECT_PROTOCOL parameter with the value of 0 after previously sending a
// value of 1."
bool D8RepeatedSetting(const Context& c) {
  if (!Is(c, http2::FrameType::kSettings) || c.step.header.has(http2::kFlagAck) ||
      !c.step.frame || !c.our_error || c.theirs.dead() || c.ours_before.dead) {
    return false;
  }
  std::vector<uint16_t> ids;
  switch (c.our_error->error) {
    case http2::Error::kInvalidSettingValue:
      ids = {http2::kSettingsEnablePush, http2::kSettingsMaxFrameSize,
             http2::kSettingsEnableConnectProtocol, http2::kSettingsNoRfc7540Priorities};
      break;
    case http2::Error::kInitialWindowTooLarge:
    case http2::Error::kInitialWindowOverflow:
      ids = {http2::kSettingsInitialWindowSize};
      break;
    default:
      return false;
  }
  const absl::string_view p = c.step.bytes.substr(9);
  std::map<uint16_t, int> seen;
  for (size_t i = 0; i + 6 <= p.size(); i += 6) {
    ++seen[static_cast<uint16_t>((static_cast<uint8_t>(p[i]) << 8) | static_cast<uint8_t>(p[i + 1]))];
  }
  for (uint16_t id : ids) {
    if (seen[id] > 1) return true;
  }
  return false;
}

// D9: a SETTINGS frame with more entries than both allow (32) that also breaks a rule of
// the RFC (an invalid value among the first 32, a stream other than 0, ACK with a payload):
// nghttp2 counts the entries from the frame length first (ENHANCE_YOUR_CALM), h2harness
// reports the RFC rule (values are processed in order, §6.5.3). §5.4:
// "If an endpoint detects multiple different errors, it MAY choose to report any one of
// those errors."
bool D9TooManySettingsAndInvalidValue(const Context& c) {
  if (!Is(c, http2::FrameType::kSettings) ||
      c.step.header.length / 6 <= http2::kDefaultMaxSettings || !c.our_error ||
      c.theirs.goaway != static_cast<uint32_t>(http2::ErrorCode::kEnhanceYourCalm) ||
      c.ours_before.dead || c.theirs_before.dead) {
    return false;
  }
  for (const fuzz::h2::Violation& v : c.step.violations) {
    if (v.error == c.our_error->error) return true;  // a value, or the frame's stream or flags
  }
  return false;
}

// D10: a malformed field in a field block that continues in CONTINUATION frames: nghttp2
// resets the stream (PROTOCOL_ERROR) as soon as the field is decoded, h2harness once the
// block is complete (both must keep decoding the block for HPACK, §4.3). §8.1.1 makes a
// malformed message "a stream error (Section 5.4.2) of type PROTOCOL_ERROR" and does not say
// when within the block. The comparison goes on: at the end of the block both must agree.
bool D10ResetBeforeBlockEnds(const Context& c) {
  // The block is not complete after this step: no END_HEADERS, or the frame is cut short.
  if (!(Is(c, http2::FrameType::kHeaders) || Is(c, http2::FrameType::kContinuation)) ||
      (c.step.header.has(http2::kFlagEndHeaders) && c.step.frame) || c.our_error ||
      c.theirs.dead()) {
    return false;
  }
  const uint32_t id = c.step.header.stream_id;
  if (c.theirs.touched.size() != 1 || !c.theirs.touched.count(id) || !c.ours.touched.empty()) {
    return false;
  }
  const StreamOutcome t = c.theirs.Get(id), o = c.ours.Get(id);
  StreamOutcome t_without_rst = t;
  t_without_rst.rst.reset();
  return t.rst == static_cast<uint32_t>(http2::ErrorCode::kProtocolError) && !o.rst &&
         t_without_rst == o;
}

// D11: a frame that breaks several frame-layer rules with different error codes (e.g.
// RST_STREAM on stream 0 with a length other than 4: PROTOCOL_ERROR and FRAME_SIZE_ERROR).
// Both close the connection, each with the code of a rule the frame breaks (a stream-error
// rule escalated to the connection, §5.4.1, included). §5.4: "If an endpoint detects multiple
// different errors, it MAY choose to report any one of those errors."
bool D11SeveralFrameErrors(const Context& c) {
  if (!c.ours.goaway || !c.theirs.goaway || c.ours_before.dead || c.theirs_before.dead) {
    return false;
  }
  bool ours_found = false, theirs_found = false, differ = false;
  for (const fuzz::h2::Violation& v : c.step.violations) {
    const uint32_t code = static_cast<uint32_t>(v.code);
    ours_found |= code == *c.ours.goaway;
    theirs_found |= code == *c.theirs.goaway;
    differ |= code != static_cast<uint32_t>(c.step.violations[0].code);
  }
  return ours_found && theirs_found && differ && c.ours.touched.empty() &&
         c.theirs.touched.empty();
}

// D12: HEADERS or PRIORITY making a stream depend on itself. nghttp2 applies RFC 7540
// §5.3.1 ("A stream cannot depend on itself. An endpoint MUST treat this as a stream error
// ... of type PROTOCOL_ERROR"; it closes the connection for HEADERS); RFC 9113 §5.3.2
// deprecates that signaling and no longer has the rule, so h2harness ignores the fields.
bool D12SelfDependency(const Context& c) {
  const bool headers = Is(c, http2::FrameType::kHeaders, http2::kFlagPriority);
  if (!(headers || Is(c, http2::FrameType::kPriority)) || c.our_error) return false;
  const size_t at = 9 + (headers && c.step.header.has(http2::kFlagPadded) ? 1 : 0);
  if (c.step.bytes.size() < at + 4) return false;
  const uint32_t dep = fuzz::h2::Get32(c.step.bytes, at) & http2::kMaxStreamId;
  if (dep != c.step.header.stream_id) return false;
  // nghttp2 resets the stream (PRIORITY) or closes the connection (HEADERS); h2harness goes
  // on (a HEADERS may deliver its request).
  const StreamOutcome t = c.theirs.Get(dep);
  StreamOutcome t_without_rst = t;
  t_without_rst.rst.reset();
  const bool they_reset = t.rst == static_cast<uint32_t>(http2::ErrorCode::kProtocolError) &&
                          !c.theirs.dead() && t_without_rst == c.ours.Get(dep);
  const bool they_closed =
      !c.theirs_before.dead && c.theirs.touched.empty() &&
      c.theirs.goaway == static_cast<uint32_t>(http2::ErrorCode::kProtocolError);
  return they_reset || they_closed;
}

// D13: DATA or HEADERS on a stream both servers reset after the client had ended it. nghttp2
// closes the connection with STREAM_CLOSED; h2harness discards the frame. §5.1 ("closed"):
// "An endpoint MAY treat receipt of any other type of frame on a closed stream as a
// connection error (Section 5.4.1) of type STREAM_CLOSED" and "An endpoint can perform this
// minimal processing for all streams that are in the 'closed' state" (process, then
// discard).
bool D13FrameOnResetStream(const Context& c) {
  if (!(Is(c, http2::FrameType::kData) || Is(c, http2::FrameType::kHeaders)) ||
      !c.step.stream_ended_before) {
    return false;
  }
  const StreamOutcome o = c.ours.Get(c.step.header.stream_id);
  const StreamOutcome t = c.theirs.Get(c.step.header.stream_id);
  return o.rst && t.rst && OnlyTheyClosed(c, http2::ErrorCode::kStreamClosed);
}

// D14: HEADERS opening a stream whose id is below one the client already opened (a stream
// that never existed, or one closed and no longer remembered). nghttp2 cannot tell such a
// stream from a closed one it forgot and discards the field block; h2harness applies §5.1.1:
// "The identifier of a newly established stream MUST be numerically greater than all
// streams that the initiating endpoint has opened or reserved. ... An endpoint that receives
// an unexpected stream identifier MUST respond with a connection error (Section 5.4.1) of
// type PROTOCOL_ERROR."
bool D14LowerStreamId(const Context& c) {
  return Is(c, http2::FrameType::kHeaders) && c.our_error &&
         c.our_error->error == http2::Error::kBadStreamId && !c.ours_before.dead &&
         !c.theirs.dead() && c.theirs.touched.empty();
}

// D15: a frame-layer stream error (PRIORITY with a length other than 5, §6.3; WINDOW_UPDATE
// increment 0, §6.9) on a stream h2harness considers closed. h2harness sends nothing (§5.1:
// "An endpoint MUST NOT send frames other than PRIORITY on a closed stream") and counts a
// glitch; nghttp2 closes the connection with the rule's code (§5.4.1: "an endpoint MAY
// choose to treat a stream error as a connection error").
bool D15StreamErrorOnClosedStream(const Context& c) {
  if (!c.theirs.goaway) return false;
  for (const fuzz::h2::Violation& v : c.step.violations) {
    if (!v.connection && OnlyTheyClosed(c, v.code)) return true;
  }
  return false;
}

// D16: h2harness's glitch budget (MadeYouReset, CVE-2025-8671, and other suspicious
// traffic: stream errors the client provokes, frames on forgotten streams, empty frames, ...)
// is spent: ENHANCE_YOUR_CALM. libnghttp2 1.52 has no such budget. §10.5: "An endpoint MAY
// treat activity that is suspicious as a connection error (Section 5.4.1) of type
// ENHANCE_YOUR_CALM."
bool D16GlitchBudget(const Context& c) {
  return c.our_error && c.our_error->error == http2::Error::kTooManyGlitches &&
         !c.ours_before.dead && !c.theirs.dead();
}

// D17: PRIORITY_UPDATE (RFC 9218 §7.1) that breaks one of its rules (stream 0 for the
// frame, a Prioritized Stream ID of 0, shorter than 4 octets). h2harness implements the
// frame and closes the connection as RFC 9218 §7.1 says ("MUST respond with a connection
// error of type PROTOCOL_ERROR", FRAME_SIZE_ERROR for the length); a libnghttp2 1.52 server
// that did not send SETTINGS_NO_RFC7540_PRIORITIES treats it as a frame of unknown type and
// discards it (RFC 9113 §5.5: "Implementations MUST discard frames that have unknown or
// unsupported types").
bool D17PriorityUpdateErrors(const Context& c) {
  return Is(c, http2::FrameType::kPriorityUpdate) && c.our_error && !c.ours_before.dead &&
         !c.theirs.dead() && c.theirs.touched.empty();
}

// D18: a HEADERS beyond SETTINGS_MAX_CONCURRENT_STREAMS (100) after the client
// acknowledged it. h2harness refuses the stream (RST_STREAM REFUSED_STREAM, so the client may
// retry it, §8.7); nghttp2 closes the connection with PROTOCOL_ERROR. §5.1.2: "An endpoint
// that receives a HEADERS frame that causes its advertised concurrent stream limit to be
// exceeded MUST treat this as a stream error (Section 5.4.2) of type PROTOCOL_ERROR or
// REFUSED_STREAM"; §5.4.1: "an endpoint MAY choose to treat a stream error as a connection
// error".
bool D18ConcurrencyLimit(const Context& c) {
  if (!Is(c, http2::FrameType::kHeaders) || c.our_stream_errors.size() != 1 ||
      c.our_stream_errors[0].error != http2::Error::kRefusedStream || c.our_error) {
    return false;
  }
  const StreamOutcome t = c.theirs.Get(c.step.header.stream_id);
  return !c.theirs_before.dead &&
         c.theirs.goaway == static_cast<uint32_t>(http2::ErrorCode::kProtocolError) && !t.request;
}

// D19: a frame that breaks a frame-layer rule and is also on an idle stream where its type
// is not allowed (§5.1, "idle": "Receiving any frame other than HEADERS or PRIORITY on a
// stream in this state MUST be treated as a connection error (Section 5.4.1) of type
// PROTOCOL_ERROR. If this stream is initiated by the server, as described in Section 5.1.1,
// then receiving a HEADERS frame MUST also be treated as a connection error"). h2harness
// reports the frame-layer error, nghttp2 the idle stream (§5.4: "it MAY choose to report any
// one of those errors").
bool D19FrameErrorOnIdleStream(const Context& c) {
  const bool headers_allowed =
      Is(c, http2::FrameType::kHeaders) && c.step.header.stream_id % 2 == 1;
  if (!c.step.has_header || !c.step.stream_idle || headers_allowed ||
      Is(c, http2::FrameType::kPriority) || !c.ours.goaway || c.ours_before.dead ||
      c.theirs_before.dead ||
      c.theirs.goaway != static_cast<uint32_t>(http2::ErrorCode::kProtocolError)) {
    return false;
  }
  const uint8_t t = c.step.header.type;
  if (t > 0x9) return false;  // unknown types are ignored on any stream (§5.1, §5.5)
  for (const fuzz::h2::Violation& v : c.step.violations) {
    if (static_cast<uint32_t>(v.code) == *c.ours.goaway) return true;
  }
  return false;
}

// D20: a later SETTINGS frame changing SETTINGS_NO_RFC7540_PRIORITIES from what the first
// one established. RFC 9218 §2.1: "Senders MUST NOT change the
// SETTINGS_NO_RFC7540_PRIORITIES value after the first SETTINGS frame. Receivers that detect
// a change MAY treat it as a connection error of type PROTOCOL_ERROR." nghttp2 does;
// h2harness ignores the change.
bool D20NoRfc7540PrioritiesChanged(const Context& c) {
  if (!Is(c, http2::FrameType::kSettings) || c.step.header.has(http2::kFlagAck) ||
      c.step.settings_before == 0) {
    return false;
  }
  bool changed = false;
  for (size_t i = 9; i + 6 <= c.step.bytes.size(); i += 6) {
    if (c.step.bytes[i] == 0 && c.step.bytes[i + 1] == http2::kSettingsNoRfc7540Priorities) {
      changed |= fuzz::h2::Get32(c.step.bytes, i + 2) != c.step.no_rfc7540_priorities;
    }
  }
  if (!changed) return false;
  if (OnlyTheyClosed(c, http2::ErrorCode::kProtocolError)) return true;
  // The frame also breaks another rule, which h2harness reports (§5.4: "it MAY choose to
  // report any one of those errors").
  if (!c.our_error || c.ours_before.dead || c.theirs_before.dead ||
      c.theirs.goaway != static_cast<uint32_t>(http2::ErrorCode::kProtocolError)) {
    return false;
  }
  for (const fuzz::h2::Violation& v : c.step.violations) {
    if (v.error == c.our_error->error) return true;
  }
  return false;
}

// D21: a trailer section with a content-length field. nghttp2 applies it to the message
// framing (it parses it, checks the body against it, and resets the stream when that fails);
// h2harness does not use a trailer field for framing: RFC 9110 §6.5.1: "Many fields cannot
// be processed outside the header section because their evaluation is necessary prior to
// receiving the content, such as those that describe message framing"; RFC 9113 §8.1.1
// checks "the value of a content-length header field".
bool D21ContentLengthInTrailers(const Context& c) {
  if (!c.step.block) return false;
  bool has = false;
  for (const hpack::HeaderField& f : *c.step.block) has |= f.name == "content-length";
  const StreamOutcome o = c.ours.Get(c.step.block_stream);
  const StreamOutcome t = c.theirs.Get(c.step.block_stream);
  return has && o.request && t.request && o.trailers && !o.rst &&
         t.rst == static_cast<uint32_t>(http2::ErrorCode::kProtocolError) && !t.trailers &&
         !c.our_error && !c.theirs.dead();
}

// D22: the input ends inside a frame, and the two judge a frame at different points: nghttp2
// checks a DATA/HEADERS stream at the frame header, h2harness once the Pad Length and fixed
// fields have arrived (its callbacks carry them); h2harness checks the frame header of a
// control frame at once, nghttp2 buffers the whole frame first. Not a difference of verdict,
// only of when: the input ends here.
bool D22CutShortFrame(const Context& c) {
  if (c.step.frame || !c.step.has_header) return false;
  if (c.our_error && !c.ours_before.dead && !c.theirs.dead() && c.theirs.touched.empty()) {
    for (const fuzz::h2::Violation& v : c.step.violations) {
      if (v.error == c.our_error->error) return true;  // judged from the octets available
    }
    return false;
  }
  if (!c.theirs.goaway) return false;
  const http2::FrameHeader& h = c.step.header;
  size_t fixed = 0;
  if ((h.is(http2::FrameType::kData) || h.is(http2::FrameType::kHeaders) ||
       h.is(http2::FrameType::kPushPromise)) &&
      h.has(http2::kFlagPadded)) {
    fixed += 1;
  }
  if (h.is(http2::FrameType::kHeaders) && h.has(http2::kFlagPriority)) fixed += 5;
  if (h.is(http2::FrameType::kPushPromise) || h.is(http2::FrameType::kRstStream) ||
      h.is(http2::FrameType::kWindowUpdate)) {
    fixed += 4;
  }
  if (h.is(http2::FrameType::kPriority)) fixed += 5;
  if (h.is(http2::FrameType::kPing) || h.is(http2::FrameType::kGoAway)) fixed += 8;
  return c.step.bytes.size() < 9 + fixed && OnlyTheyClosed(c, static_cast<http2::ErrorCode>(
                                                                 *c.theirs.goaway));
}

// D23: a SETTINGS_INITIAL_WINDOW_SIZE change that takes a stream's send window past 2^31-1
// (after the client's WINDOW_UPDATEs). §6.9.2: "An endpoint MUST treat a change to
// SETTINGS_INITIAL_WINDOW_SIZE that causes any flow-control window to exceed the maximum
// size as a connection error (Section 5.4.1) of type FLOW_CONTROL_ERROR." h2harness does;
// nghttp2 resets the stream (RST_STREAM FLOW_CONTROL_ERROR) and keeps the connection.
bool D23InitialWindowOverflow(const Context& c) {
  if (!Is(c, http2::FrameType::kSettings) || !c.our_error ||
      c.our_error->error != http2::Error::kInitialWindowOverflow || c.theirs.dead() ||
      c.theirs.touched.empty()) {
    return false;
  }
  for (uint32_t id : c.theirs.touched) {
    if (c.theirs.Get(id).rst != static_cast<uint32_t>(http2::ErrorCode::kFlowControlError)) {
      return false;
    }
  }
  return true;
}

// D24: an HPACK error inside a string literal whose octets have not all arrived (the field
// block continues, or the input ends): nghttp2 decodes Huffman strings octet by octet and
// fails at once (COMPRESSION_ERROR); h2harness decodes a string literal when it is complete,
// and fails then. A difference of when, not of verdict (RFC 7541 §5.2: "A Huffman-encoded
// string literal containing the EOS symbol MUST be treated as a decoding error"): the input
// ends here.
bool D24HpackErrorInUnfinishedString(const Context& c) {
  if (!(Is(c, http2::FrameType::kHeaders) || Is(c, http2::FrameType::kContinuation)) ||
      (c.step.header.has(http2::kFlagEndHeaders) && c.step.frame)) {
    return false;
  }
  return OnlyTheyClosed(c, http2::ErrorCode::kCompressionError);
}

// D25: the client's SETTINGS_ENABLE_CONNECT_PROTOCOL going from 1 (an earlier SETTINGS) to 0.
// RFC 8441 §3: "A sender MUST NOT send a SETTINGS_ENABLE_CONNECT_PROTOCOL parameter with the
// value of 0 after previously sending a value of 1" (it names no action for the receiver).
// h2harness treats the broken MUST as a connection error (PROTOCOL_ERROR); a libnghttp2
// server ignores the parameter from a client (it only tells a client what the server
// accepts).
bool D25ConnectProtocolOneToZero(const Context& c) {
  if (!Is(c, http2::FrameType::kSettings) || !c.step.connect_protocol_was_one || !c.our_error ||
      c.our_error->error != http2::Error::kInvalidSettingValue || c.theirs.dead() ||
      !c.theirs.touched.empty()) {
    return false;
  }
  for (size_t i = 9; i + 6 <= c.step.bytes.size(); i += 6) {
    if (c.step.bytes[i] == 0 && c.step.bytes[i + 1] == http2::kSettingsEnableConnectProtocol &&
        fuzz::h2::Get32(c.step.bytes, i + 2) == 0) {
      return true;
    }
  }
  return false;
}

// D26: a request with more than one host field line. nghttp2 resets the stream
// (PROTOCOL_ERROR); h2harness delivers the request (each host value agreeing with
// :authority, §8.3.1) and leaves the answer to the application: RFC 9110 §7.2: "A server
// MUST respond with a 400 (Bad Request) status code to ... any request message that contains
// more than one Host header field line" — a response, not an HTTP/2 stream error (RFC 9113
// §8.1.1 lists no such rule).
bool D26RepeatedHost(const Context& c) {
  if (!c.step.block) return false;
  int hosts = 0;
  for (const hpack::HeaderField& f : *c.step.block) hosts += f.name == "host";
  const StreamOutcome o = c.ours.Get(c.step.block_stream);
  const StreamOutcome t = c.theirs.Get(c.step.block_stream);
  return hosts > 1 && o.request && o.headers == *c.step.block && !o.rst && !t.request &&
         t.rst == static_cast<uint32_t>(http2::ErrorCode::kProtocolError) && !c.our_error &&
         !c.theirs.dead();
}

// D27: a request whose host field names another authority than :authority. §8.3.1: "A
// server SHOULD treat a request as malformed if it contains a Host header field that
// identifies an entity that differs from the entity in the ':authority' pseudo-header
// field." h2harness does (PROTOCOL_ERROR, §8.1.1); nghttp2 delivers the request.
bool D27HostDiffersFromAuthority(const Context& c) {
  if (!c.step.block) return false;
  std::string authority;
  bool differs = false;
  for (const hpack::HeaderField& f : *c.step.block) {
    if (f.name == ":authority") authority = f.value;
  }
  for (const hpack::HeaderField& f : *c.step.block) {
    if (f.name == "host" && !absl::EqualsIgnoreCase(f.value, authority)) differs = true;
  }
  const StreamOutcome o = c.ours.Get(c.step.block_stream);
  const StreamOutcome t = c.theirs.Get(c.step.block_stream);
  return differs && !authority.empty() && !o.request &&
         o.rst == static_cast<uint32_t>(http2::ErrorCode::kProtocolError) && t.request &&
         t.headers == *c.step.block && !c.our_error && !c.theirs.dead();
}

// D28: a frame breaking a frame-layer rule whose code is specific (FRAME_SIZE_ERROR,
// FLOW_CONTROL_ERROR): h2harness closes the connection with that code, nghttp2 with
// PROTOCOL_ERROR (e.g. a PADDED frame too short for its Pad Length). §5.4: "an endpoint MAY
// use any applicable error code when it detects an error condition; a generic error code
// (such as PROTOCOL_ERROR or INTERNAL_ERROR) can always be used in place of more specific
// error codes."
bool D28GenericCode(const Context& c) {
  if (!c.ours.goaway || c.ours_before.dead || c.theirs_before.dead ||
      c.theirs.goaway != static_cast<uint32_t>(http2::ErrorCode::kProtocolError) ||
      !c.ours.touched.empty() || !c.theirs.touched.empty()) {
    return false;
  }
  for (const fuzz::h2::Violation& v : c.step.violations) {
    if (static_cast<uint32_t>(v.code) == *c.ours.goaway) return true;
  }
  return false;
}

// D29: a PRIORITY frame breaking §6.3 (stream 0, a length other than 5) after the client's
// first SETTINGS set SETTINGS_NO_RFC7540_PRIORITIES to 1. nghttp2 then discards PRIORITY
// frames unread (RFC 9218 §2.1: "A server that receives SETTINGS_NO_RFC7540_PRIORITIES with a
// value of 1 MUST ignore HTTP/2 priority signals"); h2harness still applies the frame's own
// rules (§6.3: "If a PRIORITY frame is received with a stream identifier of 0x00, the
// recipient MUST respond with a connection error (Section 5.4.1) of type PROTOCOL_ERROR";
// "A PRIORITY frame with a length other than 5 octets MUST be treated as a stream error").
bool D29PriorityIgnoredAfterNoRfc7540Priorities(const Context& c) {
  if (!Is(c, http2::FrameType::kPriority) || c.step.no_rfc7540_priorities != 1 ||
      c.step.settings_before == 0 || c.theirs.dead() || !c.theirs.touched.empty()) {
    return false;
  }
  const bool ours_reacted = (c.our_error && !c.ours_before.dead) || !c.our_stream_errors.empty();
  return ours_reacted && !c.step.violations.empty();
}

// D30: a CONNECT request whose :authority has no port. §8.5: "The ':authority' pseudo-header
// field contains the host and port to connect to (equivalent to the authority-form of the
// request-target of CONNECT requests; see Section 3.2.3 of [HTTP/1.1])" — authority-form is
// uri-host ":" port — and "A CONNECT request that does not conform to these restrictions is
// malformed". h2harness resets the stream; nghttp2 delivers the request.
bool D30ConnectWithoutPort(const Context& c) {
  if (!c.step.block) return false;
  bool connect = false;
  std::string authority;
  for (const hpack::HeaderField& f : *c.step.block) {
    if (f.name == ":method" && f.value == "CONNECT") connect = true;
    if (f.name == ":authority") authority = f.value;
  }
  const size_t colon = authority.rfind(':');
  const bool has_port = colon != std::string::npos && colon + 1 < authority.size() &&
                        absl::c_all_of(authority.substr(colon + 1), absl::ascii_isdigit);
  const StreamOutcome o = c.ours.Get(c.step.block_stream);
  const StreamOutcome t = c.theirs.Get(c.step.block_stream);
  return connect && !has_port &&
         o.rst == static_cast<uint32_t>(http2::ErrorCode::kProtocolError) && !o.request &&
         t.request && t.headers == *c.step.block && !c.our_error && !c.theirs.dead();
}

// D31: a request with neither :authority nor host. nghttp2 resets the stream; h2harness
// delivers it (FieldValidationOptions::require_authority_or_host is off by default). RFC 9113
// §8.3.1 lets a request go without: clients "MUST use the ':authority' pseudo-header field
// to convey authority information, unless there is no authority information to convey (in
// which case it MUST NOT generate ':authority')".
bool D31NoAuthority(const Context& c) {
  if (!c.step.block) return false;
  bool authority = false, host = false, method = false;
  for (const hpack::HeaderField& f : *c.step.block) {
    authority |= f.name == ":authority";
    host |= f.name == "host";
    method |= f.name == ":method";
  }
  const StreamOutcome o = c.ours.Get(c.step.block_stream);
  const StreamOutcome t = c.theirs.Get(c.step.block_stream);
  return method && !authority && !host && o.request && o.headers == *c.step.block && !o.rst &&
         !t.request && t.rst == static_cast<uint32_t>(http2::ErrorCode::kProtocolError) &&
         !c.our_error && !c.theirs.dead();
}

// D32: a request repeating content-length with one value (several field lines, or a list in
// one). RFC 9110 §8.6: "a recipient MAY either reject the message as invalid or replace that
// invalid field value with a single instance of the decimal value, since it is a duplicated,
// identical value". h2harness takes the value (FieldValidationOptions::
// allow_repeated_content_length, on by default); nghttp2 resets the stream.
bool D32RepeatedContentLength(const Context& c) {
  if (!c.step.block) return false;
  bool method = false;
  int values = 0;
  std::optional<std::string> value;
  bool same = true;
  for (const hpack::HeaderField& f : *c.step.block) {
    method |= f.name == ":method";
    if (f.name != "content-length") continue;
    for (absl::string_view v : absl::StrSplit(f.value, ',')) {
      v = absl::StripAsciiWhitespace(v);
      if (v.empty() || !absl::c_all_of(v, absl::ascii_isdigit)) return false;
      if (value && *value != v) same = false;
      if (!value) value = std::string(v);
      ++values;
    }
  }
  const StreamOutcome o = c.ours.Get(c.step.block_stream);
  const StreamOutcome t = c.theirs.Get(c.step.block_stream);
  return method && values > 1 && same && o.request && o.headers == *c.step.block && !o.rst &&
         !t.request && t.rst == static_cast<uint32_t>(http2::ErrorCode::kProtocolError) &&
         !c.our_error && !c.theirs.dead();
}

const Difference kDifferences[] = {
    {"D1", "nghttp2 treats a stream error as a connection error (RFC 9113 §5.4.1)",
     D1StreamErrorEscalated},
    {"D2", "a SETTINGS ACK for no outstanding SETTINGS: nghttp2 closes the connection "
           "(PROTOCOL_ERROR), h2harness ignores it",
     D2UnsolicitedSettingsAck},
    {"D3", "Rapid Reset limit: same budget, nghttp2 refills it with real time and closes with "
           "INTERNAL_ERROR, h2harness (no clock here) with ENHANCE_YOUR_CALM",
     D3RapidReset},
    {"D4", "CONTINUATION flood: nghttp2 closes the connection without GOAWAY",
     D4ContinuationFloodWithoutGoaway},
    {"D5", "PRIORITY of a bad length on an idle stream: both close the connection, h2harness "
           "with FRAME_SIZE_ERROR, nghttp2 with PROTOCOL_ERROR",
     D5BadPriorityOnIdleStream},
    {"D6", "the first frame is not SETTINGS and breaks a frame rule: each reports a different "
           "one of the two errors",
     D6PrefaceAndFrameError},
    {"D7", "a client GOAWAY naming a stream the server never opened: nghttp2 closes the "
           "connection (PROTOCOL_ERROR), h2harness accepts it",
     D7GoAwayLastStreamId},
    {"D8", "a SETTINGS parameter listed twice, processing in order fails: nghttp2 keeps only "
           "the last value, h2harness rejects the frame",
     D8RepeatedSetting},
    {"D9", "more than 32 SETTINGS entries and another error: each reports a different one of "
            "the two errors",
     D9TooManySettingsAndInvalidValue},
    {"D10", "a malformed field early in a field block that continues: nghttp2 resets the stream "
            "at once, h2harness when the block ends (the comparison goes on)",
     D10ResetBeforeBlockEnds, /*ends_comparison=*/false},
    {"D11", "a frame breaking several frame rules: each closes with the code of a different one",
     D11SeveralFrameErrors},
    {"D12", "a stream depending on itself: nghttp2 applies RFC 7540's error, RFC 9113 dropped it",
     D12SelfDependency},
    {"D13", "DATA/HEADERS on a stream reset after the client ended it: nghttp2 closes the "
            "connection (STREAM_CLOSED), h2harness discards the frame",
     D13FrameOnResetStream},
    {"D14", "HEADERS opening a stream id below one already opened: nghttp2 discards it, "
            "h2harness closes the connection (§5.1.1)",
     D14LowerStreamId},
    {"D15", "a frame-layer stream error on a closed stream: h2harness sends nothing, nghttp2 "
            "closes the connection",
     D15StreamErrorOnClosedStream},
    {"D16", "h2harness's glitch budget (MadeYouReset defence) is spent: ENHANCE_YOUR_CALM; "
            "libnghttp2 1.52 has none",
     D16GlitchBudget},
    {"D17", "PRIORITY_UPDATE breaking RFC 9218 §7.1: h2harness closes the connection, "
            "nghttp2 (without SETTINGS_NO_RFC7540_PRIORITIES) discards it as unknown",
     D17PriorityUpdateErrors},
    {"D18", "a stream beyond MAX_CONCURRENT_STREAMS: h2harness REFUSED_STREAM, nghttp2 closes "
            "the connection (PROTOCOL_ERROR)",
     D18ConcurrencyLimit},
    {"D19", "a frame breaking a frame rule on an idle stream: each reports a different one of "
            "the two errors",
     D19FrameErrorOnIdleStream},
    {"D20", "SETTINGS_NO_RFC7540_PRIORITIES changed after the first SETTINGS: nghttp2 closes the "
            "connection (RFC 9218 §2.1 MAY), h2harness ignores the change",
     D20NoRfc7540PrioritiesChanged},
    {"D21", "content-length in a trailer section: nghttp2 uses it for framing and resets the "
            "stream, h2harness does not",
     D21ContentLengthInTrailers},
    {"D22", "the input ends inside a frame: one has judged the frame, the other not yet",
     D22CutShortFrame},
    {"D23", "INITIAL_WINDOW_SIZE takes a stream window past 2^31-1: h2harness closes the "
            "connection (§6.9.2 MUST), nghttp2 resets the stream",
     D23InitialWindowOverflow},
    {"D24", "an HPACK error inside an unfinished string literal: nghttp2 fails at once, "
            "h2harness when the string is complete",
     D24HpackErrorInUnfinishedString},
    {"D25", "the client's ENABLE_CONNECT_PROTOCOL from 1 to 0: h2harness closes the connection, "
            "nghttp2 ignores it",
     D25ConnectProtocolOneToZero},
    {"D26", "more than one host field line: nghttp2 resets the stream, h2harness delivers the "
            "request (RFC 9110 §7.2: the application answers 400)",
     D26RepeatedHost},
    {"D27", "host differs from :authority: h2harness resets the stream (§8.3.1 SHOULD), nghttp2 "
            "delivers the request",
     D27HostDiffersFromAuthority},
    {"D28", "a frame rule with a specific code: nghttp2 closes with the generic PROTOCOL_ERROR",
     D28GenericCode},
    {"D29", "a bad PRIORITY frame after SETTINGS_NO_RFC7540_PRIORITIES=1: nghttp2 discards it "
            "unread, h2harness applies §6.3",
     D29PriorityIgnoredAfterNoRfc7540Priorities},
    {"D30", "CONNECT whose :authority has no port: h2harness resets the stream (§8.5), nghttp2 "
            "delivers the request",
     D30ConnectWithoutPort},
    {"D31", "a request with neither :authority nor host: nghttp2 resets the stream, h2harness "
            "delivers it",
     D31NoAuthority},
    {"D32", "content-length repeated with one value: nghttp2 resets the stream, h2harness takes "
            "the value (RFC 9110 §8.6 MAY either)",
     D32RepeatedContentLength},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  // The client's octets: at most 60000, so that no stream or the connection can exceed the
  // 65,535-octet initial windows whatever the servers' WINDOW_UPDATE policies.
  struct Collect : fuzz::h2::ScriptListener {
    std::string bytes;
    void OnClientBytes(absl::string_view b, fuzz::h2::Op) override {
      bytes.append(b.data(), b.size());
    }
  } client;
  fuzz::h2::ScriptRunner runner(60000);
  runner.Run(input, &client);
  if (client.bytes.size() > 60000) client.bytes.resize(60000);

  Ours ours;
  Theirs theirs;
  const Steps steps(client.bytes);
  int settings_acks = 0;
  for (const Step& step : steps.steps) {
    if (step.frame && step.header.is(http2::FrameType::kSettings) &&
        step.header.has(http2::kFlagAck)) {
      ++settings_acks;
    }
    static const bool verbose = std::getenv("H2FUZZ_VERBOSE") != nullptr;
    if (verbose) {
      std::fprintf(stderr, "> %s\n",
                   step.has_header
                       ? absl::StrCat(http2::FrameTypeName(step.header.type), " stream=",
                                      step.header.stream_id, " flags=0x",
                                      absl::Hex(step.header.flags), " length=",
                                      step.header.length, step.frame ? "" : " (cut short)",
                                      " payload=", absl::BytesToHexString(step.bytes.substr(
                                                       9, std::min<size_t>(256, step.bytes.size() - 9))))
                             .c_str()
                       : absl::StrCat(step.bytes.size(), " octets").c_str());
    }
    const Before ours_before(ours.outcome), theirs_before(theirs.outcome);
    ours.outcome.touched.clear();
    theirs.outcome.touched.clear();
    ours.stream_errors.clear();
    ours.Receive(step.bytes);
    theirs.Receive(step.bytes);
    // A bad preface: nghttp2 closes without GOAWAY (RFC 9113 §3.4: "A GOAWAY frame MAY be
    // omitted in this case"), h2harness sends GOAWAY PROTOCOL_ERROR: the same verdict.
    if (theirs.fatal == NGHTTP2_ERR_BAD_CLIENT_MAGIC && ours.error() &&
        ours.error()->error == http2::Error::kBadPreface) {
      return 0;
    }
    if (verbose) {
      std::fprintf(stderr, "  h2harness:\n%s  libnghttp2:\n%s", Describe(ours.outcome).c_str(),
                   Describe(theirs.outcome).c_str());
    }
    bool same_streams = true;
    for (const std::set<uint32_t>* t : {&ours.outcome.touched, &theirs.outcome.touched}) {
      for (uint32_t id : *t) same_streams &= ours.outcome.Get(id) == theirs.outcome.Get(id);
    }
    const bool same_verdict = ours.outcome.goaway == theirs.outcome.goaway &&
                              ours.outcome.closed_without_goaway ==
                                  theirs.outcome.closed_without_goaway &&
                              ours.outcome.want_read == theirs.outcome.want_read;
    if (same_streams && same_verdict) {
      // Both done (a connection error, or GOAWAY and no stream left): an application
      // closes the connection here.
      if (!ours.outcome.want_read) return 0;
      continue;
    }
    const Context c{step,          ours.outcome,       theirs.outcome, ours_before,
                    theirs_before, ours.error(),       ours.stream_errors, theirs.fatal,
                    settings_acks};
    const Difference* known = nullptr;
    for (const Difference& d : kDifferences) {
      if (d.applies(c)) {
        known = &d;
        break;
      }
    }
    if (known != nullptr) {
      if (verbose) std::fprintf(stderr, "known difference %s: %s\n", known->id, known->what);
      if (known->ends_comparison) return 0;
      if (ours.outcome.dead() && theirs.outcome.dead()) return 0;
      continue;
    }
    std::string frame = step.has_header ? absl::StrCat(step.frame ? "" : "(cut short) ",http2::FrameTypeName(step.header.type),
                                                  " stream=", step.header.stream_id, " flags=0x",
                                                  absl::Hex(step.header.flags), " length=",
                                                  step.header.length)
                                   : std::string("(not a frame)");
    std::string block;
    if (step.block) block = fuzz::Describe(*step.block);
    Fail(absl::StrCat("h2harness and libnghttp2 disagree after ", frame, "\n",
                      ours.error() ? "h2harness error: " + ours.error()->message + "\n" : "",
                      theirs.fatal ? absl::StrCat("nghttp2 fatal: ", nghttp2_strerror(theirs.fatal),
                                                  "\n")
                                   : "",
                      block.empty() ? "" : "field block:\n" + block, "h2harness:\n",
                      Describe(ours.outcome), "libnghttp2:\n", Describe(theirs.outcome)));
  }
  return 0;
}
