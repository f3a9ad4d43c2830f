// HPACK "stories": the hpack-test-case JSON format.
//
//   {"cases": [{"seqno": 0, "header_table_size": 4096, "wire": "<hex>",
//               "headers": [{"name": "value"}, ...]}, ...],
//    "description": "..."}
//
// Cases in one story share one HPACK context. `header_table_size` (optional) is the
// SETTINGS_HEADER_TABLE_SIZE in force from that case on; `wire` is absent in raw stories.
// A JSON null for an optional member means the member is absent (published corpora write
// "header_table_size": null).
//
// h2harness extensions (README "Stories"), all optional; files without them are plain
// hpack-test-case stories:
//  - a case may carry "error": "<rule>" in place of "headers": its block must be rejected
//    for that rule (hpack::ErrorName, e.g. "index_out_of_range");
//  - a case may carry "never_indexed": [i, ...], the indices into its "headers" of the
//    fields that its wire encodes as never-indexed literals (RFC 7541 §6.2.3), and only
//    those; in a raw story, the fields an encoder must encode that way (§7.1.3);
//  - the story may carry "rests_on": {"requirement": ..., "rfc": ..., "text": ...}: what
//    the verdict on another decoder rests on (see Requirement).
// Names and values are octet strings, by the convention in json_bytes.h.
#ifndef H2HARNESS_CONFORMANCE_STORY_H_
#define H2HARNESS_CONFORMANCE_STORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "hpack/header.h"

namespace conformance {

// What a decoder must do with a story, by the RFC (the "rests_on" extension).
enum class Requirement {
  kMustAccept,             // valid; needs no more than the baseline limits (README)
  kMustAcceptLargeLimits,  // valid, but needs limits above the baseline: rejecting it is
                           // an implementation limit the RFC allows (§5.1, §7.4)
  kMustReject,             // the RFC says the block MUST be treated as a decoding error
  kMayReject,              // rejecting rests on a limit the RFC lets each decoder choose
};
absl::string_view RequirementName(Requirement r);  // "must_accept", ...
bool ParseRequirement(absl::string_view name, Requirement* r);

struct Basis {
  Requirement requirement = Requirement::kMustAccept;
  std::string rfc;     // "RFC 7541 §6.1"
  std::string text;    // the sentence(s) of the RFC it rests on
  std::string limits;  // kMustAcceptLargeLimits: which limits the story needs
};

struct StoryCase {
  int64_t seqno = 0;
  std::optional<uint32_t> header_table_size;
  std::optional<std::string> wire;  // the header block's octets (decoded from hex)
  // HeaderField::never_indexed is set for the fields "never_indexed" lists.
  std::optional<hpack::HeaderList> headers;
  std::optional<std::string> error;  // negative case: the rule the block breaks
  bool never_indexed_listed = false;  // the case has "never_indexed"
};

struct Story {
  std::string description;
  std::vector<StoryCase> cases;
  // Where it came from, for messages ("corpora/stories/raw-data/story_00.json").
  std::string source;
  // Other top-level members (e.g. hpack-test-case's "draft"), kept as JSON text so that
  // reading and writing a story loses nothing.
  std::vector<std::pair<std::string, std::string>> extra;
  std::optional<Basis> rests_on;

  size_t HeaderCount() const;
  bool HasWire() const;  // every case has `wire`
};

// Parses story JSON. Errors name `source`, the case index and seqno, and the field.
absl::StatusOr<Story> ParseStory(absl::string_view json_text, absl::string_view source);
absl::StatusOr<Story> LoadStory(const std::string& path);

// Serialises a story: cases first, one header per line, description last.
std::string SerializeStory(const Story& story);
// The same on one line, with no newline in it (the batch adapter protocol).
std::string SerializeStoryLine(const Story& story);
absl::Status WriteStory(const Story& story, const std::string& path);

// Story files under `paths` (files, or directories searched recursively for *.json), in
// sorted order. Missing paths are an error.
absl::StatusOr<std::vector<std::string>> FindStoryFiles(const std::vector<std::string>& paths);

// Where each of `files` goes under an output directory: its path relative to the deepest
// directory that contains them all ("a/x/s.json", "a/y/s.json" -> "x/s.json", "y/s.json"),
// so that stories from several directories never overwrite each other.
std::vector<std::string> RelativeOutputPaths(const std::vector<std::string>& files);

}  // namespace conformance

#endif  // H2HARNESS_CONFORMANCE_STORY_H_
