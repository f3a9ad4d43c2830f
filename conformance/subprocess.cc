#include "conformance/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

extern char** environ;

namespace conformance {
namespace {

using Clock = std::chrono::steady_clock;

// A program that exits without reading its input must give us EPIPE, not kill us with
// SIGPIPE (a runner that dies takes every other verdict with it). Ignored process-wide,
// once, unless someone installed a handler; children get the default back (spawn below).
void IgnoreSigpipe() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction old {};
    if (sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) {
      struct sigaction ign {};
      ign.sa_handler = SIG_IGN;
      sigemptyset(&ign.sa_mask);
      sigaction(SIGPIPE, &ign, nullptr);
    }
  });
}

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) reset(o.release());
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// A pipe whose ends are both >= 3, so that handing them to the child as 0, 1 and 2 can
// never clobber one another (it could if this process was started with 0-2 closed).
absl::Status MakePipe(Fd* read_end, Fd* write_end) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) return absl::InternalError(absl::StrCat("pipe: ", strerror(errno)));
  Fd ends[2] = {Fd(p[0]), Fd(p[1])};
  for (Fd& e : ends) {
    if (e.get() < 3) {
      const int moved = fcntl(e.get(), F_DUPFD_CLOEXEC, 3);
      if (moved < 0) return absl::InternalError(absl::StrCat("fcntl: ", strerror(errno)));
      e.reset(moved);
    }
  }
  *read_end = std::move(ends[0]);
  *write_end = std::move(ends[1]);
  return absl::OkStatus();
}

void SetNonBlocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

int PidfdOpen(pid_t pid) {
#ifdef SYS_pidfd_open
  const long fd = syscall(SYS_pidfd_open, pid, 0);
  if (fd >= 0) {
    fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
    return static_cast<int>(fd);
  }
#endif
  return -1;  // old kernel: exits are noticed by polling waitid()
}

}  // namespace

// The child and the parent's ends of its pipes; everything is released on every path by
// the destructor (pipes closed, process group killed, child reaped).
struct LineProcess::Impl {
  pid_t pid = -1;
  Fd in, out, err, pidfd;
  bool exited = false;  // the main process has exited (not yet reaped)
  bool reaped = false;
  int status = 0;

  std::string pending_in;  // input not yet written
  size_t in_offset = 0;
  std::string out_buf;
  bool out_truncated = false;
  std::string err_buf;
  size_t err_cap = kMaxCapturedStderr;

  ~Impl() { KillAndReap(); }

  static absl::StatusOr<std::unique_ptr<Impl>> Spawn(
      const std::string& command, const std::map<std::string, std::string>& env) {
    IgnoreSigpipe();
    Fd in_r, in_w, out_r, out_w, err_r, err_w;
    for (auto [r, w] : {std::make_pair(&in_r, &in_w), std::make_pair(&out_r, &out_w),
                        std::make_pair(&err_r, &err_w)}) {
      absl::Status s = MakePipe(r, w);
      if (!s.ok()) return s;  // the Fds close whatever was opened
    }
    // The environment, built before spawning.
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) {
      const absl::string_view kv(*e);
      const std::string key(kv.substr(0, kv.find('=')));
      if (!env.count(key)) env_strings.emplace_back(kv);
    }
    for (const auto& [k, v] : env) env_strings.push_back(absl::StrCat(k, "=", v));
    std::vector<char*> envp;
    for (std::string& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};

    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_adddup2(&actions, in_r.get(), 0);
    posix_spawn_file_actions_adddup2(&actions, out_w.get(), 1);
    posix_spawn_file_actions_adddup2(&actions, err_w.get(), 2);
    // Its own process group (so that a timeout kills whatever it started), default signal
    // dispositions (SIGPIPE is ignored here) and no blocked signals.
    sigset_t defaults, none;
    sigemptyset(&defaults);
    for (int s : {SIGPIPE, SIGINT, SIGQUIT, SIGHUP, SIGTERM, SIGXFSZ, SIGCHLD}) {
      sigaddset(&defaults, s);
    }
    sigemptyset(&none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                        POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, const_cast<char* const*>(argv),
                               envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) return absl::InternalError(absl::StrCat("cannot start /bin/sh: ", strerror(rc)));

