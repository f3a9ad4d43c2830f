// The reference HTTP/2 server (RFC 9113): TLS with ALPN "h2" (OpenSSL 3) or cleartext h2c
// with prior knowledge, one event loop per core, and the handler API of request_handler.h.
//
//   http2::server::TlsOptions tls;
//   tls.self_signed = true;
//   http2::server::Server server("127.0.0.1:8443", http2::server::MakeFactory<MyHandler>(), tls);
//   absl::Status s = server.ServeForever();   // until Shutdown() (from another thread)
//
// To run it in the background (tests, the conformance probe): Start(), read port(), and
// later Shutdown() and Wait(). The handler of `h2harness serve` is Site's (site.h):
//   Server server("127.0.0.1:0", (*Site::Create(SiteOptions()))->Factory());
#ifndef H2HARNESS_HTTP2_SERVER_SERVER_H_
#define H2HARNESS_HTTP2_SERVER_SERVER_H_

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "http2/server/request_handler.h"
#include "http2/server/server_options.h"
#include "http2/server/tls.h"

namespace http2 {
namespace server {

class Worker;
struct ServerShared;

class Server {
 public:
  // `address`: "host:port", "[v6]:port", or ":port" (an empty host binds all interfaces;
  // port 0 lets the kernel choose, see port()).
  Server(std::string address, HandlerFactory factory,
         std::optional<TlsOptions> tls = std::nullopt, ServerOptions options = {});
  ~Server();  // Stop() and Wait()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the event-loop threads; returns at once.
  absl::Status Start();
  // Start() unless started, then Wait(): returns after Shutdown() or Stop().
  absl::Status ServeForever();
  // Blocks until every event loop has ended.
  void Wait();
  // Graceful (thread-safe, idempotent): stops accepting, sends GOAWAY on every connection,
  // lets in-flight streams finish (at most ServerOptions::shutdown_timeout), then closes.
  void Shutdown();
  // Immediate: every connection is closed now.
  void Stop();

  // After Start(): the port listened on, and the URL of the root.
  int port() const { return port_; }
  std::string url() const;
  // The TLS context (null for h2c): its certificate, for clients that must trust it.
  const TlsContext* tls() const;
  const ServerOptions& options() const { return options_; }

 private:
  std::string address_;
  HandlerFactory factory_;
  std::optional<TlsOptions> tls_options_;
  ServerOptions options_;
  std::string host_;
  int port_ = 0;
  std::unique_ptr<ServerShared> shared_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  absl::Mutex mu_;
  bool started_ = false;
};

// Parses "host:port", "[v6]:port", ":port".
absl::Status ParseAddress(absl::string_view address, std::string* host, int* port);

}  // namespace server
}  // namespace http2

#endif  // H2HARNESS_HTTP2_SERVER_SERVER_H_
