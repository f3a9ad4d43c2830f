// Verifying stories against the h2harness Inflater (and, for raw stories, the Deflater).
#ifndef H2HARNESS_CONFORMANCE_VERIFY_H_
#define H2HARNESS_CONFORMANCE_VERIFY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "conformance/story.h"
#include "hpack/header.h"
#include "hpack/inflater.h"

namespace conformance {

// The outcome for one story (one JUnit testcase).
struct StoryResult {
  std::string path;
  enum class Kind { kWire, kRaw, kNegative, kUnreadable } kind = Kind::kWire;
  bool passed = false;
  bool skipped = false;  // not applicable (e.g. no wire for a decoder); neither pass nor fail
  size_t cases = 0;      // cases checked
  size_t headers = 0;    // header fields compared
  std::string failure;   // why it failed, or why it was skipped or could not be read
  double seconds = 0;

  // Each story ends in exactly one of these. kUnreadable: the input could not be read,
  // which says nothing about the implementation under test.
  enum class Verdict { kPassed, kFailed, kSkipped, kUnreadable };
  Verdict verdict() const {
    if (kind == Kind::kUnreadable) return Verdict::kUnreadable;
    if (skipped) return Verdict::kSkipped;
    return passed ? Verdict::kPassed : Verdict::kFailed;
  }
};

const char* KindName(StoryResult::Kind kind);
const char* VerdictName(StoryResult::Verdict verdict);  // "passed", "failed", ...

// How header lists are compared.
enum class NeverIndexedCheck {
  kIgnore,  // names and values only
  kExact,   // and the never-indexed mark of every field
  kMarked,  // and every field marked in `expected` is marked in `got` (an encoder may
            // choose never-indexed for other fields too)
};

// First difference between two header lists, "" if equal: "header 3: expected
// \"a: b\", got \"a: c\"" (escaped octets; long values cut around the first difference),
// a count mismatch with the first extra field, or a never-indexed mark.
std::string DiffHeaders(const hpack::HeaderList& expected, const hpack::HeaderList& got,
                        NeverIndexedCheck check = NeverIndexedCheck::kIgnore);

struct VerifyOptions {
  // The decoder's limits; check-encoder raises them so that only RFC rules can fail.
  hpack::InflaterOptions inflater;
  // Raw stories (no wire): kMarked, as an encoder input. Wire stories: a case that lists
  // "never_indexed" is compared exactly, others by name and value.
  NeverIndexedCheck raw_never_indexed = NeverIndexedCheck::kMarked;
  // Wire stories: when set, every case is compared so, whatever it lists.
  std::optional<NeverIndexedCheck> wire_never_indexed;
};

// Verifies a parsed story:
//  - with wire: a fresh Inflater (limit 4096); each case's header_table_size becomes the
//    limit before its block; the decoded list must equal `headers`, in order, and the
//    never-indexed marks must be those "never_indexed" lists, where it does;
//  - negative cases ("error": rule) must be rejected for that rule; nothing may follow;
//  - raw (no wire anywhere): a round trip through the Deflater and the Inflater.
// `decoded`, if given, receives the decoded list of each case that decoded.
StoryResult VerifyStory(const Story& story, const VerifyOptions& options = {},
                        std::vector<hpack::HeaderList>* decoded = nullptr);

// Loads and verifies; unreadable or malformed files are kUnreadable results, not errors.
StoryResult VerifyStoryFile(const std::string& path);

// A result for a story that could not be loaded.
StoryResult UnreadableResult(const std::string& path, const absl::Status& status);

}  // namespace conformance

#endif  // H2HARNESS_CONFORMANCE_VERIFY_H_
