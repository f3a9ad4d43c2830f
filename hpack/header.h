// Header fields as HPACK sees them: names and values are octet strings (any byte), in order,
// duplicates allowed.
#ifndef H2HARNESS_HPACK_HEADER_H_
#define H2HARNESS_HPACK_HEADER_H_

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace hpack {

// SETTINGS_HEADER_TABLE_SIZE's initial value (RFC 9113 §6.5.2, RFC 7541 §4.2).
inline constexpr uint32_t kDefaultHeaderTableSize = 4096;
// Default cap on the Deflater's dynamic table (like nghttp2's
// NGHTTP2_DEFAULT_HEADER_TABLE_SIZE): the encoder never uses a bigger table unless asked.
inline constexpr uint32_t kDeflateMaxHeaderTableSize = 4096;

struct HeaderField {
  std::string name;
  std::string value;
  // Encoded, or to be encoded, as a literal never indexed (§6.2.3): intermediaries must keep
  // the representation (§7.1.3). Decoding sets it; encoding honours it.
  bool never_indexed = false;

  HeaderField() = default;
  HeaderField(std::string n, std::string v, bool sensitive = false)
      : name(std::move(n)), value(std::move(v)), never_indexed(sensitive) {}

  // Name, value and the never-indexed mark: the mark is what a decoder reports and what an
  // intermediary must keep (§6.2.3, §7.1.3), so two fields that differ in it differ.
  // SameNameAndValue compares the header list content alone.
  friend bool operator==(const HeaderField& a, const HeaderField& b) {
    return a.name == b.name && a.value == b.value && a.never_indexed == b.never_indexed;
  }
  friend bool operator!=(const HeaderField& a, const HeaderField& b) { return !(a == b); }
};

inline bool SameNameAndValue(const HeaderField& a, const HeaderField& b) {
  return a.name == b.name && a.value == b.value;
}

using HeaderList = std::vector<HeaderField>;

// A copy of a dynamic table: entries newest first (entries[0] is index 62).
struct HdTable {
  std::vector<HeaderField> entries;
  size_t size = 0;        // §4.1 size
  uint32_t max_size = 0;  // current maximum size
};

// Prints the table as RFC 7541 Appendix C does (and like nghttp2's print_hd_table):
//   [  1] (s =  55) custom-key: custom-header
//         Table size:  55
// Octets outside printable ASCII are escaped as \xHH.
std::string FormatHdTable(const HdTable& table);

// Escapes an octet string for messages and reports: printable ASCII as is, backslash and
// other octets as \\ and \xHH.
std::string EscapeBytes(absl::string_view s);

std::ostream& operator<<(std::ostream& os, const HeaderField& h);

}  // namespace hpack

#endif  // H2HARNESS_HPACK_HEADER_H_
