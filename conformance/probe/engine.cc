#include "conformance/probe/engine.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace probe {

using http2::ErrorCode;

absl::StatusOr<std::unique_ptr<Transport>> Target::Connect(absl::Time deadline,
                                                           const TlsOptions* tls_override,
                                                           TlsInfo* info) const {
  if (connect) return connect(deadline, tls_override, info);
  if (tls || tls_override) {
    return ConnectTls(endpoint, tls_override ? *tls_override : tls_options, deadline, info);
  }
  return ConnectTcp(endpoint, deadline);
}

absl::StatusOr<Target> ParseTarget(absl::string_view text, bool tls, bool insecure) {
  Target t;
  t.display = std::string(text);
  absl::string_view rest = text;
  bool has_scheme = false;
  if (absl::ConsumePrefix(&rest, "https://")) {
    tls = true;
    has_scheme = true;
  } else if (absl::ConsumePrefix(&rest, "http://")) {
    has_scheme = true;
    if (tls) return absl::InvalidArgumentError("--tls with an http:// URL; use https://");
  }
  const size_t slash = rest.find('/');
  if (slash != absl::string_view::npos) {
    t.path = std::string(rest.substr(slash));
    rest = rest.substr(0, slash);
  }
  t.authority = std::string(rest);
  std::string host;
  std::string port;
  if (absl::StartsWith(rest, "[")) {
    const size_t close = rest.find(']');
    if (close == absl::string_view::npos) return absl::InvalidArgumentError("unbalanced [ in the target");
    host = std::string(rest.substr(1, close - 1));
    absl::string_view after = rest.substr(close + 1);
    if (absl::ConsumePrefix(&after, ":")) port = std::string(after);
  } else {
    const size_t colon = rest.rfind(':');
    host = std::string(colon == absl::string_view::npos ? rest : rest.substr(0, colon));
    if (colon != absl::string_view::npos) port = std::string(rest.substr(colon + 1));
  }
  if (host.empty()) return absl::InvalidArgumentError(absl::StrCat("no host in \"", text, "\""));
  uint32_t p = 0;
  if (port.empty()) {
    if (!has_scheme) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", text, "\": give HOST:PORT or a URL (http://HOST:PORT/PATH)"));
    }
    p = tls ? 443 : 80;
  } else if (!absl::SimpleAtoi(port, &p) || p == 0 || p > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("bad port \"", port, "\""));
  }
  t.endpoint = Endpoint{host, static_cast<uint16_t>(p)};
  t.tls = tls;
  t.tls_options.verify = !insecure;
  in6_addr a6;
  in_addr a4;
  const bool literal = inet_pton(AF_INET, host.c_str(), &a4) == 1 || inet_pton(AF_INET6, host.c_str(), &a6) == 1;
  if (!literal) t.tls_options.sni = host;
  return t;
}

bool IsLoopback(const Target& target) {
  if (target.connect) return true;  // in memory
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(target.endpoint.host.c_str(), nullptr, &hints, &res) != 0) return false;
  bool all = res != nullptr;
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    if (ai->ai_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(ai->ai_addr);
      all &= (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
    } else if (ai->ai_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(ai->ai_addr);
      all &= IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr) != 0;
    } else {
      all = false;
    }
  }
  freeaddrinfo(res);
  return all;
}

const char* ResultName(Result r) {
  switch (r) {
    case Result::kPassed: return "passed";
    case Result::kFailed: return "failed";
    case Result::kSkipped: return "skipped";
  }
  return "?";
}

