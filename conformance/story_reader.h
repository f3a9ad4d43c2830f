// A JSON reader specialised for story files (story.h): it reads the text once, straight
// into a Story, unescaping octet strings as it goes (lone \udc80..\udcff escapes are single
// octets, json_bytes.h's convention) and decoding "wire" hex in place, without building a
// JSON tree. It accepts exactly RFC 8259 JSON (UTF-8, optional BOM), with a nesting limit.
//
// Chosen over nlohmann/json, RapidJSON and simdjson by `tools/bench json` (README: "Story
// loading"): story loading was ~90% JSON work, and this reader does it several times faster
// than the libraries, which need a tree plus a pass for the octet convention.
//
// Errors name the source, and either the line and column with what was expected there
// ("invalid JSON at line 3, column 7: expected ',' or '}' after a member"), or, for a
// well-formed file that is not a story, the case, its seqno and the field.
#ifndef H2HARNESS_CONFORMANCE_STORY_READER_H_
#define H2HARNESS_CONFORMANCE_STORY_READER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "conformance/story.h"

namespace conformance {

absl::StatusOr<Story> ReadStoryJson(absl::string_view text, absl::string_view source);

// Hex digits to octets, whitespace between them allowed (a story's "wire"). Returns "" or
// what is wrong ("odd number of hex digits (3)", "non-hex character 'z' at position 2").
std::string DecodeHex(absl::string_view hex, std::string* out);

}  // namespace conformance

#endif  // H2HARNESS_CONFORMANCE_STORY_READER_H_
