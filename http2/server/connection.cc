#include "http2/server/connection.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "http2/server/tls.h"
#include "http2/server/worker.h"

namespace http2 {
namespace server {
namespace {

constexpr absl::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
// Octets of a request line we wait for before deciding it is not HTTP/1.x.
constexpr size_t kMaxSniff = 8192;

const Clock* TheClock() {
  static const RealClock* clock = new RealClock();
  return clock;
}

// The start of an HTTP/1.x request line: a method token then a space.
bool LooksLikeHttp1Start(absl::string_view in) {
  size_t i = 0;
  while (i < in.size() && i < 24 && absl::ascii_isupper(static_cast<unsigned char>(in[i]))) ++i;
  if (i == in.size()) return true;  // undecided: all uppercase so far
  return i > 0 && in[i] == ' ';
}

std::string Http1Reply() {
  const std::string body =
      "This server speaks HTTP/2 only (RFC 9113): over TLS with ALPN \"h2\", or over "
      "cleartext with prior knowledge (curl --http2-prior-knowledge).\n";
  return absl::StrCat(
      "HTTP/1.1 505 HTTP Version Not Supported\r\ncontent-type: text/plain; charset=utf-8\r\n"
      "content-length: ",
      body.size(), "\r\nconnection: close\r\n\r\n", body);
}

}  // namespace

Connection::Connection(Worker* worker, uint64_t id, int fd, SSL* ssl,
                       RequestHandler::Address peer)
    : worker_(worker),
      id_(id),
      fd_(fd),
      ssl_(ssl),
      peer_(std::move(peer)),
      state_(ssl ? State::kHandshake : State::kSniff) {
  last_read_ = last_write_ = worker_->loop().now();
  idle_check_at_ = last_read_ + worker_->options().handshake_timeout;
}

Connection::~Connection() {
  // The worker Close()s connections before deleting them; this is only a safety net.
  session_.reset();
  handlers_.clear();
  if (ssl_) SSL_free(ssl_);
  if (fd_ >= 0) close(fd_);
}

absl::string_view Connection::protocol() const { return protocol_; }

void Connection::Start() {
  if (absl::Status s = worker_->loop().AddEdgeTriggered(fd_, this); !s.ok()) {
    Close();
    return;
  }
  UpdateTimer();
  // The first event arrives when the client has sent something.
}

RequestHandler* Connection::FindHandler(uint32_t stream_id) const {
  auto it = handlers_.find(stream_id);
  return it == handlers_.end() ? nullptr : it->second.get();
}

void Connection::Kick() {
  if (scheduled_ || state_ == State::kClosed) return;
  scheduled_ = true;
  worker_->Schedule(this);
}

void Connection::OnIoEvent(uint32_t events) {
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    readable_ = true;
    if (write_wants_read_) writable_ = true;
  }
  // The client's FIN (or an error) may have come with the data of this very event: read on
  // to the end, never stopping at a short read (RawRead).
  if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) peer_hung_up_ = true;
  if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) {
    writable_ = true;
    if (read_wants_write_) readable_ = true;
  }
  Process();
}

void Connection::Process() {
  scheduled_ = false;
  switch (state_) {
    case State::kHandshake:
      DoHandshake();
      break;
    case State::kSniff:
      DoSniff();
      break;
    case State::kHttp2:
      DoHttp2();
      break;
    case State::kHttp1Reply:
      DoHttp1Reply();
      break;
    case State::kLinger:
      DoLinger();
      break;
    case State::kClosed:
      return;
  }
  if (state_ != State::kClosed) UpdateTimer();
}

// ---- Raw I/O ----

// The outcome of SSL_read/SSL_write returning `r`: `ready` is the direction's flag
// (readable_ or writable_); `needs_other` says the call waits on the other direction.
ssize_t Connection::TlsResult(int r, bool reading, bool* ready, bool* needs_other) {
  if (r > 0) {
    *needs_other = false;
    return r;
  }
  switch (SSL_get_error(ssl_, r)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      *needs_other = (SSL_get_error(ssl_, r) == SSL_ERROR_WANT_WRITE) == reading;
      *ready = false;
      return -1;
    case SSL_ERROR_ZERO_RETURN:
      return reading ? 0 : -2;
    case SSL_ERROR_SYSCALL:
      return reading && errno == 0 ? 0 : -2;  // EOF without close_notify
    default:
      return -2;
  }
}

