#include "hpack/test_util.h"

#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace hpack {
namespace test {

std::string FromHex(absl::string_view hex) {
  std::string digits;
  for (char c : hex) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) continue;
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      ADD_FAILURE() << "bad hex digit '" << c << "' in " << hex;
      return "";
    }
    digits += c;
  }
  if (digits.size() % 2) ADD_FAILURE() << "odd number of hex digits in " << hex;
  return absl::HexStringToBytes(digits);
}

std::string ToHex(absl::string_view bytes) {
  const std::string hex = absl::BytesToHexString(bytes);
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 4) {
    if (i) out += ' ';
    out += hex.substr(i, 4);
  }
  return out;
}

HeaderList Headers(std::vector<std::pair<std::string, std::string>> fields) {
  HeaderList out;
  for (auto& [n, v] : fields) out.emplace_back(std::move(n), std::move(v));
  return out;
}

std::string FeedMode::Name() const {
  switch (kind) {
    case kWhole:
      return "Whole";
    case kOctetByOctet:
      return "OctetByOctet";
    case kRandomFragments:
      return absl::StrCat("Random", seed);
  }
  return "?";
}

std::vector<FeedMode> AllFeedModes() {
  std::vector<FeedMode> modes = {{FeedMode::kWhole}, {FeedMode::kOctetByOctet}};
  for (uint32_t seed = 1; seed <= 6; ++seed) modes.push_back({FeedMode::kRandomFragments, seed});
  return modes;
}

std::vector<absl::string_view> Fragment(absl::string_view block, const FeedMode& mode) {
  std::vector<absl::string_view> out;
  switch (mode.kind) {
    case FeedMode::kWhole:
      out.push_back(block);
      break;
    case FeedMode::kOctetByOctet:
      for (size_t i = 0; i < block.size(); ++i) out.push_back(block.substr(i, 1));
      out.push_back(block.substr(block.size()));  // an empty final fragment
      break;
    case FeedMode::kRandomFragments: {
      // Deterministic per seed and block, so a failure reproduces.
      std::mt19937 rng(mode.seed * 7919 + block.size());
      size_t i = 0;
      while (i < block.size()) {
        const size_t n = std::uniform_int_distribution<size_t>(0, 9)(rng);
        out.push_back(block.substr(i, n));
        i += std::min(n, block.size() - i);
      }
      if (out.empty()) out.push_back(block);
      break;
    }
  }
  return out;
}

absl::StatusOr<HeaderList> Feed(Inflater& inflater, absl::string_view block, const FeedMode& mode) {
  HeaderList out;
  std::vector<absl::string_view> parts = Fragment(block, mode);
  for (size_t i = 0; i < parts.size(); ++i) {
    absl::Status s = inflater.InflateFragment(parts[i], i + 1 == parts.size(), &out);
    if (!s.ok()) return s;
  }
  return out;
}

}  // namespace test
}  // namespace hpack
