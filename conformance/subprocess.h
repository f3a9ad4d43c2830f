// Running an external program (an adapter) with input on stdin, a time limit, and its
// output captured. POSIX only; the program runs under /bin/sh -c in its own process group.
#ifndef H2HARNESS_CONFORMANCE_SUBPROCESS_H_
#define H2HARNESS_CONFORMANCE_SUBPROCESS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace conformance {

struct ProcessResult {
  int exit_code = -1;  // when it exited normally
  int signal = 0;      // when a signal ended it (or the shell's exit status 128+N said so)
  bool timed_out = false;
  std::string out;  // stdout
  std::string err;  // stderr (kept to the first 64 KiB)
  double seconds = 0;

  bool Succeeded() const { return !timed_out && signal == 0 && exit_code == 0; }
  // "exit status 3", "killed by signal 11 (Segmentation fault)", "timed out after 10 s".
  std::string Describe(double timeout_seconds) const;
};

// Runs `command` with `input` on stdin. Fails (as a Status) only when the process cannot be
// started; everything the program does is in the result. `env` adds environment variables.
absl::StatusOr<ProcessResult> RunCommand(const std::string& command, absl::string_view input,
                                         double timeout_seconds,
                                         const std::map<std::string, std::string>& env = {});

}  // namespace conformance

#endif  // H2HARNESS_CONFORMANCE_SUBPROCESS_H_
