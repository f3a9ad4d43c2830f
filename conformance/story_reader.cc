#include "conformance/story_reader.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "conformance/json_bytes.h"
#include "hpack/header.h"

namespace conformance {
namespace {

constexpr int kMaxDepth = 64;  // a story needs 5 levels; deeper input is refused, not recursed

// The JSON types, named as error messages name them.
const char* TypeAt(char c) {
  switch (c) {
    case '{':
      return "object";
    case '[':
      return "array";
    case '"':
      return "string";
    case 't':
    case 'f':
      return "boolean";
    case 'n':
      return "null";
    default:
      return (c == '-' || (c >= '0' && c <= '9')) ? "number" : "invalid JSON";
  }
}

// hex digit -> value, or -1.
struct HexTable {
  int8_t v[256];
  constexpr HexTable() : v() {
    for (int i = 0; i < 256; ++i) v[i] = -1;
    for (int i = 0; i < 10; ++i) v['0' + i] = static_cast<int8_t>(i);
    for (int i = 0; i < 6; ++i) {
      v['a' + i] = static_cast<int8_t>(10 + i);
      v['A' + i] = static_cast<int8_t>(10 + i);
    }
  }
};
constexpr HexTable kHex;

// Octets that end the fast scan of a string: '"', '\\', controls and non-ASCII.
struct StopTable {
  bool v[256];
  constexpr StopTable() : v() {
    for (int i = 0; i < 256; ++i) v[i] = i < 0x20 || i >= 0x80 || i == '"' || i == '\\';
  }
};
constexpr StopTable kStop;

// A syntax error: thrown inside the reader (which owns no resources that need unwinding
// care), turned into a Status at the top.
struct SyntaxError {
  size_t offset;
  std::string what;
};

// A story-level error with its full message (the file is JSON, but not a story).
struct SchemaError {
  std::string message;
};

class Reader {
 public:
  Reader(absl::string_view text, absl::string_view source) : text_(text), source_(source) {
    if (text_.substr(0, 3) == "\xef\xbb\xbf") pos_ = 3;  // a UTF-8 byte order mark
  }

  absl::StatusOr<Story> Read() {
    try {
      Story story = ReadStory();
      return story;
    } catch (const SyntaxError& e) {
      return absl::InvalidArgumentError(absl::StrCat(source_, ": invalid JSON at ", Where(e.offset),
                                                     ": ", e.what));
    } catch (const SchemaError& e) {
      return absl::InvalidArgumentError(e.message);
    }
  }

 private:
  // "line 3, column 7" (columns count octets, from 1).
  std::string Where(size_t offset) const {
    offset = std::min(offset, text_.size());
    size_t line = 1, column = 1;
    for (size_t i = 0; i < offset; ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return absl::StrFormat("line %d, column %d", line, column);
  }

  [[noreturn]] void Fail(std::string what) const { throw SyntaxError{pos_, std::move(what)}; }
  [[noreturn]] void Fail(size_t at, std::string what) const { throw SyntaxError{at, std::move(what)}; }

  // What is at pos_, for messages: "end of input" or "'x'".
  std::string Found() const {
    if (pos_ >= text_.size()) return "end of input";
    const unsigned char c = text_[pos_];
    if (c >= 0x20 && c < 0x7f) return absl::StrFormat("'%c'", c);
    return absl::StrFormat("octet 0x%02x", c);
  }

  void SkipWs() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
      ++pos_;
    }
  }

  // The first character of the next value (after whitespace), or '\0' at the end.
  char Peek() {
    SkipWs();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }

  void Expect(char c, const char* what) {
    if (Peek() != c) Fail(absl::StrCat("expected ", what, ", found ", Found()));
    ++pos_;
  }

  // After a member or element: true if another follows (a ','), false at `close`.
  bool More(char close, const char* what) {
    const char c = Peek();
    if (c == ',') {
      ++pos_;
      return true;
    }
    if (c == close) {
      ++pos_;
      return false;
    }
    Fail(absl::StrCat("expected ',' or '", std::string(1, close), "' ", what, ", found ", Found()));
  }

