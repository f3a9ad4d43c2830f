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
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fuzz/http2_fuzz_util.h"
#include "fuzz/http2_script.h"
#include "hpack/inflater.h"
#include "http2/error_code.h"
#include "http2/frame.h"
#include "http2/frame_parser.h"
#include "http2/options.h"
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
  return s;
}

// Reads a server's output for RST_STREAM and GOAWAY.
class OutputWatcher : public http2::FrameListener {
 public:
  explicit OutputWatcher(Outcome* o) : o_(o), parser_(this, Options()) {}
  void Feed(absl::string_view bytes) {
    if (!started_) {
      started_ = true;
    }
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
  static http2::FrameParserOptions Options() {
    http2::FrameParserOptions o;
    o.max_frame_size = http2::kMaxMaxFrameSize;
    return o;
  }
  Outcome* o_;
  http2::FrameParser parser_;
  bool started_ = false;
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
  bool frame = false;
  http2::FrameHeader header;
  // For a frame that ends a field block: the decoded fields of the whole block (decoded
  // independently), or nullopt if it does not decode.
  std::optional<hpack::HeaderList> block;
  uint32_t block_stream = 0;
};

class Steps : public http2::FrameListener {
 public:
  explicit Steps(absl::string_view bytes) : parser_(this, Options()) {
    size_t pos = 0;
    const size_t pre = std::min(bytes.size(), http2::kClientPreface.size());
    if (pre > 0) Add(bytes.substr(0, pre), false);
    pos = pre;
    if (bytes.substr(0, pre) != http2::kClientPreface) {
      if (pos < bytes.size()) Add(bytes.substr(pos), false);
      return;
    }
    while (pos + 9 <= bytes.size()) {
      const uint32_t len = (uint32_t{static_cast<uint8_t>(bytes[pos])} << 16) |
                           (uint32_t{static_cast<uint8_t>(bytes[pos + 1])} << 8) |
                           static_cast<uint8_t>(bytes[pos + 2]);
      if (pos + 9 + len > bytes.size()) break;
      Step& s = Add(bytes.substr(pos, 9 + len), true);
      if (!parser_.halted()) {
        cur_ = &s;
        parser_.Parse(s.bytes);
        cur_ = nullptr;
      }
      pos += 9 + len;
    }
    if (pos < bytes.size()) Add(bytes.substr(pos), false);
  }
  std::vector<Step> steps;

  void OnFrameHeader(const http2::FrameHeader& h) override { cur_->header = h; }
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
  static http2::FrameParserOptions Options() {
    http2::FrameParserOptions o;
    o.max_frame_size = http2::kMaxMaxFrameSize;
    o.validate_setting_values = false;
    return o;
  }
  static hpack::InflaterOptions InflaterOptions() {
    hpack::InflaterOptions o;
    o.max_header_list_size = size_t{1} << 30;
    o.max_header_fields = size_t{1} << 20;
    return o;
  }
  Step& Add(absl::string_view b, bool frame) {
    steps.emplace_back();
    steps.back().bytes = b;
    steps.back().frame = frame;
    return steps.back();
  }
  http2::FrameParser parser_;
  hpack::Inflater inflater_{InflaterOptions()};
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
  return c.step.frame && c.step.header.is(t) && (c.step.header.flags & flags) == flags;
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
};

// D1: nghttp2 drops regular fields whose name has characters other than lowercase
// token characters (but no uppercase) or whose value has invalid characters, and delivers
// the request; h2harness treats the message as malformed.
bool IsDroppedByNghttp2(const hpack::HeaderField& f) {
  if (f.name.empty() || f.name[0] == ':') return false;
  for (char c : f.name) {
    if (c >= 'A' && c <= 'Z') return false;  // nghttp2 resets the stream for these
  }
  bool bad_name = false;
  for (unsigned char c : f.name) {
    const bool tchar = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       absl::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) !=
                           absl::string_view::npos;
    if (!tchar) bad_name = true;
  }
  bool bad_value = false;
  for (unsigned char c : f.value) {
    if (c == 0 || c == '\r' || c == '\n') bad_value = true;
  }
  if (!f.value.empty()) {
    const char first = f.value.front(), last = f.value.back();
    if (first == ' ' || first == '\t' || last == ' ' || last == '\t') bad_value = true;
  }
  return bad_name || bad_value;
}

bool D1InvalidFieldDropped(const Context& c) {
  if (!c.step.block) return false;
  const uint32_t id = c.step.block_stream;
  auto o = c.ours.streams.find(id);
  auto t = c.theirs.streams.find(id);
  if (o == c.ours.streams.end() || t == c.theirs.streams.end()) return false;
  if (!o->second.rst || *o->second.rst != 1 || t->second.rst) return false;
  hpack::HeaderList kept;
  bool dropped = false;
  for (const hpack::HeaderField& f : *c.step.block) {
    if (IsDroppedByNghttp2(f)) {
      dropped = true;
    } else {
      kept.emplace_back(f.name, f.value);
    }
  }
  const hpack::HeaderList& got = t->second.trailers ? t->second.trailer_fields : t->second.headers;
  return dropped && got == kept;
}

