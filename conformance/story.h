// HPACK "stories": the hpack-test-case JSON format.
//
//   {"cases": [{"seqno": 0, "header_table_size": 4096, "wire": "<hex>",
//               "headers": [{"name": "value"}, ...]}, ...],
//    "description": "..."}
//
// Cases in one story share one HPACK context. `header_table_size` (optional) is the
// SETTINGS_HEADER_TABLE_SIZE in force from that case on; `wire` is absent in raw stories.
// h2harness extension: a case may carry "error": "<rule>" in place of "headers": its block
// must be rejected for that rule (hpack::ErrorName, e.g. "index_out_of_range").
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

struct StoryCase {
  int64_t seqno = 0;
  std::optional<uint32_t> header_table_size;
  std::optional<std::string> wire;  // the header block's octets (decoded from hex)
  std::optional<hpack::HeaderList> headers;
  std::optional<std::string> error;  // negative case: the rule the block breaks
};

struct Story {
  std::string description;
  std::vector<StoryCase> cases;
  // Where it came from, for messages ("corpora/stories/raw-data/story_00.json").
  std::string source;
  // Other top-level members (e.g. hpack-test-case's "draft"), kept as JSON text so that
  // reading and writing a story loses nothing.
  std::vector<std::pair<std::string, std::string>> extra;

  size_t HeaderCount() const;
  bool HasWire() const;  // every case has `wire`
};

// Parses story JSON. Errors name `source`, the case index and seqno, and the field.
absl::StatusOr<Story> ParseStory(absl::string_view json_text, absl::string_view source);
absl::StatusOr<Story> LoadStory(const std::string& path);

// Serialises a story: cases first, one header per line, description last.
std::string SerializeStory(const Story& story);
absl::Status WriteStory(const Story& story, const std::string& path);

// Story files under `paths` (files, or directories searched recursively for *.json), in
// sorted order. Missing paths are an error.
absl::StatusOr<std::vector<std::string>> FindStoryFiles(const std::vector<std::string>& paths);

}  // namespace conformance

#endif  // H2HARNESS_CONFORMANCE_STORY_H_
