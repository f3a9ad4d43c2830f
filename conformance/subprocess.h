// Running an external program (an adapter) under /bin/sh -c in its own process group, with
// input on stdin, output captured and a time limit. POSIX only.
//
// Robust against what adapters do: SIGPIPE is ignored in this process (a program that exits
// without reading its input gives EPIPE, never kills the runner), writes are non-blocking and
// resumed after short writes, every descriptor is closed on every path, a program that exits
// while a child it started still holds stdout open is not waited for, and output beyond a
// cap is drained and dropped rather than stored.
#ifndef H2HARNESS_CONFORMANCE_SUBPROCESS_H_
#define H2HARNESS_CONFORMANCE_SUBPROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace conformance {

inline constexpr size_t kMaxCapturedStdout = 64 * 1024 * 1024;  // a story's JSON, bounded
inline constexpr size_t kMaxCapturedStderr = 64 * 1024;

struct ProcessResult {
  int exit_code = -1;  // when it exited normally
  int signal = 0;      // when a signal ended it (or the shell's exit status 128+N said so)
  bool timed_out = false;
  std::string out;           // stdout (up to kMaxCapturedStdout)
  bool out_truncated = false;  // it wrote more than that; the rest was dropped
  std::string err;           // stderr (the first kMaxCapturedStderr octets)
  double seconds = 0;

  bool Succeeded() const { return !timed_out && signal == 0 && exit_code == 0; }
  // "exit status 3", "killed by signal 11 (Segmentation fault)", "timed out after 10 s".
  std::string Describe(double timeout_seconds) const;
};

// Runs `command` with `input` on stdin until it exits (and its output is read) or the time
// is up. Fails (as a Status) only when the process cannot be started; everything the
// program does is in the result. `env` adds environment variables.
absl::StatusOr<ProcessResult> RunCommand(const std::string& command, absl::string_view input,
                                         double timeout_seconds,
                                         const std::map<std::string, std::string>& env = {});

// A running program spoken to line by line (the batch adapter protocol): each request is
// one line on its stdin, each answer one line on its stdout. Not thread-safe; one user at
// a time. The destructor closes the program's stdin, gives it a second to exit, then kills
// the process group and reaps the program.
class LineProcess {
 public:
  using Clock = std::chrono::steady_clock;

  static absl::StatusOr<std::unique_ptr<LineProcess>> Start(
      const std::string& command, const std::map<std::string, std::string>& env = {});
  ~LineProcess();
  LineProcess(const LineProcess&) = delete;
  LineProcess& operator=(const LineProcess&) = delete;

  enum class Answer {
    kLine,     // *line holds the answer, without its newline
    kTimeout,  // no complete line before the deadline
    kExited,   // stdout closed or the program exited before answering
    kTooLong,  // the answer grew past kMaxCapturedStdout
  };
  // Writes `request` (which must end with '\n') and waits for one line of stdout.
  Answer Exchange(absl::string_view request, Clock::time_point deadline, std::string* line);

  // Stderr written since the last call (the first kMaxCapturedStderr octets of it).
  std::string TakeStderr();
  // After kExited: how the program ended ("exit status 1", ...); waits briefly for it.
  std::string ExitDescription();
  bool alive() const;

  struct Impl;  // the child and its pipes (subprocess.cc); RunCommand uses it too

 private:
  explicit LineProcess(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conformance

#endif  // H2HARNESS_CONFORMANCE_SUBPROCESS_H_
