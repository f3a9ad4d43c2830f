#include "http2/server/worker.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

#include "absl/time/clock.h"
#include "http2/server/connection.h"

namespace http2 {
namespace server {
namespace {

std::atomic<uint64_t> next_connection_id{1};

RequestHandler::Address PeerAddress(const sockaddr_storage& ss, socklen_t len) {
  RequestHandler::Address a;
  char host[NI_MAXHOST];
  char port[NI_MAXSERV];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&ss), len, host, sizeof(host), port,
                  sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    a.host = host;
    a.port = static_cast<uint16_t>(atoi(port));
  }
  return a;
}

}  // namespace

Worker::Worker(ServerShared* shared, int listen_fd)
    : shared_(shared),
      listen_fd_(listen_fd),
      read_buffer_(new char[kReadBufferSize]),
      write_buffer_(new char[Connection::kMaxOutput]) {
  // One pull's records: kMaxOutput of plaintext plus TLS 1.3 framing (22 octets per record).
  if (shared_->tls) tls_records_.reserve(Connection::kMaxOutput + 1024);
  pieces_.reserve(Connection::kMaxPieces);
}

Worker::~Worker() {
  // Run() closes every connection before it returns; this is for a worker that never ran.
  std::vector<Connection*> all;
  for (auto& [id, c] : connections_) all.push_back(c.get());
  for (Connection* c : all) c->Close();  // Close() moves it to retired_
  retired_.clear();
  connections_.clear();
  if (listen_fd_ >= 0) close(listen_fd_);
}

absl::Status Worker::Init() {
  if (absl::Status s = loop_.Init(); !s.ok()) return s;
  return loop_.AddLevelInput(listen_fd_, this);
}

void Worker::RequestShutdown() {
  loop_.inbox()->Post([this] { BeginShutdown(); }).IgnoreError();
}

void Worker::RequestStop() { loop_.Stop(); }

void Worker::OnIoEvent(uint32_t) { Accept(); }

void Worker::PauseAccepting(bool pause) {
  if (pause == accepting_paused_ || listen_fd_ < 0) return;
  accepting_paused_ = pause;
  if (pause) {
    loop_.Remove(listen_fd_);
    // Another worker's connections may be the ones that close: look again soon.
    loop_.AddTimer(loop_.now() + absl::Milliseconds(100), [this] {
      if (accepting_paused_ && !shutting_down_) {
        PauseAccepting(false);
        Accept();
      }
    });
  } else {
    loop_.AddLevelInput(listen_fd_, this).IgnoreError();
  }
}

void Worker::Accept() {
  for (int i = 0; i < 64 && listen_fd_ >= 0; ++i) {
    if (shared_->connections.load(std::memory_order_relaxed) >= options().max_connections) {
      PauseAccepting(true);
      return;
    }
    sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    const int fd =
        accept4(listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE) PauseAccepting(true);
      return;  // EAGAIN, or an aborted connection
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    SSL* ssl = nullptr;
    if (shared_->tls) {
      ssl = shared_->tls->NewSsl(fd, &tls_records_);
      if (!ssl) {
        close(fd);
        continue;
      }
    }
    const uint64_t id = next_connection_id.fetch_add(1, std::memory_order_relaxed);
    auto c = std::make_unique<Connection>(this, id, fd, ssl, PeerAddress(ss, len));
    Connection* conn = c.get();
    connections_.emplace(id, std::move(c));
    shared_->connections.fetch_add(1, std::memory_order_relaxed);
    conn->Start();
  }
}

void Worker::Schedule(Connection* c) { scheduled_.push_back(c->id()); }

void Worker::Retire(Connection* c) {
  auto it = connections_.find(c->id());
  if (it == connections_.end()) return;
  retired_.push_back(std::move(it->second));
  connections_.erase(it);
  shared_->connections.fetch_sub(1, std::memory_order_relaxed);
  if (accepting_paused_ && !shutting_down_) {
    PauseAccepting(false);
    Accept();
  }
}

Connection* Worker::Find(uint64_t id) const {
  auto it = connections_.find(id);
  return it == connections_.end() ? nullptr : it->second.get();
}

absl::string_view Worker::http_date() {
  const absl::Time now = loop_.now();
  const int64_t second = absl::ToUnixSeconds(now);
  if (second != date_second_) {
    date_second_ = second;
    date_ = absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", now, absl::UTCTimeZone());
  }
  return date_;
}

void Worker::AccessLog(absl::string_view line) {
  access_log_.append(line.data(), line.size());
  if (access_log_.size() >= 64 * 1024) FlushAccessLog();
}

void Worker::FlushAccessLog() {
  const int fd = options().access_log_fd;
  size_t done = 0;
  while (fd >= 0 && done < access_log_.size()) {
    const ssize_t r = write(fd, access_log_.data() + done, access_log_.size() - done);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;  // the log is lost rather than the server blocked
    done += r;
  }
  access_log_.clear();
}

void Worker::BeginShutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  if (listen_fd_ >= 0) {
    if (!accepting_paused_) loop_.Remove(listen_fd_);
    close(listen_fd_);
    listen_fd_ = -1;
  }
  shutdown_deadline_ = loop_.now() + options().shutdown_timeout;
  loop_.AddTimer(shutdown_deadline_, [] {});  // wakes the loop then
  std::vector<Connection*> all;
  for (auto& [id, c] : connections_) all.push_back(c.get());
  for (Connection* c : all) c->BeginShutdown();
}

void Worker::RunScheduled() {
  // By id: a connection may have closed (and been deleted) since it was scheduled.
  std::vector<uint64_t> now;
  now.swap(scheduled_);
  for (uint64_t id : now) {
    if (Connection* c = Find(id)) c->Process();
  }
}

void Worker::Run() {
  while (!loop_.stopped()) {
    loop_.RunOnce(/*block=*/scheduled_.empty());
    RunScheduled();
    retired_.clear();
    FlushAccessLog();
    if (shutting_down_ &&
        (connections_.empty() || loop_.now() >= shutdown_deadline_)) {
      break;
    }
  }
  std::vector<Connection*> all;
  for (auto& [id, c] : connections_) all.push_back(c.get());
  for (Connection* c : all) c->Close();
  retired_.clear();
  FlushAccessLog();
}

}  // namespace server
}  // namespace http2