    auto impl = std::make_unique<Impl>();
    impl->pid = pid;
    impl->in = std::move(in_w);
    impl->out = std::move(out_r);
    impl->err = std::move(err_r);
    SetNonBlocking(impl->in.get());
    SetNonBlocking(impl->out.get());
    SetNonBlocking(impl->err.get());
    impl->pidfd.reset(PidfdOpen(pid));
    return impl;  // the child's ends close here
  }

  void Feed(absl::string_view data) {
    if (!in.ok()) return;  // it closed its stdin: nothing more can reach it
    if (in_offset == pending_in.size()) {
      pending_in.clear();
      in_offset = 0;
    }
    pending_in.append(data.data(), data.size());
  }

  bool InputPending() const { return in.ok() && in_offset < pending_in.size(); }

  void WriteSome() {
    while (InputPending()) {
      const ssize_t w = write(in.get(), pending_in.data() + in_offset,
                              std::min<size_t>(pending_in.size() - in_offset, 1 << 16));
      if (w > 0) {
        in_offset += static_cast<size_t>(w);  // short writes resume here next time
        continue;
      }
      if (w < 0 && errno == EINTR) continue;
      if (w < 0 && errno == EAGAIN) return;
      // EPIPE (it exited or closed stdin without reading it all) or another error: what it
      // did not read is dropped; its output and exit status tell the story.
      in.reset();
      pending_in.clear();
      in_offset = 0;
      return;
    }
  }

  // Reads what is available from `fd` (at most a few MiB per call, to stay responsive).
  void ReadSome(Fd* fd, std::string* sink, size_t cap, bool* truncated) {
    char buf[65536];
    for (int rounds = 0; fd->ok() && rounds < 64; ++rounds) {
      const ssize_t got = read(fd->get(), buf, sizeof buf);
      if (got > 0) {
        const size_t room = sink->size() < cap ? cap - sink->size() : 0;
        sink->append(buf, std::min<size_t>(static_cast<size_t>(got), room));
        if (static_cast<size_t>(got) > room && truncated) *truncated = true;
        continue;
      }
      if (got < 0 && errno == EINTR) continue;
      if (got < 0 && errno == EAGAIN) return;
      fd->reset();  // EOF or error
    }
  }

  void CheckExited() {
    if (exited || reaped) return;
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid) {
      exited = true;
    }
  }

  // Once the program has exited, whatever it wrote is in the pipes: read it and stop
  // listening, even if a child it started keeps the write ends open.
  void DrainAfterExit() {
    ReadSome(&out, &out_buf, kMaxCapturedStdout, &out_truncated);
    ReadSome(&err, &err_buf, err_cap, nullptr);
    out.reset();
    err.reset();
    in.reset();
  }

  // Moves data until `done()` holds or the deadline passes; returns done().
  template <typename Done>
  bool Pump(Clock::time_point deadline, Done done) {
    for (;;) {
      if (done()) return true;
      if (exited) {
        DrainAfterExit();
        return done();
      }
      const auto now = Clock::now();
      if (now >= deadline) return false;
      pollfd fds[4];
      int n = 0;
      int i_in = -1, i_out = -1, i_err = -1, i_pid = -1;
      if (InputPending()) {
        i_in = n;
        fds[n++] = {in.get(), POLLOUT, 0};
      }
      if (out.ok()) {
        i_out = n;
        fds[n++] = {out.get(), POLLIN, 0};
      }
      if (err.ok()) {
        i_err = n;
        fds[n++] = {err.get(), POLLIN, 0};
      }
      if (pidfd.ok()) {
        i_pid = n;
        fds[n++] = {pidfd.get(), POLLIN, 0};
      }
      long wait_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
      if (!pidfd.ok()) wait_ms = std::min(wait_ms, 10L);  // no pidfd: poll for the exit
      const int ready = poll(fds, static_cast<nfds_t>(n), static_cast<int>(wait_ms));
      if (ready < 0 && errno != EINTR) {
        CheckExited();
        if (!exited) usleep(1000);
        continue;
      }
      if (ready > 0) {
        if (i_in >= 0 && fds[i_in].revents) WriteSome();
        if (i_out >= 0 && fds[i_out].revents)
          ReadSome(&out, &out_buf, kMaxCapturedStdout, &out_truncated);
        if (i_err >= 0 && fds[i_err].revents) ReadSome(&err, &err_buf, err_cap, nullptr);
        if (i_pid >= 0 && fds[i_pid].revents) exited = true;
      }
      if (!pidfd.ok()) CheckExited();
    }
  }

  // Kills the whole process group (the program and anything it left behind), then reaps
  // the program. Before reaping, the group id cannot be reused, so the kill hits only ours.
  void KillAndReap() {
    in.reset();
    out.reset();
    err.reset();
    pidfd.reset();
    if (pid <= 0 || reaped) return;
    kill(-pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    reaped = true;
  }

  // After KillAndReap: how it ended. A program that had not exited was killed by us.
  void Describe(ProcessResult* r) const {
    if (WIFEXITED(status)) r->exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r->signal = WTERMSIG(status);
    // /bin/sh reports a child killed by signal N as exit status 128+N.
    if (r->exit_code > 128 && r->exit_code <= 128 + 31) {
      r->signal = r->exit_code - 128;
      r->exit_code = -1;
    }
  }
};

