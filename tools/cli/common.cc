#include "tools/cli/common.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, json, "", "also write the results as JSON to this file");
ABSL_FLAG(std::string, junit, "",
          "also write the results as JUnit XML (one testcase per story or case)");
ABSL_FLAG(int, jobs, 0,
          "stories checked in parallel (0: one per CPU); probe: connections at once (0: 8)");
ABSL_FLAG(bool, quiet, false, "print only failures and the summary, not a line per passing item");
ABSL_FLAG(std::string, timeout, "",
          "how long to wait: a duration (10s, 250ms) or a bare number in the command's unit "
          "(stories: seconds per adapter run, default 10; probe: milliseconds per case, default "
          "1000)");

ABSL_FLAG(uint32_t, table_size, 4096,
          "SETTINGS_HEADER_TABLE_SIZE of the decoder, also the encoder's table cap; written "
          "as the first case's header_table_size when not 4096");
ABSL_FLAG(std::string, huffman, "auto",
          "Huffman-code string literals: auto (only when shorter), never, always");
namespace cli {

std::string ReadAll(std::istream& in) {
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::vector<std::string> PathsOr(const std::vector<std::string>& args,
                                 const std::string& fallback) {
  if (!args.empty()) return args;
  const char* root = std::getenv("H2HARNESS_ROOT");
  return {root ? absl::StrCat(root, "/", fallback) : fallback};
}

int Jobs() {
  const int jobs = absl::GetFlag(FLAGS_jobs);
  if (jobs > 0) return jobs;
  return std::max(1u, std::thread::hardware_concurrency());
}

absl::StatusOr<absl::Duration> TimeoutFlag(absl::Duration bare_unit, absl::Duration fallback) {
  const std::string text = absl::GetFlag(FLAGS_timeout);
  if (text.empty()) return fallback;
  double number;
  absl::Duration d;
  if (absl::SimpleAtod(text, &number)) {
    d = number * bare_unit;
  } else if (!absl::ParseDuration(text, &d)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--timeout: \"", text, "\" is neither a number nor a duration like 10s"));
  }
  if (d <= absl::ZeroDuration() || d == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(absl::StrCat("--timeout must be positive, not \"", text, "\""));
  }
  return d;
}

}  // namespace cli
