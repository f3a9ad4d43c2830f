// A server script (fuzz/http2_script.h: frame descriptions — responses, pushes, SETTINGS,
// flow control, GOAWAY — junk, delivery in pieces, the clock, application calls) against an
// http2::Session in the client role. The client application submits a request for each new
// client stream a HEADERS record names (GET, POST with a body small or larger than every
// window, HEAD, deferred bodies, trailers), before the server's frames for it arrive, and
// resets, consumes and resumes as the script says.
//
// Checked all along (fuzz/http2_session_harness.h, fuzz/http2_peer_view.h):
//  - the server's view: the client's octets are the connection preface, then valid frames a
//    server must accept: requests on new odd streams in increasing order, valid field
//    sections (decoded with an independent hpack::Inflater), DATA only after the request
//    headers and within the server's windows, never after the client ended or reset the
//    stream, no PUSH_PROMISE, ACKs only for what was received, GOAWAYs naming only pushed
//    streams;
//  - the application's view: 1xx, final response, data, trailers and end of stream in that
//    order and once, on the client's streams or pushed ones announced by OnPushPromise (only
//    with push enabled), never after close or the connection error;
//  - bounded memory and liveness, as for the server.
//
// Input: 8 config octets (the client's options), then script records (the server's octets).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fuzz/fuzz_util.h"
#include "fuzz/http2_body_source.h"
#include "fuzz/http2_session_harness.h"
#include "http2/error_code.h"
#include "http2/options.h"
#include "http2/session.h"
#include "http2/settings.h"
#include "http2/visitor.h"

namespace {

using fuzz::Check;
using fuzz::Fail;
using fuzz::h2::BodySource;
using http2::ErrorCode;
using http2::HeadersKind;

using Config = fuzz::h2::FuzzConfig;

Config MakeConfig(absl::string_view c) {
  auto at = [&c](size_t i) { return fuzz::h2::ConfigAt(c, i); };
  Config cfg;
  http2::SessionOptions& o = cfg.options;
  o.enable_push = (at(0) & 0x01) != 0;
  o.auto_consume = (at(0) & 0x02) == 0;
  static constexpr uint32_t kWindows[] = {65535, 0, 100, 1 << 20};
  o.initial_window_size = kWindows[(at(0) >> 2) & 3];
  static constexpr uint32_t kConcurrent[] = {100, 1, 0, 2};
  o.max_concurrent_streams = kConcurrent[(at(0) >> 4) & 3];  // pushed responses
  o.goaway_debug_data = (at(0) & 0x40) == 0;
  if (at(0) & 0x80) o.max_reserved_remote_streams = 2;
  fuzz::h2::ApplySharedConfig(c, &cfg);
  return cfg;
}

// The client application: requests as the script's HEADERS records say; checks the events.
class App : public fuzz::h2::Application {
 public:
  uint32_t max_concurrent = 0;  // ours, for pushed responses
  size_t max_reserved = 0;

  struct Stream {
    bool ours = false;    // a request we submitted
    bool pushed = false;  // announced by OnPushPromise
    bool final = false;   // final response received
    bool ended = false;   // the server ended its side
    bool closed = false;
    std::unique_ptr<BodySource> body;
  };
  std::map<uint32_t, Stream> streams;
  std::vector<std::unique_ptr<BodySource>> retired;
  uint32_t next_id = 1;  // the id the session gives our next request
  size_t open_requests = 0;
  size_t submitted_ = 0;
  bool connection_failed = false;