  // Opens an object or array: true if it is empty (and consumed whole).
  bool Open(char open, char close) {
    if (++depth_ > kMaxDepth) {
      throw SchemaError{absl::StrCat(source_, ": JSON nested deeper than ", kMaxDepth, " levels")};
    }
    ++pos_;  // `open`, already checked
    (void)open;
    if (Peek() == close) {
      ++pos_;
      --depth_;
      return true;
    }
    return false;
  }
  void Close() { --depth_; }

  // A string at pos_ (which is '"'), unescaped into octets: lone \udc80..\udcff escapes are
  // single octets, everything else UTF-8 (json_bytes.h).
  void ReadString(std::string* out) {
    out->clear();
    const size_t start = pos_;
    ++pos_;
    const char* p = text_.data();
    const size_t n = text_.size();
    for (;;) {
      size_t run = pos_;
      // Eight octets at a time while none is '"', '\\', a control or non-ASCII.
      while (run + 8 <= n) {
        uint64_t x;
        std::memcpy(&x, p + run, 8);
        constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
        auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
        const uint64_t stop = ((x - kOnes * 0x20) & ~x & kHigh) |  // a byte below 0x20
                              has_zero(x ^ (kOnes * '"')) | has_zero(x ^ (kOnes * '\\')) |
                              (x & kHigh);  // non-ASCII
        if (stop) break;
        run += 8;
      }
      while (run < n && !kStop.v[static_cast<unsigned char>(p[run])]) ++run;
      out->append(p + pos_, run - pos_);
      pos_ = run;
      if (pos_ >= n) Fail(start, "unterminated string");
      const unsigned char c = p[pos_];
      if (c == '"') {
        ++pos_;
        return;
      }
      if (c == '\\') {
        ReadEscape(out);
        continue;
      }
      if (c < 0x20) Fail("control character in a string (write it as \\u00XX)");
      const size_t len = Utf8SequenceLength(text_, pos_);
      if (len == 0) Fail("invalid UTF-8 in a string (write such octets as \\udcXX)");
      out->append(p + pos_, len);
      pos_ += len;
    }
  }

  int Hex4(size_t at) const {
    if (at + 4 > text_.size()) return -1;
    int v = 0;
    for (size_t k = at; k < at + 4; ++k) {
      const int h = kHex.v[static_cast<unsigned char>(text_[k])];
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  }

  void ReadEscape(std::string* out) {
    if (pos_ + 1 >= text_.size()) Fail("unterminated string");
    const char e = text_[pos_ + 1];
    switch (e) {
      case '"':
      case '\\':
      case '/':
        out->push_back(e);
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'u': {
        const int cu = Hex4(pos_ + 2);
        if (cu < 0) Fail("expected four hex digits after \\u");
        if (cu >= 0xd800 && cu <= 0xdbff) {
          const int low = text_.substr(pos_ + 6, 2) == "\\u" ? Hex4(pos_ + 8) : -1;
          if (low < 0xdc00 || low > 0xdfff) {
            Fail(absl::StrFormat("\\u%04x is a lone high surrogate", cu));
          }
          AppendUtf8(0x10000 + ((cu - 0xd800) << 10) + (low - 0xdc00), out);
          pos_ += 12;
          return;
        }
        if (cu >= 0xdc80 && cu <= 0xdcff) {
          out->push_back(static_cast<char>(cu & 0xff));  // one octet (surrogateescape)
        } else if (cu >= 0xdc00 && cu <= 0xdfff) {
          Fail(absl::StrFormat("\\u%04x is a lone low surrogate outside \\udc80..\\udcff", cu));
        } else {
          AppendUtf8(static_cast<uint32_t>(cu), out);
        }
        pos_ += 6;
        return;
      }
      default:
        Fail(absl::StrFormat("invalid escape \\%c", e));
    }
    pos_ += 2;
  }

  std::string Key() {
    if (Peek() != '"') Fail(absl::StrCat("expected a member name (a string), found ", Found()));
    std::string key;
    ReadString(&key);
    Expect(':', "':' after a member name");
    return key;
  }

  // A number token; `*integer` tells whether it has no fraction or exponent.
  absl::string_view Number(bool* integer) {
    const size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    auto digits = [&] {
      const size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    const size_t int_start = pos_;
    if (digits() == 0) Fail(start, "invalid number");
    if (pos_ - int_start > 1 && text_[int_start] == '0') Fail(start, "invalid number (leading 0)");
    *integer = true;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) Fail("invalid number: expected digits after '.'");
      *integer = false;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) Fail("invalid number: expected digits in the exponent");
      *integer = false;
    }
    return text_.substr(start, pos_ - start);
  }

