#include "conformance/probe/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>

#include "absl/synchronization/mutex.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace probe {
namespace {

int MillisUntil(absl::Time deadline) {
  const absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) return 0;
  return static_cast<int>(std::min<int64_t>(absl::ToInt64Milliseconds(left) + 1, 1 << 30));
}

// Waits for `events` on fd; false on timeout.
bool WaitFd(int fd, short events, absl::Time deadline) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int r = poll(&p, 1, MillisUntil(deadline));
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return true;  // let the caller's I/O call report it
  }
}

absl::StatusOr<int> TcpConnect(const Endpoint& ep, absl::Time deadline) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_family = AF_UNSPEC;
  addrinfo* res = nullptr;
  const std::string port = std::to_string(ep.port);
  const int gai = getaddrinfo(ep.host.c_str(), port.c_str(), &hints, &res);
  if (gai != 0) {
    return absl::UnavailableError(absl::StrCat(ep.host, ": ", gai_strerror(gai)));
  }
  std::string last_error = "no address";
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    const int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int r = connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (r != 0 && errno == EINPROGRESS) {
      if (!WaitFd(fd, POLLOUT, deadline)) {
        last_error = "connect timed out";
        close(fd);
        continue;
      }
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      r = err == 0 ? 0 : -1;
      errno = err;
    }
    if (r == 0) {
      freeaddrinfo(res);
      return fd;
    }
    last_error = strerror(errno);
    close(fd);
  }
  freeaddrinfo(res);
  return absl::UnavailableError(absl::StrCat("connect to ", ep.host, ":", ep.port, ": ", last_error));
}

class TcpTransport : public Transport {
 public:
  TcpTransport(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  ~TcpTransport() override { Close(); }

  absl::Status Write(absl::string_view data, absl::Time deadline) override {
    while (!data.empty()) {
      if (fd_ < 0) return absl::FailedPreconditionError("closed");
      const ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n > 0) {
        data.remove_prefix(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!WaitFd(fd_, POLLOUT, deadline)) {
          return absl::DeadlineExceededError("write blocked: the peer is not reading");
        }
        continue;
      }
      return absl::UnavailableError(absl::StrCat("write: ", strerror(errno)));
    }
    return absl::OkStatus();
  }

  ReadResult Read(absl::Time deadline) override {
    ReadResult r;
    if (fd_ < 0) {
      r.kind = ReadResult::kClosed;
      return r;
    }
    char buf[65536];
    for (;;) {
      const ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n > 0) {
        r.kind = ReadResult::kData;
        r.data.assign(buf, n);
        return r;
      }
      if (n == 0) {
        r.kind = ReadResult::kClosed;
        return r;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (!WaitFd(fd_, POLLIN, deadline)) {
          r.kind = ReadResult::kTimeout;
          return r;
        }
        continue;
      }
      r.kind = ReadResult::kReset;
      r.error = strerror(errno);
      return r;
    }
  }

  void ShutdownWrite() override {
    if (fd_ >= 0) shutdown(fd_, SHUT_WR);
  }
  void Close() override {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  std::string Describe() const override { return absl::StrCat("tcp ", name_); }
  int fd() const { return fd_; }

 private:
  int fd_;
  std::string name_;
};

// --- TLS ---

int CertRequestedIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// Called when the server sends a CertificateRequest: remember it, send no certificate.
int ClientCertCallback(SSL* ssl, X509**, EVP_PKEY**) {
  bool* flag = static_cast<bool*>(SSL_get_ex_data(ssl, CertRequestedIndex()));
  if (flag) *flag = true;
  return 0;
}

std::string OpenSslErrors() {
  std::vector<std::string> errs;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    errs.push_back(buf);
  }
  return errs.empty() ? "" : absl::StrJoin(errs, "; ");
}

// What makes two client contexts the same.
std::string ContextKey(const TlsOptions& tls) {
  return absl::StrCat(absl::StrJoin(tls.alpn, ","), "|", tls.verify, "|", tls.min_version, "|",
                      tls.max_version, "|", tls.cipher_list, "|", tls.groups);
}

absl::Mutex& CacheMutex() {
  static absl::Mutex* mu = new absl::Mutex();
  return *mu;
}

