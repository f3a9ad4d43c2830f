#include "conformance/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

extern char** environ;

namespace conformance {
namespace {

constexpr size_t kMaxStderr = 64 * 1024;
constexpr size_t kMaxStdout = 256 * 1024 * 1024;  // a story's JSON; bounded against runaways

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

}  // namespace

std::string ProcessResult::Describe(double timeout_seconds) const {
  if (timed_out) return absl::StrFormat("timed out after %g s", timeout_seconds);
  if (signal) return absl::StrFormat("killed by signal %d (%s)", signal, strsignal(signal));
  return absl::StrCat("exit status ", exit_code);
}

absl::StatusOr<ProcessResult> RunCommand(const std::string& command, absl::string_view input,
                                         double timeout_seconds,
                                         const std::map<std::string, std::string>& env) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) || pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC)) {
    return absl::InternalError(absl::StrCat("pipe: ", strerror(errno)));
  }
  // Build the environment before fork (no allocation in the child).
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
  for (const auto& [k, v] : env) env_strings.push_back(absl::StrCat(k, "=", v));
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};

  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", strerror(errno)));
  if (pid == 0) {
    setpgid(0, 0);
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    signal(SIGPIPE, SIG_DFL);
    execve("/bin/sh", const_cast<char* const*>(argv), envp.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also from the parent, to win the race with kill()
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  int to_child = in_pipe[1], from_out = out_pipe[0], from_err = err_pipe[0];
  fcntl(to_child, F_SETFL, O_NONBLOCK);

  ProcessResult r;
  size_t written = 0;
  if (input.empty()) CloseFd(to_child);
  const auto deadline = start + std::chrono::duration<double>(timeout_seconds);
  char buf[65536];
  while (from_out >= 0 || from_err >= 0) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      r.timed_out = true;
      break;
    }
    const int wait_ms =
        static_cast<int>(
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) +
        1;
    pollfd fds[3];
    int n = 0;
    int i_in = -1, i_out = -1, i_err = -1;
    if (to_child >= 0) {
      i_in = n;
      fds[n++] = {to_child, POLLOUT, 0};
    }
    if (from_out >= 0) {
      i_out = n;
      fds[n++] = {from_out, POLLIN, 0};
    }
    if (from_err >= 0) {
      i_err = n;
      fds[n++] = {from_err, POLLIN, 0};
    }
    const int ready = poll(fds, n, wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (i_in >= 0 && fds[i_in].revents) {
      const ssize_t w = write(to_child, input.data() + written, input.size() - written);
      if (w > 0) written += w;
      if (w < 0 && errno != EAGAIN && errno != EINTR) CloseFd(to_child);  // EPIPE: it quit
      if (written == input.size()) CloseFd(to_child);
    }
    for (auto [idx, fd, sink, cap] : {std::make_tuple(i_out, &from_out, &r.out, kMaxStdout),
                                      std::make_tuple(i_err, &from_err, &r.err, kMaxStderr)}) {
      if (idx < 0 || !fds[idx].revents) continue;
      const ssize_t got = read(*fd, buf, sizeof buf);
      if (got > 0) {
        if (sink->size() < cap) sink->append(buf, std::min<size_t>(got, cap - sink->size()));
      } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
        CloseFd(*fd);
      }
    }
  }
  CloseFd(to_child);
  CloseFd(from_out);
  CloseFd(from_err);
  int status = 0;
  if (!r.timed_out) {
    // Output closed; wait for the exit without reaping, so the process group id stays
    // reserved until stragglers in it are killed below.
    for (;;) {
      siginfo_t info{};
      if (waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) break;
      if (std::chrono::steady_clock::now() >= deadline) {
        r.timed_out = true;
        break;
      }
      usleep(1000);
    }
  }
  kill(-pid, SIGKILL);  // on timeout, and any children it left behind
  waitpid(pid, &status, 0);
  if (!r.timed_out) {
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
    // The program runs under /bin/sh, which reports a child killed by signal N as exit
    // status 128+N.
    if (r.exit_code > 128 && r.exit_code <= 128 + 31) {
      r.signal = r.exit_code - 128;
      r.exit_code = -1;
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace conformance
