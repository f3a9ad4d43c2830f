// HTTP field validation (http2/field_validation.h; RFC 9113 §8.1-§8.5, RFC 8441 §4,
// RFC 9110 §5, §8.6) on field lists of any shape, under every combination of options.
//
// Input: 5 config octets, then the fields, one per line ('\n'), name and value split at the
// first SP (so a value may start with SP; a name never holds one). In a value, the
// two-octet escapes \n \r \0 stand for LF, CR and NUL.
//   octet 0  FieldBlockKind (mod 4)
//   octet 1  END_STREAM: 0 unknown (StartBlock(kind)), 1 false, 2 true (mod 3)
//   octet 2-3 options: bit i set flips option i from its default (kOptions below)
//   octet 4  DATA for the ContentLengthTracker: bits 0-1 frame count, bits 2-3 total
//            (content-length, -1, +1, bits 4-7), bit 4 request was HEAD, bit 5 CONNECT
//
// Checked, for every input:
//  - determinism: a fresh validator and one reused after another block agree on the verdict,
//    the error (code and message) and every accessor;
//  - an accepted block obeys the rules the options leave on, checked here independently of
//    the validator: names lowercase tchar, values without NUL/CR/LF (and CTL, obs-text,
//    edge whitespace unless allowed), no connection-specific field, te only "trailers",
//    pseudo-header fields only first, once, of the block's kind; a request has :method and,
//    unless CONNECT without :protocol, :scheme and :path (CONNECT: :authority host:port);
//    a response one valid :status; push promises GET/HEAD without content; trailers none;
//  - the accessors return what the list said (the first occurrence, also with validation
//    off), the error has a name, a rule and a message;
//  - monotonicity: switching any one check off never turns an accepted block into a
//    rejected one;
//  - ContentLengthTracker agrees with a model of RFC 9113 §8.1.1 / RFC 9110 §6.4.1;
//  - cookies (§8.2.3): CrumbleCookies splits each cookie into its non-empty trimmed pairs,
//    keeps everything else in order; JoinCookieCrumbs gives them back joined with "; ".
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "fuzz/fuzz_util.h"
#include "hpack/header.h"
#include "http2/field_validation.h"

namespace {

using http2::FieldBlockKind;
using http2::FieldErrorCode;
using http2::FieldValidationOptions;
using http2::FieldValidator;
using Fields = std::vector<std::pair<std::string, std::string>>;

// Each option, and the value that switches its check off.
struct OptionBit {
  bool FieldValidationOptions::*member;
  bool relaxed;
  const char* name;
};
constexpr OptionBit kOptions[] = {
    {&FieldValidationOptions::validate_http_headers, false, "validate_http_headers"},
    {&FieldValidationOptions::no_rfc9113_leading_and_trailing_ws_validation, true, "no_ws"},
    {&FieldValidationOptions::allow_obs_text, true, "allow_obs_text"},
    {&FieldValidationOptions::allow_ctl_in_values, true, "allow_ctl_in_values"},
    {&FieldValidationOptions::allow_non_token_names, true, "allow_non_token_names"},
    {&FieldValidationOptions::allow_different_host_and_authority, true, "allow_different_host"},
    {&FieldValidationOptions::allow_extended_connect, true, "allow_extended_connect"},
    {&FieldValidationOptions::validate_path, false, "validate_path"},
    {&FieldValidationOptions::allow_fragment_in_path, true, "allow_fragment_in_path"},
    {&FieldValidationOptions::validate_authority, false, "validate_authority"},
    {&FieldValidationOptions::require_authority_or_host, false, "require_authority_or_host"},
    {&FieldValidationOptions::allow_status_101, true, "allow_status_101"},
    {&FieldValidationOptions::allow_repeated_content_length, true, "allow_repeated_cl"},
    {&FieldValidationOptions::allow_content_length_in_no_content_response, true,
     "allow_cl_in_no_content"},
    {&FieldValidationOptions::validate_content_length, false, "validate_content_length"},
};

struct Input {
  FieldBlockKind kind = FieldBlockKind::kRequest;
  int end_stream = 0;  // 0 unknown, 1 false, 2 true
  FieldValidationOptions options;
  uint8_t data = 0;
  Fields fields;
};

std::string Unescape(absl::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size() && (v[i + 1] == 'n' || v[i + 1] == 'r' || v[i + 1] == '0')) {
      out.push_back(v[i + 1] == 'n' ? '\n' : v[i + 1] == 'r' ? '\r' : '\0');
      ++i;
    } else {
      out.push_back(v[i]);
    }
  }
  return out;
}