absl::StatusOr<Controls> LearnControls(const Target& target, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + std::max(timeout, absl::Seconds(2));
  absl::StatusOr<std::unique_ptr<Transport>> t = target.Connect(deadline);
  if (!t.ok()) return t.status();
  Controls c;
  c.tls_summary = (*t)->Describe();
  Conn conn(std::move(*t));
  absl::Status s = conn.Handshake(deadline);
  if (!s.ok()) return s;
  c.server_settings = conn.obs().server_settings;
  c.settings = conn.server_settings();
  Exchange ex(&conn, &target, &c, deadline);
  const uint32_t get = ex.Get();
  const uint32_t post = ex.Post(5);
  ex.f().Data(post, "probe", http2::kFlagEndStream);
  conn.NoteRequestEnd(post);
  ex.WaitResponse(get);
  ex.WaitResponse(post);
  const StreamObs* g = conn.obs().stream(get);
  const StreamObs* p = conn.obs().stream(post);
  c.get_status = g ? g->status : 0;
  c.get_body = g ? g->data_bytes : 0;
  c.post_status = p ? p->status : 0;
  if (c.get_status == 0 || c.post_status == 0) {
    c.error = absl::StrCat("control requests unanswered (GET status ", c.get_status, ", POST status ",
                           c.post_status, ")\n", FormatTrace(conn.obs().trace));
  }
  // The server may have updated its settings after the preface.
  c.settings = conn.server_settings();
  return c;
}

Outcome Classify(const Observation& obs, uint32_t focus, bool synced) {
  Outcome o;
  if (const GoAwayObs* g = obs.goaway()) {
    o.kind = Outcome::kGoAway;
    o.code = g->code;
    return o;
  }
  if (obs.closed) {
    o.kind = Outcome::kClose;
    return o;
  }
  if (const StreamObs* s = obs.stream(focus); focus && s) {
    if (s->rst && s->status == 0) {
      o.kind = Outcome::kRstStream;
      o.code = *s->rst;
      return o;
    }
    if (s->status > 0) {
      // A response followed by RST_STREAM: the reset is what the RFC asks for (§8.1.1
      // allows the response before it).
      if (s->rst && *s->rst != 0) {
        o.kind = Outcome::kRstStream;
        o.code = *s->rst;
        return o;
      }
      o.kind = Outcome::kResponse;
      o.status_lo = o.status_hi = s->status;
      return o;
    }
  }
  for (const auto& [id, s] : obs.streams) {
    if (s.rst && id != focus) {
      o.kind = Outcome::kRstStream;
      o.code = *s.rst;
      return o;
    }
  }
  if (synced) o.kind = Outcome::kIgnored;
  return o;
}

namespace {

const char kGenericCodes[] =
    "§5.4: \"a generic error code (such as PROTOCOL_ERROR or INTERNAL_ERROR) can always be used "
    "in place of more specific error codes\"";

bool Matches(const Outcome& want, const Outcome& got, int control) {
  if (want.kind != got.kind) return false;
  switch (want.kind) {
    case Outcome::kGoAway:
    case Outcome::kRstStream:
      return want.code == got.code;
    case Outcome::kResponse:
      if (got.status_lo < want.status_lo || got.status_lo > want.status_hi) return false;
      if (want.differs_from_control && got.status_lo == control) return false;
      if (want.same_as_control && got.status_lo != control) return false;
      return true;
    default:
      return true;
  }
}

std::string DescribeAll(const std::vector<Outcome>& v) {
  std::vector<std::string> parts;
  for (const Outcome& o : v) parts.push_back(o.Describe());
  return absl::StrJoin(parts, " or ");
}

}  // namespace