// The outcome of read/send on the plain socket, retried on EINTR by the caller.
static ssize_t PlainResult(ssize_t r, bool* ready) {
  if (r >= 0) return r;
  if (errno == EAGAIN || errno == EWOULDBLOCK) {
    *ready = false;
    return -1;
  }
  return -2;
}

ssize_t Connection::RawRead(char* buf, size_t len) {
  if (ssl_) {
    ERR_clear_error();
    const int r = SSL_read(ssl_, buf, static_cast<int>(std::min<size_t>(len, 1 << 30)));
    const ssize_t n = TlsResult(r, /*reading=*/true, &readable_, &read_wants_write_);
    if (n > 0 && !peer_hung_up_ && TlsSocketDrained(ssl_)) readable_ = false;
    // Reading can make records too (alerts, TLS 1.3 KeyUpdate answers).
    return SendTlsRecords() ? n : -2;
  }
  ssize_t r;
  do {
    r = read(fd_, buf, len);
  } while (r < 0 && errno == EINTR);
  // A short read emptied the socket: edge-triggered epoll reports the next arrival, so
  // wait for it rather than read again for EAGAIN (one read() per wakeup, not two).
  if (r > 0 && static_cast<size_t>(r) < len && !peer_hung_up_) readable_ = false;
  return PlainResult(r, &readable_);
}

ssize_t Connection::RawWrite(const char* buf, size_t len) {
  if (ssl_) {
    // Everything is taken: the records go to the worker's sink (TlsContext::NewSsl), from
    // there to the socket in one send(), and what it does not take to out_.
    ERR_clear_error();
    const int r = SSL_write(ssl_, buf, static_cast<int>(std::min<size_t>(len, 1 << 30)));
    const ssize_t n = TlsResult(r, /*reading=*/false, &writable_, &write_wants_read_);
    return SendTlsRecords() ? n : -2;
  }
  return SendWire(buf, len);
}

ssize_t Connection::SendWire(const char* buf, size_t len) {
  ssize_t r;
  do {
    r = send(fd_, buf, len, MSG_NOSIGNAL);
  } while (r < 0 && errno == EINTR);
  return PlainResult(r, &writable_);
}

void Connection::KeepOutput(const char* data, size_t len) {
  if (out_pos_ > 0) {
    out_.erase(0, out_pos_);
    out_pos_ = 0;
  }
  out_.append(data, len);
}

bool Connection::SendTlsRecords() {
  std::string& records = *worker_->tls_records();
  if (records.empty()) return true;
  size_t sent = 0;
  if (out_pos_ == out_.size() && writable_) {  // nothing older waits: straight out
    const ssize_t r = SendWire(records.data(), records.size());
    if (r < -1) {
      records.clear();
      return false;
    }
    if (r > 0) {
      sent = static_cast<size_t>(r);
      last_write_ = worker_->loop().now();
    }
  }
  if (sent < records.size()) KeepOutput(records.data() + sent, records.size() - sent);
  records.clear();
  return true;
}

bool Connection::DrainOutput() {
  while (out_pos_ < out_.size()) {
    if (!writable_) return false;
    const ssize_t r = SendWire(out_.data() + out_pos_, out_.size() - out_pos_);
    if (r == -1) return false;
    if (r < 0) {
      Close();
      return false;
    }
    out_pos_ += r;
    last_write_ = worker_->loop().now();
  }
  if (!out_.empty()) {
    out_pos_ = 0;
    std::string().swap(out_);  // idle connections hold no buffer
  }
  return true;
}

// ---- Protocol selection ----

