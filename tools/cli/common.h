// Flags and helpers shared by several command groups of the h2harness CLI.
#ifndef H2HARNESS_TOOLS_CLI_COMMON_H_
#define H2HARNESS_TOOLS_CLI_COMMON_H_

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

ABSL_DECLARE_FLAG(std::string, json);
ABSL_DECLARE_FLAG(std::string, junit);
ABSL_DECLARE_FLAG(int, jobs);
ABSL_DECLARE_FLAG(bool, quiet);
ABSL_DECLARE_FLAG(std::string, timeout);
// The HPACK encoder's settings (hpack encode, stories encode, ...).
ABSL_DECLARE_FLAG(uint32_t, table_size);
ABSL_DECLARE_FLAG(std::string, huffman);

namespace cli {

std::string ReadAll(std::istream& in);

// Paths given, or `fallback` under the project root (H2HARNESS_ROOT, which tools/h2harness
// sets, or the current directory).
std::vector<std::string> PathsOr(const std::vector<std::string>& args,
                                 const std::string& fallback);

// --jobs, or one per CPU.
int Jobs();

// --timeout: a duration ("10s", "250ms", "1.5s") or a bare number in the command's own unit
// (`bare_unit`: seconds for stories, milliseconds for the probe); `fallback` when unset.
absl::StatusOr<absl::Duration> TimeoutFlag(absl::Duration bare_unit, absl::Duration fallback);

}  // namespace cli

#endif  // H2HARNESS_TOOLS_CLI_COMMON_H_
