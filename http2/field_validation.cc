#include "http2/field_validation.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace http2 {
namespace {

// ---------------------------------------------------------------------------------------
// Character classes: one 256-entry table per kind of string, each entry a set of "what is
// wrong with this octet" bits, so validating a string is an OR over one lookup per octet
// (h2o's trick) and a single test at the end.

// Field names (RFC 9113 §8.2.1, RFC 9110 §5.1). A valid lowercase tchar has no bit set.
enum : uint8_t {
  kNameNonToken = 1,   // allowed by §8.2.1's minimal rules, but not a tchar (SHOULD)
  kNameUpper = 2,      // 'A'-'Z' (MUST)
  kNameForbidden = 4,  // 0x00-0x20, 0x7f-0xff, ':' (MUST; ':' only first, for pseudo-headers)
};

// Field values and pseudo-header values (RFC 9113 §8.2.1, RFC 9110 §5.5, RFC 3986).
enum : uint16_t {
  kValNulCrLf = 1,          // NUL, LF, CR (§8.2.1 MUST)
  kValCtl = 2,              // other CTLs except HTAB (RFC 9110 §5.5)
  kValObs = 4,              // obs-text, 0x80-0xff (RFC 9110 §5.5)
  kValNotPath = 8,          // not pchar / "/" / "?" / "%" / "#" (RFC 3986 §3.3, §3.4)
  kValHash = 16,            // '#': starts a fragment (RFC 3986 §3.5)
  kValNotAuthority = 32,    // not unreserved / sub-delims / ":" / "@" / "[" / "]" / "%"
  kValNotToken = 64,        // not tchar (RFC 9110 §5.6.2)
  kValPercent = 128,        // '%': needs two HEXDIG after it (RFC 3986 §2.1)
  kValNotSchemeChar = 256,  // not ALPHA / DIGIT / "+" / "-" / "." (RFC 3986 §3.1)
  kValAtOrColon = 512,      // '@' or ':': an authority with userinfo or a port
  kValSpace = 1024,         // SP or HTAB
};
// What a regular field's value is checked for (the rest matters for pseudo-header fields).
constexpr uint16_t kValRegularMask = kValNulCrLf | kValCtl | kValObs;

constexpr bool IsAlpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool IsDigit(int c) { return c >= '0' && c <= '9'; }
constexpr bool IsTchar(int c) {
  if (IsAlpha(c) || IsDigit(c)) return true;
  for (char t : {'!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~'}) {
    if (c == t) return true;
  }
  return false;
}
constexpr bool IsUnreserved(int c) {
  return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
constexpr bool IsSubDelim(int c) {
  for (char t : {'!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '='}) {
    if (c == t) return true;
  }
  return false;
}

constexpr std::array<uint8_t, 256> MakeNameTable() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c <= 0x20 || c >= 0x7f || c == ':') {
      t[c] = kNameForbidden;
    } else if (c >= 'A' && c <= 'Z') {
      t[c] = kNameUpper;
    } else if (!IsTchar(c)) {
      t[c] = kNameNonToken;
    }
  }
  return t;
}

constexpr std::array<uint16_t, 256> MakeValueTable() {
  std::array<uint16_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint16_t v = 0;
    if (c == 0 || c == '\n' || c == '\r') {
      v |= kValNulCrLf;
    } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
      v |= kValCtl;
    } else if (c >= 0x80) {
      v |= kValObs;
    }
    const bool pchar = IsUnreserved(c) || IsSubDelim(c) || c == ':' || c == '@';
    if (c == '#') {
      v |= kValHash;
    } else if (!(pchar || c == '/' || c == '?' || c == '%')) {
      v |= kValNotPath;
    }
    if (!(IsUnreserved(c) || IsSubDelim(c) || c == ':' || c == '@' || c == '[' || c == ']' ||
          c == '%')) {
      v |= kValNotAuthority;
    }
    if (!IsTchar(c)) v |= kValNotToken;
    if (c == '%') v |= kValPercent;
    if (c == '@' || c == ':') v |= kValAtOrColon;
    if (c == ' ' || c == '\t') v |= kValSpace;
    if (!(IsAlpha(c) || IsDigit(c) || c == '+' || c == '-' || c == '.')) {
      v |= kValNotSchemeChar;
    }
    t[c] = v;
  }
  return t;
}

constexpr std::array<uint8_t, 256> kNameClass = MakeNameTable();
constexpr std::array<uint16_t, 256> kValueClass = MakeValueTable();

// OR of table[octet] over p[0, n), four lookups per iteration.
template <typename T>
inline T ClassOf(const std::array<T, 256>& table, const unsigned char* p, size_t n) {
  T a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  if (n >= 4) {
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
      a0 |= table[p[i]];
      a1 |= table[p[i + 1]];
      a2 |= table[p[i + 2]];
      a3 |= table[p[i + 3]];
    }
    // Up to three left: look at the last three (overlap is harmless for an OR).
    if (i < n) {
      a0 |= table[p[n - 1]];
      a1 |= table[p[n - 2]];
      a2 |= table[p[n - 3]];
    }
  } else {
    switch (n) {
      case 3: a2 |= table[p[2]]; [[fallthrough]];
      case 2: a1 |= table[p[1]]; [[fallthrough]];
      case 1: a0 |= table[p[0]]; break;
      default: break;
    }
  }
  return a0 | a1 | a2 | a3;
}

inline uint8_t NameClass(absl::string_view s, size_t from) {
  return ClassOf(kNameClass, reinterpret_cast<const unsigned char*>(s.data()) + from,
                 s.size() - from);
}

inline uint16_t ValueClass(absl::string_view s) {
  return ClassOf(kValueClass, reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

// A regular field's value needs only kValRegularMask: 8 octets at a time, when none of them
// is outside 0x20-0x7e (the common case) no lookup is needed. SWAR tests from "Bit Twiddling
// Hacks" (hasless, hasmore): exact about whether such an octet is present.
inline uint16_t RegularValueClass(absl::string_view s) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  if (n < 8) return ValueClass(s) & kValRegularMask;
  auto odd = [p](size_t at) {
    uint64_t x;
    std::memcpy(&x, p + at, 8);
    const uint64_t below_sp = (x - kOnes * 0x20) & ~x & kHigh;
    const uint64_t above_tilde = ((x + kOnes * (0x7f - 0x7e)) | x) & kHigh;
    return (below_sp | above_tilde) != 0;
  };
  uint16_t acc = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    if (odd(i)) acc |= ClassOf(kValueClass, p + i, 8);
  }
  // The tail: the last 8 octets, overlapping octets already seen (OR is idempotent).
  if (i < n && odd(n - 8)) acc |= ClassOf(kValueClass, p + n - 8, 8);
  return acc & kValRegularMask;
}

inline bool IsWs(char c) { return c == ' ' || c == '\t'; }

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 §2.1: pct-encoded = "%" HEXDIG HEXDIG.
bool PercentEncodingValid(absl::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') continue;
    if (i + 2 >= s.size() || HexValue(s[i + 1]) < 0 || HexValue(s[i + 2]) < 0) return false;
    i += 2;
  }
  return true;
}

inline bool Eq(absl::string_view a, const char* lit, size_t n) {
  return a.size() == n && std::memcmp(a.data(), lit, n) == 0;
}
#define H2_EQ(view, literal) Eq((view), (literal), sizeof(literal) - 1)

