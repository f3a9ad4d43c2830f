// The probe against real servers on 127.0.0.1: the reference server (every case must pass,
// h2c and TLS), and Debian's nghttpd and h2o (h2c and TLS), whose failures must be exactly the
// known ones in corpora/probe/baselines/ (each checked against the RFC text there). Also the
// attack scenarios and a short fuzzing run against the reference server, and --replay.
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "conformance/probe/attacks.h"
#include "conformance/probe/cases.h"
#include "conformance/probe/engine.h"
#include "conformance/probe/fuzz.h"
#include "conformance/probe/report.h"
#include "conformance/probe/self_server.h"
#include "conformance/probe/testing/peers.h"
#include "gtest/gtest.h"

namespace probe {
namespace {

std::string Runfile(const std::string& path) {
  const char* srcdir = getenv("TEST_SRCDIR");
  return absl::StrCat(srcdir ? srcdir : ".", "/h2harness/", path);
}

const std::vector<Case>& Cases() {
  static const std::vector<Case>* cases = new std::vector<Case>(AllCases(Runfile("corpora/stories")));
  return *cases;
}

// Runs every default case against `url` and checks the failures against `baseline_name`
// ("" = none may fail).
void ProbeAndCompare(const std::string& url, bool tls, const std::string& baseline_name) {
  absl::StatusOr<Target> target = ParseTarget(url, tls, /*insecure=*/true);
  ASSERT_TRUE(target.ok()) << target.status();
  const absl::Time start = absl::Now();
  absl::StatusOr<Controls> controls = LearnControls(*target, absl::Seconds(2));
  ASSERT_TRUE(controls.ok()) << controls.status();
  absl::StatusOr<std::vector<const Case*>> selected = SelectCases(Cases(), {}, {}, {});
  ASSERT_TRUE(selected.ok());
  RunOptions options;
  options.timeout = absl::Seconds(1);
  Report report;
  report.target = url;
  report.results = RunCases(*selected, *target, *controls, options);
  report.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::set<std::string> baseline;
  if (!baseline_name.empty()) {
    absl::StatusOr<std::set<std::string>> b = LoadBaseline(Runfile("corpora/probe/baselines/" + baseline_name + ".txt"));
    ASSERT_TRUE(b.ok()) << b.status();
    baseline = *b;
  }
  ApplyBaseline(baseline, &report);
  PrintReport(report, false, std::cout);
  for (const CaseResult& r : report.results) {
    if (r.result == Result::kFailed && !r.in_baseline) {
      ADD_FAILURE() << "new failure " << r.c->id << ": " << r.detail << "\n" << r.trace;
    }
  }
  for (const std::string& id : report.baseline_now_passing) {
    ADD_FAILURE() << id << " is in baseline " << baseline_name << " but passed: update the baseline";
  }
  for (const std::string& id : baseline) {
    bool seen = false;
    for (const CaseResult& r : report.results) seen |= r.c->id == id;
    EXPECT_TRUE(seen) << id << " in the baseline did not run";
  }
}

TEST(ProbeE2ETest, ReferenceServerH2cPassesEverything) {
  absl::StatusOr<std::unique_ptr<SelfServer>> s = StartSelfServer(false);
  ASSERT_TRUE(s.ok()) << s.status();
  ProbeAndCompare((*s)->url(), false, "");
}

TEST(ProbeE2ETest, ReferenceServerTlsPassesEverything) {
  absl::StatusOr<std::unique_ptr<SelfServer>> s = StartSelfServer(true);
  ASSERT_TRUE(s.ok()) << s.status();
  ProbeAndCompare((*s)->url(), true, "");
}

class PeerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> d = testing::MakePeerDir();
    ASSERT_TRUE(d.ok()) << d.status();
    dir_ = *d;
  }
  std::string dir_;
};

TEST_F(PeerTest, NghttpdH2c) {
  auto p = testing::StartNghttpd(dir_, false);
  ASSERT_TRUE(p.ok()) << p.status();
  ProbeAndCompare(absl::StrCat("127.0.0.1:", (*p)->port()), false, "nghttpd-h2c");
}

TEST_F(PeerTest, NghttpdTls) {
  auto p = testing::StartNghttpd(dir_, true);
  ASSERT_TRUE(p.ok()) << p.status();
  ProbeAndCompare(absl::StrCat("127.0.0.1:", (*p)->port()), true, "nghttpd-tls");
}

TEST_F(PeerTest, H2oH2c) {
  auto p = testing::StartH2o(dir_, false);
  ASSERT_TRUE(p.ok()) << p.status();
  ProbeAndCompare(absl::StrCat("127.0.0.1:", (*p)->port()), false, "h2o-h2c");
}

