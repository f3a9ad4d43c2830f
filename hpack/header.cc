#include "hpack/header.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace hpack {

std::string EscapeBytes(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      absl::StrAppendFormat(&out, "\\x%02x", c);
    }
  }
  return out;
}

std::string FormatHdTable(const HdTable& table) {
  std::string out;
  for (size_t i = 0; i < table.entries.size(); ++i) {
    const HeaderField& e = table.entries[i];
    absl::StrAppendFormat(&out, "[%3d] (s = %3d) %s: %s\n", i + 1,
                          e.name.size() + e.value.size() + 32, EscapeBytes(e.name),
                          EscapeBytes(e.value));
  }
  absl::StrAppendFormat(&out, "      Table size: %3d\n", table.size);
  return out;
}

std::ostream& operator<<(std::ostream& os, const HeaderField& h) {
  return os << EscapeBytes(h.name) << ": " << EscapeBytes(h.value)
            << (h.never_indexed ? " (never indexed)" : "");
}

}  // namespace hpack