bool IsHttpScheme(absl::string_view scheme) {
  return (scheme.size() == 4 || scheme.size() == 5) &&
         (absl::EqualsIgnoreCase(scheme, "https") || absl::EqualsIgnoreCase(scheme, "http"));
}

// Default port of a scheme for scheme-based normalization (RFC 3986 §6.2.3); 0 if unknown.
int DefaultPort(absl::string_view scheme) {
  if (absl::EqualsIgnoreCase(scheme, "http") || absl::EqualsIgnoreCase(scheme, "ws")) return 80;
  if (absl::EqualsIgnoreCase(scheme, "https") || absl::EqualsIgnoreCase(scheme, "wss")) {
    return 443;
  }
  return 0;
}

// authority = [ userinfo "@" ] host [ ":" port ] (RFC 3986 §3.2).
struct AuthorityParts {
  absl::string_view userinfo;
  bool has_userinfo = false;
  absl::string_view host;
  absl::string_view port;
  bool has_port = false;  // a ':' after the host (the port may still be empty)
  bool well_formed = true;  // an IP-literal is closed and followed by nothing or ":port"
};

AuthorityParts SplitAuthority(absl::string_view a) {
  AuthorityParts p;
  const size_t at = a.rfind('@');
  if (at != absl::string_view::npos) {
    p.has_userinfo = true;
    p.userinfo = a.substr(0, at);
    a.remove_prefix(at + 1);
  }
  if (!a.empty() && a[0] == '[') {
    const size_t close = a.find(']');
    if (close == absl::string_view::npos) {
      p.well_formed = false;
      p.host = a;
      return p;
    }
    p.host = a.substr(0, close + 1);
    absl::string_view rest = a.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') p.well_formed = false;
      p.has_port = true;
      p.port = rest.substr(1);
    }
    return p;
  }
  const size_t colon = a.rfind(':');
  if (colon == absl::string_view::npos) {
    p.host = a;
  } else {
    p.host = a.substr(0, colon);
    p.has_port = true;
    p.port = a.substr(colon + 1);
  }
  return p;
}

// port = *DIGIT; returns -1 when not all digits or above 65535, -2 when empty.
long ParsePort(absl::string_view port) {
  if (port.empty()) return -2;
  long v = 0;
  for (char c : port) {
    if (!IsDigit(c)) return -1;
    v = v * 10 + (c - '0');
    if (v > 65535) return -1;
  }
  return v;
}

// Next unit of a host after case and percent-encoding normalization (RFC 3986 §6.2.2.1,
// §6.2.2.2): an unreserved octet, encoded or not, compares as itself in lowercase; another
// encoded octet as itself with 0x100 added (hex digits in either case).
int NextHostUnit(absl::string_view s, size_t* i) {
  const char c = s[*i];
  if (c == '%' && *i + 2 < s.size()) {
    const int hi = HexValue(s[*i + 1]), lo = HexValue(s[*i + 2]);
    if (hi >= 0 && lo >= 0) {
      *i += 3;
      const int d = hi * 16 + lo;
      if (IsUnreserved(d)) return absl::ascii_tolower(static_cast<unsigned char>(d));
      return 0x100 | d;
    }
  }
  ++*i;
  return absl::ascii_tolower(static_cast<unsigned char>(c));
}

bool SameHost(absl::string_view a, absl::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (NextHostUnit(a, &i) != NextHostUnit(b, &j)) return false;
  }
  return i == a.size() && j == b.size();
}

// Whether `host` (a Host field value) identifies the same entity as `authority` after
// case, percent-encoding and scheme-based normalization (RFC 9113 §8.3.1, RFC 3986 §6.2):
// an empty port or the scheme's default port is the same as no port. For a scheme without
// a known default port (and CONNECT, which has no :scheme), a port on one side only is not
// a difference: only the hosts are compared.
bool SameEntity(absl::string_view authority, absl::string_view host, absl::string_view scheme) {
  const AuthorityParts a = SplitAuthority(authority);
  const AuthorityParts h = SplitAuthority(host);
  if (!SameHost(a.host, h.host)) return false;
  const int def = DefaultPort(scheme);
  auto port_of = [def](const AuthorityParts& p) -> long {
    if (!p.has_port || p.port.empty()) return def > 0 ? def : -2;  // -2: no port
    const long v = ParsePort(p.port);
    return v;  // -1: not a number; compared textually below
  };
  const long pa = port_of(a), ph = port_of(h);
  if (pa == -1 || ph == -1) return a.port == h.port;
  if (pa == -2 || ph == -2) return def > 0 ? pa == ph : true;
  return pa == ph;
}

// Content-Length = 1*DIGIT (RFC 9110 §8.6), or the same value repeated as a list
// ("42, 42"). Returns false when an element is not 1*DIGIT or overflows 2^63-1; sets
// *conflict when elements differ and *count to the number of elements.
bool ParseContentLength(absl::string_view v, uint64_t* out, bool* conflict, int* count) {
  *conflict = false;
  *count = 0;
  size_t i = 0;
  bool first = true;
  while (true) {
    while (i < v.size() && IsWs(v[i])) ++i;
    const size_t start = i;
    uint64_t n = 0;
    while (i < v.size() && IsDigit(v[i])) {
      const uint64_t d = static_cast<uint64_t>(v[i] - '0');
      if (n > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - d) / 10) {
        return false;
      }
      n = n * 10 + d;
      ++i;
    }
    if (i == start) return false;
    while (i < v.size() && IsWs(v[i])) ++i;
    ++*count;
    if (first) {
      *out = n;
      first = false;
    } else if (n != *out) {
      *conflict = true;
    }
    if (i == v.size()) return true;
    if (v[i] != ',') return false;
    ++i;
  }
}

// ---------------------------------------------------------------------------------------
// Error descriptions. `text` says what is wrong and quotes the rule.

struct ErrorInfo {
  FieldErrorCode code;
  const char* name;
  const char* rule;
  Requirement requirement;
  const char* text;
};