  void Literal(absl::string_view word) {
    if (text_.substr(pos_, word.size()) != word) Fail(absl::StrCat("expected a value, found ", Found()));
    pos_ += word.size();
  }

  // Skips any value; with `out`, appends it on one line (whitespace between tokens removed).
  void Value(std::string* out) {
    const char c = Peek();
    const size_t start = pos_;
    switch (c) {
      case '{': {
        if (out) *out += '{';
        if (!Open('{', '}')) {
          do {
            std::string key;
            if (Peek() != '"') Fail(absl::StrCat("expected a member name (a string), found ", Found()));
            const size_t key_start = pos_;
            ReadString(&key);
            if (out) out->append(text_.data() + key_start, pos_ - key_start);
            Expect(':', "':' after a member name");
            if (out) *out += ':';
            Value(out);
          } while (More('}', "after a member") && (!out || (*out += ',', true)));
          Close();
        }
        if (out) *out += '}';
        return;
      }
      case '[': {
        if (out) *out += '[';
        if (!Open('[', ']')) {
          do {
            Value(out);
          } while (More(']', "after an element") && (!out || (*out += ',', true)));
          Close();
        }
        if (out) *out += ']';
        return;
      }
      case '"': {
        std::string s;
        ReadString(&s);
        break;
      }
      case 't':
        Literal("true");
        break;
      case 'f':
        Literal("false");
        break;
      case 'n':
        Literal("null");
        break;
      default: {
        if (c != '-' && (c < '0' || c > '9')) Fail(absl::StrCat("expected a value, found ", Found()));
        bool integer;
        Number(&integer);
      }
    }
    if (out) out->append(text_.data() + start, pos_ - start);
  }

  // --- the story schema ---------------------------------------------------------------------

  Story ReadStory() {
    const char first = Peek();
    if (first != '{') {
      if (first == '\0') Fail("expected a value, found end of input");
      if (std::strcmp(TypeAt(first), "invalid JSON") == 0) {
        Fail(absl::StrCat("expected a value, found ", Found()));
      }
      Value(nullptr);  // a well-formed non-object is a schema error, not a syntax error
      Trailing();
      throw SchemaError{
          absl::StrCat(source_, ": expected a JSON object with \"cases\", got ", TypeAt(first))};
    }
    Story story;
    story.source = std::string(source_);
    bool have_cases = false;
    std::string pending_error;  // the first schema error, reported once the JSON is known good
    std::vector<std::string> seen;
    if (!Open('{', '}')) {
      do {
        const size_t key_at = pos_;
        std::string key = Key();
        for (const std::string& k : seen) {
          if (k == key) Fail(key_at, absl::StrCat("duplicate member \"", hpack::EscapeBytes(key), "\""));
        }
        seen.push_back(key);
        const char c = Peek();
        if (c == 'n') {  // null: absent
          Literal("null");
        } else if (key == "cases") {
          have_cases = true;
          if (c != '[') {
            SchemaAt(&pending_error, absl::StrCat(source_, ": field \"cases\": expected an array, got ",
                                                  TypeAt(c)));
            Value(nullptr);
          } else {
            ReadCases(&story, &pending_error);
          }
        } else if (key == "description") {
          if (c != '"') {
            SchemaAt(&pending_error, absl::StrCat(source_,
                                                  ": field \"description\": expected a string, got ",
                                                  TypeAt(c)));
            Value(nullptr);
          } else {
            ReadString(&story.description);
          }
        } else if (key == "rests_on") {
          ReadBasis(&story, &pending_error);
        } else {
          std::string value;
          Value(&value);
          story.extra.emplace_back(std::move(key), std::move(value));
        }
      } while (More('}', "after a member"));
      Close();
    }
    Trailing();
    if (!pending_error.empty()) throw SchemaError{pending_error};
    if (!have_cases) throw SchemaError{absl::StrCat(source_, ": missing \"cases\"")};
    return story;
  }