void Connection::DoHandshake() {
  if (!DrainOutput()) return;  // our last flight first
  ERR_clear_error();
  const int r = SSL_do_handshake(ssl_);
  const int error = r == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl_, r);
  if (!SendTlsRecords()) {
    Close();
    return;
  }
  if (r != 1) {
    switch (error) {
      case SSL_ERROR_WANT_READ:
        readable_ = false;
        return;
      case SSL_ERROR_WANT_WRITE:
        writable_ = false;
        return;
      default:
        // Handshake failure (an alert has been sent where OpenSSL could).
        Close();
        return;
    }
  }
  const unsigned char* alpn = nullptr;
  unsigned int alpn_len = 0;
  SSL_get0_alpn_selected(ssl_, &alpn, &alpn_len);
  const absl::string_view chosen(reinterpret_cast<const char*>(alpn), alpn_len);
  if (chosen == "h2") {
    protocol_ = "h2";
    StartHttp2();
    if (std::optional<std::string> bad = CheckHttp2Tls(ssl_)) {
      // §9.2.2: "MAY ... connection error of type INADEQUATE_SECURITY".
      session_->SubmitGoAway(ErrorCode::kInadequateSecurity, *bad);
      closing_ = true;
    }
    DoHttp2();
    return;
  }
  if (chosen == "http/1.1") {
    StartHttp1Reply();
    return;
  }
  state_ = State::kSniff;  // no ALPN: the first octets decide
  DoSniff();
}

void Connection::DoSniff() {
  for (;;) {
    // Decide on what we have.
    const size_t n = std::min(in_.size(), kPreface.size());
    if (in_.compare(0, n, kPreface.data(), n) == 0) {
      if (in_.size() >= kPreface.size()) {
        if (protocol_.empty()) protocol_ = ssl_ ? "h2" : "h2c";
        StartHttp2();
        DoHttp2();
        return;
      }
    } else if (LooksLikeHttp1Start(in_)) {
      const size_t eol = in_.find('\n');
      if (eol != std::string::npos) {
        if (absl::StrContains(absl::string_view(in_).substr(0, eol), " HTTP/1.")) {
          StartHttp1Reply();
          return;
        }
        StartHttp2();  // not HTTP/1.x either: the session rejects the preface
        DoHttp2();
        return;
      }
      if (in_.size() >= kMaxSniff) {
        StartHttp2();
        DoHttp2();
        return;
      }
    } else {
      protocol_ = ssl_ ? "h2" : "h2c";
      StartHttp2();  // garbage: the session answers GOAWAY PROTOCOL_ERROR (§3.4)
      DoHttp2();
      return;
    }
    // Need more.
    if (!readable_) return;
    char* buf = worker_->read_buffer();
    const ssize_t r = RawRead(buf, kMaxSniff - in_.size());
    if (r == -1) return;
    if (r <= 0) {
      Close();
      return;
    }
    last_read_ = worker_->loop().now();
    in_.append(buf, r);
  }
}

void Connection::StartHttp2() {
  SessionOptions options = worker_->options().session;
  options.clock = TheClock();
  session_ = std::make_unique<Session>(Perspective::kServer, static_cast<Visitor*>(this), options);
  state_ = State::kHttp2;
  if (protocol_.empty()) protocol_ = ssl_ ? "h2" : "h2c";
  // The preface has arrived (or garbage did): from now on the idle rule applies.
  idle_check_at_ = std::min(idle_check_at_, last_read_ + worker_->options().idle_timeout);
}

// ---- HTTP/2 ----

size_t Connection::Receive(absl::string_view data) {
  const size_t n = session_->Receive(data);
  DestroyClosedHandlers();
  return n;
}

bool Connection::Flush() {
  for (;;) {
    // Output a full socket left over first.
    if (!DrainOutput()) return state_ != State::kClosed;
    if (!session_ || !session_->WantWrite() || !writable_) return true;
    // Pull into the worker's buffer (bodies are read straight into it) and write from
    // there: only what the socket does not take is copied to the connection's own. On
    // cleartext, bodies in memory are lent rather than copied (pieces, one sendmsg());
    // OpenSSL takes everything (RawWrite).
    char* const buf = worker_->write_buffer();
    std::vector<absl::string_view>& pieces = *worker_->pieces();
    size_t size;
    if (ssl_) {
      size = session_->Send(buf, kMaxOutput);
      pieces.assign(1, absl::string_view(buf, size));
    } else {
      size = session_->Send(buf, kMaxOutput, &pieces);
    }
    ssize_t r = 0;
    if (size > 0) r = ssl_ ? RawWrite(buf, size) : SendPieces(pieces);
    if (r < -1) {
      pieces.clear();
      Close();
      return false;
    }
    size_t written = r > 0 ? static_cast<size_t>(r) : 0;
    if (written > 0) last_write_ = worker_->loop().now();
    // What the socket did not take is copied: a lent body lives only as long as its handler.
    for (absl::string_view piece : pieces) {
      if (written >= piece.size()) {
        written -= piece.size();
        continue;
      }
      KeepOutput(piece.data() + written, piece.size() - written);
      written = 0;
    }
    pieces.clear();
    DestroyClosedHandlers();  // only now: lent bodies were written from their handlers
    if (size == 0) return true;
  }
}

