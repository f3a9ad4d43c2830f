// h2harness probe: checks an HTTP/2 server against RFC 9113 and RFC 7541 (conformance/probe/),
// runs bounded attack scenarios (--attacks), fuzzes it over the network (--fuzz) and replays
// fuzz findings (--replay).
#include <algorithm>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "conformance/probe/attacks.h"
#include "conformance/probe/cases.h"
#include "conformance/probe/engine.h"
#include "conformance/probe/fuzz.h"
#include "conformance/probe/report.h"
#include "conformance/probe/self_server.h"
#include "tools/cli/command.h"
#include "tools/cli/common.h"

namespace cli {
// --only and --skip may be repeated: Abseil parses each occurrence into a fresh value, so
// the occurrences are collected here as they are parsed (comma-separated lists too).
template <int kTag>
struct PatternList {
  std::vector<std::string> items;
};
template <int kTag>
std::vector<std::string>& Collected() {
  static std::vector<std::string> all;
  return all;
}
template <int kTag>
bool AbslParseFlag(absl::string_view text, PatternList<kTag>* list, std::string*) {
  for (absl::string_view p : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    Collected<kTag>().push_back(std::string(p));
  }
  list->items = Collected<kTag>();
  return true;
}
template <int kTag>
std::string AbslUnparseFlag(const PatternList<kTag>& list) {
  std::string s;
  for (const std::string& i : list.items) absl::StrAppend(&s, s.empty() ? "" : ",", i);
  return s;
}
}  // namespace cli

ABSL_FLAG(bool, tls, false, "probe: connect with TLS (ALPN h2); implied by an https:// URL");
ABSL_FLAG(bool, insecure, false, "probe: do not verify the server's TLS certificate");
ABSL_FLAG(cli::PatternList<0>, only, {},
          "probe: run only these cases: an ID (9113/6.5/1) or a section (9113/6.5, 7541); "
          "repeatable, or comma-separated");
ABSL_FLAG(cli::PatternList<1>, skip, {}, "probe: leave out these cases (IDs or sections); repeatable");
ABSL_FLAG(bool, strict, false,
          "probe: accept only the RFC's exact outcome (the precise frame and error code), not the "
          "alternatives it tolerates");
ABSL_FLAG(bool, list, false, "probe: print the case table (ID, level, requirement, frames, outcomes) and exit");
ABSL_FLAG(bool, markdown, false, "probe --list: print the table as Markdown");
ABSL_FLAG(bool, v, false, "probe: print every case with its requirement, and the trace of failures");
ABSL_FLAG(std::string, baseline, "",
          "probe: file of known failures (one case ID per line, # comments): they do not fail the "
          "run, and entries that now pass are reported");
ABSL_FLAG(std::string, profile, "",
          "probe: extra case profiles, comma-separated: rfc7540-priority (RFC 7540 priority tree)");
ABSL_FLAG(bool, attacks, false,
          "probe: run the bounded denial-of-service scenarios instead of the conformance cases "
          "(loopback targets only unless --allow-remote)");
ABSL_FLAG(bool, fuzz, false,
          "probe: mutate valid frame sequences and send them for --time seconds; findings are "
          "saved as trace files (loopback only unless --allow-remote)");
ABSL_FLAG(double, time, 10, "probe --fuzz: seconds to fuzz");
ABSL_FLAG(std::string, findings, "probe-findings",
          "probe --fuzz: directory for finding traces (created if needed)");
ABSL_FLAG(uint64_t, seed, 0, "probe --fuzz: random seed (0: from the clock)");
ABSL_FLAG(std::string, replay, "", "probe: send the octets of a fuzz finding trace FILE again and report");
ABSL_FLAG(bool, allow_remote, false, "probe --attacks/--fuzz: allow targets off the loopback");

