// Bounded denial-of-service scenarios (--attacks): the attack patterns HTTP/2 servers were
// patched for since 2019, each run for a bounded number of frames and time against a
// loopback target, reporting whether the server defended itself: the error it sent and after
// how many frames, its memory (when the server process is on this machine), and whether it
// still answers a fresh connection afterwards.
#ifndef H2HARNESS_CONFORMANCE_PROBE_ATTACKS_H_
#define H2HARNESS_CONFORMANCE_PROBE_ATTACKS_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "conformance/probe/engine.h"

namespace probe {

struct AttackOptions {
  absl::Duration timeout = absl::Seconds(1);      // waits for answers
  absl::Duration budget = absl::Seconds(3);       // per scenario
  int scale = 1;                                  // divides frame counts (tests use more)
  std::vector<std::string> only;                  // scenario names; empty: all
};

struct AttackResult {
  std::string name;          // "rapid-reset"
  std::string what;          // the pattern, one line
  std::string reference;     // CVE / advisory
  uint64_t frames_sent = 0;
  uint64_t bytes_sent = 0;
  double seconds = 0;
  std::string reaction;      // "GOAWAY ENHANCE_YOUR_CALM after 1203 frames", "none", ...
  std::string streams;       // stream-level answers: "RST_STREAM x200 (REFUSED_STREAM)", "431 x3"
  // "cut off" (GOAWAY, close, or it stopped reading), "absorbed" (no reaction, bounded memory,
  // still serving), "NOT DEFENDED (...)" (stopped serving, or memory grew past 64 MiB).
  std::string verdict;
  bool defended = false;     // not "NOT DEFENDED"
  long rss_before_kb = -1, rss_peak_kb = -1, rss_after_kb = -1;  // -1: not measurable
  bool fresh_connection_ok = false;
  double fresh_connection_ms = 0;
  std::string note;
};

std::vector<std::string> AttackNames();
std::vector<AttackResult> RunAttackScenarios(const Target& target, const AttackOptions& options);
// Runs every scenario and prints the table; exit status 0 unless the server stopped
// answering fresh connections.
int RunAttacks(const Target& target, const AttackOptions& options, std::ostream& out);
void PrintAttackTable(const std::vector<AttackResult>& results, std::ostream& out);

}  // namespace probe

#endif  // H2HARNESS_CONFORMANCE_PROBE_ATTACKS_H_