ssize_t Connection::SendPieces(absl::Span<const absl::string_view> pieces) {
  if (pieces.size() == 1) return SendWire(pieces[0].data(), pieces[0].size());
  iovec iov[kMaxPieces];
  const size_t count = std::min(pieces.size(), kMaxPieces);  // Flush() keeps the rest
  for (size_t i = 0; i < count; ++i) {
    iov[i].iov_base = const_cast<char*>(pieces[i].data());
    iov[i].iov_len = pieces[i].size();
  }
  msghdr msg = {};
  msg.msg_iov = iov;
  msg.msg_iovlen = count;
  ssize_t r;
  do {
    r = sendmsg(fd_, &msg, MSG_NOSIGNAL);
  } while (r < 0 && errno == EINTR);
  return PlainResult(r, &writable_);
}

bool Connection::SessionFinished() const {
  if (!out_.empty() || session_->WantWrite()) return false;
  if (closing_) return true;
  // Graceful shutdown: goaway_sent() turns true with the final GOAWAY (§6.8: after the PING
  // round trip, or graceful_shutdown_delay), not with the first notice.
  if (shutting_down_) {
    return session_->goaway_sent() && handlers_.empty() && session_->stats().active_streams == 0;
  }
  return !session_->WantRead();
}

void Connection::DoHttp2() {
  // Feed input taken during sniffing first.
  for (int round = 0; round < 32; ++round) {
    bool progress = false;
    if (!Flush()) return;
    // Records TLS makes while reading (KeyUpdate answers) wait behind unwritten output:
    // a client that sends without reading is not read from either.
    if (!closing_ && session_->WantRead() && out_.size() - out_pos_ < 2 * kMaxOutput) {
      if (!in_.empty()) {
        const size_t n = Receive(in_);
        in_.erase(0, n);
        progress |= n > 0;
      }
      if (in_.empty() && readable_) {
        char* buf = worker_->read_buffer();
        const ssize_t r = RawRead(buf, Worker::kReadBufferSize);
        if (r > 0) {
          last_read_ = worker_->loop().now();
          const size_t n = Receive(absl::string_view(buf, r));
          if (n < static_cast<size_t>(r)) in_.assign(buf + n, r - n);
          progress = true;
        } else if (r == 0 || r == -2) {
          // The client went away (or the socket failed): nothing more can be answered.
          Flush();
          Close();
          return;
        }
      }
    }
    if (!Flush()) return;
    if (SessionFinished()) {
      StartLinger();
      return;
    }
    if (!progress) return;
  }
  Kick();  // more to do: after other connections had their turn
}

void Connection::StartHttp1Reply() {
  protocol_ = "http/1.1";
  state_ = State::kHttp1Reply;
  const std::string reply = Http1Reply();
  const ssize_t r = out_pos_ < out_.size() && !ssl_ ? 0 : RawWrite(reply.data(), reply.size());
  if (r < -1) {
    Close();
    return;
  }
  const size_t written = r > 0 ? static_cast<size_t>(r) : 0;
  if (written < reply.size()) KeepOutput(reply.data() + written, reply.size() - written);
  DoHttp1Reply();
}

void Connection::DoHttp1Reply() {
  if (DrainOutput()) StartLinger();
}

void Connection::StartLinger() {
  // Stop writing, keep reading (and discarding) for a while, so that the client reads
  // our last frames rather than a reset caused by its unread input.
  if (ssl_) {
    ERR_clear_error();
    SSL_shutdown(ssl_);  // close_notify, if the socket takes it now
    SendTlsRecords();
    out_pos_ = 0;
    std::string().swap(out_);
  }
  shutdown(fd_, SHUT_WR);
  state_ = State::kLinger;
  linger_deadline_ = worker_->loop().now() + worker_->options().linger;
  DoLinger();
}