Judgement Judge(const Expectation& expect, const Outcome& actual, bool strict,
                const Controls& controls, bool control_is_post) {
  const int control = control_is_post ? controls.post_status : controls.get_status;
  Judgement j;
  for (const Outcome& o : expect.exact) {
    if (Matches(o, actual, control)) {
      j.result = Result::kPassed;
      return j;
    }
  }
  std::string why;
  for (const Outcome& o : expect.tolerated) {
    if (Matches(o, actual, control)) {
      why = o.why;
      break;
    }
  }
  if (why.empty() && expect.generic_code_tolerated &&
      (actual.kind == Outcome::kGoAway || actual.kind == Outcome::kRstStream) &&
      (actual.code == static_cast<uint32_t>(ErrorCode::kProtocolError) ||
       actual.code == static_cast<uint32_t>(ErrorCode::kInternalError))) {
    for (const auto* list : {&expect.exact, &expect.tolerated}) {
      for (const Outcome& o : *list) {
        if (o.kind == actual.kind && (o.kind == Outcome::kGoAway || o.kind == Outcome::kRstStream)) {
          why = o.why.empty() ? kGenericCodes : absl::StrCat(kGenericCodes, "; ", o.why);
        }
      }
    }
  }
  std::string expected = absl::StrCat("expected ", DescribeAll(expect.exact));
  if (!why.empty()) {
    j.tolerated = true;
    if (strict) {
      j.result = Result::kFailed;
      j.detail = absl::StrCat(expected, " (--strict); got ", actual.Describe(), ", which only the "
                              "default mode tolerates: ", why);
    } else {
      j.result = Result::kPassed;
      j.detail = absl::StrCat("tolerated: ", actual.Describe(), " (", why, ")");
    }
    return j;
  }
  if (!expect.tolerated.empty() && !strict) {
    absl::StrAppend(&expected, " (tolerated: ", DescribeAll(expect.tolerated), ")");
  }
  j.result = Result::kFailed;
  j.detail = absl::StrCat(expected, "; got ", actual.Describe());
  if (actual.kind == Outcome::kResponse && control > 0) {
    absl::StrAppend(&j.detail, " (the control ", control_is_post ? "POST" : "GET", " gets ", control, ")");
  }
  return j;
}

namespace {

std::string DescribeGot(const Observation& obs, const Outcome& o, uint32_t focus) {
  switch (o.kind) {
    case Outcome::kGoAway: {
      const GoAwayObs* g = obs.goaway();
      std::string s = absl::StrCat("GOAWAY ", http2::ErrorCodeToString(g->code),
                                   " last_stream=", g->last_stream_id);
      if (!g->debug.empty()) absl::StrAppend(&s, " debug=\"", absl::CHexEscape(g->debug.substr(0, 80)), "\"");
      return s;
    }
    case Outcome::kRstStream: {
      for (const auto& [id, s] : obs.streams) {
        if (s.rst && (id == focus || focus == 0 || !obs.stream(focus) || !obs.stream(focus)->rst)) {
          return absl::StrCat("RST_STREAM ", http2::ErrorCodeToString(*s.rst), " on stream ", id,
                              s.status ? absl::StrCat(" after a ", s.status, " response") : "");
        }
      }
      return o.Describe();
    }
    case Outcome::kResponse: {
      const StreamObs* s = obs.stream(focus);
      return absl::StrCat(s->status, " response on stream ", focus,
                          s->end_stream ? "" : " (not ended)");
    }
    case Outcome::kClose:
      return absl::StrCat("connection closed without GOAWAY (", obs.close_detail, ")");
    default:
      return o.Describe();
  }
}

}  // namespace