  // A request: action bits 0-1 method (GET, POST, HEAD, GET with extra fields), bits 2-3
  // body (none, 5 octets, 100000 octets, deferred), bit 4 trailers, bit 5 reset it at once.
  void Submit(uint8_t action) {
    if (submitted_++ >= 2000) return;  // enough for any limit; keeps each run fast
    static constexpr absl::string_view kMethods[] = {"GET", "POST", "HEAD", "GET"};
    const int body = (action >> 2) & 3;
    const std::string path = absl::StrCat("/r", next_id);
    std::vector<http2::Header> h = {{":method", kMethods[action & 3]},
                                    {":scheme", "https"},
                                    {":authority", "example.com"},
                                    {":path", path}};
    if ((action & 3) == 3) h.push_back({"accept", "*/*"});
    // A header block larger than a frame: HEADERS + CONTINUATION.
    static const std::string kBig(20000, 'b');
    if (action & 0x40) h.push_back({"x-big", kBig});
    if (body == 1) h.push_back({"content-length", "5"});
    if (session->options().validate_submitted_headers &&
        session->options().field_validation.validate_http_headers) {
      // Malformed requests fail and change nothing.
      std::vector<http2::Header> bad = h;
      bad.push_back({"Upper", "x"});
      Check(!session->SubmitRequest(bad).ok(),
            "SubmitRequest accepted a malformed request with validation on");
    }
    std::unique_ptr<BodySource> source;
    if (body != 0) {
      source = std::make_unique<BodySource>(body == 1 ? 5 : body == 2 ? 100000 : 3000,
                                            body == 2 ? 16384 : 1000, body == 3, SIZE_MAX,
                                            (action & 0x10) && (action & 0x80));
    }
    absl::StatusOr<uint32_t> id = session->SubmitRequest(h, source.get());
    if (!id.ok()) {
      if (source) retired.push_back(std::move(source));
      return;
    }
    Check(*id == next_id, "SubmitRequest gave an unexpected stream id");
    next_id += 2;
    Stream& s = streams[*id];
    s.ours = true;
    ++open_requests;
    s.body = std::move(source);
    if ((action & 0x10) && s.body) (void)session->SubmitTrailers(*id, {{"x-checksum", "1"}});
    if (action & 0x20) (void)session->SubmitRstStream(*id, ErrorCode::kCancel);
  }

  // fuzz::h2::Application.
  void OnScriptHeaders(uint32_t id, uint8_t action) override {
    // The server's HEADERS on a new client stream answers a request: submit the requests
    // up to that stream first (ids the session assigns in order).
    if (id % 2 == 0 || id < next_id) return;
    for (int n = 0; next_id <= id && n < 64; ++n) {
      const uint32_t before = next_id;
      Submit(next_id == id ? action : 0);
      if (next_id == before) break;  // refused (GOAWAY, concurrency): stop trying
    }
  }
  void OnAppAction(uint8_t action, uint32_t id) override {
    if (fuzz::h2::CommonAppAction(*session, action, id, &max_concurrent)) return;
    switch (action % 12) {
      case 4:
        for (auto& kv : streams) {
          if (kv.second.body && kv.second.body->deferred()) {
            kv.second.body->clear_deferred();
            (void)session->ResumeData(kv.first);
          }
        }
        (void)session->ResumeData(id);
        break;
      case 7:
        Submit(action >> 4);
        break;
      case 9:  // a client cannot answer or push
        Check(!session->SubmitResponse(id, {{":status", "200"}}).ok(),
              "a client session accepted SubmitResponse");
        Check(!session->SubmitPushPromise(id, {{":method", "GET"}}).ok(),
              "a client session accepted SubmitPushPromise");
        break;
      default:
        Check(!session->SubmitInformational(id, {{":status", "100"}}).ok(),
              "a client session accepted SubmitInformational");
        break;
    }
  }
  size_t ActiveStreamBound() const override {
    // Our open requests, pushed streams in reserved (remote) (one over the limit is refused
    // after creation), and pushed responses under our MAX_CONCURRENT_STREAMS.
    return open_requests + max_reserved + 1 + max_concurrent;
  }

