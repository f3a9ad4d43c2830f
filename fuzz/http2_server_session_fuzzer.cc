// A client script (fuzz/http2_script.h: frame descriptions, junk, delivery in pieces, the
// clock, server calls) against an http2::Session in the server role, whose handler answers
// requests as each HEADERS record says: responses with and without bodies (small, larger than
// every window, deferred, failing), 1xx, trailers, pushes, resets.
//
// Checked all along (fuzz/http2_session_harness.h, fuzz/http2_peer_view.h):
//  - the client's view: every octet the server sends parses, with a FrameParser, as valid
//    frames a client must accept (RFC 9113 as the client sees it): frame sizes within the
//    client's SETTINGS_MAX_FRAME_SIZE, field blocks that decode with an independent
//    hpack::Inflater into valid responses, trailers and push requests, in order, only on
//    streams the client opened or the server promised, DATA within the client's windows,
//    pushes only as §6.6 and §8.4 allow, ACKs only for what was received, GOAWAYs that never
//    raise their last-stream-id and nothing after one with an error;
//  - the handler's view: requests, data, end of stream and close reported once, in order,
//    for odd streams, never after the stream closed or the connection failed;
//  - bounded memory: the session's accounting (SessionStats) against its limits after every
//    call; liveness (Receive() progresses once output is drained; no timer left overdue).
//
// Input: 8 config octets (the server's options, mostly small limits so that they fire), then
// script records.
#include <cstdint>
#include <set>
#include <sstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "hpack/header.h"
#include "fuzz/fuzz_util.h"
#include "fuzz/http2_body_source.h"
#include "fuzz/http2_session_harness.h"
#include "http2/error_code.h"
#include "http2/field_validation.h"
#include "http2/options.h"
#include "http2/session.h"
#include "http2/settings.h"
#include "http2/visitor.h"

