// Checking another HPACK implementation through an adapter program (README: "Validating
// other implementations").
//
// One-shot protocol: the runner starts the adapter once per story, writes the story as JSON
// on its stdin and reads it back on stdout with `headers` (decoder role) or `wire` (encoder
// role) filled in. Exit 0 with the story: success; non-zero exit with exactly one JSON
// object {"error": ...} on stdout: the implementation rejected a block; anything else (a
// crash, a timeout, another exit, unparsable output) is a failure of the implementation
// and its adapter, never of the runner.
//
// Batch protocol (optional, negotiated): the runner first starts the adapter with only the
// line {"h2harness_batch": 1} on stdin. An adapter that speaks it answers with one line,
// {"h2harness_batch": 1, ...capabilities} (e.g. "never_indexed": true when it reports
// never-indexed literals). Then each worker keeps one adapter process: it sends the same
// hello line, then one story per line; the adapter answers each with one line, the story
// or {"error": ...}, and exits at the end of its input. An adapter that does not answer the
// hello is run once per story.
#ifndef H2HARNESS_CONFORMANCE_EXTERNAL_H_
#define H2HARNESS_CONFORMANCE_EXTERNAL_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "conformance/story.h"
#include "conformance/subprocess.h"
#include "conformance/verify.h"

namespace conformance {

struct AdapterOptions {
  std::string command;  // run with /bin/sh -c; the environment has H2HARNESS_ROLE
  double timeout_seconds = 10;
  bool batch = true;  // use the batch protocol when the adapter offers it
};

// One adapter command in one role, shared by the worker threads of a run.
class Adapter {
 public:
  enum class Role { kDecode, kEncode };
  Adapter(AdapterOptions options, Role role);
  ~Adapter();

  struct Capabilities {
    bool batch = false;
    bool never_indexed = false;  // reports (decoder) / honours (encoder) never-indexed marks
  };
  // Negotiated on first use (thread-safe): one run of the adapter with the hello line.
  const Capabilities& capabilities();

  struct Outcome {
    enum class Kind { kOk, kRejected, kFailed } kind = Kind::kFailed;
    Story story;          // kOk: what the adapter wrote back
    std::string message;  // kRejected: its error; kFailed: what went wrong
  };
  // Runs one story through the adapter (one process, or one line to a batch process).
  Outcome Run(const Story& input);

  const AdapterOptions& options() const { return options_; }

 private:
  class Session;
  Outcome RunOnce(const Story& input);
  Outcome RunBatch(const Story& input);

  AdapterOptions options_;
  Role role_;
  std::once_flag probed_;
  Capabilities capabilities_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Session>> idle_;  // batch processes between stories
};

// Decoder role: the story's wire goes in (headers, errors and never-indexed marks
// stripped); the headers that come back must equal the story's, with the never-indexed
// marks where both the story and the adapter give them. For a negative story, the cases
// before the bad block must decode right, and then the verdict follows the story's
// requirement (rests_on, or by default: must reject, or may reject for an h2harness limit):
//   must_accept               rejected: failed
//   must_accept_large_limits  rejected: skipped (a limit the RFC allows)
//   must_reject               accepted: failed
//   may_reject                accepted or rejected: skipped
// Stories without wire are skipped; stories that cannot be read are unreadable.
StoryResult CheckDecoder(const std::string& path, Adapter& adapter);

// The requirement a decoder is held to for `story` (see CheckDecoder).
Requirement RequirementOf(const Story& story);

struct EncodeSettings {
  // The decoder's SETTINGS_HEADER_TABLE_SIZE for the story and changes mid-story, written
  // into the input as header_table_size (like `stories encode`; conformance/story_codec.h).
  uint32_t table_size = 4096;
  bool change_table_size = false;
};

struct EncoderCheck {
  StoryResult result;
  std::optional<Story> encoded;  // the implementation's story, when it produced one
  uint64_t wire_bytes = 0;
  uint64_t raw_bytes = 0;  // name + value octets of the headers encoded
};

// Encoder role: the story's headers go in (wire stripped; header_table_size kept, or set by
// `settings`); h2harness decodes the wire that comes back, with no list or field-count
// limit of its own and with the header_table_size values of the input (whatever the
// adapter echoes), and it must give the same headers; fields marked never-indexed must be
// encoded as never-indexed literals when the adapter says it honours the marks. Stories
// that are negative or lack headers are skipped.
EncoderCheck CheckEncoder(const std::string& path, Adapter& adapter,
                          const EncodeSettings& settings = {});

// name + value octets of every header in the story (hpack-test-case's "raw" size).
uint64_t RawHeaderBytes(const Story& story);

}  // namespace conformance

#endif  // H2HARNESS_CONFORMANCE_EXTERNAL_H_