  // http2::Visitor.
  void OnHeaders(const http2::ReceivedHeaders& h) override {
    Check(!connection_failed, "OnHeaders after the connection error");
    Stream& s = streams[h.stream_id];
    Check(s.ours || s.pushed, "response headers on a stream the client did not open");
    Check(!s.closed && !s.ended, "response headers after the stream ended");
    // Without validation (validate_http_headers off) the session still tells the kinds
    // apart, but lets malformed sections through (a 1xx with END_STREAM, trailers without).
    const bool validated = session->options().field_validation.validate_http_headers;
    switch (h.kind) {
      case HeadersKind::kInformational:
        Check(!s.final && h.status >= 100 && h.status < 200, "a 1xx response out of place");
        Check(!validated || !h.end_stream, "a 1xx response with END_STREAM reached the app");
        break;
      case HeadersKind::kResponse:
        Check(!s.final, "two final responses on one stream");
        Check(!validated || (h.status >= 200 && h.status <= 999),
              "a final response without a final status");
        s.final = true;
        break;
      case HeadersKind::kTrailers:
        Check(s.final, "trailers before the final response");
        Check(!validated || h.end_stream, "trailers without END_STREAM reached the app");
        break;
      default:
        Fail("a client received a request section");
    }
  }
  void OnData(uint32_t id, absl::string_view data) override {
    Check(!connection_failed, "OnData after the connection error");
    Stream& s = streams[id];
    Check((s.ours || s.pushed) && s.final && !s.ended && !s.closed,
          "DATA outside a response body");
    if (!session->options().auto_consume && id % 3 != 0) {
      Check(session->Consume(id, data.size()).ok(), "Consume() of data just delivered failed");
    }
  }
  void OnEndStream(uint32_t id) override {
    Check(!connection_failed, "OnEndStream after the connection error");
    Stream& s = streams[id];
    Check((s.ours || s.pushed) && !s.ended && !s.closed, "OnEndStream twice or out of place");
    s.ended = true;
  }
  void OnStreamClose(uint32_t id, ErrorCode) override {
    Stream& s = streams[id];
    Check(!s.closed, "OnStreamClose twice for one stream");
    Check(s.ours || s.pushed, "OnStreamClose for a stream the application never saw");
    s.closed = true;
    if (s.ours) --open_requests;
    if (s.body) retired.push_back(std::move(s.body));
  }
  void OnStreamError(const http2::ProtocolError& e) override {
    Check(!e.connection && e.stream_id != 0, "OnStreamError with a connection error");
  }
  void OnPushPromise(uint32_t assoc, uint32_t promised, const http2::ReceivedHeaders& r) override {
    Check(!connection_failed, "OnPushPromise after the connection error");
    Check(session->options().enable_push, "a push promise with push disabled");
    Check(promised % 2 == 0 && assoc % 2 == 1 && streams[assoc].ours,
          "a push promise on a stream the client did not open");
    Check(r.kind == HeadersKind::kPushRequest, "a push promise that is not a push request");
    Stream& p = streams[promised];
    Check(!p.ours && !p.pushed, "a stream promised twice");
    p.pushed = true;
    if (promised % 8 == 6) (void)session->SubmitRstStream(promised, ErrorCode::kCancel);
  }
  void OnPriorityUpdate(uint32_t, absl::string_view) override {
    Fail("a client received PRIORITY_UPDATE");
  }
  void OnConnectionError(const http2::ProtocolError& e) override {
    Check(!connection_failed, "OnConnectionError twice");
    Check(e.connection, "OnConnectionError with a stream error");
    connection_failed = true;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const absl::string_view config = input.substr(0, std::min<size_t>(8, size));
  const Config cfg = MakeConfig(config);
  App app;
  app.max_concurrent = cfg.options.max_concurrent_streams;
  app.max_reserved = cfg.options.max_reserved_remote_streams;
  fuzz::h2::SessionHarness harness(http2::Perspective::kClient, cfg.options, cfg.clock, &app);
  harness.Run(input.substr(config.size()), 256 << 10);
  harness.Destroy();  // before the application's body sources
  return 0;
}