namespace {

using fuzz::Check;
using fuzz::Fail;
using fuzz::h2::BodySource;
using http2::ErrorCode;

using Config = fuzz::h2::FuzzConfig;

Config MakeConfig(absl::string_view c) {
  auto at = [&c](size_t i) { return fuzz::h2::ConfigAt(c, i); };
  Config cfg;
  http2::SessionOptions& o = cfg.options;
  static constexpr uint32_t kConcurrent[] = {100, 1, 2, 5};
  static constexpr uint32_t kWindows[] = {65535, 65535, 0, 100, 16384, 1 << 20, 0x7fffffff, 65536};
  o.max_concurrent_streams = kConcurrent[at(0) & 3];
  o.initial_window_size = kWindows[(at(0) >> 2) & 7];
  o.enable_connect_protocol = (at(0) & 0x20) != 0;
  o.auto_consume = (at(0) & 0x40) == 0;
  o.goaway_debug_data = (at(0) & 0x80) == 0;
  fuzz::h2::ApplySharedConfig(c, &cfg);
  return cfg;
}

// Answers requests as the script's handler action octets say, and checks the events.
class Handler : public fuzz::h2::Application {
 public:
  std::map<uint32_t, uint8_t> actions;
  uint32_t max_concurrent = 0;

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
      CheckCookies(h);
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
    // §8.1's rule is a field-validation check: with validate_http_headers off (nghttp2's
    // NO_HTTP_MESSAGING) the session delivers such a block and the stream stays open.
    const bool validated = session->options().field_validation.validate_http_headers;
    Check(!validated || h.end_stream,
          "trailers without END_STREAM reached the handler (RFC 9113 §8.1)");
    if (!h.end_stream) return;
    s.ended = true;
    if ((s.action & 3) == 1) Respond(h.stream_id);
  }
  void OnData(uint32_t id, absl::string_view data) override {
    Check(!connection_failed, "OnData after the connection error");
    Stream& s = streams[id];
    Check(s.request && !s.ended && !s.closed, "OnData outside a request body");
    if ((s.action & 0xc3) == 0xc3) {  // the application gives up on the body
      (void)session->SubmitRstStream(id, ErrorCode::kCancel);
      return;
    }
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
    if (!s.request && !s.pushed) {
      Fail(absl::StrCat("OnStreamClose for stream ", id, ", which the handler never saw"));
    }
    s.closed = true;
    if (s.pushed) --pushed_open;
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

  // ReceivedHeaders::cookie is the request's cookie fields joined as JoinCookieCrumbs joins
  // them (§8.2.3); CrumbleCookies splits them into crumbs without ';'.
  static void CheckCookies(const http2::ReceivedHeaders& h) {
    hpack::HeaderList fields;
    for (const http2::Header& f : h.fields) {
      fields.emplace_back(std::string(f.name), std::string(f.value));
    }
    hpack::HeaderList joined = fields;
    http2::JoinCookieCrumbs(&joined);
    std::string cookie;
    for (const hpack::HeaderField& f : joined) {
      if (f.name == "cookie") cookie = f.value;
    }
    Check(cookie == h.cookie, "ReceivedHeaders::cookie differs from JoinCookieCrumbs");
    // An empty cookie field as received (a valid field value, §8.2.1) is kept as it is;
    // splitting never makes one.
    size_t empty_in = 0, empty_out = 0;
    for (const hpack::HeaderField& f : fields) empty_in += f.name == "cookie" && f.value.empty();
    http2::CrumbleCookies(&fields);
    for (const hpack::HeaderField& f : fields) {
      if (f.name != "cookie") continue;
      Check(f.value.find(';') == std::string::npos, "CrumbleCookies left a ';'");
      empty_out += f.value.empty();
    }
    Check(empty_out <= empty_in, "CrumbleCookies made an empty crumb");
  }

  // Submitted field sections are validated (validate_submitted_headers with the validation
  // switched on).
  bool CheckingSubmissions() const {
    return session->options().validate_submitted_headers &&
           session->options().field_validation.validate_http_headers;
  }

  // The response the action asks for.
  void Respond(uint32_t id) {
    Stream& s = streams[id];
    if (s.responded) return;
    s.responded = true;
    const uint8_t a = s.action;
    if (CheckingSubmissions()) {
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
    if (trailers && (a & 0x80)) return;  // trailers_follow: a later call submits them
    if (trailers) {
      if (CheckingSubmissions()) {
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
    ++pushed_open;
    ps.body = std::make_unique<BodySource>(10, 10, false, SIZE_MAX, false);
    if (!session->SubmitResponse(*p, {{":status", "200"}}, ps.body.get()).ok()) {
      retired.push_back(std::move(ps.body));
    }
  }

  // fuzz::h2::Application.
  void OnScriptHeaders(uint32_t id, uint8_t action) override { actions[id] = action; }
  void OnAppAction(uint8_t action, uint32_t id) override {
    if (fuzz::h2::CommonAppAction(*session, action, id, &max_concurrent)) return;
    switch (action % 12) {
      case 4:
        ResumeAll();
        (void)session->ResumeData(id);
        break;
      case 7:  // a late response (for streams whose action was "no response")
        streams[id].action = action & 0xfc;
        if (streams[id].request) Respond(id);
        break;
      case 9:
        if (streams[id].request) Push(id);
        break;
      default: {
        // Calls that succeed or fail by the stream's state; the client's view checks what
        // goes out.
        (void)session->SubmitInformational(id, {{":status", "100"}});
        if (CheckingSubmissions()) {
          Check(!session->SubmitInformational(id, {{":status", "200"}}).ok(),
                "SubmitInformational accepted a final status");
          Check(!session->SubmitResponse(id, {{":status", "103"}}).ok(),
                "SubmitResponse accepted a 1xx status");
        }
        Check(!session->SubmitRequest({{":method", "GET"}}).ok(),
              "a server session accepted SubmitRequest");
        if (!streams[id].responded && streams[id].request) {
          streams[id].responded = true;
          if (session->SubmitResponse(id, {{":status", "204"}}).ok()) {
            Check(!session->SubmitResponse(id, {{":status", "200"}}).ok(),
                  "a second final response was accepted");
          }
        }
        // A promise without a response: the stream stays reserved until the session or
        // the client ends it, and is the application's to know about (OnStreamClose).
        absl::StatusOr<uint32_t> promised = session->SubmitPushPromise(
            id, {{":method", "GET"}, {":scheme", "https"}, {":authority", "example.com"},
                 {":path", "/p"}});
        if (promised.ok()) {
          streams[*promised].pushed = true;
          ++pushed_open;
        }
        break;
      }
    }
  }
  size_t ActiveStreamBound() const override { return max_concurrent + pushed_open; }
  // Pushed streams still reserved (local) (their response not yet submitted) are neither
  // active nor closed; pushed_open bounds them.
  size_t ExtraRememberedStreams() const override { return pushed_open; }

  void ResumeAll() {
    for (auto& kv : streams) {
      if (kv.second.body && kv.second.body->deferred()) {
        kv.second.body->clear_deferred();
        (void)session->ResumeData(kv.first);
      }
    }
  }

  size_t pushed_open = 0;  // promised streams not yet closed
};

}  // namespace

// Names and rules of every field error and stream state: distinct and present.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  std::set<std::string> names;
  for (http2::FieldErrorCode e : http2::AllFieldErrors()) {
    Check(names.insert(std::string(http2::FieldErrorName(e))).second,
          "two field errors share a name");
    Check(!http2::FieldErrorRule(e).empty(), "a field error without a rule");
    (void)http2::FieldErrorRequirement(e);
    std::ostringstream os;
    os << e;
    Check(os.str() == http2::FieldErrorName(e), "operator<< differs from FieldErrorName");
  }
  std::set<std::string> states;
  for (int st = 0; st <= static_cast<int>(http2::StreamState::kClosed); ++st) {
    states.insert(std::string(http2::StreamStateName(static_cast<http2::StreamState>(st))));
  }
  Check(states.size() == 7, "stream states share a name");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const absl::string_view config = input.substr(0, std::min<size_t>(8, size));
  const Config cfg = MakeConfig(config);
  Handler handler;
  handler.max_concurrent = cfg.options.max_concurrent_streams;
  fuzz::h2::SessionHarness harness(http2::Perspective::kServer, cfg.options, cfg.clock, &handler);
  harness.Run(input.substr(config.size()), 256 << 10);
  harness.Destroy();  // before the handler's body sources
  return 0;
}