CaseResult RunCase(const Case& c, const Target& target, const Controls& controls,
                   const RunOptions& options) {
  CaseResult r;
  r.c = &c;
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + options.timeout;
  auto finish = [&](Result res, std::string detail) {
    r.result = res;
    r.detail = std::move(detail);
    r.elapsed = absl::Now() - start;
    return r;
  };
  if (c.tls_only && !target.tls) {
    return finish(Result::kSkipped, "needs a TLS target (https:// or --tls)");
  }
  std::unique_ptr<Conn> conn;
  if (c.handshake) {
    absl::StatusOr<std::unique_ptr<Transport>> t = target.Connect(deadline);
    if (!t.ok()) return finish(Result::kFailed, absl::StrCat("cannot connect: ", t.status().message()));
    ConnOptions co;
    co.settings = c.settings;
    co.auto_window_update = c.auto_window_update;
    conn = std::make_unique<Conn>(std::move(*t), co);
    absl::Status s = conn->Handshake(deadline);
    if (!s.ok()) {
      r.trace = FormatTrace(conn->obs().trace);
      r.violations = conn->obs().violations;
      return finish(Result::kFailed, absl::StrCat("connection preface failed: ", s.message()));
    }
  } else {
    // The case opens its own connection; the Conn is a holder for its trace.
    absl::StatusOr<std::unique_ptr<Transport>> t = target.Connect(deadline);
    if (!t.ok()) return finish(Result::kFailed, absl::StrCat("cannot connect: ", t.status().message()));
    ConnOptions co;
    co.settings = c.settings;
    conn = std::make_unique<Conn>(std::move(*t), co);
  }
  Exchange ex(conn.get(), &target, &controls, deadline);
  c.run(ex);
  ex.Flush().IgnoreError();
  const Observation& obs = conn->obs();
  auto keep_trace = [&] {
    r.trace = FormatTrace(obs.trace);
    r.violations = obs.violations;
  };

  if (c.expect.exact.empty()) {  // Custom(): run() decided
    keep_trace();
    switch (ex.verdict()) {
      case Exchange::Verdict::kPass: return finish(Result::kPassed, ex.verdict_detail());
      case Exchange::Verdict::kTolerated:
        r.tolerated = true;
        if (options.strict) {
          return finish(Result::kFailed, absl::StrCat("--strict: ", ex.verdict_detail()));
        }
        return finish(Result::kPassed, absl::StrCat("tolerated: ", ex.verdict_detail()));
      case Exchange::Verdict::kSkip: return finish(Result::kSkipped, ex.verdict_detail());
      case Exchange::Verdict::kFail:
        r.got = ex.verdict_detail();
        return finish(Result::kFailed, ex.verdict_detail());
      case Exchange::Verdict::kNone:
        return finish(Result::kFailed, "internal: the case reached no verdict");
    }
  }
  if (ex.verdict() == Exchange::Verdict::kSkip) {
    keep_trace();
    return finish(Result::kSkipped, ex.verdict_detail());
  }
  if (ex.verdict() == Exchange::Verdict::kFail) {
    keep_trace();
    r.got = ex.verdict_detail();
    return finish(Result::kFailed, ex.verdict_detail());
  }

  // Wait for the outcome: an error, the focus stream's answer, or two PING round trips.
  const uint32_t focus = ex.focus;
  const uint64_t p1 = conn->SendPing(deadline);
  uint64_t p2 = 0;
  bool synced = false;
  absl::Time close_wait = absl::InfiniteFuture();
  for (;;) {
    const absl::Time now = absl::Now();
    if (obs.closed) break;
    if (obs.goaway()) {
      if (close_wait == absl::InfiniteFuture()) close_wait = std::min(deadline, now + absl::Milliseconds(500));
      if (now >= close_wait) break;
    } else {
      const StreamObs* s = focus ? obs.stream(focus) : nullptr;
      if (s && s->rst) break;
      if (conn->PingAcked(p1) && p2 == 0) p2 = conn->SendPing(deadline);
      if (p2 && conn->PingAcked(p2)) {
        const bool owed = s && s->opened_by_us && s->request_ended && !s->decided();
        const bool answering = s && s->status > 0 && !s->decided();
        if (!owed && !answering) {
          synced = true;
          break;
        }
      }
    }
    if (now >= deadline) break;
    conn->ReadSome(std::min(deadline, close_wait));
  }
  if (p2 && conn->PingAcked(p2)) synced = true;
  const Outcome actual = Classify(obs, focus, synced);
  keep_trace();
  if (actual.kind == Outcome::kNone) {
    r.no_answer = true;
    const StreamObs* s = focus ? obs.stream(focus) : nullptr;
    std::string what;
    if (!conn->PingAcked(p1)) {
      what = "the PING sent after the frames was not acknowledged";
    } else if (p2 == 0 || !conn->PingAcked(p2)) {
      what = "the second PING was not acknowledged";
    } else if (s && s->status > 0) {
      what = absl::StrCat("the ", s->status, " response on stream ", focus, " did not end");
    } else {
      what = absl::StrCat("PINGs acknowledged, but no response on stream ", focus);
    }
    r.got = absl::StrFormat("no answer after %.0f ms: %s", absl::ToDoubleMilliseconds(absl::Now() - start), what);
    return finish(Result::kFailed, absl::StrCat("expected ", c.expect.exact.front().Describe(), "; ", r.got));
  }
  r.got = DescribeGot(obs, actual, focus);
  if (actual.kind == Outcome::kGoAway && actual.code != 0 && !obs.closed) {
    const bool wanted = std::any_of(c.expect.exact.begin(), c.expect.exact.end(),
                                    [](const Outcome& o) { return o.kind == Outcome::kGoAway; }) ||
                        std::any_of(c.expect.tolerated.begin(), c.expect.tolerated.end(),
                                    [](const Outcome& o) { return o.kind == Outcome::kGoAway; });
    if (wanted) {
      return finish(Result::kFailed,
                    absl::StrFormat("%s, but the connection stayed open %.0f ms after it (RFC 9113 "
                                    "§5.4.1: \"After sending the GOAWAY frame for an error "
                                    "condition, the endpoint MUST close the TCP connection\")",
                                    r.got, absl::ToDoubleMilliseconds(absl::Now() - start - obs.goaway()->at)));
    }
  }
  const Judgement j = Judge(c.expect, actual, options.strict, controls, ex.focus_is_post());
  r.tolerated = j.tolerated;
  return finish(j.result, j.detail);
}

