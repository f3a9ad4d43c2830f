// The reference server's options: transport limits and timeouts, plus the HTTP/2 session's
// own (SessionOptions: SETTINGS and every abuse limit).
#ifndef H2HARNESS_HTTP2_SERVER_SERVER_OPTIONS_H_
#define H2HARNESS_HTTP2_SERVER_SERVER_OPTIONS_H_

#include <cstddef>

#include "absl/time/time.h"
#include "http2/options.h"

namespace http2 {
namespace server {

struct ServerOptions {
  // Event-loop threads, each with its own listening socket (SO_REUSEPORT); 0: one per core.
  int threads = 0;
  // The HTTP/2 session's SETTINGS and limits; `clock` is set by the server.
  SessionOptions session;
  // A connection is closed (GOAWAY NO_ERROR) when it waits on the client this long: nothing
  // read while no request is open or a request body is awaited, or output unwritten.
  absl::Duration idle_timeout = absl::Seconds(60);
  // From accept to the end of the TLS handshake and the client's connection preface.
  absl::Duration handshake_timeout = absl::Seconds(10);
  // Graceful shutdown: after this, streams still open are cut and connections closed.
  absl::Duration shutdown_timeout = absl::Seconds(10);
  // After a connection's last output (GOAWAY), its input is drained this long before the
  // socket is closed, so the client reads the GOAWAY rather than a TCP reset.
  absl::Duration linger = absl::Seconds(1);
  // Open connections, all threads together; more wait in the listen backlog.
  int max_connections = 10000;
  int listen_backlog = 1024;
  // One access-log line per stream is written here (-1: none).
  int access_log_fd = -1;
};

}  // namespace server
}  // namespace http2

#endif  // H2HARNESS_HTTP2_SERVER_SERVER_OPTIONS_H_