namespace cli {
namespace {

absl::StatusOr<probe::Target> TargetFrom(const std::vector<std::string>& args,
                                         std::unique_ptr<probe::SelfServer>* self) {
  if (args.size() > 1) return absl::InvalidArgumentError("give one target: URL or HOST:PORT");
  if (args.empty()) {
    // The self-check: the reference server, started in this process.
    absl::StatusOr<std::unique_ptr<probe::SelfServer>> s =
        probe::StartSelfServer(absl::GetFlag(FLAGS_tls));
    if (!s.ok()) return s.status();
    *self = std::move(*s);
    return probe::ParseTarget((*self)->url(), absl::GetFlag(FLAGS_tls), /*insecure=*/true);
  }
  return probe::ParseTarget(args[0], absl::GetFlag(FLAGS_tls), absl::GetFlag(FLAGS_insecure));
}

std::string StoriesDir() { return PathsOr({}, "corpora/stories")[0]; }

int Probe(const std::vector<std::string>& args) {
  absl::StatusOr<absl::Duration> timeout = TimeoutFlag(absl::Milliseconds(1), absl::Seconds(1));
  if (!timeout.ok()) {
    std::cerr << "h2harness: " << timeout.status().message() << "\n";
    return 2;
  }
  std::vector<std::string> profiles = absl::StrSplit(absl::GetFlag(FLAGS_profile), ',', absl::SkipEmpty());
  for (const std::string& p : profiles) {
    if (p != "rfc7540-priority") {
      std::cerr << "h2harness: unknown --profile \"" << p << "\" (known: rfc7540-priority)\n";
      return 2;
    }
  }
  const std::vector<probe::Case> all = probe::AllCases(StoriesDir());
  absl::StatusOr<std::vector<const probe::Case*>> selected =
      probe::SelectCases(all, absl::GetFlag(FLAGS_only).items, absl::GetFlag(FLAGS_skip).items, profiles);
  if (!selected.ok()) {
    std::cerr << "h2harness: " << selected.status().message() << "\n";
    return 2;
  }
  if (absl::GetFlag(FLAGS_list)) {
    probe::PrintCaseTable(*selected, absl::GetFlag(FLAGS_markdown), std::cout);
    return 0;
  }

  std::unique_ptr<probe::SelfServer> self;
  absl::StatusOr<probe::Target> target = TargetFrom(args, &self);
  if (!target.ok()) {
    std::cerr << "h2harness: " << target.status().message() << "\n";
    return 2;
  }
  const bool remote_ok = absl::GetFlag(FLAGS_allow_remote);
  const bool active = absl::GetFlag(FLAGS_attacks) || absl::GetFlag(FLAGS_fuzz) || !absl::GetFlag(FLAGS_replay).empty();
  if (active && !remote_ok && !probe::IsLoopback(*target)) {
    std::cerr << "h2harness: " << target->endpoint.host
              << " is not a loopback address; --attacks, --fuzz and --replay only target this "
                 "machine unless --allow-remote is given\n";
    return 2;
  }
  if (absl::GetFlag(FLAGS_attacks)) {
    probe::AttackOptions o;
    o.timeout = *timeout;
    return probe::RunAttacks(*target, o, std::cout);
  }
  if (absl::GetFlag(FLAGS_fuzz)) {
    probe::FuzzOptions o;
    o.seconds = absl::GetFlag(FLAGS_time);
    o.timeout = *timeout;
    o.findings_dir = absl::GetFlag(FLAGS_findings);
    o.seed = absl::GetFlag(FLAGS_seed);
    return probe::RunFuzz(*target, o, std::cout);
  }
  if (!absl::GetFlag(FLAGS_replay).empty()) {
    return probe::Replay(*target, absl::GetFlag(FLAGS_replay), *timeout, std::cout);
  }

  std::set<std::string> baseline;
  if (!absl::GetFlag(FLAGS_baseline).empty()) {
    absl::StatusOr<std::set<std::string>> b = probe::LoadBaseline(absl::GetFlag(FLAGS_baseline));
    if (!b.ok()) {
      std::cerr << "h2harness: " << b.status().message() << "\n";
      return 2;
    }
    for (const std::string& id : *b) {
      if (std::none_of(all.begin(), all.end(), [&](const probe::Case& c) { return c.id == id; })) {
        std::cerr << "h2harness: baseline " << absl::GetFlag(FLAGS_baseline) << " names unknown case " << id << "\n";
        return 2;
      }
    }
    baseline = std::move(*b);
  }

  const absl::Time start = absl::Now();
  absl::StatusOr<probe::Controls> controls = probe::LearnControls(*target, *timeout);
  if (!controls.ok()) {
    std::cerr << "h2harness: " << target->display << ": " << controls.status().message() << "\n";
    return 2;
  }
  if (!controls->error.empty()) std::cerr << "h2harness: warning: " << controls->error << "\n";
  probe::RunOptions options;
  options.strict = absl::GetFlag(FLAGS_strict);
  options.timeout = *timeout;
  options.jobs = absl::GetFlag(FLAGS_jobs) > 0 ? absl::GetFlag(FLAGS_jobs) : 8;
  probe::Report report;
  report.target = self ? absl::StrCat("h2harness reference server (", target->display, ")") : target->display;
  report.strict = options.strict;
  report.server = absl::StrCat("GET ", target->path, " -> ", controls->get_status, ", POST -> ", controls->post_status,
                               target->tls ? absl::StrCat(", ", controls->tls_summary) : "");
  report.results = probe::RunCases(*selected, *target, *controls, options);
  report.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  probe::ApplyBaseline(baseline, &report);
  probe::PrintReport(report, absl::GetFlag(FLAGS_v), std::cout);
  int rc = report.failed() == 0 ? 0 : 1;
  if (!absl::GetFlag(FLAGS_json).empty()) {
    absl::Status s = probe::WriteJson(report, absl::GetFlag(FLAGS_json));
    if (!s.ok()) {
      std::cerr << "h2harness: " << s.message() << "\n";
      rc = 2;
    }
  }
  if (!absl::GetFlag(FLAGS_junit).empty()) {
    absl::Status s = probe::WriteJUnit(report, absl::GetFlag(FLAGS_junit));
    if (!s.ok()) {
      std::cerr << "h2harness: " << s.message() << "\n";
      rc = 2;
    }
  }
  return rc;
}

}  // namespace

std::vector<Command> ProbeCommands() {
  return {
      {"probe",
       "[URL|HOST:PORT]",
       "Check an HTTP/2 server against RFC 9113 and RFC 7541: each case sends frames built with "
       "the h2harness frame codec and judges the server's answer from the frames alone (GOAWAY "
       "or RST_STREAM with a code, a response, nothing, the connection closed). Default mode "
       "accepts the RFC's exact outcome and the alternatives it tolerates (PASS*); --strict only "
       "the exact one. Without a target the reference server is started in this process and "
       "probed (the self-check). Prints failures (every case with -v) and \"N passed, N failed, "
       "N skipped\"; exits 0 only if nothing failed outside --baseline. --attacks runs bounded "
       "denial-of-service scenarios, --fuzz mutates frame sequences for --time seconds, --replay "
       "plays a finding again. --timeout is per case (a bare number: milliseconds; default 1s).",
       {"tls", "insecure", "only", "skip", "strict", "timeout", "json", "junit", "list", "markdown", "v",
        "baseline", "profile", "jobs", "attacks", "fuzz", "time", "findings", "seed", "replay",
        "allow_remote"},
       Probe},
  };
}

}  // namespace cli
