// Network fuzzing of a server (--fuzz): structure-aware mutations of valid frame sequences
// (flags, lengths, stream ids, types, payload octets, frames dropped, duplicated, reordered
// or inserted) sent over fresh connections. Detects crashes (the server stops accepting
// connections), hangs (no PING answer and no close within the timeout) and protocol
// violations in what it answers; each finding is saved as a trace file that --replay sends
// again octet for octet.
#ifndef H2HARNESS_CONFORMANCE_PROBE_FUZZ_H_
#define H2HARNESS_CONFORMANCE_PROBE_FUZZ_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "conformance/probe/engine.h"

namespace probe {

struct FuzzOptions {
  double seconds = 10;
  absl::Duration timeout = absl::Seconds(1);
  std::string findings_dir = "probe-findings";
  uint64_t seed = 0;  // 0: from the clock
  int max_findings = 20;
};

// A finding: what was sent (the writes, in order), what was seen.
struct Trace {
  std::string kind;      // "crash", "hang", "violation"
  std::string detail;
  uint64_t seed = 0;
  uint64_t iteration = 0;
  std::vector<std::string> writes;  // octets of each write
};
std::string TraceToJson(const Trace& t);
absl::StatusOr<Trace> TraceFromJson(const std::string& text);

// What one exchange showed.
struct FuzzOutcome {
  std::string kind;    // "" (fine), "crash", "hang", "violation"
  std::string detail;
  std::string answer;  // summary of the server's reaction
  std::string trace;   // both directions, timed
};
// Sends `writes` over a fresh connection, then a PING; classifies the reaction.
FuzzOutcome Exchange1(const Target& target, const std::vector<std::string>& writes, absl::Duration timeout);

struct FuzzStats {
  uint64_t iterations = 0;
  uint64_t frames = 0;
  uint64_t goaways = 0, resets = 0, closes = 0;
  std::vector<std::string> finding_files;
};
FuzzStats Fuzz(const Target& target, const FuzzOptions& options, std::ostream& progress);

int RunFuzz(const Target& target, const FuzzOptions& options, std::ostream& out);
int Replay(const Target& target, const std::string& path, absl::Duration timeout, std::ostream& out);

}  // namespace probe

#endif  // H2HARNESS_CONFORMANCE_PROBE_FUZZ_H_
