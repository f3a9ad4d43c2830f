// Verifying stories against the h2harness Inflater (and, for raw stories, the Deflater).
#ifndef H2HARNESS_CONFORMANCE_VERIFY_H_
#define H2HARNESS_CONFORMANCE_VERIFY_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "conformance/story.h"
#include "hpack/header.h"

namespace conformance {

// The outcome for one story (one JUnit testcase).
struct StoryResult {
  std::string path;
  enum class Kind { kWire, kRaw, kNegative, kUnreadable } kind = Kind::kWire;
  bool passed = false;
  bool skipped = false;  // not applicable (e.g. no wire for a decoder); neither pass nor fail
  size_t cases = 0;      // cases checked
  size_t headers = 0;    // header fields compared
  std::string failure;   // why it failed: names seqno, header index, expected vs got
  double seconds = 0;
};

const char* KindName(StoryResult::Kind kind);

// First difference between two header lists, "" if equal: "header 3: expected
// \"a: b\", got \"a: c\"" (escaped octets), or a count mismatch with the first extra field.
std::string DiffHeaders(const hpack::HeaderList& expected, const hpack::HeaderList& got);

// Verifies a parsed story:
//  - with wire: a fresh Inflater (limit 4096); each case's header_table_size becomes the
//    limit before its block; the decoded list must equal `headers`, in order;
//  - negative cases ("error": rule) must be rejected for that rule; nothing may follow;
//  - raw (no wire anywhere): a round trip through the Deflater and the Inflater.
StoryResult VerifyStory(const Story& story);

// Loads and verifies; unreadable or malformed files are failed results, not errors.
StoryResult VerifyStoryFile(const std::string& path);

}  // namespace conformance

#endif  // H2HARNESS_CONFORMANCE_VERIFY_H_
