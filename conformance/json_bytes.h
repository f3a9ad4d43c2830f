// Octet strings in JSON, by the convention h2harness stories use (documented in README.md):
// a name or value is an octet string; valid UTF-8 sequences are written as the characters
// they encode, and every other octet 0xXX (0x80..0xFF) as the lone surrogate \udcXX — the
// "surrogateescape" rule of Python (PEP 383), so `s.encode("utf-8", "surrogateescape")`
// recovers the octets in Python.
//
// nlohmann/json rejects lone surrogates, so JSON text goes through these two functions on its
// way in and out: inside the parsed tree, such an octet is carried as U+FDD0 U+00XX (U+FDD0
// is a noncharacter, reserved for internal use), and a literal U+FDD0 as U+FDD0 U+FDD0.
#ifndef H2HARNESS_CONFORMANCE_JSON_BYTES_H_
#define H2HARNESS_CONFORMANCE_JSON_BYTES_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace conformance {

// JSON text -> JSON text nlohmann accepts (lone \udcXX escapes become the internal form).
std::string JsonTextToInternal(absl::string_view text);
// Serialised JSON (nlohmann's dump, ensure_ascii = false) -> JSON text by the convention.
std::string JsonTextFromInternal(absl::string_view text);

// A string from the parsed tree (UTF-8, internal form) -> the octets it stands for.
std::string OctetsFromJsonString(absl::string_view utf8);
// Octets -> a string for the tree (valid UTF-8, internal form).
std::string OctetsToJsonString(absl::string_view octets);

// Length of the valid UTF-8 sequence at s[i], or 0 (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF).
size_t Utf8SequenceLength(absl::string_view s, size_t i);
// Appends the UTF-8 encoding of code point `cp` (at most U+10FFFF).
void AppendUtf8(uint32_t cp, std::string* out);

}  // namespace conformance

#endif  // H2HARNESS_CONFORMANCE_JSON_BYTES_H_