TEST_F(PeerTest, H2oTls) {
  auto p = testing::StartH2o(dir_, true);
  ASSERT_TRUE(p.ok()) << p.status();
  ProbeAndCompare(absl::StrCat("127.0.0.1:", (*p)->port()), true, "h2o-tls");
}

TEST_F(PeerTest, H2oFuzzFindingReplays) {
  // Found by `--fuzz` (5 minutes against h2o): the same octets show the same breach.
  auto p = testing::StartH2o(dir_, false);
  ASSERT_TRUE(p.ok()) << p.status();
  absl::StatusOr<Target> target = ParseTarget(absl::StrCat("127.0.0.1:", (*p)->port()), false, true);
  ASSERT_TRUE(target.ok());
  std::ostringstream out;
  EXPECT_EQ(Replay(*target, Runfile("corpora/probe/findings/h2o-no-table-size-update.json"), absl::Seconds(1), out), 1)
      << out.str();
  EXPECT_NE(out.str().find("does not start with a dynamic table size update"), std::string::npos) << out.str();
}

TEST(ProbeE2ETest, AttacksAgainstTheReferenceServer) {
  absl::StatusOr<std::unique_ptr<SelfServer>> s = StartSelfServer(false);
  ASSERT_TRUE(s.ok()) << s.status();
  absl::StatusOr<Target> target = ParseTarget((*s)->url(), false, true);
  ASSERT_TRUE(target.ok());
  AttackOptions o;
  o.budget = absl::Milliseconds(300);
  o.scale = 20;
  const std::vector<AttackResult> results = RunAttackScenarios(*target, o);
  PrintAttackTable(results, std::cout);
  EXPECT_EQ(results.size(), AttackNames().size());
  for (const AttackResult& r : results) {
    EXPECT_TRUE(r.fresh_connection_ok) << r.name << ": the server stopped answering";
    EXPECT_GT(r.frames_sent, 0u) << r.name;
    // In-process: the memory of this very process is measured.
    EXPECT_GT(r.rss_before_kb, 0) << r.name;
    EXPECT_GE(r.rss_peak_kb, r.rss_before_kb) << r.name;
  }
}

TEST(ProbeE2ETest, FuzzAndReplayAgainstTheReferenceServer) {
  absl::StatusOr<std::unique_ptr<SelfServer>> s = StartSelfServer(false);
  ASSERT_TRUE(s.ok()) << s.status();
  absl::StatusOr<Target> target = ParseTarget((*s)->url(), false, true);
  ASSERT_TRUE(target.ok());
  FuzzOptions o;
  o.seconds = 1.5;
  o.seed = 42;
  o.timeout = absl::Milliseconds(500);
  o.findings_dir = absl::StrCat(getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp", "/findings");
  std::ostringstream progress;
  const FuzzStats stats = Fuzz(*target, o, progress);
  EXPECT_GT(stats.iterations, 50u) << progress.str();
  EXPECT_TRUE(stats.finding_files.empty()) << progress.str();
  // A trace replays: a plain GET is no finding; a trace of a request with a malformed frame
  // is answered too.
  http2::FrameSequence seq;
  seq.ClientPreface({{http2::kSettingsEnablePush, 0}});
  Trace t;
  t.kind = "violation";
  t.writes = {seq.Take()};
  http2::FrameSequence req;
  req.Headers(1, {{":method", "GET"}, {":scheme", "http"}, {":authority", "x"}, {":path", "/"}}, http2::kFlagEndStream);
  t.writes.push_back(req.Take());
  const std::string path = o.findings_dir + "/manual.json";
  std::ofstream(path) << TraceToJson(t);
  std::ostringstream out;
  EXPECT_EQ(Replay(*target, path, absl::Seconds(1), out), 0) << out.str();
  EXPECT_NE(out.str().find("no finding this time"), std::string::npos) << out.str();
  std::ofstream(o.findings_dir + "/bad.json") << "{\"writes\": [\"zz\"]}";
  std::ostringstream bad;
  EXPECT_EQ(Replay(*target, o.findings_dir + "/bad.json", absl::Seconds(1), bad), 2);
}

TEST(ProbeE2ETest, ReadmeStatesTheCaseCount) {
  std::ifstream in(Runfile("README.md"));
  const std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string want = absl::StrCat("**", Cases().size(), " cases**");
  EXPECT_NE(readme.find(want), std::string::npos)
      << "README.md should say " << want << " (h2harness probe --list | tail -1)";
}

}  // namespace
}  // namespace probe