std::string ProcessResult::Describe(double timeout_seconds) const {
  if (timed_out) return absl::StrFormat("timed out after %g s", timeout_seconds);
  if (signal) return absl::StrFormat("killed by signal %d (%s)", signal, strsignal(signal));
  return absl::StrCat("exit status ", exit_code);
}

absl::StatusOr<ProcessResult> RunCommand(const std::string& command, absl::string_view input,
                                         double timeout_seconds,
                                         const std::map<std::string, std::string>& env) {
  const auto start = Clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(timeout_seconds));
  absl::StatusOr<std::unique_ptr<LineProcess::Impl>> spawned =
      LineProcess::Impl::Spawn(command, env);
  if (!spawned.ok()) return spawned.status();
  LineProcess::Impl& p = **spawned;
  p.Feed(input);
  if (!p.InputPending()) p.in.reset();
  ProcessResult r;
  const bool finished = p.Pump(deadline, [&] {
    if (p.in.ok() && !p.InputPending()) p.in.reset();  // all written: EOF for the program
    return p.exited && !p.out.ok() && !p.err.ok();
  });
  r.timed_out = !finished;
  p.KillAndReap();
  if (!r.timed_out) p.Describe(&r);
  r.out = std::move(p.out_buf);
  r.out_truncated = p.out_truncated;
  r.err = std::move(p.err_buf);
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return r;
}

LineProcess::LineProcess(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LineProcess::~LineProcess() {
  // The end of its input is the batch adapter's signal to exit: give it a moment to do so
  // (its own children are then waited for, and their resource use counted), then kill
  // whatever is left.
  Impl& p = *impl_;
  p.in.reset();
  p.pending_in.clear();
  if (!p.reaped) {
    p.Pump(Clock::now() + std::chrono::seconds(1), [&] { return p.exited; });
  }
}

absl::StatusOr<std::unique_ptr<LineProcess>> LineProcess::Start(
    const std::string& command, const std::map<std::string, std::string>& env) {
  absl::StatusOr<std::unique_ptr<Impl>> impl = Impl::Spawn(command, env);
  if (!impl.ok()) return impl.status();
  return std::unique_ptr<LineProcess>(new LineProcess(*std::move(impl)));
}

LineProcess::Answer LineProcess::Exchange(absl::string_view request, Clock::time_point deadline,
                                          std::string* line) {
  Impl& p = *impl_;
  p.Feed(request);
  size_t scanned = 0;
  size_t newline = std::string::npos;
  const bool done = p.Pump(deadline, [&] {
    newline = p.out_buf.find('\n', scanned);
    scanned = p.out_buf.size();
    return newline != std::string::npos || !p.out.ok() || p.out_buf.size() >= kMaxCapturedStdout;
  });
  if (newline == std::string::npos) newline = p.out_buf.find('\n');
  if (newline != std::string::npos) {
    line->assign(p.out_buf, 0, newline);
    p.out_buf.erase(0, newline + 1);
    return Answer::kLine;
  }
  if (!done) return Answer::kTimeout;
  if (p.out_buf.size() >= kMaxCapturedStdout) return Answer::kTooLong;
  return Answer::kExited;
}

std::string LineProcess::TakeStderr() {
  std::string s = std::move(impl_->err_buf);
  impl_->err_buf.clear();
  return s;
}

std::string LineProcess::ExitDescription() {
  Impl& p = *impl_;
  p.Pump(Clock::now() + std::chrono::seconds(2), [&] { return p.exited; });
  const bool exited = p.exited;
  p.KillAndReap();
  if (!exited) return "closed its stdout";
  ProcessResult r;
  p.Describe(&r);
  return r.Describe(0);
}

bool LineProcess::alive() const { return !impl_->exited && !impl_->reaped && impl_->out.ok(); }

}  // namespace conformance