constexpr ErrorInfo kErrorInfo[] = {
    {FieldErrorCode::kOk, "ok", "", Requirement::kMust, "no error"},
    {FieldErrorCode::kEmptyName, "empty_name", "RFC 9113 §8.2.1, RFC 9110 §5.1",
     Requirement::kShould,
     "empty field name (RFC 9110 §5.1: field-name = token, token = 1*tchar)"},
    {FieldErrorCode::kUppercaseName, "uppercase_name", "RFC 9113 §8.2.1", Requirement::kMust,
     "uppercase character in a field name (RFC 9113 §8.2.1: \"A field name MUST NOT contain "
     "characters in the ranges 0x00-0x20, 0x41-0x5a, or 0x7f-0xff\"; §8.1.1)"},
    {FieldErrorCode::kInvalidNameChar, "invalid_name_char", "RFC 9113 §8.2.1",
     Requirement::kMust,
     "forbidden character in a field name (RFC 9113 §8.2.1: \"A field name MUST NOT contain "
     "characters in the ranges 0x00-0x20, 0x41-0x5a, or 0x7f-0xff\", and no colon except "
     "the first of a pseudo-header field)"},
    {FieldErrorCode::kNonTokenNameChar, "non_token_name_char", "RFC 9113 §8.2.1, RFC 9110 §5.1",
     Requirement::kShould,
     "field name is not a token (RFC 9113 §8.2.1: implementations \"SHOULD validate field "
     "names ... according to their definitions in Sections 5.1 ... of [HTTP]\")"},
    {FieldErrorCode::kInvalidValueChar, "invalid_value_char", "RFC 9113 §8.2.1",
     Requirement::kMust,
     "NUL, LF or CR in a field value (RFC 9113 §8.2.1: \"A field value MUST NOT contain the "
     "zero value (ASCII NUL, 0x00), line feed (ASCII LF, 0x0a), or carriage return (ASCII "
     "CR, 0x0d) at any position\")"},
    {FieldErrorCode::kValueWhitespace, "value_whitespace", "RFC 9113 §8.2.1",
     Requirement::kMust,
     "field value starts or ends with whitespace (RFC 9113 §8.2.1: \"A field value MUST NOT "
     "start or end with an ASCII whitespace character (ASCII SP or HTAB, 0x20 or 0x09)\")"},
    {FieldErrorCode::kValueControlChar, "value_control_char", "RFC 9113 §8.2.1, RFC 9110 §5.5",
     Requirement::kShould,
     "control character in a field value (RFC 9110 §5.5: \"Field values containing other "
     "CTL characters are also invalid\"; RFC 9113 §8.2.1 SHOULD validate)"},
    {FieldErrorCode::kValueObsText, "value_obs_text", "RFC 9110 §5.5", Requirement::kMay,
     "obs-text (0x80-0xff) in a field value, rejected by allow_obs_text = false (RFC 9110 "
     "§5.5 allows it: field-vchar = VCHAR / obs-text)"},
    {FieldErrorCode::kConnectionSpecificField, "connection_specific_field", "RFC 9113 §8.2.2",
     Requirement::kMust,
     "connection-specific field (RFC 9113 §8.2.2: \"Any message containing "
     "connection-specific header fields MUST be treated as malformed\")"},
    {FieldErrorCode::kInvalidTe, "invalid_te", "RFC 9113 §8.2.2", Requirement::kMust,
     "te other than \"trailers\" (RFC 9113 §8.2.2: TE \"MUST NOT contain any value other "
     "than \\\"trailers\\\"\")"},
    {FieldErrorCode::kUnknownPseudoHeader, "unknown_pseudo_header", "RFC 9113 §8.3",
     Requirement::kMust,
     "undefined pseudo-header field (RFC 9113 §8.3: \"Endpoints MUST treat a request or "
     "response that contains undefined or invalid pseudo-header fields as malformed\")"},
    {FieldErrorCode::kResponsePseudoHeaderInRequest, "response_pseudo_header_in_request",
     "RFC 9113 §8.3", Requirement::kMust,
     "response pseudo-header field in a request (RFC 9113 §8.3: \"pseudo-header fields "
     "defined for responses MUST NOT appear in requests\")"},
    {FieldErrorCode::kRequestPseudoHeaderInResponse, "request_pseudo_header_in_response",
     "RFC 9113 §8.3", Requirement::kMust,
     "request pseudo-header field in a response (RFC 9113 §8.3: \"Pseudo-header fields "
     "defined for requests MUST NOT appear in responses\")"},
    {FieldErrorCode::kPseudoHeaderInTrailers, "pseudo_header_in_trailers", "RFC 9113 §8.1",
     Requirement::kMust,
     "pseudo-header field in a trailer section (RFC 9113 §8.1: \"An endpoint that receives "
     "pseudo-header fields in trailers MUST treat the request or response as malformed\")"},
    {FieldErrorCode::kPseudoHeaderAfterRegular, "pseudo_header_after_regular", "RFC 9113 §8.3",
     Requirement::kMust,
     "pseudo-header field after a regular field (RFC 9113 §8.3: \"Any request or response "
     "that contains a pseudo-header field that appears in a field block after a regular "
     "field line MUST be treated as malformed\")"},
    {FieldErrorCode::kDuplicatePseudoHeader, "duplicate_pseudo_header", "RFC 9113 §8.3",
     Requirement::kMust,
     "repeated pseudo-header field (RFC 9113 §8.3: \"A field block ... that contains a "
     "repeated pseudo-header field name MUST be treated as malformed\")"},
    {FieldErrorCode::kMissingMethod, "missing_method", "RFC 9113 §8.3.1", Requirement::kMust,
     "request without :method (RFC 9113 §8.3.1: \"An HTTP request that omits mandatory "
     "pseudo-header fields is malformed\")"},
    {FieldErrorCode::kMissingScheme, "missing_scheme", "RFC 9113 §8.3.1, RFC 8441 §4",
     Requirement::kMust,
     "request without :scheme (RFC 9113 §8.3.1: \"All HTTP/2 requests MUST include exactly "
     "one valid value for the \\\":method\\\", \\\":scheme\\\", and \\\":path\\\" "
     "pseudo-header fields, unless they are CONNECT requests\"; RFC 8441 §4 for extended "
     "CONNECT)"},
    {FieldErrorCode::kMissingPath, "missing_path", "RFC 9113 §8.3.1, RFC 8441 §4",
     Requirement::kMust,
     "request without :path (RFC 9113 §8.3.1: \"All HTTP/2 requests MUST include exactly "
     "one valid value for the \\\":method\\\", \\\":scheme\\\", and \\\":path\\\" "
     "pseudo-header fields, unless they are CONNECT requests\"; RFC 8441 §4 for extended "
     "CONNECT)"},
    {FieldErrorCode::kInvalidMethod, "invalid_method", "RFC 9113 §8.3.1, RFC 9110 §9.1",
     Requirement::kMust,
     ":method is not a token (RFC 9110 §9.1: method = token; RFC 9113 §8.3.1 requires "
     "\"exactly one valid value\")"},
    {FieldErrorCode::kInvalidScheme, "invalid_scheme", "RFC 9113 §8.3.1, RFC 3986 §3.1",
     Requirement::kMust,
     ":scheme is not a URI scheme (RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / \"+\" / "
     "\"-\" / \".\" ); RFC 9113 §8.3.1 requires \"exactly one valid value\")"},
    {FieldErrorCode::kEmptyPath, "empty_path", "RFC 9113 §8.3.1", Requirement::kMust,
     "empty :path (RFC 9113 §8.3.1: \"This pseudo-header field MUST NOT be empty for "
     "\\\"http\\\" or \\\"https\\\" URIs\")"},
    {FieldErrorCode::kPathNotAbsolute, "path_not_absolute", "RFC 9113 §8.3.1",
     Requirement::kMust,
     ":path neither starts with '/' nor is '*' (RFC 9113 §8.3.1: \":path\" holds \"the "
     "absolute-path production and, optionally, a '?' character followed by the query "
     "production\")"},
    {FieldErrorCode::kAsteriskPathNotOptions, "asterisk_path_not_options",
     "RFC 9113 §8.3.1, RFC 9112 §3.2.4", Requirement::kMust,
     ":path '*' with a method other than OPTIONS (RFC 9113 §8.3.1: \"A request in asterisk "
     "form (for OPTIONS) includes the value '*'\")"},
    {FieldErrorCode::kInvalidPath, "invalid_path", "RFC 9113 §8.3, RFC 3986 §3.3",
     Requirement::kMust,
     ":path has SP, HTAB or a control character, or (validate_path) characters outside RFC "
     "3986 path and query (RFC 9113 §8.3: \"invalid pseudo-header fields\" make the message "
     "malformed)"},
    {FieldErrorCode::kInvalidAuthority, "invalid_authority",
     "RFC 9113 §8.3, RFC 3986 §3.2, RFC 9110 §4.2.1", Requirement::kMust,
     ":authority is not an RFC 3986 authority, or an http(s) one has an empty host (RFC "
     "9110 §4.2.1: \"A recipient that processes such a URI reference MUST reject it as "
     "invalid\")"},
    {FieldErrorCode::kAuthorityUserinfo, "authority_userinfo", "RFC 9113 §8.3.1",
     Requirement::kMust,
     "userinfo in an http(s) :authority (RFC 9113 §8.3.1: \"\\\":authority\\\" MUST NOT "
     "include the deprecated userinfo subcomponent for \\\"http\\\" or \\\"https\\\" "
     "schemed URIs\")"},
    {FieldErrorCode::kMissingAuthority, "missing_authority", "RFC 9113 §8.5",
     Requirement::kMust,
     "CONNECT without :authority (RFC 9113 §8.5: \"The \\\":authority\\\" pseudo-header "
     "field contains the host and port to connect to\"; \"A CONNECT request that does not "
     "conform to these restrictions is malformed\")"},
    {FieldErrorCode::kInvalidConnectAuthority, "invalid_connect_authority",
     "RFC 9113 §8.5, RFC 9110 §9.3.6", Requirement::kMust,
     "CONNECT :authority is not host:port (RFC 9113 §8.5: \"the host and port to connect "
     "to\"; RFC 9110 §9.3.6: \"A server MUST reject a CONNECT request that targets an empty "
     "or invalid port number\")"},
    {FieldErrorCode::kConnectWithSchemeOrPath, "connect_with_scheme_or_path", "RFC 9113 §8.5",
     Requirement::kMust,
     "CONNECT with :scheme or :path (RFC 9113 §8.5: \"The \\\":scheme\\\" and "
     "\\\":path\\\" pseudo-header fields MUST be omitted\")"},
    {FieldErrorCode::kExtendedConnectDisabled, "extended_connect_disabled",
     "RFC 8441 §3, RFC 9113 §8.3", Requirement::kMust,
     ":protocol without SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §3: a peer that did not "
     "enable it \"would detect a malformed request\"; RFC 9113 §8.3 undefined pseudo-header "
     "field)"},
    {FieldErrorCode::kProtocolWithoutConnect, "protocol_without_connect", "RFC 8441 §4",
     Requirement::kMust,
     ":protocol on a method other than CONNECT (RFC 8441 §4: \":protocol\" names \"the "
     "desired protocol to be spoken on the tunnel created by CONNECT\"; RFC 9113 §8.3 "
     "invalid pseudo-header field)"},
    {FieldErrorCode::kInvalidProtocol, "invalid_protocol", "RFC 8441 §4, RFC 9110 §7.8",
     Requirement::kMust,
     ":protocol is not a token (RFC 8441 §4: a value from the HTTP Upgrade Token Registry; "
     "RFC 9110 §7.8: protocol-name = token)"},
    {FieldErrorCode::kHostAuthorityMismatch, "host_authority_mismatch", "RFC 9113 §8.3.1",
     Requirement::kShould,
     "host differs from :authority (RFC 9113 §8.3.1: \"A server SHOULD treat a request as "
     "malformed if it contains a Host header field that identifies an entity that differs "
     "from the entity in the \\\":authority\\\" pseudo-header field\")"},
    {FieldErrorCode::kMissingAuthorityAndHost, "missing_authority_and_host", "RFC 9110 §7.2",
     Requirement::kMay,
     "request with neither :authority nor host, rejected by require_authority_or_host (RFC "
     "9110 §7.2: \"A user agent MUST generate a Host header field in a request unless it "
     "sends that information as an \\\":authority\\\" pseudo-header field\")"},
    {FieldErrorCode::kMissingStatus, "missing_status", "RFC 9113 §8.3.2", Requirement::kMust,
     "response without :status (RFC 9113 §8.3.2: \"This pseudo-header field MUST be "
     "included in all responses, including interim responses; otherwise, the response is "
     "malformed\")"},
    {FieldErrorCode::kInvalidStatus, "invalid_status", "RFC 9113 §8.3.2, RFC 9110 §15",
     Requirement::kMust,
     ":status is not three digits (RFC 9110 §15: \"a three-digit integer code\"; RFC 9113 "
     "§8.3 invalid pseudo-header field)"},
    {FieldErrorCode::kStatus101, "status_101", "RFC 9113 §8.6", Requirement::kMust,
     ":status 101 (RFC 9113 §8.6: \"HTTP/2 does not support the 101 (Switching Protocols) "
     "informational status code\")"},
    {FieldErrorCode::kInformationalEndStream, "informational_end_stream", "RFC 9113 §8.1",
     Requirement::kMust,
     "1xx response with END_STREAM (RFC 9113 §8.1: \"A HEADERS frame with the END_STREAM "
     "flag set that carries an informational status code is malformed\")"},
    {FieldErrorCode::kTrailersWithoutEndStream, "trailers_without_end_stream", "RFC 9113 §8.1",
     Requirement::kMust,
     "trailer section without END_STREAM (RFC 9113 §8.1: \"An endpoint that receives a "
     "HEADERS frame without the END_STREAM flag set after receiving the HEADERS frame that "
     "opens a request or after receiving a final (non-informational) status code MUST treat "
     "the corresponding request or response as malformed\")"},
    {FieldErrorCode::kInvalidContentLength, "invalid_content_length",
     "RFC 9110 §8.6, RFC 9113 §8.1.1", Requirement::kMust,
     "content-length is not 1*DIGIT (RFC 9110 §8.6: Content-Length = 1*DIGIT; RFC 9113 "
     "§8.1.1: content-length must equal the DATA total)"},
    {FieldErrorCode::kConflictingContentLength, "conflicting_content_length",
     "RFC 9110 §8.6, RFC 9113 §8.1.1", Requirement::kMust,
     "several different content-length values (RFC 9110 §8.6 only tolerates \"the same "
     "decimal value repeated\")"},
    {FieldErrorCode::kRepeatedContentLength, "repeated_content_length", "RFC 9110 §8.6",
     Requirement::kMay,
     "content-length repeated, rejected by allow_repeated_content_length = false (RFC 9110 "
     "§8.6: a recipient \"MAY either reject the message as invalid or replace that invalid "
     "field value with a single instance of the decimal value\")"},
    {FieldErrorCode::kContentLengthInNoContentResponse, "content_length_in_no_content_response",
     "RFC 9110 §8.6", Requirement::kMay,
     "content-length in a 1xx response or a non-zero one in a 204 (RFC 9110 §8.6: \"A server "
     "MUST NOT send a Content-Length header field in any response with a status code of 1xx "
     "(Informational) or 204 (No Content)\")"},
    {FieldErrorCode::kPushUnsafeMethod, "push_unsafe_method", "RFC 9113 §8.4, §8.4.1",
     Requirement::kMust,
     "promised request method is not safe and cacheable (RFC 9113 §8.4: \"Clients that "
     "receive a promised request that is not cacheable, that is not known to be safe, or "
     "that indicates the presence of request content MUST reset the promised stream\")"},
    {FieldErrorCode::kPushWithContent, "push_with_content", "RFC 9113 §8.4, §8.4.1",
     Requirement::kMust,
     "promised request indicates content (RFC 9113 §8.4: \"Promised requests cannot include "
     "any content or a trailer section\")"},
    {FieldErrorCode::kContentLengthExceeded, "content_length_exceeded", "RFC 9113 §8.1.1",
     Requirement::kMust,
     "more DATA than content-length (RFC 9113 §8.1.1: \"A request or response is also "
     "malformed if the value of a content-length header field does not equal the sum of the "
     "DATA frame payload lengths that form the content\")"},
    {FieldErrorCode::kContentLengthShort, "content_length_short", "RFC 9113 §8.1.1",
     Requirement::kMust,
     "stream ended before content-length octets of DATA (RFC 9113 §8.1.1: \"A request or "
     "response is also malformed if the value of a content-length header field does not "
     "equal the sum of the DATA frame payload lengths that form the content\")"},
    {FieldErrorCode::kContentNotAllowed, "content_not_allowed", "RFC 9113 §8.1.1, RFC 9110 §6.4.1",
     Requirement::kMust,
     "DATA octets in a response that has no content (RFC 9113 §8.1.1: \"204 or 304 "
     "responses contain no content, as does the response to a HEAD request\"; extraneous "
     "frames make a message malformed)"},
    {FieldErrorCode::kDataBeforeFinalResponse, "data_before_final_response", "RFC 9113 §8.1",
     Requirement::kMust,
     "DATA after an interim (1xx) response, before the final one (RFC 9113 §8.1: a response "
     "is interim responses, then \"the HEADERS frame containing a final response\", then "
     "DATA; §8.1.1 extraneous frames)"},
    {FieldErrorCode::kNoFinalResponse, "no_final_response", "RFC 9113 §8.1", Requirement::kMust,
     "stream ended after an interim (1xx) response without a final response (RFC 9113 §8.1: "
     "\"A response stream starts with zero or more interim responses in HEADERS frames, "
     "followed by a HEADERS frame containing a final status code\")"},
};

