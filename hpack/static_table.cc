#include "hpack/static_table.h"

#include <cstdint>
#include <cstring>

#include "hpack/octets.h"

namespace hpack {
namespace {

struct StaticNameSlot {
  uint8_t first;  // 1-based index of the first entry with the name; 0: an empty slot
  uint8_t count;  // entries with the name are consecutive in Appendix A
};

#include "hpack/static_table.inc"

// This runs for every field the Deflater sees: one multiply finds the only static name a
// name can be (see static_table.inc), and one comparison tells whether it is.
H2H_WRAPS_ON_PURPOSE inline size_t NameSlot(absl::string_view name) {
  const uint32_t key = static_cast<uint32_t>(name.size()) |
                       static_cast<uint32_t>(static_cast<uint8_t>(name.front())) << 8 |
                       static_cast<uint32_t>(static_cast<uint8_t>(name.back())) << 16;
  return (key * kStaticNameHashMul) >> (32 - kStaticNameHashBits);
}

constexpr bool EveryStaticStringIsShort() {
  for (const StaticEntry& e : kStaticTableEntries) {
    if (e.name.size() > 32 || e.value.size() > 32) return false;
  }
  return true;
}
static_assert(EveryStaticStringIsShort(), "SameShortOctets compares at most 32 octets");

// a == b for a.size() == b.size() <= 32 (every static name and value is): a few
// overlapping loads and no call, so StaticTableFind stays a cheap leaf function.
inline bool SameShortOctets(const char* a, const char* b, size_t n) {
  auto load64 = [](const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  };
  if (n >= 8) {
    uint64_t diff = (load64(a) ^ load64(b)) | (load64(a + n - 8) ^ load64(b + n - 8));
    if (n > 16) diff |= (load64(a + 8) ^ load64(b + 8)) | (load64(a + n - 16) ^ load64(b + n - 16));
    return diff == 0;
  }
  if (n >= 4) {
    uint32_t a0, a1, b0, b1;
    std::memcpy(&a0, a, 4);
    std::memcpy(&b0, b, 4);
    std::memcpy(&a1, a + n - 4, 4);
    std::memcpy(&b1, b + n - 4, 4);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

const StaticEntry& StaticTableEntry(size_t index) { return kStaticTableEntries[index - 1]; }

StaticMatch StaticTableFind(absl::string_view name, absl::string_view value) {
  StaticMatch match;
  if (name.empty() || name.size() > kStaticNameMaxLength) return match;
  const StaticNameSlot s = kStaticNameSlots[NameSlot(name)];
  if (s.first == 0) return match;
  const absl::string_view candidate = kStaticTableEntries[s.first - 1].name;
  if (candidate.size() != name.size() ||
      !SameShortOctets(candidate.data(), name.data(), name.size())) {
    return match;
  }
  match.name = s.first;
  for (size_t i = s.first; i < size_t{s.first} + s.count; ++i) {
    const absl::string_view v = kStaticTableEntries[i - 1].value;
    if (v.size() == value.size() && SameShortOctets(v.data(), value.data(), v.size())) {
      match.field = i;
      break;
    }
  }
  return match;
}

}  // namespace hpack