// One SSL_CTX per set of options for the whole process (loading the CA store per connection
// would dominate a TLS run); the caller owns a reference.
absl::StatusOr<SSL_CTX*> SharedContext(const TlsOptions& tls, const std::string& key) {
  static auto* contexts = new std::map<std::string, SSL_CTX*>();
  absl::MutexLock lock(&CacheMutex());
  auto it = contexts->find(key);
  if (it != contexts->end()) {
    SSL_CTX_up_ref(it->second);
    return it->second;
  }
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx) return absl::InternalError(absl::StrCat("SSL_CTX_new: ", OpenSslErrors()));
  // Old versions and prohibited ciphers are offered only when a case asks for them.
  if (tls.min_version != 0 && tls.min_version < TLS1_2_VERSION) SSL_CTX_set_security_level(ctx, 0);
  if (!tls.cipher_list.empty() && tls.cipher_list.find("SHA:") != std::string::npos) {
    SSL_CTX_set_security_level(ctx, 0);
  }
  if (tls.min_version) SSL_CTX_set_min_proto_version(ctx, tls.min_version);
  if (tls.max_version) SSL_CTX_set_max_proto_version(ctx, tls.max_version);
  if (!tls.cipher_list.empty() && SSL_CTX_set_cipher_list(ctx, tls.cipher_list.c_str()) != 1) {
    SSL_CTX_free(ctx);
    return absl::InvalidArgumentError(absl::StrCat("cipher list \"", tls.cipher_list, "\" rejected"));
  }
  if (!tls.groups.empty()) SSL_CTX_set1_groups_list(ctx, tls.groups.c_str());
  if (tls.verify) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    SSL_CTX_set_default_verify_paths(ctx);
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  SSL_CTX_set_client_cert_cb(ctx, ClientCertCallback);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT);
  std::string wire;
  for (const std::string& p : tls.alpn) {
    wire.push_back(static_cast<char>(p.size()));
    wire += p;
  }
  if (!wire.empty()) {
    SSL_CTX_set_alpn_protos(ctx, reinterpret_cast<const unsigned char*>(wire.data()),
                            static_cast<unsigned>(wire.size()));
  }
  (*contexts)[key] = ctx;
  SSL_CTX_up_ref(ctx);
  return ctx;
}

std::map<std::string, SSL_SESSION*>& Sessions() {
  static auto* sessions = new std::map<std::string, SSL_SESSION*>();
  return *sessions;
}

// A new reference to the cached session for `key`, or null.
SSL_SESSION* CachedSession(const std::string& key) {
  absl::MutexLock lock(&CacheMutex());
  auto it = Sessions().find(key);
  if (it == Sessions().end()) return nullptr;
  SSL_SESSION_up_ref(it->second);
  return it->second;
}

void StoreSession(const std::string& key, SSL* ssl) {
  SSL_SESSION* s = SSL_get1_session(ssl);
  if (!s) return;
  if (!SSL_SESSION_is_resumable(s)) {
    SSL_SESSION_free(s);
    return;
  }
  absl::MutexLock lock(&CacheMutex());
  SSL_SESSION*& slot = Sessions()[key];
  if (slot) SSL_SESSION_free(slot);
  slot = s;
}

class TlsTransport : public Transport {
 public:
  TlsTransport(int fd, SSL_CTX* ctx, SSL* ssl, std::string name, std::string session_key)
      : fd_(fd), ctx_(ctx), ssl_(ssl), name_(std::move(name)), session_key_(std::move(session_key)) {
    SSL_set_ex_data(ssl_, CertRequestedIndex(), &cert_requested_);
  }
  ~TlsTransport() override { Close(); }

  // Runs an SSL operation on the non-blocking socket until done or the deadline.
  template <typename F>
  int Drive(F&& op, absl::Time deadline, int* ssl_error) {
    for (;;) {
      ERR_clear_error();
      const int r = op();
      if (r > 0) return r;
      const int e = SSL_get_error(ssl_, r);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        if (!WaitFd(fd_, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) {
          *ssl_error = -1;  // timeout
          return r;
        }
        continue;
      }
      *ssl_error = e;
      return r;
    }
  }

  absl::Status Handshake(absl::Time deadline) {
    int err = 0;
    if (Drive([&] { return SSL_connect(ssl_); }, deadline, &err) > 0) return absl::OkStatus();
    if (err == -1) return absl::DeadlineExceededError("TLS handshake timed out");
    const std::string detail = OpenSslErrors();
    return absl::UnavailableError(
        absl::StrCat("TLS handshake failed", detail.empty() ? "" : ": ", detail));
  }

