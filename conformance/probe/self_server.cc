#include "conformance/probe/self_server.h"

namespace probe {

absl::StatusOr<std::unique_ptr<SelfServer>> StartSelfServer(bool tls) {
  return absl::UnimplementedError(
      "no target given, and this h2harness has no reference server to start (issue 9); give a "
      "URL or HOST:PORT");
}

}  // namespace probe
