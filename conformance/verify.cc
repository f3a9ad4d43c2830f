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

std::string Quote(const hpack::HeaderField& h) {
  return absl::StrCat("\"", hpack::EscapeBytes(h.name), ": ", hpack::EscapeBytes(h.value), "\"");
}

std::string CasePrefix(size_t index, const StoryCase& c) {
  return absl::StrFormat("case %d (seqno %d)", index, c.seqno);
}

// Decodes and checks one story with wire; returns "" or the failure.
std::string CheckWire(const Story& story, StoryResult* r) {
  hpack::Inflater inflater;
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
    std::string diff = DiffHeaders(*c.headers, *got);
    if (!diff.empty()) return absl::StrCat(CasePrefix(i, c), ": ", diff);
  }
  return "";
}

// Round trip of a raw story through the Deflater and the Inflater.
std::string CheckRaw(const Story& story, StoryResult* r) {
  hpack::Deflater deflater;
  hpack::Inflater inflater;
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
    std::string diff = DiffHeaders(*c.headers, *got);
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

std::string DiffHeaders(const hpack::HeaderList& expected, const hpack::HeaderList& got) {
  const size_t n = std::min(expected.size(), got.size());
  for (size_t k = 0; k < n; ++k) {
    if (expected[k] != got[k]) {
      return absl::StrCat("header ", k, ": expected ", Quote(expected[k]), ", got ", Quote(got[k]));
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

StoryResult VerifyStory(const Story& story) {
  const auto start = std::chrono::steady_clock::now();
  StoryResult r;
  r.path = story.source;
  bool any_wire = false;
  for (const StoryCase& c : story.cases) any_wire = any_wire || c.wire.has_value();
  r.kind = any_wire ? StoryResult::Kind::kWire : StoryResult::Kind::kRaw;
  r.failure = any_wire ? CheckWire(story, &r) : CheckRaw(story, &r);
  r.passed = r.failure.empty();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

StoryResult VerifyStoryFile(const std::string& path) {
  absl::StatusOr<Story> story = LoadStory(path);
  if (!story.ok()) {
    StoryResult r;
    r.path = path;
    r.kind = StoryResult::Kind::kUnreadable;
    absl::string_view msg = story.status().message();
    absl::ConsumePrefix(&msg, path + ": ");  // the report names the file already
    r.failure = std::string(msg);
    return r;
  }
  return VerifyStory(*story);
}

}  // namespace conformance
