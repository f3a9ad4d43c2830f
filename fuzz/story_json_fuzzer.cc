// Arbitrary bytes as a story file: through the loader and the verify path (malformed JSON
// has crashed other tools' runners). A clear error or a verdict, never a crash or a hang;
// and a story that loads is written back and loaded again unchanged.
#include <cstdint>
#include <string>

#include "conformance/story.h"
#include "conformance/verify.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<conformance::Story> story = conformance::ParseStory(text, "fuzz.json");
  if (!story.ok()) {
    fuzz::Check(!story.status().message().empty(), "an error without a message");
    return 0;
  }
  const std::string written = conformance::SerializeStory(*story);
  absl::StatusOr<conformance::Story> again = conformance::ParseStory(written, "fuzz.json");
  if (!again.ok())
    fuzz::Fail("a written story does not load: " + std::string(again.status().message()));
  fuzz::Check(conformance::SerializeStory(*again) == written, "write/read/write is not stable");
  const conformance::StoryResult r = conformance::VerifyStory(*story);
  fuzz::Check(r.passed || !r.failure.empty(), "a failed verdict without a reason");
  return 0;
}