std::optional<Input> Parse(const uint8_t* data, size_t size) {
  if (size < 5) return std::nullopt;
  Input in;
  in.kind = static_cast<FieldBlockKind>(data[0] % 4);
  in.end_stream = data[1] % 3;
  const uint16_t flips = static_cast<uint16_t>(data[2] | (data[3] << 8));
  for (size_t i = 0; i < sizeof(kOptions) / sizeof(kOptions[0]); ++i) {
    if (flips & (1u << i)) in.options.*kOptions[i].member = !(in.options.*kOptions[i].member);
  }
  in.data = data[4];
  absl::string_view rest(reinterpret_cast<const char*>(data + 5), size - 5);
  if (rest.empty()) return in;
  for (absl::string_view line : absl::StrSplit(rest, '\n')) {
    if (in.fields.size() >= 64) break;
    const size_t sp = line.find(' ');
    if (sp == absl::string_view::npos) {
      in.fields.emplace_back(std::string(line), "");
    } else {
      in.fields.emplace_back(std::string(line.substr(0, sp)), Unescape(line.substr(sp + 1)));
    }
  }
  return in;
}

struct Verdict {
  bool ok = false;
  FieldErrorCode code = FieldErrorCode::kOk;
  std::string message;
  std::string method, scheme, authority, path, protocol, host;
  bool has_authority = false, has_host = false, has_status = false;
  int status = 0;
  std::optional<uint64_t> content_length;
  bool is_connect = false, is_extended_connect = false, is_head = false;

  bool operator==(const Verdict& o) const {
    return ok == o.ok && code == o.code && message == o.message && method == o.method &&
           scheme == o.scheme && authority == o.authority && path == o.path &&
           protocol == o.protocol && host == o.host && has_authority == o.has_authority &&
           has_host == o.has_host && has_status == o.has_status && status == o.status &&
           content_length == o.content_length && is_connect == o.is_connect &&
           is_extended_connect == o.is_extended_connect && is_head == o.is_head;
  }
};

Verdict Run(FieldValidator& v, const Input& in, const FieldValidationOptions& options) {
  v.set_options(options);
  if (in.end_stream == 0) {
    v.StartBlock(in.kind);
  } else {
    v.StartBlock(in.kind, in.end_stream == 2);
  }
  fuzz::Check(v.kind() == in.kind, "kind() is not the block's kind");
  bool ok = v.ok();
  for (const auto& f : in.fields) {
    const bool r = v.OnField(f.first, f.second);
    fuzz::Check(r == v.ok(), "OnField's result disagrees with ok()");
    if (!ok) fuzz::Check(!r, "OnField accepted a field after a failure");
    ok = r;
  }
  const bool fin = v.FinishBlock();
  fuzz::Check(fin == v.ok(), "FinishBlock's result disagrees with ok()");
  if (!ok) fuzz::Check(!fin, "FinishBlock accepted a block after a failure");
  Verdict r;
  r.ok = fin;
  r.code = v.error().code;
  r.message = v.error().message;
  r.method = std::string(v.method());
  r.scheme = std::string(v.scheme());
  r.authority = std::string(v.authority());
  r.path = std::string(v.path());
  r.protocol = std::string(v.protocol());
  r.host = std::string(v.host());
  r.has_authority = v.has_authority();
  r.has_host = v.has_host();
  r.has_status = v.has_status();
  r.status = v.status();
  r.content_length = v.content_length();
  r.is_connect = v.is_connect();
  r.is_extended_connect = v.is_extended_connect();
  r.is_head = v.is_head();
  return r;
}

