#include "hpack/static_table.h"

#include <array>
#include <cstdint>

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

}  // namespace

const StaticEntry& StaticTableEntry(size_t index) { return kStaticTableEntries[index - 1]; }

StaticMatch StaticTableFind(absl::string_view name, absl::string_view value) {
  StaticMatch match;
  if (name.empty() || name.size() > kStaticNameMaxLength) return match;
  const StaticNameSlot s = kStaticNameSlots[NameSlot(name)];
  if (s.first == 0 || !SameOctets(kStaticTableEntries[s.first - 1].name, name)) return match;
  match.name = s.first;
  for (size_t i = s.first; i < size_t{s.first} + s.count; ++i) {
    if (SameOctets(kStaticTableEntries[i - 1].value, value)) {
      match.field = i;
      break;
    }
  }
  return match;
}

}  // namespace hpack