  absl::Status Write(absl::string_view data, absl::Time deadline) override {
    while (!data.empty()) {
      if (!ssl_) return absl::FailedPreconditionError("closed");
      int err = 0;
      const int n = Drive(
          [&] { return SSL_write(ssl_, data.data(), static_cast<int>(std::min<size_t>(data.size(), 1 << 20))); },
          deadline, &err);
      if (n > 0) {
        data.remove_prefix(n);
        continue;
      }
      if (err == -1) return absl::DeadlineExceededError("write blocked: the peer is not reading");
      return absl::UnavailableError(absl::StrCat("TLS write failed ", OpenSslErrors()));
    }
    return absl::OkStatus();
  }

  ReadResult Read(absl::Time deadline) override {
    ReadResult r;
    if (!ssl_) {
      r.kind = ReadResult::kClosed;
      return r;
    }
    char buf[65536];
    int err = 0;
    const int n = Drive([&] { return SSL_read(ssl_, buf, sizeof buf); }, deadline, &err);
    if (n > 0) {
      r.kind = ReadResult::kData;
      r.data.assign(buf, n);
    } else if (err == -1) {
      r.kind = ReadResult::kTimeout;
    } else if (err == SSL_ERROR_ZERO_RETURN) {
      r.kind = ReadResult::kClosed;
    } else if (err == SSL_ERROR_SYSCALL && errno == 0) {
      r.kind = ReadResult::kClosed;  // EOF without close_notify
    } else {
      r.kind = ReadResult::kReset;
      r.error = absl::StrCat("TLS read error ", err, " ", OpenSslErrors());
    }
    return r;
  }

  void ShutdownWrite() override {
    if (fd_ >= 0) shutdown(fd_, SHUT_WR);
  }
  void Close() override {
    if (ssl_ && SSL_is_init_finished(ssl_)) StoreSession(session_key_, ssl_);
    if (ssl_) SSL_free(ssl_);
    if (ctx_) SSL_CTX_free(ctx_);
    if (fd_ >= 0) close(fd_);
    ssl_ = nullptr;
    ctx_ = nullptr;
    fd_ = -1;
  }
  std::string Describe() const override {
    if (!ssl_) return absl::StrCat("tls ", name_);
    const unsigned char* alpn = nullptr;
    unsigned int alpn_len = 0;
    SSL_get0_alpn_selected(ssl_, &alpn, &alpn_len);
    return absl::StrCat("tls ", name_, " ", SSL_get_version(ssl_), " ",
                        SSL_CIPHER_get_name(SSL_get_current_cipher(ssl_)), " alpn=",
                        alpn_len ? std::string(reinterpret_cast<const char*>(alpn), alpn_len)
                                 : "none");
  }

  void Fill(TlsInfo* info) const {
    const unsigned char* alpn = nullptr;
    unsigned int alpn_len = 0;
    SSL_get0_alpn_selected(ssl_, &alpn, &alpn_len);
    info->alpn.assign(reinterpret_cast<const char*>(alpn ? alpn : reinterpret_cast<const unsigned char*>("")), alpn_len);
    info->version = SSL_get_version(ssl_);
    info->version_number = SSL_version(ssl_);
    const SSL_CIPHER* c = SSL_get_current_cipher(ssl_);
    info->cipher = c ? SSL_CIPHER_get_name(c) : "";
    if (X509* cert = SSL_get1_peer_certificate(ssl_)) {
      if (EVP_PKEY* key = X509_get0_pubkey(cert)) {
        const int id = EVP_PKEY_get_base_id(key);
        info->key_type = id == EVP_PKEY_RSA ? "RSA" : id == EVP_PKEY_EC ? "EC" : OBJ_nid2sn(id);
      }
      X509_free(cert);
    }
    info->certificate_requested = cert_requested_;
  }

  absl::StatusOr<bool> Renegotiate(absl::Time deadline) {
    if (SSL_version(ssl_) != TLS1_2_VERSION) {
      return absl::FailedPreconditionError("renegotiation exists only in TLS 1.2");
    }
    if (SSL_renegotiate(ssl_) != 1) {
      return absl::InternalError(absl::StrCat("SSL_renegotiate: ", OpenSslErrors()));
    }
    int err = 0;
    if (Drive([&] { return SSL_do_handshake(ssl_); }, deadline, &err) <= 0) return false;
    // The renegotiation completes when the server's handshake messages are read.
    for (;;) {
      if (!SSL_renegotiate_pending(ssl_)) return true;
      char buf[4096];
      const int n = Drive([&] { return SSL_read(ssl_, buf, sizeof buf); }, deadline, &err);
      if (n <= 0) return false;
    }
  }

  bool cert_requested() const { return cert_requested_; }