  void Trailing() {
    if (Peek() != '\0') Fail(absl::StrCat("expected the end of input after the story, found ", Found()));
  }

  static void SchemaAt(std::string* pending, std::string message) {
    if (pending->empty()) *pending = std::move(message);
  }

  void ReadBasis(Story* story, std::string* pending) {
    auto bad = [&](absl::string_view what) {
      SchemaAt(pending, absl::StrCat(source_, ": field \"rests_on\": ", what));
    };
    if (Peek() != '{') {
      bad(absl::StrCat("expected an object, got ", TypeAt(Peek())));
      Value(nullptr);
      return;
    }
    Basis b;
    bool have_requirement = false;
    std::string s;
    if (!Open('{', '}')) {
      do {
        const std::string key = Key();
        std::string* field = key == "rfc" ? &b.rfc : key == "text" ? &b.text
                             : key == "limits" ? &b.limits : nullptr;
        const char c = Peek();
        if (key == "requirement" && c == '"') {
          ReadString(&s);
          have_requirement = ParseRequirement(s, &b.requirement);
        } else if (field && c == '"') {
          ReadString(field);
        } else if (field && c != 'n') {
          bad(absl::StrCat("\"", key, "\" must be a string"));
          Value(nullptr);
        } else {
          Value(nullptr);
        }
      } while (More('}', "after a member"));
      Close();
    }
    if (!have_requirement) {
      bad("\"requirement\" must be one of must_accept, must_accept_large_limits, must_reject, "
          "may_reject");
    }
    story->rests_on = std::move(b);
  }

  void ReadCases(Story* story, std::string* pending) {
    if (Open('[', ']')) return;
    size_t index = 0;
    do {
      StoryCase c;
      std::string error = ReadCase(index, &c);
      if (!error.empty()) SchemaAt(pending, std::move(error));
      story->cases.push_back(std::move(c));
      ++index;
    } while (More(']', "after a case"));
    Close();
  }

