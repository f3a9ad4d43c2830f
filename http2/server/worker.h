// One event-loop thread of the server: its own listening socket (SO_REUSEPORT), its
// connections, its buffers. Internal to //http2/server.
#ifndef H2HARNESS_HTTP2_SERVER_WORKER_H_
#define H2HARNESS_HTTP2_SERVER_WORKER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "http2/server/event_loop.h"
#include "http2/server/request_handler.h"
#include "http2/server/server_options.h"
#include "http2/server/tls.h"

namespace http2 {
namespace server {

class Connection;

// What every worker shares, read-only while the server runs.
struct ServerShared {
  ServerOptions options;
  HandlerFactory factory;
  std::unique_ptr<TlsContext> tls;  // null: cleartext (h2c)
  std::atomic<int> connections{0};  // open connections, all workers
};

class Worker : private IoHandler {
 public:
  static constexpr size_t kReadBufferSize = 64 * 1024;

  Worker(ServerShared* shared, int listen_fd);
  ~Worker() override;

  absl::Status Init();
  // The thread's main: runs until stopped (Stop, or shutdown finished).
  void Run();
  // Thread-safe: graceful shutdown (stop accepting, GOAWAY, let streams finish, at most
  // options.shutdown_timeout), or an immediate stop.
  void RequestShutdown();
  void RequestStop();

  // ---- Loop thread ----
  EventLoop& loop() { return loop_; }
  ServerShared& shared() { return *shared_; }
  const ServerOptions& options() const { return shared_->options; }
  char* read_buffer() { return read_buffer_.get(); }
  // Scratch output shared by the connections, Connection::kMaxOutput octets (what a socket
  // does not take is copied out).
  char* write_buffer() { return write_buffer_.get(); }
  // TLS records made by the connections' SSL_* calls (TlsContext::NewSsl's sink); each
  // connection sends or keeps them before its call returns, so it is empty in between.
  std::string* tls_records() { return &tls_records_; }
  // Connection::Flush's scratch list of Session::Send pieces.
  std::vector<absl::string_view>* pieces() { return &pieces_; }
  // Process() the connection after this round of events.
  void Schedule(Connection* c);
  // The connection closed: deleted after this round.
  void Retire(Connection* c);
  Connection* Find(uint64_t id) const;
  // RFC 9110 §5.6.7 IMF-fixdate of now, refreshed once a second.
  absl::string_view http_date();
  void AccessLog(absl::string_view line);
  bool shutting_down() const { return shutting_down_; }

 private:
  void OnIoEvent(uint32_t events) override;  // the listening socket
  void Accept();
  void BeginShutdown();
  void RunScheduled();
  void FlushAccessLog();
  void PauseAccepting(bool pause);

  ServerShared* const shared_;
  int listen_fd_;
  bool accepting_paused_ = false;
  EventLoop loop_;
  std::unique_ptr<char[]> read_buffer_;
  std::unique_ptr<char[]> write_buffer_;
  std::string tls_records_;
  std::vector<absl::string_view> pieces_;
  absl::flat_hash_map<uint64_t, std::unique_ptr<Connection>> connections_;
  std::vector<uint64_t> scheduled_;  // connection ids
  std::vector<std::unique_ptr<Connection>> retired_;
  bool shutting_down_ = false;
  absl::Time shutdown_deadline_ = absl::InfiniteFuture();
  int64_t date_second_ = -1;
  std::string date_;
  std::string access_log_;
};

}  // namespace server
}  // namespace http2

#endif  // H2HARNESS_HTTP2_SERVER_WORKER_H_