std::vector<CaseResult> RunCases(const std::vector<const Case*>& cases, const Target& target,
                                 const Controls& controls, const RunOptions& options) {
  std::vector<CaseResult> results(cases.size());
  std::atomic<size_t> next{0};
  std::mutex mu;
  auto worker = [&] {
    for (;;) {
      const size_t i = next.fetch_add(1);
      if (i >= cases.size()) return;
      results[i] = RunCase(*cases[i], target, controls, options);
      if (options.on_result) {
        std::lock_guard<std::mutex> lock(mu);
        options.on_result(results[i]);
      }
    }
  };
  const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(cases.size())));
  std::vector<std::thread> threads;
  for (int i = 1; i < jobs; ++i) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  return results;
}

bool MatchesPattern(const std::string& id, const std::string& pattern) {
  if (id == pattern) return true;
  if (!absl::StartsWith(id, pattern)) return false;
  const char next = id[pattern.size()];
  return next == '/' || next == '.';
}

absl::StatusOr<std::vector<const Case*>> SelectCases(const std::vector<Case>& all,
                                                     const std::vector<std::string>& only,
                                                     const std::vector<std::string>& skip,
                                                     const std::vector<std::string>& profiles) {
  for (const auto* list : {&only, &skip}) {
    for (const std::string& p : *list) {
      if (std::none_of(all.begin(), all.end(), [&](const Case& c) { return MatchesPattern(c.id, p); })) {
        return absl::InvalidArgumentError(absl::StrCat(
            list == &only ? "--only " : "--skip ", p, " matches no case (h2harness probe --list)"));
      }
    }
  }
  std::vector<const Case*> out;
  for (const Case& c : all) {
    bool in;
    if (only.empty()) {
      in = c.profile.empty() ||
           std::find(profiles.begin(), profiles.end(), c.profile) != profiles.end();
    } else {
      in = std::any_of(only.begin(), only.end(), [&](const std::string& p) { return MatchesPattern(c.id, p); });
    }
    if (in && std::any_of(skip.begin(), skip.end(), [&](const std::string& p) { return MatchesPattern(c.id, p); })) {
      in = false;
    }
    if (in) out.push_back(&c);
  }
  return out;
}

}  // namespace probe
