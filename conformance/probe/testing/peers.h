// Real HTTP/2 servers for the probe's end-to-end tests: nghttpd and h2o (Debian's), started on
// 127.0.0.1 with kernel-chosen ports (h2c, or TLS with a fresh self-signed certificate), and
// stopped when the handle goes away. A missing server is an error that names the install
// command, so a test fails instead of skipping.
#ifndef H2HARNESS_CONFORMANCE_PROBE_TESTING_PEERS_H_
#define H2HARNESS_CONFORMANCE_PROBE_TESTING_PEERS_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace probe {
namespace testing {

class PeerProcess {
 public:
  PeerProcess(std::string name, pid_t pid, uint16_t port, std::string log)
      : name_(std::move(name)), pid_(pid), port_(port), log_(std::move(log)) {}
  ~PeerProcess();  // SIGTERM to its process group, then SIGKILL
  const std::string& name() const { return name_; }
  pid_t pid() const { return pid_; }
  uint16_t port() const { return port_; }
  const std::string& log_path() const { return log_; }

 private:
  std::string name_;
  pid_t pid_;
  uint16_t port_;
  std::string log_;
};

// A scratch directory with a docroot (index.html of 6 octets, "hello\n"), cert.pem and
// key.pem (RSA 2048, CN=localhost).
absl::StatusOr<std::string> MakePeerDir();

absl::StatusOr<std::unique_ptr<PeerProcess>> StartNghttpd(const std::string& dir, bool tls);
absl::StatusOr<std::unique_ptr<PeerProcess>> StartH2o(const std::string& dir, bool tls);

}  // namespace testing
}  // namespace probe

#endif  // H2HARNESS_CONFORMANCE_PROBE_TESTING_PEERS_H_
