#include "conformance/subprocess.h"

#include <dirent.h>
#include <signal.h>

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace conformance {
namespace {

// Open descriptors of this process (to catch leaks).
int OpenFds() {
  int n = 0;
  DIR* d = opendir("/proc/self/fd");
  if (!d) return -1;
  while (readdir(d)) ++n;
  closedir(d);
  return n;
}

const std::string kLarge(10 * 1024 * 1024, 'x');  // far more than a pipe holds

TEST(RunCommand, EchoesInputAndExitStatus) {
  absl::StatusOr<ProcessResult> r = RunCommand("cat; echo err >&2; exit 3", "hello", 10);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->out, "hello");
  EXPECT_EQ(r->err, "err\n");
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->Describe(10), "exit status 3");
}

TEST(RunCommand, LargeInputThroughShortWrites) {
  absl::StatusOr<ProcessResult> r = RunCommand("wc -c", kLarge, 30);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->out, std::to_string(kLarge.size()) + "\n");
  EXPECT_EQ(r->exit_code, 0);
}

// The runner must survive a program that exits before reading its input: EPIPE, not
// SIGPIPE (which would kill this test binary).
TEST(RunCommand, ProgramThatExitsAtOnceWithLargeInput) {
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<ProcessResult> r = RunCommand("exit 1", kLarge, 10);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->exit_code, 1);
    EXPECT_EQ(r->out, "");
    EXPECT_FALSE(r->timed_out);
  }
}

TEST(RunCommand, ProgramThatClosesStdinAndStdoutEarly) {
  absl::StatusOr<ProcessResult> r =
      RunCommand("exec 0<&- 1>&-; echo gone >&2; sleep 0.2; exit 4", kLarge, 10);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 4);
  EXPECT_EQ(r->out, "");
  EXPECT_EQ(r->err, "gone\n");
}

TEST(RunCommand, HugeOutputIsCappedAndDrained) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<ProcessResult> r = RunCommand("head -c 100000000 /dev/zero", "", 60);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->out.size(), kMaxCapturedStdout);
  EXPECT_TRUE(r->out_truncated);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

// A child left running with stdout open must not make the runner wait for it, and must
// not outlive the run.
TEST(RunCommand, ChildLeftRunningDoesNotHoldTheRun) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<ProcessResult> r =
      RunCommand("sleep 30 & echo $! ; echo done", "", 20);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  const std::string pid = r->out.substr(0, r->out.find('\n'));
  ASSERT_FALSE(pid.empty());
  // Killed with the process group: gone, or a zombie waiting for init to reap it.
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    std::ifstream stat("/proc/" + pid + "/stat");
    std::string line;
    gone = !std::getline(stat, line) || line.find(") Z ") != std::string::npos;
    if (!gone) usleep(10000);
  }
  EXPECT_TRUE(gone) << "the left-behind child " << pid << " still runs";
  EXPECT_NE(r->out.find("done"), std::string::npos);
}

TEST(RunCommand, TimeoutKillsTheProcessGroup) {
  absl::StatusOr<ProcessResult> r = RunCommand("sleep 30", "", 0.3);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->Describe(0.3), "timed out after 0.3 s");
}

TEST(RunCommand, SignalsAreReported) {
  absl::StatusOr<ProcessResult> r = RunCommand("kill -SEGV $$", "", 10);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->signal, SIGSEGV);
  // Through the shell: a child killed by a signal is exit status 128+N.
  r = RunCommand("sh -c 'kill -ABRT $$'", "", 10);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->signal, SIGABRT);
}

TEST(RunCommand, EnvironmentIsAddedTo) {
  absl::StatusOr<ProcessResult> r =
      RunCommand("echo $H2_TEST_VAR-${PATH:+path}", "", 10, {{"H2_TEST_VAR", "set"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->out, "set-path\n");
}

TEST(RunCommand, NoDescriptorLeaks) {
  const int before = OpenFds();
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(RunCommand(i % 2 ? "exit 1" : "cat", "abc", 10).ok());
    ASSERT_TRUE(RunCommand("sleep 5", "", 0.01).ok());  // timeout path
  }
  EXPECT_EQ(OpenFds(), before);
}

TEST(LineProcess, AnswersLineByLine) {
  const int before = OpenFds();
  {
    absl::StatusOr<std::unique_ptr<LineProcess>> p =
        LineProcess::Start("while read l; do echo \"got $l\"; echo note >&2; done");
    ASSERT_TRUE(p.ok()) << p.status();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::string line;
    for (int i = 0; i < 100; ++i) {
      ASSERT_EQ((*p)->Exchange("x" + std::to_string(i) + "\n", deadline, &line),
                LineProcess::Answer::kLine);
      EXPECT_EQ(line, "got x" + std::to_string(i));
    }
    EXPECT_TRUE((*p)->alive());
  }
  EXPECT_EQ(OpenFds(), before);
}

TEST(LineProcess, ExitBeforeAnswering) {
  absl::StatusOr<std::unique_ptr<LineProcess>> p = LineProcess::Start("head -c 1 >/dev/null; echo oops >&2; exit 7");
  ASSERT_TRUE(p.ok()) << p.status();
  std::string line;
  EXPECT_EQ((*p)->Exchange(kLarge + "\n", std::chrono::steady_clock::now() + std::chrono::seconds(10),
                           &line),
            LineProcess::Answer::kExited);
  EXPECT_EQ((*p)->ExitDescription(), "exit status 7");
  EXPECT_EQ((*p)->TakeStderr(), "oops\n");
}

TEST(LineProcess, Timeout) {
  absl::StatusOr<std::unique_ptr<LineProcess>> p = LineProcess::Start("sleep 30");
  ASSERT_TRUE(p.ok()) << p.status();
  std::string line;
  EXPECT_EQ((*p)->Exchange("x\n", std::chrono::steady_clock::now() + std::chrono::milliseconds(200),
                           &line),
            LineProcess::Answer::kTimeout);
}

TEST(LineProcess, ClosedStdoutWhileRunning) {
  absl::StatusOr<std::unique_ptr<LineProcess>> p = LineProcess::Start("exec 1>&-; sleep 30");
  ASSERT_TRUE(p.ok()) << p.status();
  std::string line;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ((*p)->Exchange("x\n", start + std::chrono::seconds(10), &line),
            LineProcess::Answer::kExited);
  EXPECT_EQ((*p)->ExitDescription(), "closed its stdout");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace conformance
