// Helpers shared by the hpack tests.
#ifndef H2HARNESS_HPACK_TEST_UTIL_H_
#define H2HARNESS_HPACK_TEST_UTIL_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "hpack/header.h"
#include "hpack/inflater.h"

namespace hpack {
namespace test {

// "8286 8441 0f77" (the RFC's notation; whitespace ignored) -> octets. Fails the test on
// bad hex.
std::string FromHex(absl::string_view hex);
// Octets -> lowercase hex in groups of 4 digits, like the RFC ("8286 8441 0f77").
std::string ToHex(absl::string_view bytes);

HeaderList Headers(std::vector<std::pair<std::string, std::string>> fields);

// How a decoder test feeds each header block to the Inflater. Every decoder test runs in
// all modes and must give the same fields and the same errors (same message) in each.
struct FeedMode {
  enum Kind { kWhole, kOctetByOctet, kRandomFragments } kind;
  uint32_t seed = 0;
  std::string Name() const;
};
std::vector<FeedMode> AllFeedModes();

// Splits `block` into fragments per `mode` (some possibly empty).
std::vector<absl::string_view> Fragment(absl::string_view block, const FeedMode& mode);

// Decodes one block per `mode`.
absl::StatusOr<HeaderList> Feed(Inflater& inflater, absl::string_view block, const FeedMode& mode);

class InflaterModeTest : public ::testing::TestWithParam<FeedMode> {
 protected:
  absl::StatusOr<HeaderList> Decode(Inflater& inflater, absl::string_view block) {
    return Feed(inflater, block, GetParam());
  }
};

#define H2H_INSTANTIATE_FEED_MODES(suite)                                                        \
  INSTANTIATE_TEST_SUITE_P(FeedModes, suite, ::testing::ValuesIn(::hpack::test::AllFeedModes()), \
                           [](const auto& info) { return info.param.Name(); })

}  // namespace test
}  // namespace hpack

#endif  // H2HARNESS_HPACK_TEST_UTIL_H_