void Connection::DoLinger() {
  char* buf = worker_->read_buffer();
  for (int i = 0; i < 16 && readable_; ++i) {
    const ssize_t r = ssl_ ? [&] {
      // After close_notify, read the raw socket: the TLS stream is over for us.
      ssize_t n = read(fd_, buf, Worker::kReadBufferSize);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        readable_ = false;
        return ssize_t{-1};
      }
      return n < 0 ? ssize_t{-2} : n;
    }()
                           : RawRead(buf, Worker::kReadBufferSize);
    if (r == -1) return;
    if (r <= 0) {
      Close();
      return;
    }
  }
  if (readable_) Kick();
}

void Connection::BeginShutdown() {
  shutting_down_ = true;
  switch (state_) {
    case State::kHttp2:
      session_->SubmitShutdownNotice();
      Kick();
      break;
    case State::kHandshake:
    case State::kSniff:
      Close();
      break;
    default:
      break;
  }
}

void Connection::Close() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  worker_->loop().CancelTimer(timer_);
  timer_ = {};
  // Streams still open end here; the session goes first so that it no longer uses their
  // body sources.
  std::vector<uint32_t> open;
  open.reserve(handlers_.size());
  for (const auto& [id, h] : handlers_) open.push_back(id);
  std::sort(open.begin(), open.end());
  session_.reset();
  for (uint32_t id : open) CloseHandler(id, static_cast<uint32_t>(ErrorCode::kCancel));
  DestroyClosedHandlers();
  if (fd_ >= 0) {
    worker_->loop().Remove(fd_);
    if (ssl_) SSL_free(ssl_);
    ssl_ = nullptr;
    close(fd_);
    fd_ = -1;
  }
  worker_->Retire(this);
}

// ---- Timers ----

void Connection::UpdateTimer() {
  absl::Time want = std::min(idle_check_at_, linger_deadline_);
  if (session_) want = std::min(want, session_->NextDeadline());
  if (want == timer_.when && timer_) return;
  worker_->loop().CancelTimer(timer_);
  timer_ = {};
  if (want != absl::InfiniteFuture()) {
    timer_ = worker_->loop().AddTimer(want, [this] { OnTimer(); });
  }
}

void Connection::OnTimer() {
  timer_ = {};
  const absl::Time now = worker_->loop().now();
  if (state_ == State::kLinger && now >= linger_deadline_) {
    Close();
    return;
  }
  if (now >= idle_check_at_) {
    const ServerOptions& o = worker_->options();
    const bool started = state_ != State::kHandshake && state_ != State::kSniff;
    const absl::Duration limit = started ? o.idle_timeout : o.handshake_timeout;
    // Waiting on the client: to read (no request open, or a request body expected), or
    // to take our output.
    const bool waiting_to_read = handlers_.empty() || requests_reading_ > 0 || !started;
    absl::Time due = absl::InfiniteFuture();
    if (waiting_to_read) due = last_read_ + limit;
    if (!out_.empty()) due = std::min(due, last_write_ + limit);
    if (now >= due) {
      if (state_ == State::kHttp2 && !closing_) {
        session_->SubmitGoAway(ErrorCode::kNoError, "idle timeout");
        closing_ = true;
        idle_check_at_ = now + o.linger;  // a client that reads nothing at all
        Process();
        return;
      }
      Close();
      return;
    }
    idle_check_at_ = due == absl::InfiniteFuture() ? now + limit : due;
  }
  if (session_ && now >= session_->NextDeadline()) {
    session_->OnTimer();
    DestroyClosedHandlers();
  }
  Process();
}

// ---- Handlers ----

template <typename F>
void Connection::Guard(RequestHandler* h, F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    if (!h->closed_) h->Reset(static_cast<uint32_t>(ErrorCode::kInternalError)).IgnoreError();
  } catch (...) {
    if (!h->closed_) h->Reset(static_cast<uint32_t>(ErrorCode::kInternalError)).IgnoreError();
  }
}

