// Running many stories: in parallel, with progress on stderr, and reports (text summary,
// JSON, JUnit XML) that CI systems read.
#ifndef H2HARNESS_CONFORMANCE_RUNNER_H_
#define H2HARNESS_CONFORMANCE_RUNNER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "conformance/verify.h"

namespace conformance {

// Applies `fn` to every path with `jobs` threads; results keep the order of `paths`. Shows
// a progress line on stderr (rewritten in place on a terminal, every few seconds
// otherwise) when the run takes more than a moment. `should_stop` (may be null) ends the
// run early: the output then ends with the first result (in path order) that asked to
// stop, so that it does not depend on how the threads were scheduled.
std::vector<StoryResult> RunParallel(const std::vector<std::string>& paths, int jobs,
                                     const std::function<StoryResult(const std::string&)>& fn,
                                     const std::function<bool(const StoryResult&)>& should_stop,
                                     const std::string& verb);

// The directory a story lives in ("h2harness-huffman-4096"): its variant.
std::string VariantOf(const std::string& path);

struct MatrixRow {
  std::string implementation;  // "h2harness" or the adapter command
  std::string role;            // "decoder", "encoder", "round trip"
  std::string variant;
  int passed = 0, failed = 0, skipped = 0, unreadable = 0;
  uint64_t wire_bytes = 0, raw_bytes = 0;  // encoder role: for the compression ratio
};

struct Report {
  std::string command;  // "stories verify"
  std::vector<StoryResult> results;
  std::vector<MatrixRow> matrix;
  double seconds = 0;

  int passed() const;
  int failed() const;
  int skipped() const;
  int unreadable() const;
};

// Counts per variant for one implementation and role (raw stories under "decoder" count
// as "round trip").
std::vector<MatrixRow> BuildMatrix(const std::vector<StoryResult>& results,
                                   const std::string& implementation, const std::string& role);

// Per-story lines ("ok   PATH (N cases)", "FAIL PATH: why", "BAD  PATH: why" for input
// that cannot be read, "skip" lines with consecutive skips of one directory for one reason
// on one line), then the matrix, then "N passed, N failed[, N skipped][, N unreadable]".
void PrintReport(const Report& report, bool quiet_passes);

absl::Status WriteJsonReport(const Report& report, const std::string& path);
absl::Status WriteJUnitReport(const Report& report, const std::string& path);

}  // namespace conformance

#endif  // H2HARNESS_CONFORMANCE_RUNNER_H_
