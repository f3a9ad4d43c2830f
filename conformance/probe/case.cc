#include "conformance/probe/case.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "conformance/probe/engine.h"

namespace probe {

using http2::ErrorCode;

const char* LevelName(Level level) {
  switch (level) {
    case Level::kMust: return "MUST";
    case Level::kShould: return "SHOULD";
    case Level::kMay: return "MAY";
  }
  return "?";
}

std::string Outcome::Describe() const {
  switch (kind) {
    case kGoAway: return absl::StrCat("GOAWAY ", http2::ErrorCodeName(static_cast<ErrorCode>(code)));
    case kRstStream:
      return absl::StrCat("RST_STREAM ", http2::ErrorCodeName(static_cast<ErrorCode>(code)));
    case kResponse: {
      if (same_as_control) return "a response with the control request's status";
      std::string s = status_lo == status_hi ? absl::StrCat("a ", status_lo, " response")
                      : status_lo == 100 && status_hi == 599
                          ? std::string("a response")
                          : absl::StrCat("a ", status_lo / 100, "xx response");
      if (differs_from_control) absl::StrAppend(&s, " (not the control request's status)");
      return s;
    }
    case kIgnored: return "nothing (PINGs after it acknowledged, no error)";
    case kClose: return "connection closed without GOAWAY";
    case kNone: return "no answer";
  }
  return "?";
}

Outcome GoAway(ErrorCode code, std::string why) {
  Outcome o;
  o.kind = Outcome::kGoAway;
  o.code = static_cast<uint32_t>(code);
  o.why = std::move(why);
  return o;
}
Outcome RstStream(ErrorCode code, std::string why) {
  Outcome o;
  o.kind = Outcome::kRstStream;
  o.code = static_cast<uint32_t>(code);
  o.why = std::move(why);
  return o;
}
Outcome Response(int lo, int hi, std::string why) {
  Outcome o;
  o.kind = Outcome::kResponse;
  o.status_lo = lo;
  o.status_hi = hi;
  o.why = std::move(why);
  return o;
}
Outcome Ignored(std::string why) {
  Outcome o;
  o.kind = Outcome::kIgnored;
  o.why = std::move(why);
  return o;
}
Outcome Closed(std::string why) {
  Outcome o;
  o.kind = Outcome::kClose;
  o.why = std::move(why);
  return o;
}

namespace {
const char kGoAwayShould[] =
    "§5.4.1: \"An endpoint that encounters a connection error SHOULD first send a GOAWAY frame\"";
const char kStreamAsConnection[] =
    "§5.4.1: \"an endpoint MAY choose to treat a stream error as a connection error\"";
}  // namespace

Expectation ConnectionError(ErrorCode code) {
  Expectation e;
  e.exact = {GoAway(code)};
  e.tolerated = {Closed(kGoAwayShould)};
  return e;
}

Expectation StreamError(ErrorCode code) {
  Expectation e;
  e.exact = {RstStream(code)};
  e.tolerated = {GoAway(code, kStreamAsConnection),
                 Closed(absl::StrCat(kStreamAsConnection, "; ", kGoAwayShould))};
  return e;
}

Expectation StreamOrConnectionError(ErrorCode code) {
  Expectation e;
  e.exact = {RstStream(code), GoAway(code)};
  e.tolerated = {Closed(kGoAwayShould)};
  return e;
}

Expectation Malformed() {
  Expectation e;
  e.exact = {RstStream(ErrorCode::kProtocolError)};
  Outcome r = Response(400, 499,
                       "§8.1.1: \"For malformed requests, a server MAY send an HTTP response prior "
                       "to closing or resetting the stream\"");
  r.differs_from_control = true;
  e.tolerated = {r, GoAway(ErrorCode::kProtocolError, kStreamAsConnection),
                 Closed(absl::StrCat(kStreamAsConnection, "; ", kGoAwayShould))};
  return e;
}

Expectation Accepted() {
  Expectation e;
  Outcome r = Response(100, 599);
  r.same_as_control = true;
  e.exact = {r};
  e.generic_code_tolerated = false;
  return e;
}

Expectation AnyResponse() {
  Expectation e;
  e.exact = {Response(100, 599)};
  e.generic_code_tolerated = false;
  return e;
}

Expectation NoError() {
  Expectation e;
  e.exact = {Ignored()};
  e.generic_code_tolerated = false;
  return e;
}

Expectation Custom() { return Expectation(); }

std::string Case::section() const {
  const size_t slash = id.rfind('/');
  return slash == std::string::npos ? id : id.substr(0, slash);
}

// --- Exchange ---

std::string Exchange::scheme() const { return target_->scheme(); }
std::string Exchange::authority() const { return target_->authority; }
std::string Exchange::path() const { return target_->path; }

hpack::HeaderList Exchange::Request(const std::string& method,
                                    const hpack::HeaderList& extra) const {
  hpack::HeaderList h = {{":method", method},
                         {":scheme", scheme()},
                         {":authority", authority()},
                         {":path", path()}};
  h.insert(h.end(), extra.begin(), extra.end());
  return h;
}

uint32_t Exchange::NextStream() {
  const uint32_t id = next_stream_;
  next_stream_ += 2;
  return id;
}

void Exchange::Opened(uint32_t stream, bool end_stream) {
  conn_->NoteRequest(stream, end_stream);
  focus = stream;
  if (stream >= next_stream_) next_stream_ = stream + 2 - (stream % 2 == 0 ? 1 : 0);
}

uint32_t Exchange::Open(const hpack::HeaderList& fields, bool end_stream) {
  const uint32_t id = NextStream();
  http2::HeadersOptions o;
  o.max_fragment = conn_->server_settings().max_frame_size;
  f().Headers(id, fields, end_stream ? http2::kFlagEndStream : 0, o);
  Opened(id, end_stream);
  focus_post_ = false;
  for (const hpack::HeaderField& h : fields) {
    if (h.name == ":method") focus_post_ = h.value == "POST";
  }
  return id;
}

uint32_t Exchange::Post(long content_length, const hpack::HeaderList& extra) {
  hpack::HeaderList more;
  if (content_length >= 0) more.push_back({"content-length", std::to_string(content_length)});
  more.insert(more.end(), extra.begin(), extra.end());
  return Open(Request("POST", more), false);
}

absl::Status Exchange::Flush() { return conn_->Flush(deadline_); }

bool Exchange::WaitResponse(uint32_t stream) {
  Flush().IgnoreError();
  conn_->WaitFor(
      [&] {
        const StreamObs* s = conn_->obs().stream(stream);
        return s && s->decided();
      },
      deadline_);
  const StreamObs* s = conn_->obs().stream(stream);
  return s && s->end_stream && !s->rst && s->status >= 200;
}

bool Exchange::Sync() {
  Flush().IgnoreError();
  return conn_->Sync(deadline_);
}

void Exchange::Pass(std::string detail) {
  if (verdict_ != Verdict::kNone) return;
  verdict_ = Verdict::kPass;
  verdict_detail_ = std::move(detail);
}
void Exchange::Tolerate(std::string why) {
  if (verdict_ != Verdict::kNone) return;
  verdict_ = Verdict::kTolerated;
  verdict_detail_ = std::move(why);
}
void Exchange::Fail(std::string reason) {
  if (verdict_ == Verdict::kFail || verdict_ == Verdict::kSkip) return;
  verdict_ = Verdict::kFail;
  verdict_detail_ = std::move(reason);
}
void Exchange::Skip(std::string reason) {
  if (verdict_ != Verdict::kNone) return;
  verdict_ = Verdict::kSkip;
  verdict_detail_ = std::move(reason);
}

absl::StatusOr<std::unique_ptr<Transport>> Exchange::Connect(const TlsOptions* tls, TlsInfo* info) {
  return target_->Connect(deadline_, tls, info);
}

}  // namespace probe
