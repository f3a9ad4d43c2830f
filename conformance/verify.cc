#include "conformance/verify.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "hpack/deflater.h"
#include "hpack/error.h"
#include "hpack/inflater.h"

namespace conformance {
namespace {

// Messages quote fields whole while they are short; long names and values are cut.
constexpr size_t kWhole = 120;   // octets of name + value quoted whole
constexpr size_t kContext = 24;  // octets shown on each side of a difference

// s[from, from + n) escaped, with "..." where it was cut.
std::string Window(absl::string_view s, size_t from, size_t n) {
  from = std::min(from, s.size());
  n = std::min(n, s.size() - from);
  return absl::StrCat(from ? "..." : "", hpack::EscapeBytes(s.substr(from, n)),
                      from + n < s.size() ? "..." : "");
}

std::string Quote(const hpack::HeaderField& h) {
  if (h.name.size() + h.value.size() <= kWhole) {
    return absl::StrCat("\"", hpack::EscapeBytes(h.name), ": ", hpack::EscapeBytes(h.value), "\"");
  }
  return absl::StrCat("\"", Window(h.name, 0, 60), ": ", Window(h.value, 0, 60), "\" (",
                      h.value.size(), "-octet value)");
}

size_t FirstDifference(absl::string_view a, absl::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// The difference between two fields with the same position.
std::string DiffField(size_t k, const hpack::HeaderField& want, const hpack::HeaderField& got) {
  if (want.name.size() + want.value.size() <= kWhole &&
      got.name.size() + got.value.size() <= kWhole) {
    return absl::StrCat("header ", k, ": expected ", Quote(want), ", got ", Quote(got));
  }
  const bool in_name = want.name != got.name;
  const absl::string_view a = in_name ? want.name : want.value;
  const absl::string_view b = in_name ? got.name : got.value;
  const size_t at = FirstDifference(a, b);
  const size_t from = at > kContext ? at - kContext : 0;
  return absl::StrFormat(
      "header %d (\"%s\"): %s differs at octet %d (expected %d octets, got %d): expected "
      "\"%s\", got \"%s\"",
      k, Window(want.name, 0, 60), in_name ? "name" : "value", at, a.size(), b.size(),
      Window(a, from, 2 * kContext), Window(b, from, 2 * kContext));
}

std::string CasePrefix(size_t index, const StoryCase& c) {
  return absl::StrFormat("case %d (seqno %d)", index, c.seqno);
}

// Decodes and checks one story with wire; returns "" or the failure.
std::string CheckWire(const Story& story, const VerifyOptions& options, StoryResult* r,
                      std::vector<hpack::HeaderList>* decoded) {
  hpack::Inflater inflater(options.inflater);
  for (size_t i = 0; i < story.cases.size(); ++i) {
    const StoryCase& c = story.cases[i];
    if (!c.wire) return absl::StrCat(CasePrefix(i, c), ": no \"wire\" (other cases have one)");
    if (c.header_table_size) inflater.ChangeTableSize(*c.header_table_size);
    absl::StatusOr<hpack::HeaderList> got = inflater.Inflate(*c.wire);
    ++r->cases;
    if (c.error) {
      r->kind = StoryResult::Kind::kNegative;
      const hpack::Error want = hpack::ErrorFromName(*c.error);
      if (want == hpack::Error::kOk) {
        return absl::StrCat(CasePrefix(i, c), ": unknown rule \"", *c.error, "\" in \"error\"");
      }
      if (got.ok()) {
        return absl::StrCat(CasePrefix(i, c), ": expected the block to be rejected (", *c.error,
                            "), but it decoded to ", got->size(), " fields");
      }
      if (inflater.error() != want) {
        return absl::StrCat(CasePrefix(i, c), ": expected rejection for ", *c.error, ", got ",
                            hpack::ErrorName(inflater.error()), ": ", got.status().message());
      }
      if (i + 1 != story.cases.size()) {
        return absl::StrCat(CasePrefix(i + 1, story.cases[i + 1]),
                            ": follows a rejected block; the context is dead (RFC 9113 §4.3)");
      }
      return "";
    }
    if (!got.ok())
      return absl::StrCat(CasePrefix(i, c), ": decoder error: ", got.status().message());
    if (!c.headers) return absl::StrCat(CasePrefix(i, c), ": no \"headers\" to compare with");
    r->headers += c.headers->size();
    const NeverIndexedCheck check = options.wire_never_indexed.value_or(
        c.never_indexed_listed ? NeverIndexedCheck::kExact : NeverIndexedCheck::kIgnore);
    std::string diff = DiffHeaders(*c.headers, *got, check);
    if (decoded) decoded->push_back(*std::move(got));
    if (!diff.empty()) return absl::StrCat(CasePrefix(i, c), ": ", diff);
  }
  return "";
}

// Round trip of a raw story through the Deflater and the Inflater.
std::string CheckRaw(const Story& story, const VerifyOptions& options, StoryResult* r) {
  hpack::Deflater deflater;
  hpack::Inflater inflater(options.inflater);
  std::string wire;
  for (size_t i = 0; i < story.cases.size(); ++i) {
    const StoryCase& c = story.cases[i];
    if (!c.headers) return absl::StrCat(CasePrefix(i, c), ": no \"headers\"");
    if (c.header_table_size) {
      deflater.ChangeTableSize(*c.header_table_size);
      inflater.ChangeTableSize(*c.header_table_size);
    }
    wire.clear();
    absl::Status s = deflater.Deflate(*c.headers, &wire);
    if (!s.ok()) return absl::StrCat(CasePrefix(i, c), ": encoder error: ", s.message());
    absl::StatusOr<hpack::HeaderList> got = inflater.Inflate(wire);
    ++r->cases;
    if (!got.ok()) {
      return absl::StrCat(CasePrefix(i, c),
                          ": round trip: decoder error: ", got.status().message());
    }
    r->headers += c.headers->size();
    std::string diff = DiffHeaders(*c.headers, *got, options.raw_never_indexed);
    if (!diff.empty()) return absl::StrCat(CasePrefix(i, c), ": round trip: ", diff);
  }
  return "";
}

}  // namespace

const char* KindName(StoryResult::Kind kind) {
  switch (kind) {
    case StoryResult::Kind::kWire:
      return "wire";
    case StoryResult::Kind::kRaw:
      return "raw";
    case StoryResult::Kind::kNegative:
      return "negative";
    case StoryResult::Kind::kUnreadable:
      return "unreadable";
  }
  return "?";
}

const char* VerdictName(StoryResult::Verdict verdict) {
  switch (verdict) {
    case StoryResult::Verdict::kPassed:
      return "passed";
    case StoryResult::Verdict::kFailed:
      return "failed";
    case StoryResult::Verdict::kSkipped:
      return "skipped";
    case StoryResult::Verdict::kUnreadable:
      return "unreadable";
  }
  return "?";
}

std::string DiffHeaders(const hpack::HeaderList& expected, const hpack::HeaderList& got,
                        NeverIndexedCheck check) {
  const size_t n = std::min(expected.size(), got.size());
  for (size_t k = 0; k < n; ++k) {
    const hpack::HeaderField& want = expected[k];
    if (want.name != got[k].name || want.value != got[k].value) {
      return DiffField(k, want, got[k]);
    }
    const bool mismatch = check == NeverIndexedCheck::kExact
                              ? want.never_indexed != got[k].never_indexed
                              : check == NeverIndexedCheck::kMarked && want.never_indexed &&
                                    !got[k].never_indexed;
    if (mismatch) {
      return absl::StrCat("header ", k, " ", Quote(want), ": expected ",
                          want.never_indexed ? "a never-indexed literal"
                                             : "a representation other than never-indexed",
                          ", got ", got[k].never_indexed ? "a never-indexed literal" : "another",
                          " (RFC 7541 §6.2.3, §7.1.3)");
    }
  }
  if (expected.size() > n) {
    return absl::StrCat("expected ", expected.size(), " headers, got ", got.size(),
                        "; first missing: header ", n, " ", Quote(expected[n]));
  }
  if (got.size() > n) {
    return absl::StrCat("expected ", expected.size(), " headers, got ", got.size(),
                        "; first extra: header ", n, " ", Quote(got[n]));
  }
  return "";
}

StoryResult VerifyStory(const Story& story, const VerifyOptions& options,
                        std::vector<hpack::HeaderList>* decoded) {
  const auto start = std::chrono::steady_clock::now();
  StoryResult r;
  r.path = story.source;
  bool any_wire = false;
  for (const StoryCase& c : story.cases) any_wire = any_wire || c.wire.has_value();
  r.kind = any_wire ? StoryResult::Kind::kWire : StoryResult::Kind::kRaw;
  r.failure = any_wire ? CheckWire(story, options, &r, decoded) : CheckRaw(story, options, &r);
  r.passed = r.failure.empty();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

StoryResult UnreadableResult(const std::string& path, const absl::Status& status) {
  StoryResult r;
  r.path = path;
  r.kind = StoryResult::Kind::kUnreadable;
  absl::string_view msg = status.message();
  absl::ConsumePrefix(&msg, path + ": ");  // the report names the file already
  r.failure = std::string(msg);
  return r;
}

StoryResult VerifyStoryFile(const std::string& path) {
  absl::StatusOr<Story> story = LoadStory(path);
  if (!story.ok()) return UnreadableResult(path, story.status());
  return VerifyStory(*story);
}

}  // namespace conformance
