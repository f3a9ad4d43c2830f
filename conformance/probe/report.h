// Probe reports: the text summary ("N passed, N failed, N skipped"), JSON, JUnit XML (failures
// as <failure>), the case table (--list), and baselines of known failures.
#ifndef H2HARNESS_CONFORMANCE_PROBE_REPORT_H_
#define H2HARNESS_CONFORMANCE_PROBE_REPORT_H_

#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "conformance/probe/engine.h"

namespace probe {

struct Report {
  std::string target;
  bool strict = false;
  double seconds = 0;
  std::string server;  // what the control requests learnt ("GET 200, POST 405, TLSv1.3 ...")
  std::vector<CaseResult> results;
  std::vector<std::string> baseline_now_passing;  // known failures that passed this time

  int passed() const;
  int failed() const;           // failures not in the baseline
  int known_failures() const;   // failures listed in the baseline
  int skipped() const;
  int tolerated() const;
};

// A baseline: one case ID per line; '#' starts a comment (the reason, with the RFC quote).
absl::StatusOr<std::set<std::string>> LoadBaseline(const std::string& path);
// Marks failures listed in `baseline` and records entries that passed.
void ApplyBaseline(const std::set<std::string>& baseline, Report* report);

// Lines per case ("PASS 9113/6.5/1 ...", failures with the expected/got and the trace under
// -v), then "N passed, N failed, N skipped".
void PrintReport(const Report& report, bool verbose, std::ostream& out);
absl::Status WriteJson(const Report& report, const std::string& path);
absl::Status WriteJUnit(const Report& report, const std::string& path);

// The case table: ID, level, requirement, frames sent, exact outcome, tolerated outcomes.
void PrintCaseTable(const std::vector<const Case*>& cases, bool markdown, std::ostream& out);

}  // namespace probe

#endif  // H2HARNESS_CONFORMANCE_PROBE_REPORT_H_
