// The probe's case model. A Case has a stable ID by RFC section ("9113/6.5/2"), the
// requirement it checks (quoted, with its level: MUST, SHOULD, MAY), the frames it sends
// (built with the core's FrameSequence), and an Expectation: the RFC's exact outcome and,
// separately, the alternatives the RFC tolerates. The default mode accepts both (and says
// which it saw); --strict accepts only the exact outcome.
#ifndef H2HARNESS_CONFORMANCE_PROBE_CASE_H_
#define H2HARNESS_CONFORMANCE_PROBE_CASE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "conformance/probe/conn.h"
#include "conformance/probe/transport.h"
#include "hpack/header.h"
#include "http2/error_code.h"

namespace probe {

enum class Level { kMust, kShould, kMay };
const char* LevelName(Level level);

// One outcome a server can show after the frames under test.
struct Outcome {
  enum Kind {
    kGoAway,     // GOAWAY with `code` (then the connection closes: §5.4.1)
    kRstStream,  // RST_STREAM with `code` on the case's stream
    kResponse,   // a response with a status in [status_lo, status_hi]
    kIgnored,    // nothing: PINGs sent after the frames are acknowledged, no error
    kClose,      // the connection closed without GOAWAY
    kNone,       // (observed only) no answer before the timeout
  };
  Kind kind = kNone;
  uint32_t code = 0;
  int status_lo = 0, status_hi = 0;
  // For a tolerated response to a malformed request: the status must differ from what the
  // server answers to the same request without the flaw (the control request), or it is
  // no sign that the flaw was noticed.
  bool differs_from_control = false;
  // The status must equal the control request's (a valid variant is processed normally).
  bool same_as_control = false;
  std::string why;  // for tolerated outcomes: the RFC text that permits it

  std::string Describe() const;
};

Outcome GoAway(http2::ErrorCode code, std::string why = "");
Outcome RstStream(http2::ErrorCode code, std::string why = "");
Outcome Response(int lo, int hi, std::string why = "");
Outcome Ignored(std::string why = "");
Outcome Closed(std::string why = "");

struct Expectation {
  std::vector<Outcome> exact;
  std::vector<Outcome> tolerated;
  // §5.4 lets any endpoint use PROTOCOL_ERROR or INTERNAL_ERROR in place of a more specific
  // code; false where the RFC names the code with its own MUST (e.g. §4.2's FRAME_SIZE_ERROR).
  bool generic_code_tolerated = true;
};

// The usual expectations, each with the RFC's tolerances.
Expectation ConnectionError(http2::ErrorCode code);
Expectation StreamError(http2::ErrorCode code);
Expectation StreamOrConnectionError(http2::ErrorCode code);
Expectation Malformed();  // §8.1.1
Expectation Accepted();   // a normal response (the control request's status)
Expectation AnyResponse();  // a response of any status: the request was not malformed
Expectation NoError();    // frames processed and ignored: PINGs acknowledged, no error
Expectation Custom();     // the case's run() decides (Exchange::Pass/Fail)

struct Target;
struct Controls;

// What a case's run() works with: the connection, helpers to build requests, and the
// verdict for cases that decide themselves.
class Exchange {
 public:
  Exchange(Conn* conn, const Target* target, const Controls* controls, absl::Time deadline)
      : conn_(conn), target_(target), controls_(controls), deadline_(deadline) {}

  Conn& conn() { return *conn_; }
  http2::FrameSequence& f() { return conn_->out(); }
  const Target& target() const { return *target_; }
  const Controls& controls() const { return *controls_; }
  absl::Time deadline() const { return deadline_; }

  // :method, :scheme, :authority, :path for the target, then `extra`.
  hpack::HeaderList Request(const std::string& method = "GET",
                            const hpack::HeaderList& extra = {}) const;
  // Pseudo-header fields alone, in a chosen order (for the §8.3 cases).
  std::string scheme() const;
  std::string authority() const;
  std::string path() const;

  // The next client stream id (1, 3, 5, ...).
  uint32_t NextStream();
  uint32_t last_stream() const { return next_stream_ - 2; }
  // The stream the verdict is about (default: the last one a helper opened).
  uint32_t focus = 0;
  // Whether the focus stream is a POST (its control request is the POST one).
  bool focus_is_post() const { return focus_post_; }
  void set_focus_post(bool post) { focus_post_ = post; }

  // Sends HEADERS with `fields` on a new stream (END_STREAM when end_stream), split into
  // CONTINUATION frames if the block exceeds the server's SETTINGS_MAX_FRAME_SIZE.
  uint32_t Open(const hpack::HeaderList& fields, bool end_stream);
  uint32_t Get(const hpack::HeaderList& extra = {}) { return Open(Request("GET", extra), true); }
  // POST headers (without END_STREAM) with content-length when `content_length` >= 0.
  uint32_t Post(long content_length, const hpack::HeaderList& extra = {});
  // Registers a stream opened with hand-made frames.
  void Opened(uint32_t stream, bool end_stream);

  absl::Status Flush();
  // Flushes and waits until the stream has a final response with END_STREAM, a RST_STREAM,
  // or the connection closes. True for a complete response.
  bool WaitResponse(uint32_t stream);
  // Flushes, then PING twice (see Conn::Sync).
  bool Sync();

  // For Custom() cases.
  void Pass(std::string detail = "");
  // Passes in the default mode through an outcome the RFC tolerates (`why` quotes it);
  // fails under --strict.
  void Tolerate(std::string why);
  void Fail(std::string reason);
  // Preconditions the server does not meet ("the server sets no SETTINGS_MAX_CONCURRENT_STREAMS").
  void Skip(std::string reason);

  enum class Verdict { kNone, kPass, kTolerated, kFail, kSkip };
  Verdict verdict() const { return verdict_; }
  const std::string& verdict_detail() const { return verdict_detail_; }

  // A new connection to the target (for cases about connection setup), with the case's
  // trace notes; `tls` overrides the TLS options.
  absl::StatusOr<std::unique_ptr<Transport>> Connect(const TlsOptions* tls, TlsInfo* info);

 private:
  Conn* conn_;
  const Target* target_;
  const Controls* controls_;
  absl::Time deadline_;
  uint32_t next_stream_ = 1;
  bool focus_post_ = false;
  Verdict verdict_ = Verdict::kNone;
  std::string verdict_detail_;
};

struct Case {
  std::string id;           // "9113/6.5/2": RFC, section, number
  std::string requirement;  // the requirement, quoted from the RFC
  Level level = Level::kMust;
  std::string sends;        // the frames under test, in words
  Expectation expect;
  std::function<void(Exchange&)> run;
  // Profile: "" (default), "rfc7540-priority" (off unless asked for).
  std::string profile;
  bool tls_only = false;       // needs a TLS target (TLS handshake cases)
  bool handshake = true;       // false: run() starts the connection itself
  std::vector<http2::Setting> settings = {{http2::kSettingsEnablePush, 0}};
  bool auto_window_update = true;
  // Story cases (RFC 7541): a reason the case cannot apply to this server, found at run time.
  std::string section() const;  // "9113/6.5"
};

}  // namespace probe

#endif  // H2HARNESS_CONFORMANCE_PROBE_CASE_H_
