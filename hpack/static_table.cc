#include "hpack/static_table.h"

#include <array>
#include <cstdint>

#include "hpack/octets.h"

namespace hpack {
namespace {

#include "hpack/static_table.inc"

// Static names differ in (length, first octet, last octet), so a small open-addressing
// table keyed on those finds a name with one or two probes and a single comparison —
// cheaper than hashing the whole name, and this runs for every field the Deflater sees.
constexpr size_t kSlots = 256;

struct NameSlot {
  uint8_t first = 0;  // 1-based index of the first entry with the name; 0 = empty
  uint8_t count = 0;  // entries with the name are consecutive in Appendix A
};

H2H_WRAPS_ON_PURPOSE inline size_t SlotOf(absl::string_view name) {
  const uint32_t key = static_cast<uint32_t>(name.size()) * 0x9E3779B1u ^
                       static_cast<uint8_t>(name.front()) * 0x85EBCA6Bu ^
                       static_cast<uint8_t>(name.back()) * 0xC2B2AE35u;
  return (key >> 24) & (kSlots - 1);
}

const std::array<NameSlot, kSlots>& Slots() {
  static const std::array<NameSlot, kSlots> slots = [] {
    std::array<NameSlot, kSlots> s{};
    for (size_t i = 1; i <= kStaticTableSize; ++i) {
      const absl::string_view name = kStaticTableEntries[i - 1].name;
      for (size_t k = SlotOf(name);; k = (k + 1) & (kSlots - 1)) {
        if (s[k].first == 0) {
          s[k] = {static_cast<uint8_t>(i), 1};
          break;
        }
        if (kStaticTableEntries[s[k].first - 1].name == name) {
          ++s[k].count;
          break;
        }
      }
    }
    return s;
  }();
  return slots;
}

}  // namespace

const StaticEntry& StaticTableEntry(size_t index) { return kStaticTableEntries[index - 1]; }

StaticMatch StaticTableFind(absl::string_view name, absl::string_view value) {
  StaticMatch match;
  if (name.empty()) return match;
  const std::array<NameSlot, kSlots>& slots = Slots();
  for (size_t k = SlotOf(name);; k = (k + 1) & (kSlots - 1)) {
    const NameSlot s = slots[k];
    if (s.first == 0) return match;
    if (!SameOctets(kStaticTableEntries[s.first - 1].name, name)) continue;
    match.name = s.first;
    for (size_t i = s.first; i < s.first + s.count; ++i) {
      if (SameOctets(kStaticTableEntries[i - 1].value, value)) {
        match.field = i;
        break;
      }
    }
    return match;
  }
}

}  // namespace hpack
