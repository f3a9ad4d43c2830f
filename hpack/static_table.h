// The static table (RFC 7541 §2.3.1, Appendix A).
#ifndef H2HARNESS_HPACK_STATIC_TABLE_H_
#define H2HARNESS_HPACK_STATIC_TABLE_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace hpack {

struct StaticEntry {
  absl::string_view name;
  absl::string_view value;
};

inline constexpr size_t kStaticTableSize = 61;

// Entry at 1-based `index` (1..kStaticTableSize).
const StaticEntry& StaticTableEntry(size_t index);

struct StaticMatch {
  size_t field = 0;  // index whose name and value both match, or 0
  size_t name = 0;   // lowest index whose name matches, or 0
};

// One hash lookup on the name, then a scan of that name's (at most 7) entries.
StaticMatch StaticTableFind(absl::string_view name, absl::string_view value);

}  // namespace hpack

#endif  // H2HARNESS_HPACK_STATIC_TABLE_H_
