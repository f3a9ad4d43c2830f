#include "hpack/static_table.h"

#include <cstdint>

#include "absl/container/flat_hash_map.h"

namespace hpack {
namespace {

#include "hpack/static_table.inc"

struct NameRange {
  uint8_t first;  // 1-based index of the first entry with the name
  uint8_t count;  // entries with the name are consecutive in Appendix A
};

const absl::flat_hash_map<absl::string_view, NameRange>& NameIndex() {
  static const auto* index = [] {
    auto* m = new absl::flat_hash_map<absl::string_view, NameRange>();
    for (size_t i = 1; i <= kStaticTableSize; ++i) {
      auto [it, inserted] = m->try_emplace(kStaticTableEntries[i - 1].name,
                                           NameRange{static_cast<uint8_t>(i), 0});
      ++it->second.count;
    }
    return m;
  }();
  return *index;
}

}  // namespace

const StaticEntry& StaticTableEntry(size_t index) { return kStaticTableEntries[index - 1]; }

StaticMatch StaticTableFind(absl::string_view name, absl::string_view value) {
  StaticMatch match;
  const auto& index = NameIndex();
  auto it = index.find(name);
  if (it == index.end()) return match;
  match.name = it->second.first;
  for (size_t i = it->second.first; i < it->second.first + it->second.count; ++i) {
    if (kStaticTableEntries[i - 1].value == value) {
      match.field = i;
      break;
    }
  }
  return match;
}

}  // namespace hpack
