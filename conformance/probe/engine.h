// Running probe cases against a target: connections, the wait for each case's outcome (a
// PING after the frames under test, a second PING after its ACK, so that "ignored" is known
// without a timeout), the verdict, and running many cases at once over separate connections.
#ifndef H2HARNESS_CONFORMANCE_PROBE_ENGINE_H_
#define H2HARNESS_CONFORMANCE_PROBE_ENGINE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "conformance/probe/case.h"
#include "conformance/probe/conn.h"
#include "conformance/probe/transport.h"

namespace probe {

struct Target {
  Endpoint endpoint;
  bool tls = false;
  TlsOptions tls_options;  // ALPN h2, SNI = host, verification unless --insecure
  std::string authority;   // ":authority" for requests: host[:port]
  std::string path = "/";  // ":path" for requests
  std::string display;     // what the user typed
  // Replaces the network (tests: in-memory peers). Gets the TLS options of the case, or null.
  std::function<absl::StatusOr<std::unique_ptr<Transport>>(absl::Time, const TlsOptions*, TlsInfo*)>
      connect;

  std::string scheme() const { return tls ? "https" : "http"; }
  absl::StatusOr<std::unique_ptr<Transport>> Connect(absl::Time deadline,
                                                     const TlsOptions* tls_override = nullptr,
                                                     TlsInfo* info = nullptr) const;
};

// "http://host:port/path", "https://...", "host:port" (then `tls` decides).
absl::StatusOr<Target> ParseTarget(absl::string_view text, bool tls, bool insecure);
// Whether the target resolves to loopback addresses only (127.0.0.0/8, ::1).
bool IsLoopback(const Target& target);

// What the server does with ordinary requests, learnt once before the cases run: the
// yardstick for "processed normally" and for "a 4xx that shows the flaw was noticed".
struct Controls {
  int get_status = 0;    // GET target path
  int post_status = 0;   // POST target path with a 5-octet body and content-length
  uint64_t get_body = 0; // octets of the GET response body
  std::vector<http2::Setting> server_settings;
  http2::Settings settings;  // the server's settings in force after its first SETTINGS
  std::string error;         // why the control requests failed ("" when they worked)
  std::string tls_summary;   // "TLSv1.3 TLS_AES_256_GCM_SHA384 alpn=h2"
};
absl::StatusOr<Controls> LearnControls(const Target& target, absl::Duration timeout);

enum class Result { kPassed, kFailed, kSkipped };
const char* ResultName(Result r);

struct CaseResult {
  const Case* c = nullptr;
  Result result = Result::kSkipped;
  bool tolerated = false;  // passed through a tolerated outcome (fails under --strict)
  std::string got;         // the outcome seen, in words
  std::string detail;      // why it passed (tolerated: the RFC text), failed, or was skipped
  bool no_answer = false;  // the server never answered (timed out)
  absl::Duration elapsed;
  std::vector<std::string> violations;  // rules the server broke while answering
  std::string trace;
  bool in_baseline = false;  // a known failure listed in --baseline
};

struct RunOptions {
  bool strict = false;
  absl::Duration timeout = absl::Seconds(1);  // per case
  int jobs = 8;                               // connections at once
  std::function<void(const CaseResult&)> on_result;  // progress (called from one thread at a time)
};

// The outcome classified from what the connection saw (exposed for tests).
Outcome Classify(const Observation& obs, uint32_t focus, bool synced);
// The verdict on `actual` for `expect`.
struct Judgement {
  Result result = Result::kFailed;
  bool tolerated = false;
  std::string detail;
};
Judgement Judge(const Expectation& expect, const Outcome& actual, bool strict,
                const Controls& controls, bool control_is_post);

CaseResult RunCase(const Case& c, const Target& target, const Controls& controls,
                   const RunOptions& options);
std::vector<CaseResult> RunCases(const std::vector<const Case*>& cases, const Target& target,
                                 const Controls& controls, const RunOptions& options);

// --only / --skip: an ID ("9113/6.5/2") or a section prefix ("9113/6.5" matches 9113/6.5/*
// and 9113/6.5.2/*; "9113" everything in RFC 9113). An --only or --skip pattern that matches
// no case is an error.
absl::StatusOr<std::vector<const Case*>> SelectCases(const std::vector<Case>& all,
                                                     const std::vector<std::string>& only,
                                                     const std::vector<std::string>& skip,
                                                     const std::vector<std::string>& profiles);
bool MatchesPattern(const std::string& id, const std::string& pattern);

}  // namespace probe

#endif  // H2HARNESS_CONFORMANCE_PROBE_ENGINE_H_
