#include "http2/server/request_handler.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cstring>
#include <exception>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "http2/server/connection.h"
#include "http2/server/worker.h"

namespace http2 {
namespace server {
namespace {

// RFC 9110 §5.6.2 tchar, lowercase only (RFC 9113 §8.2.1).
constexpr bool IsFieldNameCharSlow(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '!' || c == '#' || c == '$' ||
         c == '%' || c == '&' || c == '\'' || c == '*' || c == '+' || c == '-' || c == '.' ||
         c == '^' || c == '_' || c == '`' || c == '|' || c == '~';
}
struct FieldNameTable {
  bool ok[256];
  constexpr FieldNameTable() : ok() {
    for (int c = 0; c < 256; ++c) ok[c] = IsFieldNameCharSlow(static_cast<unsigned char>(c));
  }
};
constexpr FieldNameTable kFieldName;

// §8.2.2: fields that only mean something to one HTTP/1.1 connection.
bool IsConnectionSpecific(absl::string_view name) {
  switch (name.size()) {
    case 7:
      return name == "upgrade";
    case 10:
      return name == "connection" || name == "keep-alive";
    case 16:
      return name == "proxy-connection";
    case 17:
      return name == "transfer-encoding";
    default:
      return false;
  }
}

absl::Status CheckField(absl::string_view name, absl::string_view value) {
  if (name.empty()) return absl::InvalidArgumentError("empty header field name");
  if (name[0] == ':') {
    return absl::InvalidArgumentError(absl::StrCat(
        "header field \"", name, "\": pseudo-header fields are the library's (RFC 9113 §8.3)"));
  }
  for (char c : name) {
    if (!kFieldName.ok[static_cast<unsigned char>(c)]) {
      return absl::InvalidArgumentError(absl::StrCat("header field name \"", absl::CEscape(name),
                                                     "\" has a character outside RFC 9110 "
                                                     "§5.6.2 tokens"));
    }
  }
  if (IsConnectionSpecific(name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "header field \"", name, "\" is connection-specific: not allowed in HTTP/2 (RFC 9113 "
        "§8.2.2)"));
  }
  for (char c : value) {
    if (c == '\0' || c == '\r' || c == '\n') {
      return absl::InvalidArgumentError(absl::StrCat(
          "header field \"", name, "\": value has NUL, CR or LF (RFC 9113 §8.2.1)"));
    }
  }
  if (!value.empty() && (value.front() == ' ' || value.front() == '\t' || value.back() == ' ' ||
                         value.back() == '\t')) {
    return absl::InvalidArgumentError(absl::StrCat(
        "header field \"", name, "\": value starts or ends with whitespace (RFC 9113 §8.2.1)"));
  }
  return absl::OkStatus();
}

absl::Status CheckFields(HeaderList& fields) {
  for (auto& [name, value] : fields) {
    absl::AsciiStrToLower(&name);
    if (absl::Status s = CheckField(name, value); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

// ---- Body ----

Body& Body::operator=(Body&& other) noexcept {
  if (this == &other) return *this;
  if (fd_ >= 0) close(fd_);
  kind_ = other.kind_;
  bytes_ = std::move(other.bytes_);
  shared_ = std::move(other.shared_);
  path_ = std::move(other.path_);
  fd_ = other.fd_;
  other.fd_ = -1;
  producer_ = std::move(other.producer_);
  length_ = other.length_;
  return *this;
}

Body::~Body() {
  if (fd_ >= 0) close(fd_);
}

Body Body::Shared(std::shared_ptr<const std::string> bytes) {
  Body b;
  b.kind_ = Kind::kBytes;
  b.shared_ = std::move(bytes);
  return b;
}

Body Body::File(std::string path) {
  Body b;
  b.kind_ = Kind::kFile;
  b.path_ = std::move(path);
  return b;
}

Body Body::FileDescriptor(int fd) {
  Body b;
  b.kind_ = Kind::kFile;
  b.fd_ = fd;
  return b;
}

Body Body::FromProducer(Producer producer, std::optional<uint64_t> length) {
  Body b;
  b.kind_ = Kind::kProducer;
  b.producer_ = std::move(producer);
  b.length_ = length;
  return b;
}

bool RequestHandler::BodySource::Lend(uint32_t, size_t max, const char** data, Result* result) {
  if (body_.kind_ != Body::Kind::kBytes) return false;
  const std::string& bytes = body_.shared_ ? *body_.shared_ : body_.bytes_;
  *data = bytes.data() + offset_;
  result->length = std::min(max, bytes.size() - offset_);
  offset_ += result->length;
  result->end = offset_ == bytes.size();
  return true;
}

RequestHandler::BodySource::Result RequestHandler::BodySource::Read(uint32_t, char* dest,
                                                                   size_t max) {
  Result r;
  switch (body_.kind_) {
    case Body::Kind::kEmpty:
      r.end = true;
      break;
    case Body::Kind::kBytes: {
      const std::string& bytes = body_.shared_ ? *body_.shared_ : body_.bytes_;
      r.length = std::min(max, bytes.size() - offset_);
      std::memcpy(dest, bytes.data() + offset_, r.length);
      offset_ += r.length;
      r.end = offset_ == bytes.size();
      break;
    }
    case Body::Kind::kFile: {
      const uint64_t left = *body_.length_ - offset_;
      const size_t want = static_cast<size_t>(std::min<uint64_t>(max, left));
      ssize_t n;
      do {
        n = want == 0 ? 0 : pread(body_.fd_, dest, want, static_cast<off_t>(offset_));
      } while (n < 0 && errno == EINTR);
      if (n < 0 || (n == 0 && want > 0)) {
        r.error = true;  // unreadable, or the file shrank
        break;
      }
      r.length = static_cast<size_t>(n);
      offset_ += r.length;
      r.end = offset_ == *body_.length_;
      break;
    }
    case Body::Kind::kProducer: {
      Chunk c;
      try {
        c = body_.producer_(dest, max);
      } catch (...) {
        c.error = true;
      }
      r.length = std::min(c.length, max);
      r.end = c.end;
      r.error = c.error;
      break;
    }
  }
  handler_->body_bytes_sent_ += r.length;
  return r;
}

// ---- StreamRef ----

absl::Status StreamRef::Post(std::function<void(RequestHandler&)> fn) const {
  if (!inbox_) return absl::FailedPreconditionError("StreamRef: not bound to a stream");
  Worker* worker = worker_;
  const uint64_t connection_id = connection_id_;
  const uint32_t stream_id = stream_id_;
  return inbox_->Post([worker, connection_id, stream_id, fn = std::move(fn)] {
    Connection* c = worker->Find(connection_id);
    if (!c) return;
    RequestHandler* h = c->FindHandler(stream_id);
    if (!h || h->closed()) return;
    try {
      fn(*h);
    } catch (...) {
      if (!h->closed()) h->Reset(static_cast<uint32_t>(ErrorCode::kInternalError)).IgnoreError();
    }
    c->Kick();
  });
}

// ---- RequestHandler ----

RequestHandler::RequestHandler(Connection* session, uint32_t stream_id)
    : session_(session), stream_id_(stream_id) {
  // The loop's time (taken when it woke): the access log's durations need no more.
  started_ = session ? session->worker()->loop().now() : absl::Now();
}

RequestHandler::~RequestHandler() { CancelTimers(); }

const RequestHandler::Address& RequestHandler::client_address() const {
  return session_->client_address();
}

absl::string_view RequestHandler::header(absl::string_view name) const {
  for (const Header& h : headers_) {
    if (h.name == name) return h.value;
  }
  return {};
}

void RequestHandler::SetRequest(const ReceivedHeaders& request) {
  size_t total = 0;
  for (const Header& f : request.fields) total += f.name.size() + f.value.size();
  // One allocation, filled once (no zero-fill, no per-field append).
  storage_.reset(total > 0 ? new char[total] : nullptr);
  headers_.clear();
  headers_.reserve(request.fields.size());
  char* at = storage_.get();
  for (const Header& f : request.fields) {
    if (!f.name.empty()) std::memcpy(at, f.name.data(), f.name.size());
    const absl::string_view name(at, f.name.size());
    at += f.name.size();
    if (!f.value.empty()) std::memcpy(at, f.value.data(), f.value.size());
    const absl::string_view value(at, f.value.size());
    at += f.value.size();
    headers_.push_back({name, value});
    if (name.size() > 1 && name[0] == ':') {
      switch (name[1]) {
        case 'm':
          if (name == ":method") method_ = value;
          break;
        case 's':
          if (name == ":scheme") scheme_ = value;
          break;
        case 'a':
          if (name == ":authority") host_ = value;
          break;
        case 'p':
          if (name == ":path") path_ = value;
          break;
      }
    }
  }
  if (host_.empty()) host_ = header("host");
  head_ = method_ == "HEAD";
}

void RequestHandler::SetTrailers(absl::Span<const Header> trailers) {
  size_t total = 0;
  for (const Header& f : trailers) total += f.name.size() + f.value.size();
  trailer_storage_.reserve(total);
  for (const Header& f : trailers) {
    const size_t at = trailer_storage_.size();
    trailer_storage_.append(f.name.data(), f.name.size());
    trailer_storage_.append(f.value.data(), f.value.size());
    const absl::string_view all(trailer_storage_.data() + at, f.name.size() + f.value.size());
    trailers_.push_back({all.substr(0, f.name.size()), all.substr(f.name.size())});
  }
}

absl::Status RequestHandler::CheckOpen(absl::string_view what) const {
  if (closed_ || !session_ || !session_->session()) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, ": stream ", stream_id_, " is closed"));
  }
  return absl::OkStatus();
}

absl::Status RequestHandler::BuildResponseHeaders(int status, HeaderList* checked,
                                                  absl::Span<const Header> trusted,
                                                  const Body& body, ResponseScratch* scratch,
                                                  absl::InlinedVector<Header, 12>* out) {
  if (status < 200 || status > 599) {
    return absl::InvalidArgumentError(absl::StrCat(
        "status ", status, ": a final response has a status from 200 to 599 (RFC 9110 §15)"));
  }
  if (checked != nullptr) {
    for (auto& [name, value] : *checked) {
      absl::AsciiStrToLower(&name);
      if (absl::Status s = CheckField(name, value); !s.ok()) return s;
    }
  }
  char* end = std::to_chars(scratch->status, scratch->status + sizeof(scratch->status), status).ptr;
  out->push_back({":status", absl::string_view(scratch->status, end - scratch->status)});
  if (checked != nullptr) {
    for (const auto& [name, value] : *checked) out->push_back({name, value});
  }
  out->insert(out->end(), trusted.begin(), trusted.end());
  bool has_length = false, has_date = false, has_server = false;
  for (size_t i = 1; i < out->size(); ++i) {
    const absl::string_view name = (*out)[i].name;
    has_length |= name == "content-length";
    has_date |= name == "date";
    has_server |= name == "server";
  }
  if (!has_length) {
    std::optional<uint64_t> length;
    if (body.kind_ == Body::Kind::kEmpty) length = 0;
    if (body.kind_ == Body::Kind::kBytes) {
      length = body.shared_ ? body.shared_->size() : body.bytes_.size();
    }
    if (body.kind_ == Body::Kind::kFile || body.kind_ == Body::Kind::kProducer) {
      length = body.length_;
    }
    // 204 and 304 carry no content-length of a body (RFC 9110 §8.6).
    if (length && status != 204 && status != 304) {
      end = std::to_chars(scratch->length, scratch->length + sizeof(scratch->length), *length).ptr;
      out->push_back({"content-length", absl::string_view(scratch->length, end - scratch->length)});
    }
  }
  if (!has_date) out->push_back({"date", session_->worker()->http_date()});
  if (!has_server) out->push_back({"server", "h2harness"});
  return absl::OkStatus();
}

absl::Status RequestHandler::SendResponse(int status, HeaderList headers, Body body) {
  return Respond(status, &headers, {}, std::move(body));
}

absl::Status RequestHandler::SendTrustedResponse(int status, absl::Span<const Header> headers,
                                                 Body body) {
  return Respond(status, nullptr, headers, std::move(body));
}

absl::Status RequestHandler::Respond(int status, HeaderList* checked,
                                     absl::Span<const Header> trusted, Body&& body) {
  if (absl::Status s = CheckOpen("SendResponse"); !s.ok()) return s;
  if (response_sent_) {
    return absl::FailedPreconditionError(
        absl::StrCat("SendResponse: stream ", stream_id_, " already has its response"));
  }
  if (body.kind_ == Body::Kind::kFile) {
    if (body.fd_ < 0) {
      body.fd_ = open(body.path_.c_str(), O_RDONLY | O_CLOEXEC);
      if (body.fd_ < 0) {
        return absl::NotFoundError(absl::StrCat("SendResponse: ", body.path_, ": ",
                                                std::strerror(errno)));
      }
    }
    struct stat st;
    if (fstat(body.fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      return absl::InvalidArgumentError(
          absl::StrCat("SendResponse: ", body.path_.empty() ? "file descriptor" : body.path_,
                       " is not a regular file"));
    }
    body.length_ = static_cast<uint64_t>(st.st_size);
  }
  if (body.kind_ == Body::Kind::kBytes && (body.shared_ ? body.shared_->empty() : body.bytes_.empty())) {
    body = Body();
  }
  ResponseScratch scratch;
  absl::InlinedVector<Header, 12> fields;
  if (absl::Status s = BuildResponseHeaders(status, checked, trusted, body, &scratch, &fields);
      !s.ok()) {
    return s;
  }
  // RFC 9110 §9.3.2: no content in a response to HEAD; 204/304 have none (§15.3.5, §15.4.5).
  const bool no_content = head_ || status == 204 || status == 304;
  if (no_content || body.kind_ == Body::Kind::kEmpty ||
      (body.kind_ == Body::Kind::kFile && body.length_ == 0u)) {
    body_.reset();
    if (absl::Status s = session_->session()->SubmitResponse(stream_id_, fields, nullptr);
        !s.ok()) {
      return s;
    }
  } else {
    body_.emplace(this, std::move(body));
    if (absl::Status s = session_->session()->SubmitResponse(stream_id_, fields, &*body_);
        !s.ok()) {
      body_.reset();
      return s;
    }
  }
  response_sent_ = true;
  status_ = status;
  session_->Kick();
  return absl::OkStatus();
}

absl::StatusOr<RequestHandler*> RequestHandler::Push(std::string path, std::string method,
                                                     HeaderList request_headers, int status,
                                                     HeaderList headers, Body body) {
  if (absl::Status s = CheckOpen("Push"); !s.ok()) return s;
  if (pushed_) {
    return absl::FailedPreconditionError(
        "Push: a pushed stream cannot push; only client-opened streams can (RFC 9113 §8.4)");
  }
  if (response_sent_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Push: stream ", stream_id_, " already has its response; push before SendResponse"));
  }
  if (session_->session()->peer_settings().enable_push == 0) {
    return absl::FailedPreconditionError(
        "Push: the client disabled push (SETTINGS_ENABLE_PUSH = 0, RFC 9113 §6.5.2, §8.4)");
  }
  if (method != "GET" && method != "HEAD") {
    return absl::InvalidArgumentError(absl::StrCat(
        "Push: method ", method, ": promised requests must be safe and cacheable (RFC 9113 "
        "§8.4)"));
  }
  if (path.empty() || path[0] != '/') {
    return absl::InvalidArgumentError(absl::StrCat("Push: path \"", path, "\" must start with /"));
  }
  if (absl::Status s = CheckFields(request_headers); !s.ok()) return s;
  std::vector<Header> request;
  request.reserve(4 + request_headers.size());
  request.push_back({":method", method});
  request.push_back({":scheme", scheme_.empty() ? absl::string_view("https") : scheme_});
  request.push_back({":authority", host_});
  request.push_back({":path", path});
  for (const auto& [name, value] : request_headers) request.push_back({name, value});
  absl::StatusOr<uint32_t> promised = session_->session()->SubmitPushPromise(stream_id_, request);
  if (!promised.ok()) return promised.status();
  absl::StatusOr<RequestHandler*> pushed = session_->CreatePushed(this, *promised, request);
  if (!pushed.ok()) return pushed.status();
  if (absl::Status s = (*pushed)->SendResponse(status, std::move(headers), std::move(body));
      !s.ok()) {
    (*pushed)->Reset(static_cast<uint32_t>(ErrorCode::kInternalError)).IgnoreError();
    return s;
  }
  session_->Kick();
  return *pushed;
}

absl::Status RequestHandler::ResumeBody() {
  if (absl::Status s = CheckOpen("ResumeBody"); !s.ok()) return s;
  if (!body_ || !body_->is_producer()) {
    return absl::FailedPreconditionError(
        absl::StrCat("ResumeBody: stream ", stream_id_, " has no producer body being sent"));
  }
  if (absl::Status s = session_->session()->ResumeData(stream_id_); !s.ok()) return s;
  session_->Kick();
  return absl::OkStatus();
}

absl::Status RequestHandler::Reset(uint32_t error_code) {
  if (absl::Status s = CheckOpen("Reset"); !s.ok()) return s;
  if (absl::Status s =
          session_->session()->SubmitRstStream(stream_id_, static_cast<ErrorCode>(error_code));
      !s.ok()) {
    return s;
  }
  session_->Kick();
  return absl::OkStatus();
}

void RequestHandler::RunAfter(absl::Duration delay, std::function<void()> fn) {
  if (closed_ || !session_) return;
  EventLoop& loop = session_->worker()->loop();
  auto id = std::make_shared<EventLoop::TimerId>();
  *id = loop.AddTimer(loop.now() + delay, [this, id, fn = std::move(fn)] {
    timers_.erase(std::remove_if(timers_.begin(), timers_.end(),
                                 [&](const EventLoop::TimerId& t) { return t.seq == id->seq; }),
                  timers_.end());
    if (closed_) return;
    try {
      fn();
    } catch (...) {
      if (!closed_) Reset(static_cast<uint32_t>(ErrorCode::kInternalError)).IgnoreError();
    }
    session_->Kick();
  });
  timers_.push_back(*id);
}

void RequestHandler::CancelTimers() {
  if (!session_) return;
  for (const EventLoop::TimerId& t : timers_) session_->worker()->loop().CancelTimer(t);
  timers_.clear();
}

StreamRef RequestHandler::ref() const {
  StreamRef r;
  if (!session_) return r;
  r.inbox_ = session_->worker()->loop().inbox();
  r.worker_ = session_->worker();
  r.connection_id_ = session_->id();
  r.stream_id_ = stream_id_;
  return r;
}

}  // namespace server
}  // namespace http2