 private:
  int fd_;
  SSL_CTX* ctx_;
  SSL* ssl_;
  std::string name_;
  std::string session_key_;
  bool cert_requested_ = false;
};

// An in-memory connection to a ScriptedPeer.
class MemTransport : public Transport {
 public:
  explicit MemTransport(ScriptedPeer* peer) : peer_(peer) {
    ScriptedPeer::Reply reply;
    peer_->OnConnect(&reply);
    Take(reply);
  }
  absl::Status Write(absl::string_view data, absl::Time) override {
    if (closed_ || reset_) return absl::UnavailableError("write: connection closed by the peer");
    ScriptedPeer::Reply reply;
    peer_->OnBytes(data, &reply);
    Take(reply);
    return absl::OkStatus();
  }
  ReadResult Read(absl::Time deadline) override {
    ReadResult r;
    if (!pending_.empty()) {
      r.kind = ReadResult::kData;
      r.data.swap(pending_);
      return r;
    }
    if (reset_) {
      r.kind = ReadResult::kReset;
      r.error = "connection reset by peer";
      return r;
    }
    if (closed_) {
      r.kind = ReadResult::kClosed;
      return r;
    }
    const absl::Duration left = deadline - absl::Now();
    if (left > absl::ZeroDuration()) absl::SleepFor(left);
    r.kind = ReadResult::kTimeout;
    return r;
  }
  void Close() override { closed_ = true; }
  std::string Describe() const override { return "memory"; }

 private:
  void Take(const ScriptedPeer::Reply& reply) {
    pending_ += reply.bytes;
    closed_ |= reply.close;
    reset_ |= reply.reset;
  }
  ScriptedPeer* peer_;
  std::string pending_;
  bool closed_ = false;
  bool reset_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Transport>> ConnectTcp(const Endpoint& ep, absl::Time deadline) {
  absl::StatusOr<int> fd = TcpConnect(ep, deadline);
  if (!fd.ok()) return fd.status();
  return std::unique_ptr<Transport>(new TcpTransport(*fd, absl::StrCat(ep.host, ":", ep.port)));
}

absl::StatusOr<std::unique_ptr<Transport>> ConnectTls(const Endpoint& ep, const TlsOptions& tls,
                                                      absl::Time deadline, TlsInfo* info) {
  // OpenSSL writes with write(2): a peer that closed must not kill the probe with SIGPIPE.
  static const bool sigpipe_ignored = [] {
    signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)sigpipe_ignored;
  absl::StatusOr<int> fd = TcpConnect(ep, deadline);
  if (!fd.ok()) return fd.status();
  const std::string ctx_key = ContextKey(tls);
  absl::StatusOr<SSL_CTX*> ctx_or = SharedContext(tls, ctx_key);
  if (!ctx_or.ok()) {
    close(*fd);
    return ctx_or.status();
  }
  SSL_CTX* ctx = *ctx_or;
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, *fd);
  if (!tls.sni.empty()) {
    SSL_set_tlsext_host_name(ssl, tls.sni.c_str());
    if (tls.verify) SSL_set1_host(ssl, tls.sni.c_str());
  }
  if (tls.post_handshake_auth) SSL_set_post_handshake_auth(ssl, 1);
  // Resume the last session with this server and these options: a case is about HTTP/2, and
  // abbreviated handshakes keep a TLS run as fast as an h2c one.
  const std::string session_key = absl::StrCat(ep.host, ":", ep.port, "|", tls.sni, "|", ctx_key);
  if (SSL_SESSION* cached = CachedSession(session_key)) {
    SSL_set_session(ssl, cached);
    SSL_SESSION_free(cached);
  }
  auto t = std::make_unique<TlsTransport>(*fd, ctx, ssl, absl::StrCat(ep.host, ":", ep.port), session_key);
  absl::Status s = t->Handshake(deadline);
  if (info) t->Fill(info);
  if (!s.ok()) return s;
  return std::unique_ptr<Transport>(std::move(t));
}

absl::StatusOr<bool> TryRenegotiate(Transport* t, absl::Time deadline) {
  auto* tls = dynamic_cast<TlsTransport*>(t);
  if (!tls) return absl::FailedPreconditionError("not a TLS connection");
  return tls->Renegotiate(deadline);
}

bool CertificateRequested(Transport* t) {
  auto* tls = dynamic_cast<TlsTransport*>(t);
  return tls && tls->cert_requested();
}

std::unique_ptr<Transport> MemoryTransport(ScriptedPeer* peer) {
  return std::make_unique<MemTransport>(peer);
}

}  // namespace probe