// --- an independent reading of the rules ------------------------------------------------

bool IsTchar(unsigned char c) {
  return absl::ascii_isalnum(c) || absl::StrContains("!#$%&'*+-.^_`|~", static_cast<char>(c));
}
bool IsCtlNotNulCrLfTab(unsigned char c) {
  return (c < 0x20 && c != 0 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f;
}
bool IsWs(char c) { return c == ' ' || c == '\t'; }
bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

[[noreturn]] void FailOn(const Input& in, const std::string& what) {
  std::string s = what + "\nkind " + std::to_string(static_cast<int>(in.kind)) +
                  ", end_stream " + std::to_string(in.end_stream) + ", options:";
  for (const OptionBit& o : kOptions) {
    s += absl::StrCat(" ", o.name, "=", in.options.*o.member ? 1 : 0);
  }
  s += "\nfields:\n";
  for (const auto& f : in.fields) {
    s += "  " + hpack::EscapeBytes(f.first) + ": " + hpack::EscapeBytes(f.second) + "\n";
  }
  fuzz::Fail(s);
}

// The first value of `name`, if any.
const std::string* First(const Fields& fields, absl::string_view name) {
  for (const auto& f : fields) {
    if (f.first == name) return &f.second;
  }
  return nullptr;
}

// What an accepted block (validation on) must satisfy.
void CheckAccepted(const Input& in, const Verdict& v) {
  const FieldValidationOptions& o = in.options;
  auto need = [&in](bool ok, const char* what) {
    if (!ok) FailOn(in, std::string("accepted, but ") + what);
  };
  const bool request = in.kind == FieldBlockKind::kRequest || in.kind == FieldBlockKind::kPushPromise;
  bool regular_seen = false;
  std::vector<std::string> pseudo;
  for (const auto& [name, value] : in.fields) {
    need(!name.empty(), "an empty name");
    const bool is_pseudo = name[0] == ':';
    for (size_t i = is_pseudo ? 1 : 0; i < name.size(); ++i) {
      const unsigned char c = name[i];
      need(!(c >= 'A' && c <= 'Z'), "an uppercase name");
      need(c > 0x20 && c < 0x7f && c != ':', "a forbidden octet in a name");
      if (!o.allow_non_token_names) need(IsTchar(c), "a non-token name");
    }
    for (unsigned char c : value) {
      need(c != 0 && c != '\r' && c != '\n', "NUL, CR or LF in a value");
      if (!o.allow_ctl_in_values) need(!IsCtlNotNulCrLfTab(c), "a CTL in a value");
      if (!o.allow_obs_text) need(c < 0x80, "obs-text in a value");
    }
    if (!value.empty() && (is_pseudo || !o.no_rfc9113_leading_and_trailing_ws_validation)) {
      need(!IsWs(value.front()) && !IsWs(value.back()), "SP/HTAB at the edge of a value");
    }
    if (is_pseudo) {
      need(!regular_seen, "a pseudo-header field after a regular one");
      need(in.kind != FieldBlockKind::kTrailers, "a pseudo-header field in trailers");
      for (const std::string& p : pseudo) need(p != name, "a repeated pseudo-header field");
      pseudo.push_back(name);
      if (request) {
        need(name == ":method" || name == ":scheme" || name == ":authority" || name == ":path" ||
                 name == ":protocol",
             "a pseudo-header field that requests do not have");
      } else {
        need(name == ":status", "a pseudo-header field that responses do not have");
      }
    } else {
      regular_seen = true;
      need(name != "connection" && name != "keep-alive" && name != "proxy-connection" &&
               name != "transfer-encoding" && name != "upgrade",
           "a connection-specific field");
      if (name == "te") need(absl::EqualsIgnoreCase(value, "trailers"), "te other than trailers");
    }
  }
  if (in.kind == FieldBlockKind::kTrailers) need(in.end_stream != 1, "trailers without END_STREAM");

  // Content-Length (RFC 9110 §8.6): the value of the first element of the first field.
  std::optional<uint64_t> cl;
  int cl_fields = 0;
  for (const auto& [name, value] : in.fields) {
    if (name != "content-length") continue;
    ++cl_fields;
    if (!o.validate_content_length || in.kind == FieldBlockKind::kTrailers) continue;
    if (!o.allow_repeated_content_length) {
      need(value.find(',') == std::string::npos, "a repeated content-length");
    }
    if (cl) continue;
    absl::string_view e = value;
    const size_t comma = e.find(',');
    if (comma != absl::string_view::npos) e = e.substr(0, comma);
    while (!e.empty() && IsWs(e.front())) e.remove_prefix(1);
    while (!e.empty() && IsWs(e.back())) e.remove_suffix(1);
    need(AllDigits(e), "an invalid content-length");
    uint64_t n = 0;
    for (char c : e) n = n * 10 + static_cast<uint64_t>(c - '0');
    cl = n;
  }
  if (!o.allow_repeated_content_length && o.validate_content_length &&
      in.kind != FieldBlockKind::kTrailers) {
    need(cl_fields <= 1, "content-length repeated");
  }
  if (o.validate_content_length && in.kind != FieldBlockKind::kTrailers) {
    if (v.content_length != cl) FailOn(in, "content_length() is not the field's value");
  } else {
    need(!v.content_length.has_value(), "content_length() without content-length checks");
  }

  const std::string* method = First(in.fields, ":method");
  const std::string* scheme = First(in.fields, ":scheme");
  const std::string* path = First(in.fields, ":path");
  const std::string* authority = First(in.fields, ":authority");
  const std::string* protocol = First(in.fields, ":protocol");
  const std::string* status = First(in.fields, ":status");
  if (request) {
    need(method != nullptr, "a request without :method");
    need(!method->empty(), "an empty :method");
    for (unsigned char c : *method) need(IsTchar(c), "a :method that is not a token");
    const bool connect = *method == "CONNECT";
    need(v.is_connect == connect, "is_connect() is wrong");
    if (protocol) {
      need(o.allow_extended_connect, ":protocol with extended CONNECT disabled");
      need(connect, ":protocol without CONNECT");
      need(v.is_extended_connect, "is_extended_connect() is false");
    }
    if (connect && !protocol) {
      need(scheme == nullptr && path == nullptr, "CONNECT with :scheme or :path");
      need(authority != nullptr, "CONNECT without :authority");
      if (o.validate_authority) {
        need(authority->find('@') == std::string::npos, "CONNECT :authority with userinfo");
        const size_t colon = authority->rfind(':');
        need(colon != std::string::npos && colon > 0, "CONNECT :authority without host:port");
        const std::string port = authority->substr(colon + 1);
        need(AllDigits(port), "CONNECT :authority with a bad port");
        uint64_t p = 0;
        for (char c : port) p = std::min<uint64_t>(p * 10 + static_cast<uint64_t>(c - '0'), 1u << 20);
        need(p <= 65535, "CONNECT :authority with a port above 65535");
      }
    } else {
      need(scheme != nullptr && path != nullptr, "a request without :scheme or :path");
      need(!scheme->empty() && absl::ascii_isalpha(static_cast<unsigned char>((*scheme)[0])),
           "a :scheme not starting with a letter");
      if (*path == "*") {
        need(*method == "OPTIONS", ":path * with a method other than OPTIONS");
      } else if (absl::EqualsIgnoreCase(*scheme, "http") || absl::EqualsIgnoreCase(*scheme, "https")) {
        need(!path->empty() && (*path)[0] == '/', "an http(s) :path that is not absolute");
        if (o.validate_authority && authority) {
          need(authority->find('@') == std::string::npos, "an http(s) :authority with userinfo");
          need(!authority->empty(), "an empty http(s) :authority");
        }
      }
      for (unsigned char c : *path) {
        need(c != ' ' && c != '\t' && !IsCtlNotNulCrLfTab(c), "SP, HTAB or a CTL in :path");
        if (o.validate_path && *path != "*") {
          if (!o.allow_fragment_in_path) need(c != '#', "'#' in :path");
          need(c < 0x80, "obs-text in :path");
        }
      }
    }
    if (in.kind == FieldBlockKind::kPushPromise) {
      need(*method == "GET" || *method == "HEAD", "a push promise with an unsafe method");
      if (o.validate_content_length) need(!cl || *cl == 0, "a push promise with content");
    }
    if (o.require_authority_or_host) {
      need(authority || First(in.fields, "host"), "neither :authority nor host");
    }
    need(v.status == 0 && !v.has_status, "a status in a request");
  } else if (in.kind == FieldBlockKind::kResponse) {
    need(status != nullptr, "a response without :status");
    need(status->size() == 3 && AllDigits(*status), "a :status that is not three digits");
    const int s = std::stoi(*status);
    need(v.status == s && v.has_status, "status() is not :status");
    if (!o.allow_status_101) need(s != 101, ":status 101");
    if (s >= 100 && s <= 199) need(in.end_stream != 2, "a 1xx with END_STREAM");
    if (cl && o.validate_content_length && !o.allow_content_length_in_no_content_response) {
      need(!(s >= 100 && s <= 199) && !(s == 204 && *cl != 0), "content-length in 1xx or 204");
    }
  }
}

// The accessors against the list (first occurrences; with validation on and the block
// accepted there is only one of each pseudo-header field).
void CheckAccessors(const Input& in, const Verdict& v) {
  auto same = [&in](const std::string* field, const std::string& got, const char* what) {
    if ((field ? *field : std::string()) != got) FailOn(in, std::string(what) + " is not the field's value");
  };
  same(First(in.fields, ":method"), v.method, "method()");
  same(First(in.fields, ":scheme"), v.scheme, "scheme()");
  same(First(in.fields, ":authority"), v.authority, "authority()");
  same(First(in.fields, ":path"), v.path, "path()");
  same(First(in.fields, ":protocol"), v.protocol, "protocol()");
  if (v.has_authority != (First(in.fields, ":authority") != nullptr)) {
    FailOn(in, "has_authority() is wrong");
  }
  // host matters only in requests when validating; Record() keeps the first everywhere.
  const bool host_kept = !in.options.validate_http_headers ||
                         in.kind == FieldBlockKind::kRequest ||
                         in.kind == FieldBlockKind::kPushPromise;
  if (host_kept) {
    same(First(in.fields, "host"), v.host, "host()");
    if (v.has_host != (First(in.fields, "host") != nullptr)) FailOn(in, "has_host() is wrong");
  }
  if (v.is_head != (v.method == "HEAD")) FailOn(in, "is_head() is wrong");
  if (v.is_connect != (v.method == "CONNECT")) FailOn(in, "is_connect() is wrong");
}

// ContentLengthTracker against a model (RFC 9113 §8.1.1, RFC 9110 §6.4.1, §9.3.6).
void CheckTracker(const Input& in, const FieldValidator& v, const Verdict& verdict) {
  const int frames = in.data & 3;
  const bool was_head = (in.data & 16) != 0, was_connect = (in.data & 32) != 0;
  http2::ContentLengthTracker t;
  enum { kAny, kExpect, kNone, kInformational } mode = kAny;
  uint64_t expected = 0;
  const bool checks = in.options.validate_http_headers && in.options.validate_content_length;
  if (in.kind == FieldBlockKind::kRequest) {
    t = http2::ContentLengthTracker::ForRequest(v);
    if (checks && verdict.content_length && !verdict.is_connect) {
      mode = kExpect;
      expected = *verdict.content_length;
    }
  } else if (in.kind == FieldBlockKind::kResponse) {
    t = http2::ContentLengthTracker::ForResponse(v, was_head, was_connect);
    const int s = verdict.status;
    if (!checks) {
    } else if (s >= 100 && s <= 199) {
      mode = kInformational;
    } else if (was_connect && s >= 200 && s <= 299) {
    } else if (was_head || s == 204 || s == 304) {
      mode = kNone;
    } else if (verdict.content_length) {
      mode = kExpect;
      expected = *verdict.content_length;
    }
  } else {
    return;
  }
  if ((mode == kExpect) != t.expected().has_value() || (mode == kExpect && *t.expected() != expected)) {
    FailOn(in, "the tracker expects another length");
  }
  uint64_t total;
  switch ((in.data >> 2) & 3) {
    case 0: total = expected; break;
    case 1: total = expected > 0 ? expected - 1 : 0; break;
    case 2: total = expected + 1; break;
    default: total = in.data >> 4; break;
  }
  uint64_t sent = 0, received = 0;  // received: what the tracker counted (not after an error)
  FieldErrorCode want = FieldErrorCode::kOk;
  for (int i = 0; i < frames; ++i) {
    const uint64_t n = i + 1 == frames ? total - sent : (total - sent) / 2;
    sent += n;
    const bool r = t.OnData(n);
    if (want == FieldErrorCode::kOk) {
      received = sent;
      if (mode == kExpect && sent > expected) want = FieldErrorCode::kContentLengthExceeded;
      if (mode == kNone && sent > 0) want = FieldErrorCode::kContentNotAllowed;
      if (mode == kInformational) want = FieldErrorCode::kDataBeforeFinalResponse;
    }
    if (r != (want == FieldErrorCode::kOk) || t.code() != want) FailOn(in, "OnData's verdict is wrong");
  }
  const bool r = t.OnEndStream();
  if (want == FieldErrorCode::kOk) {
    if (mode == kExpect && sent != expected) want = FieldErrorCode::kContentLengthShort;
    if (mode == kInformational) want = FieldErrorCode::kNoFinalResponse;
  }
  if (r != (want == FieldErrorCode::kOk) || t.code() != want || t.ok() != r) {
    FailOn(in, "OnEndStream's verdict is wrong");
  }
  if (t.received() != received) FailOn(in, "received() is not the DATA total");
  if (t.error().code != want || (want != FieldErrorCode::kOk) == t.error().message.empty()) {
    FailOn(in, "the tracker's error() does not match");
  }
}

// §8.2.3 cookie crumbs.
void CheckCookies(const Input& in) {
  hpack::HeaderList list;
  std::vector<std::string> crumbs, others;
  for (const auto& [name, value] : in.fields) {
    list.emplace_back(name, value, false);
    if (name != "cookie") {
      others.push_back(name + "\n" + value);
      continue;
    }
    if (value.find(';') == std::string::npos) {
      crumbs.push_back(value);  // kept as received, even empty
      continue;
    }
    for (absl::string_view c : absl::StrSplit(value, ';')) {
      while (!c.empty() && IsWs(c.front())) c.remove_prefix(1);
      while (!c.empty() && IsWs(c.back())) c.remove_suffix(1);
      if (!c.empty()) crumbs.emplace_back(c);
    }
  }
  http2::CrumbleCookies(&list);
  std::vector<std::string> got_crumbs, got_others;
  for (const hpack::HeaderField& f : list) {
    if (f.name == "cookie") {
      got_crumbs.push_back(f.value);
    } else {
      got_others.push_back(f.name + "\n" + f.value);
    }
  }
  if (got_crumbs != crumbs) FailOn(in, "CrumbleCookies: other crumbs than ';'-splitting gives");
  if (got_others != others) FailOn(in, "CrumbleCookies changed a field that is not a cookie");

  http2::JoinCookieCrumbs(&list);
  size_t cookies = 0;
  got_others.clear();
  std::string joined;
  for (const hpack::HeaderField& f : list) {
    if (f.name == "cookie") {
      ++cookies;
      joined = f.value;
    } else {
      got_others.push_back(f.name + "\n" + f.value);
    }
  }
  if (got_others != others) FailOn(in, "JoinCookieCrumbs changed a field that is not a cookie");
  if (cookies != (crumbs.empty() ? 0u : 1u)) FailOn(in, "JoinCookieCrumbs: not one cookie");
  if (!crumbs.empty() && joined != absl::StrJoin(crumbs, "; ")) {
    FailOn(in, "JoinCookieCrumbs: not the crumbs joined with \"; \"");
  }
  // AppendCookieCrumb builds the same string (when no crumb is empty: it writes no
  // separator after an empty start).
  bool none_empty = true;
  for (const std::string& c : crumbs) none_empty = none_empty && !c.empty();
  if (none_empty) {
    std::string built;
    for (const std::string& c : crumbs) http2::AppendCookieCrumb(&built, c);
    if (built != absl::StrJoin(crumbs, "; ")) FailOn(in, "AppendCookieCrumb disagrees");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8192) return 0;
  const std::optional<Input> parsed = Parse(data, size);
  if (!parsed) return 0;
  const Input& in = *parsed;

  FieldValidator fresh(in.options);
  const Verdict v = Run(fresh, in, in.options);

  // Determinism, and no state kept from an earlier block: a validator that first saw the
  // same list as another kind (and a long value, to grow its buffer) gives the same result.
  {
    static FieldValidator reused;
    Input other = in;
    other.kind = static_cast<FieldBlockKind>((static_cast<int>(in.kind) + 1) % 4);
    other.fields.emplace_back(":path", std::string(300, 'a'));
    Run(reused, other, in.options);
    if (!(Run(reused, in, in.options) == v)) FailOn(in, "a reused validator disagrees");
    FieldValidator again(in.options);
    if (!(Run(again, in, in.options) == v)) FailOn(in, "a second validator disagrees");
  }

  // The error's description.
  const bool known = v.code == FieldErrorCode::kOk ||
                     absl::c_linear_search(http2::AllFieldErrors(), v.code);
  if (!known) FailOn(in, "an error code AllFieldErrors() does not list");
  if (v.ok != (v.code == FieldErrorCode::kOk)) FailOn(in, "ok() disagrees with the code");
  if (!v.ok) {
    if (v.message.empty() || http2::FieldErrorName(v.code).empty() ||
        http2::FieldErrorRule(v.code).empty() || fresh.error().ToStatus().ok() ||
        fresh.error().ToStatus().message() != v.message) {
      FailOn(in, "an error without a description");
    }
    if (!in.options.validate_http_headers) FailOn(in, "rejected with validation off");
  } else {
    if (!fresh.error().ToStatus().ok()) FailOn(in, "ok, but ToStatus() is an error");
    if (in.options.validate_http_headers) CheckAccepted(in, v);
    CheckAccessors(in, v);
    CheckTracker(in, fresh, v);

    // Monotonicity: each check switched off keeps the block accepted.
    for (const OptionBit& o : kOptions) {
      if (in.options.*o.member == o.relaxed) continue;
      FieldValidationOptions relaxed = in.options;
      relaxed.*o.member = o.relaxed;
      FieldValidator rv(relaxed);
      const Verdict r = Run(rv, in, relaxed);
      if (!r.ok) {
        FailOn(in, absl::StrCat("switching ", o.name, " to ", o.relaxed ? "true" : "false",
                                " rejects an accepted block: ", r.message));
      }
    }
  }
  CheckCookies(in);
  return 0;
}
