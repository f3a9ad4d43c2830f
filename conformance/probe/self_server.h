// The probe's self-check target: the h2harness reference server (issue 9), started in this
// process on 127.0.0.1 with a kernel-chosen port.
#ifndef H2HARNESS_CONFORMANCE_PROBE_SELF_SERVER_H_
#define H2HARNESS_CONFORMANCE_PROBE_SELF_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace probe {

class SelfServer {
 public:
  virtual ~SelfServer() = default;
  virtual std::string url() const = 0;  // "http://127.0.0.1:PORT/"
};

absl::StatusOr<std::unique_ptr<SelfServer>> StartSelfServer(bool tls);

}  // namespace probe

#endif  // H2HARNESS_CONFORMANCE_PROBE_SELF_SERVER_H_
