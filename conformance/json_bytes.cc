#include "conformance/json_bytes.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"

namespace conformance {
namespace {

constexpr char kMark[] = "\xef\xb7\x90";  // U+FDD0 in UTF-8
constexpr size_t kMarkLen = 3;

}  // namespace

size_t Utf8SequenceLength(absl::string_view s, size_t i) {
  const auto at = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = at(i);
  if (c < 0x80) return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0) lo = 0xa0;
    if (c == 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0) lo = 0x90;
    if (c == 0xf4) hi = 0x8f;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (at(i + 1) < lo || at(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (at(i + k) < 0x80 || at(i + k) > 0xbf) return 0;
  }
  return n;
}

namespace {

// Reads a \uXXXX escape at text[i] (text[i] == '\\'); returns the code unit or -1.
int ReadUnicodeEscape(absl::string_view text, size_t i) {
  if (i + 6 > text.size() || text[i] != '\\' || text[i + 1] != 'u') return -1;
  int v = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    const char c = text[k];
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return -1;
    v = v * 16 + (c <= '9' ? c - '0' : (absl::ascii_tolower(c) - 'a' + 10));
  }
  return v;
}

}  // namespace

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

std::string JsonTextToInternal(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (!in_string) {
      if (c == '"') in_string = true;
      out.push_back(c);
      ++i;
      continue;
    }
    if (c == '"') {
      in_string = false;
      out.push_back(c);
      ++i;
    } else if (c == '\\') {
      const int cu = ReadUnicodeEscape(text, i);
      if (cu >= 0xd800 && cu <= 0xdbff && ReadUnicodeEscape(text, i + 6) >= 0xdc00 &&
          ReadUnicodeEscape(text, i + 6) <= 0xdfff) {
        out.append(text.data() + i, 12);  // a proper surrogate pair
        i += 12;
      } else if (cu >= 0xdc80 && cu <= 0xdcff) {
        out += "\\ufdd0";  // a lone \udcXX: one octet
        AppendUtf8(cu & 0xff, &out);
        i += 6;
      } else if (cu == 0xfdd0) {
        out += "\\ufdd0\\ufdd0";
        i += 6;
      } else {
        const size_t n = (cu >= 0) ? 6 : (i + 1 < text.size() ? 2 : 1);
        out.append(text.data() + i, n);
        i += n;
      }
    } else if (text.compare(i, kMarkLen, kMark) == 0) {
      out += "\\ufdd0\\ufdd0";
      i += kMarkLen;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

std::string JsonTextFromInternal(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, kMarkLen, kMark) == 0 && i + kMarkLen < text.size()) {
      const absl::string_view rest = text.substr(i + kMarkLen);
      if (rest.substr(0, kMarkLen) == kMark) {
        out += "\\ufdd0";
        i += 2 * kMarkLen;
        continue;
      }
      const unsigned char c0 = rest[0];
      if ((c0 == 0xc2 || c0 == 0xc3) && rest.size() >= 2) {
        const int octet = ((c0 & 0x1f) << 6) | (static_cast<unsigned char>(rest[1]) & 0x3f);
        static const char kHex[] = "0123456789abcdef";
        out += "\\udc";
        out.push_back(kHex[octet >> 4]);
        out.push_back(kHex[octet & 15]);
        i += kMarkLen + 2;
        continue;
      }
    }
    if (text.compare(i, kMarkLen, kMark) == 0) {
      out += "\\ufdd0";
      i += kMarkLen;
      continue;
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

std::string OctetsFromJsonString(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, kMarkLen, kMark) == 0 && i + kMarkLen < s.size()) {
      const absl::string_view rest = s.substr(i + kMarkLen);
      if (rest.substr(0, kMarkLen) == kMark) {
        out += kMark;
        i += 2 * kMarkLen;
        continue;
      }
      const unsigned char c0 = rest[0];
      if ((c0 == 0xc2 || c0 == 0xc3) && rest.size() >= 2) {
        out.push_back(
            static_cast<char>(((c0 & 0x1f) << 6) | (static_cast<unsigned char>(rest[1]) & 0x3f)));
        i += kMarkLen + 2;
        continue;
      }
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

std::string OctetsToJsonString(absl::string_view octets) {
  std::string out;
  out.reserve(octets.size());
  for (size_t i = 0; i < octets.size();) {
    const size_t n = Utf8SequenceLength(octets, i);
    if (n == 0) {
      out += kMark;
      AppendUtf8(static_cast<unsigned char>(octets[i]), &out);
      ++i;
    } else if (octets.compare(i, n, kMark) == 0) {
      out += kMark;
      out += kMark;
      i += n;
    } else {
      out.append(octets.data() + i, n);
      i += n;
    }
  }
  return out;
}

}  // namespace conformance