void Connection::OnHeaders(const ReceivedHeaders& headers) {
  if (headers.kind == HeadersKind::kTrailers) {
    if (RequestHandler* h = FindHandler(headers.stream_id)) h->SetTrailers(headers.fields);
    return;
  }
  if (headers.kind != HeadersKind::kRequest) return;
  std::unique_ptr<RequestHandler> owned;
  try {
    owned = worker_->shared().factory(this, headers.stream_id);
  } catch (...) {
    owned = nullptr;
  }
  if (!owned) {
    session_->SubmitRstStream(headers.stream_id, ErrorCode::kInternalError).IgnoreError();
    return;
  }
  RequestHandler* h = owned.get();
  h->SetRequest(headers);
  handlers_[headers.stream_id] = std::move(owned);
  ++requests_reading_;
  Guard(h, [h] { h->OnHeaders(); });
}

void Connection::OnData(uint32_t stream_id, absl::string_view data) {
  RequestHandler* h = FindHandler(stream_id);
  if (!h || h->closed_) return;
  Guard(h, [h, data] { h->OnData(data); });
}

void Connection::OnEndStream(uint32_t stream_id) {
  RequestHandler* h = FindHandler(stream_id);
  if (!h || h->closed_ || h->request_done_) return;
  h->request_done_ = true;
  --requests_reading_;
  Guard(h, [h] { h->OnRequestDone(); });
}

void Connection::OnStreamClose(uint32_t stream_id, ErrorCode code) {
  CloseHandler(stream_id, static_cast<uint32_t>(code));
}

void Connection::OnConnectionError(const ProtocolError&) {
  // GOAWAY is queued by the session; what is queued is written, then the socket closed.
  closing_ = true;
}

void Connection::CloseHandler(uint32_t stream_id, uint32_t code) {
  auto it = handlers_.find(stream_id);
  if (it == handlers_.end()) return;
  std::unique_ptr<RequestHandler> h = std::move(it->second);
  handlers_.erase(it);
  if (!h->request_done_ && !h->pushed_) --requests_reading_;
  h->closed_ = true;
  h->CancelTimers();
  Guard(h.get(), [&] { h->OnClose(code); });
  LogStream(*h, code);
  closed_handlers_.push_back(std::move(h));
}

void Connection::DestroyClosedHandlers() { closed_handlers_.clear(); }

void Connection::LogStream(const RequestHandler& h, uint32_t code) {
  if (worker_->options().access_log_fd < 0) return;
  const absl::Duration took = absl::Now() - h.started_;
  std::string line = absl::StrCat(
      worker_->http_date(), " ", peer_.host, ":", peer_.port, " ", protocol_, " #", h.stream_id_,
      h.pushed_ ? " push" : "", " \"", absl::CEscape(h.method_), " ", absl::CEscape(h.path_),
      "\" ", h.status_, " ", h.body_bytes_sent_, " ",
      absl::StrFormat("%.3fms", absl::ToDoubleMilliseconds(took)), " ",
      ErrorCodeToString(code), "\n");
  worker_->AccessLog(line);
}

absl::StatusOr<RequestHandler*> Connection::CreatePushed(RequestHandler* parent,
                                                         uint32_t promised,
                                                         absl::Span<const Header> request) {
  std::unique_ptr<RequestHandler> owned;
  try {
    owned = worker_->shared().factory(this, promised);
  } catch (...) {
    owned = nullptr;
  }
  if (!owned) {
    session_->SubmitRstStream(promised, ErrorCode::kInternalError).IgnoreError();
    return absl::InternalError("the handler factory made no handler for the pushed stream");
  }
  RequestHandler* h = owned.get();
  ReceivedHeaders r;
  r.stream_id = promised;
  r.kind = HeadersKind::kPushRequest;
  r.end_stream = true;
  r.fields = request;
  for (const Header& f : request) {
    if (f.name == ":method") r.method = f.value;
    if (f.name == ":scheme") r.scheme = f.value;
    if (f.name == ":authority") r.authority = f.value;
    if (f.name == ":path") r.path = f.value;
  }
  h->SetRequest(r);
  h->pushed_ = true;
  h->request_done_ = true;
  handlers_[promised] = std::move(owned);
  (void)parent;
  return h;
}

}  // namespace server
}  // namespace http2