  // Reads one case; returns "" or its schema error (with the case index and seqno).
  std::string ReadCase(size_t index, StoryCase* out) {
    const char first = Peek();
    if (first != '{') {
      Value(nullptr);
      return absl::StrCat(source_, ": case ", index, ": expected an object, got ", TypeAt(first));
    }
    out->seqno = static_cast<int64_t>(index);
    bool have_seqno = false;
    std::string field_error;  // "field \"wire\": ...", the first one
    auto bad = [&](absl::string_view field, absl::string_view what) {
      if (field_error.empty()) field_error = absl::StrCat("field \"", field, "\": ", what);
    };
    std::vector<uint64_t> never;
    bool never_listed = false;
    bool never_bad = false;
    std::string s;
    if (!Open('{', '}')) {
      do {
        const std::string key = Key();
        const char c = Peek();
        if (c == 'n') {
          Literal("null");  // null: absent
          continue;
        }
        if (key == "seqno") {
          bool integer = false;
          if (c == '-' || (c >= '0' && c <= '9')) {
            const absl::string_view num = Number(&integer);
            if (integer && absl::SimpleAtoi(num, &out->seqno)) {
              have_seqno = true;
              continue;
            }
          } else {
            Value(nullptr);
          }
          bad("seqno", absl::StrCat("expected an integer, got ", TypeAt(c)));
        } else if (key == "header_table_size") {
          uint64_t v = 0;
          bool integer = false;
          if (c >= '0' && c <= '9') {
            const absl::string_view num = Number(&integer);
            if (integer && absl::SimpleAtoi(num, &v) && v <= 0xffffffffu) {
              out->header_table_size = static_cast<uint32_t>(v);
              continue;
            }
          } else {
            Value(nullptr);
          }
          bad("header_table_size", "expected an integer in 0..4294967295");
        } else if (key == "wire") {
          if (c != '"') {
            Value(nullptr);
            bad("wire", absl::StrCat("expected a hex string, got ", TypeAt(c)));
            continue;
          }
          std::string wire;
          std::string why = ReadHexString(&wire, &s);
          if (!why.empty()) {
            bad("wire", why);
          } else {
            out->wire = std::move(wire);
          }
        } else if (key == "headers") {
          if (c != '[') {
            Value(nullptr);
            bad("headers", absl::StrCat("expected an array, got ", TypeAt(c)));
            continue;
          }
          hpack::HeaderList headers;
          std::string why = ReadHeaders(&headers);
          if (!why.empty()) bad("headers", why);
          out->headers = std::move(headers);
        } else if (key == "error") {
          if (c != '"') {
            Value(nullptr);
            bad("error", absl::StrCat("expected a string, got ", TypeAt(c)));
            continue;
          }
          std::string e;
          ReadString(&e);
          out->error = std::move(e);
        } else if (key == "never_indexed") {
          never_listed = true;
          if (c != '[') {
            Value(nullptr);
            bad("never_indexed", absl::StrCat("expected an array of header indices, got ", TypeAt(c)));
            never_bad = true;
            continue;
          }
          if (!Open('[', ']')) {
            do {
              const char d = Peek();
              uint64_t k = 0;
              bool integer = false;
              const size_t at = pos_;
              if (d >= '0' && d <= '9' && (Number(&integer), integer) &&
                  absl::SimpleAtoi(text_.substr(at, pos_ - at), &k)) {
                never.push_back(k);
              } else {
                if (pos_ == at) Value(nullptr);
                never.push_back(UINT64_MAX);
                never_bad_text_ = std::string(text_.substr(at, pos_ - at));
              }
            } while (More(']', "after an element"));
            Close();
          }
        } else {
          Value(nullptr);  // other members of a case are not kept
        }
      } while (More('}', "after a member"));
      Close();
    }
    const std::string where =
        have_seqno ? absl::StrFormat("%s: case %d (seqno %d)", source_, index, out->seqno)
                   : absl::StrFormat("%s: case %d", source_, index);
    if (!field_error.empty()) return absl::StrCat(where, ": ", field_error);
    if (never_listed && !never_bad) {
      if (!out->headers) return absl::StrCat(where, ": field \"never_indexed\": needs \"headers\"");
      for (uint64_t k : never) {
        if (k >= out->headers->size()) {
          return absl::StrCat(where, ": field \"never_indexed\": expected indices into \"headers\" (0..",
                              out->headers->size(), "), got ",
                              k == UINT64_MAX ? never_bad_text_ : std::to_string(k));
        }
        (*out->headers)[k].never_indexed = true;
      }
      out->never_indexed_listed = true;
    }
    if (out->headers && out->error) {
      return absl::StrCat(where, ": field \"error\": a case has either \"headers\" or \"error\", not both");
    }
    if (!out->headers && !out->error && !out->wire) {
      return absl::StrCat(where, ": needs \"headers\" or \"wire\" (or \"error\" with \"wire\")");
    }
    if (out->error && !out->wire) return absl::StrCat(where, ": field \"error\": a negative case needs \"wire\"");
    return "";
  }

