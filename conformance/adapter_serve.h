// The adapter's side of the adapter protocol (conformance/external.h), for adapters written
// in C++: one story on stdin (one-shot), or, after the hello line {"h2harness_batch": 1},
// one story per line until the end of input (batch).
#ifndef H2HARNESS_CONFORMANCE_ADAPTER_SERVE_H_
#define H2HARNESS_CONFORMANCE_ADAPTER_SERVE_H_

#include <functional>
#include <istream>
#include <ostream>
#include <string>

#include "absl/strings/string_view.h"

namespace conformance {

struct AdapterReply {
  enum class Kind {
    kStory,       // `text` is the story (exit 0 in one-shot mode)
    kRejected,    // `text` is the {"error": ...} object (exit 1)
    kInputError,  // `text` is a message for stderr (exit 2; a batch adapter stops)
  } kind = Kind::kStory;
  std::string text;
};

// Calls `handle(story_json, one_line)` for the one story, or for each line in batch mode
// (`one_line`: the reply must fit on one line), and writes the replies. `capabilities` are
// extra members for the hello answer, e.g. "\"never_indexed\": true". Returns the exit status.
int ServeAdapter(std::istream& in, std::ostream& out, std::ostream& err,
                 absl::string_view program, absl::string_view capabilities,
                 const std::function<AdapterReply(absl::string_view story_json, bool one_line)>&
                     handle);

}  // namespace conformance

#endif  // H2HARNESS_CONFORMANCE_ADAPTER_SERVE_H_