// D2: where RFC 9113 defines a stream error, nghttp2 closes the connection with the same
// error code (§5.4.1: "an endpoint MAY choose to treat a stream error as a connection
// error"). Only for the rules listed, each seen to differ this way.
bool D2StreamErrorEscalated(const Context& c) {
  if (c.our_error || c.our_stream_errors.size() != 1 || c.ours_before.goaway ||
      c.theirs_before.goaway || !c.theirs.goaway) {
    return false;
  }
  const http2::ProtocolError& e = c.our_stream_errors[0];
  static constexpr http2::Error kRules[] = {
      http2::Error::kZeroWindowIncrement,  // §6.9
  };
  bool listed = false;
  for (http2::Error r : kRules) listed |= e.error == r;
  if (!listed || static_cast<uint32_t>(e.code) != *c.theirs.goaway) return false;
  // Everything else as before the step.
  auto o = c.ours.streams.find(e.stream_id);
  return o != c.ours.streams.end() && o->second.rst == static_cast<uint32_t>(e.code) &&
         c.theirs.touched.empty();
}

// D3: a SETTINGS ACK when no SETTINGS is outstanding (both servers sent one SETTINGS):
// nghttp2 closes the connection with PROTOCOL_ERROR; h2harness ignores it (and counts it
// as a glitch). RFC 9113 §6.5.3 defines an ACK only as acknowledging "the oldest
// unacknowledged SETTINGS frame" and sets no rule for an unsolicited one; §5.4.1: "An
// endpoint can end a connection at any time."
bool D3UnsolicitedSettingsAck(const Context& c) {
  return Is(c, http2::FrameType::kSettings, http2::kFlagAck) && c.step.header.length == 0 &&
         c.settings_acks > 1 && OnlyTheyClosed(c, http2::ErrorCode::kProtocolError);
}

// D4: Rapid Reset (CVE-2023-44487). Both servers allow a burst of 1000 RST_STREAM frames
// refilled at 33 per second; h2harness's session here has no clock (the burst is a total)
// and answers ENHANCE_YOUR_CALM, nghttp2 refills with real time and answers INTERNAL_ERROR.
// §10.5: "An endpoint MAY treat activity that is suspicious as a connection error (Section
// 5.4.1) of type ENHANCE_YOUR_CALM"; §5.4: "a generic error code (such as PROTOCOL_ERROR or
// INTERNAL_ERROR) can always be used in place of more specific error codes".
bool D4RapidReset(const Context& c) {
  if (!Is(c, http2::FrameType::kRstStream) || !c.our_error ||
      c.our_error->error != http2::Error::kRapidReset || c.ours_before.dead) {
    return false;
  }
  // nghttp2 at the same RST_STREAM with INTERNAL_ERROR, or not yet (it refilled).
  return !c.theirs_before.dead &&
         (!c.theirs.dead() ||
          c.theirs.goaway == static_cast<uint32_t>(http2::ErrorCode::kInternalError));
}

// D5: CONTINUATION flood (CVE-2024-27316 and kin): both allow 8 CONTINUATION frames per field
// block and close the connection at the ninth; nghttp2 closes without GOAWAY. §6.8: "An
// endpoint might choose to close a connection without sending a GOAWAY for misbehaving
// peers."
bool D5ContinuationFloodWithoutGoaway(const Context& c) {
  return Is(c, http2::FrameType::kContinuation) && c.our_error &&
         c.our_error->error == http2::Error::kTooManyContinuations &&
         c.their_fatal == NGHTTP2_ERR_TOO_MANY_CONTINUATIONS && !c.theirs_before.dead &&
         !c.ours_before.dead;
}

const Difference kDifferences[] = {
    {"D1", "nghttp2 drops a regular field with an invalid name or value; h2harness resets the "
           "stream (RFC 9113 §8.2.1, §8.1.1)",
     D1InvalidFieldDropped},
    {"D2", "nghttp2 treats a stream error as a connection error (RFC 9113 §5.4.1)",
     D2StreamErrorEscalated},
    {"D3", "a SETTINGS ACK for no outstanding SETTINGS: nghttp2 closes the connection "
           "(PROTOCOL_ERROR), h2harness ignores it",
     D3UnsolicitedSettingsAck},
    {"D4", "Rapid Reset limit: same budget, nghttp2 refills it with real time and closes with "
           "INTERNAL_ERROR, h2harness (no clock here) with ENHANCE_YOUR_CALM",
     D4RapidReset},
    {"D5", "CONTINUATION flood: nghttp2 closes the connection without GOAWAY",
     D5ContinuationFloodWithoutGoaway},
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
    bool same_streams = true;
    for (const std::set<uint32_t>* t : {&ours.outcome.touched, &theirs.outcome.touched}) {
      for (uint32_t id : *t) same_streams &= ours.outcome.Get(id) == theirs.outcome.Get(id);
    }
    const bool same_verdict = ours.outcome.goaway == theirs.outcome.goaway &&
                              ours.outcome.closed_without_goaway ==
                                  theirs.outcome.closed_without_goaway;
    if (same_streams && same_verdict) {
      if (ours.outcome.dead()) return 0;
      continue;
    }
    const Context c{step,          ours.outcome,       theirs.outcome, ours_before,
                    theirs_before, ours.error(),       ours.stream_errors, theirs.fatal,
                    settings_acks};
    for (const Difference& d : kDifferences) {
      if (d.applies(c)) return 0;  // known; the connections are no longer comparable
    }
    std::string frame = step.frame ? absl::StrCat(http2::FrameTypeName(step.header.type),
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