  // Header objects {"name": "value"}; returns "" or what is wrong with the first bad one.
  std::string ReadHeaders(hpack::HeaderList* headers) {
    std::string why;
    if (Open('[', ']')) return why;
    size_t k = 0;
    std::string name, value;
    do {
      const char c = Peek();
      if (c != '{') {
        Value(nullptr);
        if (why.empty()) {
          why = absl::StrFormat(
              "header %d: expected an object with one member {\"name\": \"value\"}, got %s", k,
              TypeAt(c));
        }
      } else {
        size_t members = 0;
        bool ok = true;
        if (!Open('{', '}')) {
          do {
            if (++members == 1) {
              name = Key();
              const char v = Peek();
              if (v == '"') {
                ReadString(&value);
              } else {
                Value(nullptr);
                ok = false;
                if (why.empty()) {
                  why = absl::StrFormat("header %d (\"%s\"): value must be a string, got %s", k,
                                        hpack::EscapeBytes(name), TypeAt(v));
                }
              }
            } else {
              Key();
              Value(nullptr);
            }
          } while (More('}', "after a member"));
          Close();
        }
        if (members != 1) {
          ok = false;
          if (why.empty()) {
            why = absl::StrFormat(
                "header %d: expected an object with one member {\"name\": \"value\"}, got an "
                "object with %d members",
                k, members);
          }
        }
        if (ok) headers->emplace_back(std::move(name), std::move(value));
      }
      ++k;
    } while (More(']', "after an element"));
    Close();
    return why;
  }

  // The "wire" string at pos_, hex to octets. Hex digits never need escapes, so they are
  // decoded straight from the text; a string with escapes goes the general way.
  std::string ReadHexString(std::string* out, std::string* scratch) {
    const char* p = text_.data();
    size_t end = pos_ + 1;
    while (end < text_.size() && !kStop.v[static_cast<unsigned char>(p[end])]) ++end;
    if (end < text_.size() && p[end] == '"') {
      const absl::string_view hex = text_.substr(pos_ + 1, end - pos_ - 1);
      pos_ = end + 1;
      return conformance::DecodeHex(hex, out);
    }
    ReadString(scratch);
    return conformance::DecodeHex(*scratch, out);
  }

  absl::string_view text_;
  absl::string_view source_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::string never_bad_text_;
};

}  // namespace

std::string DecodeHex(absl::string_view hex, std::string* out) {
  // Two digits at a time into the final buffer; whitespace or a bad digit: the slow loop.
  if (hex.size() % 2 == 0) {
    out->resize(hex.size() / 2);
    char* o = out->data();
    size_t i = 0;
    for (; i < hex.size(); i += 2) {
      const int hi = kHex.v[static_cast<unsigned char>(hex[i])];
      const int lo = kHex.v[static_cast<unsigned char>(hex[i + 1])];
      if ((hi | lo) < 0) break;
      *o++ = static_cast<char>(hi << 4 | lo);
    }
    if (i == hex.size()) return "";
  }
  out->clear();
  out->reserve(hex.size() / 2);
  int high = -1;
  size_t digits = 0;
  for (size_t i = 0; i < hex.size(); ++i) {
    const unsigned char c = hex[i];
    const int v = kHex.v[c];
    if (v < 0) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') continue;
      return absl::StrFormat("non-hex character '%s' at position %d",
                             hpack::EscapeBytes(hex.substr(i, 1)), i);
    }
    ++digits;
    if (high < 0) {
      high = v;
    } else {
      out->push_back(static_cast<char>(high << 4 | v));
      high = -1;
    }
  }
  if (high >= 0) return absl::StrFormat("odd number of hex digits (%d)", digits);
  return "";
}

absl::StatusOr<Story> ReadStoryJson(absl::string_view text, absl::string_view source) {
  return Reader(text, source).Read();
}

}  // namespace conformance