static_assert(sizeof(kErrorInfo) / sizeof(kErrorInfo[0]) ==
                  static_cast<size_t>(FieldErrorCode::kNoFinalResponse) + 1,
              "kErrorInfo must list every FieldErrorCode in order");

const ErrorInfo& Info(FieldErrorCode code) {
  const size_t i = static_cast<size_t>(code);
  return i < sizeof(kErrorInfo) / sizeof(kErrorInfo[0]) ? kErrorInfo[i] : kErrorInfo[0];
}

// At most this many octets of a value go into an error message (values can be long, and
// cookies are sensitive).
constexpr size_t kMaxValueInMessage = 48;

std::string DescribeField(absl::string_view name, absl::string_view value) {
  std::string out = absl::StrCat("field '", hpack::EscapeBytes(name), "'");
  if (value.data() != nullptr) {
    const bool cut = value.size() > kMaxValueInMessage;
    absl::StrAppend(&out, " value '", hpack::EscapeBytes(value.substr(0, kMaxValueInMessage)),
                    cut ? "...'" : "'");
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------

absl::string_view FieldErrorName(FieldErrorCode code) { return Info(code).name; }
absl::string_view FieldErrorRule(FieldErrorCode code) { return Info(code).rule; }
Requirement FieldErrorRequirement(FieldErrorCode code) { return Info(code).requirement; }

std::ostream& operator<<(std::ostream& os, FieldErrorCode code) {
  return os << FieldErrorName(code);
}

namespace {
constexpr size_t kNumErrors = sizeof(kErrorInfo) / sizeof(kErrorInfo[0]) - 1;
constexpr std::array<FieldErrorCode, kNumErrors> MakeAllErrors() {
  std::array<FieldErrorCode, kNumErrors> a{};
  for (size_t i = 0; i < a.size(); ++i) a[i] = kErrorInfo[i + 1].code;
  return a;
}
constexpr std::array<FieldErrorCode, kNumErrors> kAllErrors = MakeAllErrors();
}  // namespace

absl::Span<const FieldErrorCode> AllFieldErrors() { return kAllErrors; }

absl::Status FieldError::ToStatus() const {
  if (ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(message);
}

// ---------------------------------------------------------------------------------------
// FieldValidator

FieldValidator::FieldValidator(const FieldValidationOptions& options) : options_(options) {
  store_.resize(256);
}

FieldValidator::Slice FieldValidator::Keep(absl::string_view value) {
  if (value.size() > store_.size() - store_used_) {
    store_.resize(std::max(store_.size() * 2, store_used_ + value.size()));
  }
  Slice s{store_used_, value.size()};
  if (!value.empty()) std::memcpy(&store_[store_used_], value.data(), value.size());
  store_used_ += value.size();
  return s;
}

void FieldValidator::StartBlock(FieldBlockKind kind) {
  kind_ = kind;
  seen_ = 0;
  flags_ = 0;
  has_content_length_ = false;
  status_ = 0;
  content_length_ = 0;
  content_length_count_ = 0;
  method_ = Slice();
  scheme_ = Slice();
  authority_ = Slice();
  path_ = Slice();
  protocol_ = Slice();
  host_ = Slice();
  store_used_ = 0;
  if (!error_.ok()) {
    error_.code = FieldErrorCode::kOk;
    error_.message.clear();
  }
}

void FieldValidator::StartBlock(FieldBlockKind kind, bool end_stream) {
  StartBlock(kind);
  flags_ |= kFlagEndStreamKnown | (end_stream ? kFlagEndStream : 0);
  if (kind == FieldBlockKind::kTrailers && !end_stream && options_.validate_http_headers) {
    Fail(FieldErrorCode::kTrailersWithoutEndStream, absl::string_view(), absl::string_view());
  }
}

bool FieldValidator::Fail(FieldErrorCode code, absl::string_view name,
                          absl::string_view value) {
  if (!error_.ok()) return false;  // the first error sticks
  error_.code = code;
  error_.message.clear();
  if (name.data() != nullptr) {
    error_.message = absl::StrCat(DescribeField(name, value), ": ");
  }
  absl::StrAppend(&error_.message, Info(code).text);
  return false;
}

bool FieldValidator::OnField(absl::string_view name, absl::string_view value) {
  if (!error_.ok()) return false;
  if (!options_.validate_http_headers) {
    Record(name, value);
    return true;
  }
  if (name.empty()) return Fail(FieldErrorCode::kEmptyName, name, value);
  const bool pseudo = name[0] == ':';

  // §8.2.1 names: one lookup per octet; the ':' of a pseudo-header field is skipped.
  const uint8_t ncls = NameClass(name, pseudo ? 1 : 0);
  if (ncls != 0) {
    if (ncls & kNameForbidden) return Fail(FieldErrorCode::kInvalidNameChar, name, value);
    if (ncls & kNameUpper) return Fail(FieldErrorCode::kUppercaseName, name, value);
    if (!options_.allow_non_token_names) {
      return Fail(FieldErrorCode::kNonTokenNameChar, name, value);
    }
  }

  // §8.2.1 values, RFC 9110 §5.5. Pseudo-header values get every class bit (their syntax
  // is checked below), regular ones only the three that matter.
  const uint16_t vcls = pseudo ? ValueClass(value) : RegularValueClass(value);
  if (vcls & (kValNulCrLf | kValCtl | kValObs)) {
    if (vcls & kValNulCrLf) return Fail(FieldErrorCode::kInvalidValueChar, name, value);
    if ((vcls & kValCtl) && !options_.allow_ctl_in_values) {
      return Fail(FieldErrorCode::kValueControlChar, name, value);
    }
    if ((vcls & kValObs) && !options_.allow_obs_text) {
      return Fail(FieldErrorCode::kValueObsText, name, value);
    }
  }
  if (!value.empty() && (IsWs(value.front()) || IsWs(value.back())) &&
      (pseudo || !options_.no_rfc9113_leading_and_trailing_ws_validation)) {
    return Fail(FieldErrorCode::kValueWhitespace, name, value);
  }

  return pseudo ? OnPseudoField(name, value, vcls) : OnRegularField(name, value);
}

// Which pseudo-header field `name` is (by length, then one octet, then the rest); 0 if none.
uint8_t FieldValidator::PseudoBit(absl::string_view name) {
  switch (name.size()) {
    case 5:
      if (H2_EQ(name, ":path")) return kSeenPath;
      break;
    case 7:
      switch (name[1]) {
        case 'm':
          if (H2_EQ(name, ":method")) return kSeenMethod;
          break;
        case 's':
          if (H2_EQ(name, ":scheme")) return kSeenScheme;
          if (H2_EQ(name, ":status")) return kSeenStatus;
          break;
      }
      break;
    case 9:
      if (H2_EQ(name, ":protocol")) return kSeenProtocol;
      break;
    case 10:
      if (H2_EQ(name, ":authority")) return kSeenAuthority;
      break;
  }
  return 0;
}

bool FieldValidator::OnPseudoField(absl::string_view name, absl::string_view value,
                                   uint16_t vcls) {
  // §8.1, §8.3: where pseudo-header fields may appear.
  if (kind_ == FieldBlockKind::kTrailers) {
    return Fail(FieldErrorCode::kPseudoHeaderInTrailers, name, value);
  }
  if (flags_ & kFlagRegularSeen) {
    return Fail(FieldErrorCode::kPseudoHeaderAfterRegular, name, value);
  }
  const uint8_t bit = PseudoBit(name);
  if (bit == 0) return Fail(FieldErrorCode::kUnknownPseudoHeader, name, value);
  const bool response = kind_ == FieldBlockKind::kResponse;
  if (bit == kSeenStatus) {
    if (!response) return Fail(FieldErrorCode::kResponsePseudoHeaderInRequest, name, value);
  } else if (response) {
    return Fail(FieldErrorCode::kRequestPseudoHeaderInResponse, name, value);
  }
  if (seen_ & bit) return Fail(FieldErrorCode::kDuplicatePseudoHeader, name, value);
  seen_ |= bit;

  switch (bit) {
    case kSeenMethod:
      // RFC 9110 §9.1: method = token (case-sensitive).
      if (value.empty() || (vcls & kValNotToken)) {
        return Fail(FieldErrorCode::kInvalidMethod, name, value);
      }
      SetMethod(value);
      break;
    case kSeenScheme:
      // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
      if (value.empty() || !IsAlpha(static_cast<unsigned char>(value[0])) ||
          (vcls & kValNotSchemeChar)) {
        return Fail(FieldErrorCode::kInvalidScheme, name, value);
      }
      scheme_ = Keep(value);
      if (IsHttpScheme(value)) flags_ |= kFlagHttpScheme;
      break;
    case kSeenAuthority:
      // RFC 3986 §3.2 octets; the structure (userinfo, host, port) is checked in
      // FinishBlock, where :scheme and :method are known.
      if (options_.validate_authority &&
          ((vcls & kValNotAuthority) || ((vcls & kValPercent) && !PercentEncodingValid(value)))) {
        return Fail(FieldErrorCode::kInvalidAuthority, name, value);
      }
      authority_ = Keep(value);
      if (vcls & kValAtOrColon) flags_ |= kFlagAuthorityAtOrColon;
      break;
    case kSeenPath:
      // Never SP, HTAB or a CTL: no URI has them (RFC 3986 §2), and they would split an
      // HTTP/1.1 request line (libnghttp2's nghttp2_check_path refuses them too).
      if (vcls & (kValSpace | kValCtl)) return Fail(FieldErrorCode::kInvalidPath, name, value);
      // validate_path: RFC 3986 §3.3 path, §3.4 query; '*' is asterisk-form (checked
      // against :method in FinishBlock).
      if (options_.validate_path && !H2_EQ(value, "*")) {
        const uint16_t bad = kValNotPath | kValObs |
                             (options_.allow_fragment_in_path ? 0 : kValHash);
        if ((vcls & bad) || ((vcls & kValPercent) && !PercentEncodingValid(value))) {
          return Fail(FieldErrorCode::kInvalidPath, name, value);
        }
      }
      path_ = Keep(value);
      break;
    case kSeenProtocol:
      // RFC 8441 §3, §4: only when extended CONNECT was enabled; a token (RFC 9110 §7.8).
      if (!options_.allow_extended_connect) {
        return Fail(FieldErrorCode::kExtendedConnectDisabled, name, value);
      }
      if (value.empty() || (vcls & kValNotToken)) {
        return Fail(FieldErrorCode::kInvalidProtocol, name, value);
      }
      protocol_ = Keep(value);
      break;
    case kSeenStatus:
      if (!SetStatus(value)) return Fail(FieldErrorCode::kInvalidStatus, name, value);
      // §8.6: no 101 in HTTP/2.
      if (status_ == 101 && !options_.allow_status_101) {
        return Fail(FieldErrorCode::kStatus101, name, value);
      }
      break;
  }
  return true;
}

bool FieldValidator::OnRegularField(absl::string_view name, absl::string_view value) {
  flags_ |= kFlagRegularSeen;
  // Only a few names matter; dispatch on the length, then compare.
  switch (name.size()) {
    case 2:
      // §8.2.2: TE only with "trailers" (an ABNF literal: case-insensitive, RFC 5234 §2.3).
      if (H2_EQ(name, "te") && !absl::EqualsIgnoreCase(value, "trailers")) {
        return Fail(FieldErrorCode::kInvalidTe, name, value);
      }
      break;
    case 4:
      if (H2_EQ(name, "host")) return OnHost(name, value);
      break;
    case 7:
      if (H2_EQ(name, "upgrade")) {
        return Fail(FieldErrorCode::kConnectionSpecificField, name, value);
      }
      break;
    case 10:
      if (H2_EQ(name, "connection") || H2_EQ(name, "keep-alive")) {
        return Fail(FieldErrorCode::kConnectionSpecificField, name, value);
      }
      break;
    case 14:
      if (H2_EQ(name, "content-length")) return OnContentLength(name, value);
      break;
    case 16:
      if (H2_EQ(name, "proxy-connection")) {
        return Fail(FieldErrorCode::kConnectionSpecificField, name, value);
      }
      break;
    case 17:
      if (H2_EQ(name, "transfer-encoding")) {
        return Fail(FieldErrorCode::kConnectionSpecificField, name, value);
      }
      break;
  }
  return true;
}

bool FieldValidator::OnHost(absl::string_view name, absl::string_view value) {
  // host matters in requests only (a response may carry one, meaning nothing to HTTP/2).
  if (kind_ != FieldBlockKind::kRequest && kind_ != FieldBlockKind::kPushPromise) return true;
  // §8.3.1: a server SHOULD treat a host identifying another entity than :authority as
  // malformed. All pseudo-header fields came before (§8.3), so :scheme and :authority are
  // final here. Several host fields must identify one entity too (RFC 9110 §5.3: a sender
  // MUST NOT repeat a non-list field; which one to believe would be ambiguous).
  if (!options_.allow_different_host_and_authority) {
    if ((seen_ & kSeenAuthority) && !SameEntity(authority(), value, scheme())) {
      return Fail(FieldErrorCode::kHostAuthorityMismatch, name, value);
    }
    if ((seen_ & kSeenHost) && !SameEntity(host(), value, scheme())) {
      return Fail(FieldErrorCode::kHostAuthorityMismatch, name, value);
    }
  }
  if (!(seen_ & kSeenHost)) {
    seen_ |= kSeenHost;
    host_ = Keep(value);
  }
  return true;
}

bool FieldValidator::OnContentLength(absl::string_view name, absl::string_view value) {
  // In a trailer section content-length says nothing about framing (RFC 9110 §6.5.1).
  if (kind_ == FieldBlockKind::kTrailers || !options_.validate_content_length) return true;
  uint64_t n = 0;
  bool conflict = false;
  int count = 0;
  if (!ParseContentLength(value, &n, &conflict, &count)) {
    return Fail(FieldErrorCode::kInvalidContentLength, name, value);
  }
  if (conflict || (has_content_length_ && n != content_length_)) {
    return Fail(FieldErrorCode::kConflictingContentLength, name, value);
  }
  content_length_count_ += count;
  if (content_length_count_ > 1 && !options_.allow_repeated_content_length) {
    return Fail(FieldErrorCode::kRepeatedContentLength, name, value);
  }
  // RFC 9110 §8.6: a server MUST NOT send content-length in 1xx or 204. :status came first
  // (§8.3). 204 with "0" is tolerated (it states no content, as widely sent).
  if (kind_ == FieldBlockKind::kResponse && !options_.allow_content_length_in_no_content_response &&
      ((status_ >= 100 && status_ <= 199) || (status_ == 204 && n != 0))) {
    return Fail(FieldErrorCode::kContentLengthInNoContentResponse, name, value);
  }
  has_content_length_ = true;
  content_length_ = n;
  return true;
}

void FieldValidator::SetMethod(absl::string_view value) {
  method_ = Keep(value);
  // Methods are case-sensitive (RFC 9110 §9.1).
  if (H2_EQ(value, "CONNECT")) {
    flags_ |= kFlagConnect;
  } else if (H2_EQ(value, "HEAD")) {
    flags_ |= kFlagHead;
  } else if (H2_EQ(value, "OPTIONS")) {
    flags_ |= kFlagOptions;
  }
}

bool FieldValidator::SetStatus(absl::string_view value) {
  if (value.size() != 3 || !IsDigit(value[0]) || !IsDigit(value[1]) || !IsDigit(value[2])) {
    return false;
  }
  status_ = (value[0] - '0') * 100 + (value[1] - '0') * 10 + (value[2] - '0');
  return true;
}

// With validation off: extract what the session needs, check nothing.
void FieldValidator::Record(absl::string_view name, absl::string_view value) {
  if (!name.empty() && name[0] == ':') {
    const uint8_t bit = PseudoBit(name);
    if (bit == 0 || (seen_ & bit)) return;
    seen_ |= bit;
    switch (bit) {
      case kSeenMethod: SetMethod(value); break;
      case kSeenScheme: scheme_ = Keep(value); break;
      case kSeenAuthority: authority_ = Keep(value); break;
      case kSeenPath: path_ = Keep(value); break;
      case kSeenProtocol: protocol_ = Keep(value); break;
      case kSeenStatus: SetStatus(value); break;
    }
    return;
  }
  if (H2_EQ(name, "host") && !(seen_ & kSeenHost)) {
    seen_ |= kSeenHost;
    host_ = Keep(value);
  } else if (H2_EQ(name, "content-length") && !has_content_length_ &&
             kind_ != FieldBlockKind::kTrailers) {
    uint64_t n = 0;
    bool conflict = false;
    int count = 0;
    if (ParseContentLength(value, &n, &conflict, &count) && !conflict) {
      has_content_length_ = true;
      content_length_ = n;
    }
  }
}

bool FieldValidator::FinishBlock() {
  if (!error_.ok()) return false;
  if (!options_.validate_http_headers) return true;
  switch (kind_) {
    case FieldBlockKind::kRequest:
    case FieldBlockKind::kPushPromise:
      return CheckRequest();
    case FieldBlockKind::kResponse:
      return CheckResponse();
    case FieldBlockKind::kTrailers:
      return true;  // pseudo-header fields were refused as they came; END_STREAM at start
  }
  return true;
}

bool FieldValidator::CheckRequest() {
  const absl::string_view none;
  if (!(seen_ & kSeenMethod)) return Fail(FieldErrorCode::kMissingMethod, ":method", none);
  // §8.4: a promised request must be safe and cacheable (RFC 9110 §9.2.1, §9.2.3: GET and
  // HEAD; POST is cacheable only with explicit freshness and is not safe) and must not
  // indicate content.
  if (kind_ == FieldBlockKind::kPushPromise) {
    if (!H2_EQ(method(), "GET") && !H2_EQ(method(), "HEAD")) {
      return Fail(FieldErrorCode::kPushUnsafeMethod, ":method", method());
    }
    if (has_content_length_ && content_length_ > 0) {
      return Fail(FieldErrorCode::kPushWithContent, "content-length",
                  absl::string_view());
    }
  }
  const bool extended = (seen_ & kSeenProtocol) != 0;
  if (extended && !is_connect()) {
    return Fail(FieldErrorCode::kProtocolWithoutConnect, ":protocol", protocol());
  }
  if (is_connect() && !extended) {
    // §8.5: :method CONNECT, :authority host:port, no :scheme, no :path.
    if (seen_ & kSeenScheme) {
      return Fail(FieldErrorCode::kConnectWithSchemeOrPath, ":scheme", scheme());
    }
    if (seen_ & kSeenPath) return Fail(FieldErrorCode::kConnectWithSchemeOrPath, ":path", path());
    if (!(seen_ & kSeenAuthority)) {
      return Fail(FieldErrorCode::kMissingAuthority, ":authority", none);
    }
    if (options_.validate_authority) {
      const AuthorityParts a = SplitAuthority(authority());
      if (a.has_userinfo || !a.well_formed || a.host.empty() || !a.has_port ||
          ParsePort(a.port) < 0) {
        return Fail(FieldErrorCode::kInvalidConnectAuthority, ":authority", authority());
      }
    }
    return true;
  }
  // Every other request, and extended CONNECT (RFC 8441 §4: :scheme and :path too).
  if (!(seen_ & kSeenScheme)) return Fail(FieldErrorCode::kMissingScheme, ":scheme", none);
  if (!(seen_ & kSeenPath)) return Fail(FieldErrorCode::kMissingPath, ":path", none);
  const bool http = (flags_ & kFlagHttpScheme) != 0;
  // §8.3.1: asterisk-form only for OPTIONS (RFC 9112 §3.2.4), whatever the scheme.
  if (H2_EQ(path(), "*")) {
    if (!(flags_ & kFlagOptions)) {
      return Fail(FieldErrorCode::kAsteriskPathNotOptions, ":path", path());
    }
  } else if (http) {
    if (path_.size == 0) return Fail(FieldErrorCode::kEmptyPath, ":path", path());
    if (path()[0] != '/') return Fail(FieldErrorCode::kPathNotAbsolute, ":path", path());
  }
  // Most authorities are a bare host name: only one with '@', ':' or '[' needs splitting.
  if (options_.validate_authority && http && (seen_ & kSeenAuthority) &&
      (authority_.size == 0 || authority()[0] == '[' || (flags_ & kFlagAuthorityAtOrColon))) {
    const AuthorityParts a = SplitAuthority(authority());
    if (a.has_userinfo) return Fail(FieldErrorCode::kAuthorityUserinfo, ":authority", authority());
    // RFC 9110 §4.2.1, §4.2.2: an http(s) URI with an empty host MUST be rejected.
    if (a.host.empty() || !a.well_formed || (a.has_port && ParsePort(a.port) == -1)) {
      return Fail(FieldErrorCode::kInvalidAuthority, ":authority", authority());
    }
  }
  if (options_.require_authority_or_host && !(seen_ & (kSeenAuthority | kSeenHost))) {
    return Fail(FieldErrorCode::kMissingAuthorityAndHost, ":authority", none);
  }
  return true;
}

bool FieldValidator::CheckResponse() {
  if (!(seen_ & kSeenStatus)) {
    return Fail(FieldErrorCode::kMissingStatus, ":status", absl::string_view());
  }
  // §8.1: an interim response never ends the stream.
  if (is_informational() && (flags_ & kFlagEndStream)) {
    return Fail(FieldErrorCode::kInformationalEndStream, ":status", absl::string_view());
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// ContentLengthTracker

ContentLengthTracker ContentLengthTracker::ForRequest(const FieldValidator& request) {
  const FieldValidationOptions& o = request.options();
  if (!o.validate_http_headers || !o.validate_content_length) return ContentLengthTracker();
  return ForRequest(request.content_length(), request.is_connect());
}

ContentLengthTracker ContentLengthTracker::ForRequest(std::optional<uint64_t> content_length,
                                                      bool is_connect) {
  ContentLengthTracker t;
  // A CONNECT request (plain or extended) is followed by tunnel data, not content.
  if (!is_connect && content_length.has_value()) {
    t.mode_ = Mode::kExpect;
    t.expected_ = *content_length;
  }
  return t;
}

ContentLengthTracker ContentLengthTracker::ForResponse(const FieldValidator& response,
                                                       bool request_was_head,
                                                       bool request_was_connect) {
  const FieldValidationOptions& o = response.options();
  if (!o.validate_http_headers || !o.validate_content_length) return ContentLengthTracker();
  return ForResponse(response.status(), response.content_length(), request_was_head,
                     request_was_connect);
}

ContentLengthTracker ContentLengthTracker::ForResponse(int status,
                                                       std::optional<uint64_t> content_length,
                                                       bool request_was_head,
                                                       bool request_was_connect) {
  ContentLengthTracker t;
  if (status >= 100 && status <= 199) {
    t.mode_ = Mode::kInformational;
  } else if (request_was_connect && status >= 200 && status <= 299) {
    // RFC 9110 §9.3.6: a tunnel; "A client MUST ignore any Content-Length or
    // Transfer-Encoding header fields received in a successful response to CONNECT".
  } else if (request_was_head || status == 204 || status == 304) {
    t.mode_ = Mode::kNoContent;  // RFC 9110 §6.4.1; content-length MAY be non-zero (§8.1.1)
  } else if (content_length.has_value()) {
    t.mode_ = Mode::kExpect;
    t.expected_ = *content_length;
  }
  return t;
}

bool ContentLengthTracker::OnData(uint64_t length) {
  if (code_ != FieldErrorCode::kOk) return false;
  received_ = length > std::numeric_limits<uint64_t>::max() - received_
                  ? std::numeric_limits<uint64_t>::max()
                  : received_ + length;
  switch (mode_) {
    case Mode::kAny:
      break;
    case Mode::kExpect:
      if (received_ > expected_) code_ = FieldErrorCode::kContentLengthExceeded;
      break;
    case Mode::kNoContent:
      if (received_ > 0) code_ = FieldErrorCode::kContentNotAllowed;
      break;
    case Mode::kInformational:
      code_ = FieldErrorCode::kDataBeforeFinalResponse;
      break;
  }
  return code_ == FieldErrorCode::kOk;
}

bool ContentLengthTracker::OnEndStream() {
  if (code_ != FieldErrorCode::kOk) return false;
  if (mode_ == Mode::kExpect && received_ != expected_) {
    code_ = FieldErrorCode::kContentLengthShort;
  } else if (mode_ == Mode::kInformational) {
    code_ = FieldErrorCode::kNoFinalResponse;
  }
  return code_ == FieldErrorCode::kOk;
}

FieldError ContentLengthTracker::error() const {
  FieldError e;
  e.code = code_;
  if (code_ == FieldErrorCode::kOk) return e;
  if (mode_ == Mode::kExpect) {
    e.message = absl::StrCat("content-length ", expected_, ", DATA so far ", received_, ": ",
                             Info(code_).text);
  } else {
    e.message = absl::StrCat("DATA so far ", received_, ": ", Info(code_).text);
  }
  return e;
}

// ---------------------------------------------------------------------------------------
// Cookies (§8.2.3)

void AppendCookieCrumb(std::string* joined, absl::string_view crumb) {
  if (!joined->empty()) joined->append("; ");
  joined->append(crumb.data(), crumb.size());
}

void JoinCookieCrumbs(hpack::HeaderList* fields) {
  size_t first = fields->size();
  size_t count = 0;
  for (size_t i = 0; i < fields->size(); ++i) {
    if ((*fields)[i].name == "cookie") {
      if (count++ == 0) first = i;
    }
  }
  if (count < 2) return;
  // Join into the first, then close the gaps left by the others (order kept).
  hpack::HeaderField& target = (*fields)[first];
  size_t out = first + 1;
  for (size_t i = first + 1; i < fields->size(); ++i) {
    hpack::HeaderField& f = (*fields)[i];
    if (f.name == "cookie") {
      target.value.append("; ");
      target.value.append(f.value);
      target.never_indexed = target.never_indexed || f.never_indexed;
      continue;
    }
    if (out != i) (*fields)[out] = std::move(f);
    ++out;
  }
  fields->resize(out);
}

void CrumbleCookies(hpack::HeaderList* fields) {
  bool any = false;
  for (const hpack::HeaderField& f : *fields) {
    if (f.name == "cookie" && f.value.find(';') != std::string::npos) {
      any = true;
      break;
    }
  }
  if (!any) return;
  hpack::HeaderList out;
  out.reserve(fields->size() + 4);
  for (hpack::HeaderField& f : *fields) {
    if (f.name != "cookie" || f.value.find(';') == std::string::npos) {
      out.push_back(std::move(f));
      continue;
    }
    absl::string_view v = f.value;
    size_t start = 0;
    while (start <= v.size()) {
      size_t end = v.find(';', start);
      if (end == absl::string_view::npos) end = v.size();
      absl::string_view crumb = v.substr(start, end - start);
      while (!crumb.empty() && IsWs(crumb.front())) crumb.remove_prefix(1);
      while (!crumb.empty() && IsWs(crumb.back())) crumb.remove_suffix(1);
      if (!crumb.empty()) out.emplace_back("cookie", std::string(crumb), f.never_indexed);
      start = end + 1;
    }
  }
  *fields = std::move(out);
}

}  // namespace http2
