// Checking another HPACK implementation through an adapter program (README: "Validating
// other implementations"): the runner sends one story as JSON on stdin and reads it back
// on stdout with `headers` (decoder role) or `wire` (encoder role) filled in. A non-zero
// exit means the implementation rejected a block; a crash, a timeout or malformed output is
// a failure of the implementation, never of the runner.
#ifndef H2HARNESS_CONFORMANCE_EXTERNAL_H_
#define H2HARNESS_CONFORMANCE_EXTERNAL_H_

#include <cstdint>
#include <optional>
#include <string>

#include "conformance/story.h"
#include "conformance/verify.h"

namespace conformance {

struct AdapterOptions {
  std::string command;  // run with /bin/sh -c; the environment has H2HARNESS_ROLE
  double timeout_seconds = 10;
};

// Decoder role: the story's wire goes in (headers and errors stripped); the headers that
// come back must equal the story's. For a negative story, the cases before the bad block
// must decode right and the whole story must be rejected. Stories without wire are skipped.
StoryResult CheckDecoder(const std::string& path, const AdapterOptions& options);

struct EncoderCheck {
  StoryResult result;
  std::optional<Story> encoded;  // the implementation's story, when it produced one
  uint64_t wire_bytes = 0;
  uint64_t raw_bytes = 0;  // name + value octets of the headers encoded
};

// Encoder role: the story's headers go in (wire stripped, header_table_size kept); the wire
// that comes back is decoded by h2harness and must give the same headers. Stories that are
// negative or lack headers are skipped.
EncoderCheck CheckEncoder(const std::string& path, const AdapterOptions& options);

// name + value octets of every header in the story (hpack-test-case's "raw" size).
uint64_t RawHeaderBytes(const Story& story);

}  // namespace conformance

#endif  // H2HARNESS_CONFORMANCE_EXTERNAL_H_
