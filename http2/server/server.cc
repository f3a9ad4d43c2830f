#include "http2/server/server.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "http2/server/worker.h"

namespace http2 {
namespace server {
namespace {

// A listening socket on `ai`, sharing its port with the other workers' (SO_REUSEPORT: the
// kernel spreads new connections over them).
absl::StatusOr<int> Listen(const addrinfo* ai, int port, int backlog) {
  sockaddr_storage ss;
  std::memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
  if (ss.ss_family == AF_INET) {
    reinterpret_cast<sockaddr_in*>(&ss)->sin_port = htons(static_cast<uint16_t>(port));
  } else {
    reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port = htons(static_cast<uint16_t>(port));
  }
  const int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", strerror(errno)));
  const int one = 1, zero = 0;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
  if (ai->ai_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
  if (bind(fd, reinterpret_cast<sockaddr*>(&ss), ai->ai_addrlen) != 0 || listen(fd, backlog) != 0) {
    const int e = errno;
    close(fd);
    return absl::UnavailableError(absl::StrCat("bind/listen on port ", port, ": ", strerror(e)));
  }
  return fd;
}

int BoundPort(int fd) {
  sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  return ss.ss_family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port)
                                 : ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
}

}  // namespace

absl::Status ParseAddress(absl::string_view address, std::string* host, int* port) {
  absl::string_view h, p;
  if (!address.empty() && address[0] == '[') {
    const size_t close = address.find(']');
    if (close == absl::string_view::npos || close + 1 >= address.size() ||
        address[close + 1] != ':') {
      return absl::InvalidArgumentError(
          absl::StrCat("address \"", address, "\": expected [v6-address]:port"));
    }
    h = address.substr(1, close - 1);
    p = address.substr(close + 2);
  } else {
    const size_t colon = address.rfind(':');
    if (colon == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("address \"", address, "\": expected host:port (or :port for all)"));
    }
    h = address.substr(0, colon);
    p = address.substr(colon + 1);
  }
  int n;
  if (!absl::SimpleAtoi(p, &n) || n < 0 || n > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", address, "\": port \"", p, "\" is not 0-65535"));
  }
  *host = std::string(h);
  *port = n;
  return absl::OkStatus();
}

Server::Server(std::string address, HandlerFactory factory, std::optional<TlsOptions> tls,
               ServerOptions options)
    : address_(std::move(address)),
      factory_(std::move(factory)),
      tls_options_(std::move(tls)),
      options_(std::move(options)) {}

Server::~Server() {
  Stop();
  Wait();
}

const TlsContext* Server::tls() const { return shared_ ? shared_->tls.get() : nullptr; }

std::string Server::url() const {
  const bool v6 = host_.find(':') != std::string::npos;
  const std::string host = host_.empty() ? "127.0.0.1" : v6 ? absl::StrCat("[", host_, "]") : host_;
  return absl::StrCat(tls_options_ ? "https" : "http", "://", host, ":", port_, "/");
}

absl::Status Server::Start() {
  absl::MutexLock lock(&mu_);
  if (started_) return absl::FailedPreconditionError("the server was already started");
  if (!factory_) return absl::InvalidArgumentError("no handler factory");
  int port;
  if (absl::Status s = ParseAddress(address_, &host_, &port); !s.ok()) return s;
  auto shared = std::make_unique<ServerShared>();
  shared->options = options_;
  shared->factory = factory_;
  if (tls_options_) {
    absl::StatusOr<std::unique_ptr<TlsContext>> tls = TlsContext::Create(*tls_options_);
    if (!tls.ok()) return tls.status();
    shared->tls = std::move(*tls);
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  // An empty host: every interface, IPv6 and IPv4 on one socket where possible.
  const int gai = getaddrinfo(host_.empty() ? nullptr : host_.c_str(), "0", &hints, &res);
  if (gai != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", address_, "\": ", gai_strerror(gai)));
  }
  const addrinfo* ai = res;
  if (host_.empty()) {
    for (const addrinfo* a = res; a; a = a->ai_next) {
      if (a->ai_family == AF_INET6) ai = a;
    }
  }
  int threads = options_.threads > 0 ? options_.threads
                                     : static_cast<int>(std::thread::hardware_concurrency());
  if (threads <= 0) threads = 1;
  std::vector<int> fds;
  absl::Status status;
  for (int i = 0; i < threads; ++i) {
    absl::StatusOr<int> fd = Listen(ai, port, options_.listen_backlog);
    if (!fd.ok() && i == 0 && host_.empty() && ai->ai_family == AF_INET6 && ai != res) {
      ai = res;  // no IPv6 here: IPv4 only
      fd = Listen(ai, port, options_.listen_backlog);
    }
    if (!fd.ok()) {
      status = absl::Status(fd.status().code(),
                            absl::StrCat("listening on ", address_, ": ", fd.status().message()));
      break;
    }
    fds.push_back(*fd);
    if (i == 0) port = BoundPort(*fd);
  }
  freeaddrinfo(res);
  if (!status.ok()) {
    for (int fd : fds) close(fd);
    return status;
  }
  port_ = port;
  // OpenSSL writes to sockets with write(): a client that has gone must not kill us.
  struct sigaction old;
  if (sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) {
    signal(SIGPIPE, SIG_IGN);
  }
  shared_ = std::move(shared);
  for (int fd : fds) {
    auto w = std::make_unique<Worker>(shared_.get(), fd);
    if (absl::Status s = w->Init(); !s.ok()) {
      workers_.clear();
      return s;
    }
    workers_.push_back(std::move(w));
  }
  for (auto& w : workers_) threads_.emplace_back([worker = w.get()] { worker->Run(); });
  started_ = true;
  return absl::OkStatus();
}

absl::Status Server::ServeForever() {
  bool started;
  {
    absl::MutexLock lock(&mu_);
    started = started_;
  }
  if (!started) {
    if (absl::Status s = Start(); !s.ok()) return s;
  }
  Wait();
  return absl::OkStatus();
}

void Server::Wait() {
  std::vector<std::thread> threads;
  {
    absl::MutexLock lock(&mu_);
    threads.swap(threads_);
  }
  for (std::thread& t : threads) t.join();
}

void Server::Shutdown() {
  absl::MutexLock lock(&mu_);
  for (auto& w : workers_) w->RequestShutdown();
}

void Server::Stop() {
  absl::MutexLock lock(&mu_);
  for (auto& w : workers_) w->RequestStop();
}

}  // namespace server
}  // namespace http2
