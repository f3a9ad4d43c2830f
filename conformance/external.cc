#include "conformance/external.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "conformance/subprocess.h"
#include "hpack/error.h"
#include "hpack/header.h"

namespace conformance {
namespace {

constexpr size_t kMaxQuoted = 300;

std::string Clip(absl::string_view s) {
  std::string out = hpack::EscapeBytes(s.substr(0, kMaxQuoted));
  if (s.size() > kMaxQuoted) out += "...";
  while (!out.empty() && (out.back() == 'n' && out.size() >= 2 && out[out.size() - 2] == '\\')) {
    out.resize(out.size() - 2);  // drop trailing escaped newlines
  }
  return out;
}

// Runs the adapter on `input`. On success returns "" and fills *out; otherwise describes
// what went wrong. *rejected is set when the program exited non-zero on its own (it
// rejected the input), as opposed to crashing or hanging.
std::string Run(const AdapterOptions& options, const char* role, const Story& input, Story* out,
                bool* rejected) {
  *rejected = false;
  absl::StatusOr<ProcessResult> p = RunCommand(options.command, SerializeStory(input),
                                               options.timeout_seconds, {{"H2HARNESS_ROLE", role}});
  if (!p.ok()) return absl::StrCat("cannot run the adapter: ", p.status().message());
  if (p->timed_out || p->signal) {
    return absl::StrCat("the implementation ", p->Describe(options.timeout_seconds),
                        p->err.empty() ? "" : absl::StrCat("; stderr: ", Clip(p->err)));
  }
  if (p->exit_code != 0) {
    *rejected = true;
    std::string why = Clip(p->out.empty() ? p->err : p->out);
    return absl::StrCat("the implementation exited with status ", p->exit_code,
                        why.empty() ? "" : absl::StrCat(": ", why));
  }
  absl::StatusOr<Story> parsed = ParseStory(p->out, "adapter output");
  if (!parsed.ok()) return absl::StrCat("malformed output: ", parsed.status().message());
  if (parsed->cases.size() != input.cases.size()) {
    return absl::StrFormat("malformed output: %d cases, expected %d", parsed->cases.size(),
                           input.cases.size());
  }
  *out = *std::move(parsed);
  return "";
}

std::string CaseName(size_t i, const StoryCase& c) {
  return absl::StrFormat("case %d (seqno %d)", i, c.seqno);
}

// Compares the headers an implementation produced for cases [0, n) with the story's.
std::string CompareHeaders(const Story& expected, const Story& got, size_t n, StoryResult* r) {
  for (size_t i = 0; i < n; ++i) {
    const StoryCase& want = expected.cases[i];
    if (!got.cases[i].headers)
      return absl::StrCat(CaseName(i, want), ": no \"headers\" in the output");
    ++r->cases;
    r->headers += want.headers ? want.headers->size() : 0;
    std::string diff =
        DiffHeaders(want.headers ? *want.headers : hpack::HeaderList{}, *got.cases[i].headers);
    if (!diff.empty()) return absl::StrCat(CaseName(i, want), ": ", diff);
  }
  return "";
}

Story Prefix(const Story& s, size_t n) {
  Story p = s;
  p.cases.resize(n);
  return p;
}

template <typename F>
StoryResult Timed(const std::string& path, F body) {
  const auto start = std::chrono::steady_clock::now();
  StoryResult r;
  r.path = path;
  body(&r);
  r.passed = r.failure.empty() && !r.skipped;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace

uint64_t RawHeaderBytes(const Story& story) {
  uint64_t n = 0;
  for (const StoryCase& c : story.cases) {
    if (c.headers) {
      for (const hpack::HeaderField& h : *c.headers) n += h.name.size() + h.value.size();
    }
  }
  return n;
}

StoryResult CheckDecoder(const std::string& path, const AdapterOptions& options) {
  return Timed(path, [&](StoryResult* r) {
    absl::StatusOr<Story> story = LoadStory(path);
    if (!story.ok()) {
      r->kind = StoryResult::Kind::kUnreadable;
      r->failure = std::string(story.status().message());
      return;
    }
    if (!story->HasWire()) {
      r->skipped = true;
      r->failure = "no wire (not a decoder input)";
      return;
    }
    size_t bad = story->cases.size();  // the first negative case, if any
    for (size_t i = 0; i < story->cases.size(); ++i) {
      if (story->cases[i].error) {
        bad = i;
        break;
      }
    }
    Story input = Prefix(*story, std::min(bad + 1, story->cases.size()));
    for (StoryCase& c : input.cases) {
      c.headers.reset();
      c.error.reset();
    }
    Story out;
    bool rejected = false;
    if (bad == story->cases.size()) {
      r->kind = StoryResult::Kind::kWire;
      std::string why = Run(options, "decode", input, &out, &rejected);
      r->failure = !why.empty() ? why : CompareHeaders(*story, out, story->cases.size(), r);
      return;
    }
    r->kind = StoryResult::Kind::kNegative;
    if (bad > 0) {  // the valid cases first, so a decoder that rejects early is caught
      std::string why = Run(options, "decode", Prefix(input, bad), &out, &rejected);
      if (why.empty()) why = CompareHeaders(*story, out, bad, r);
      if (!why.empty()) {
        r->failure = absl::StrCat("before the bad block: ", why);
        return;
      }
    }
    std::string why = Run(options, "decode", input, &out, &rejected);
    ++r->cases;
    const std::string& rule = *story->cases[bad].error;
    if (why.empty() && hpack::IsImplementationLimit(hpack::ErrorFromName(rule))) {
      // Decoders choose their own limits (RFC 7541 §5.1, §7.3): not a failure.
      r->skipped = true;
      r->failure = absl::StrCat("accepted; ", rule, " is an h2harness limit, not an RFC 7541 rule");
    } else if (why.empty()) {
      r->failure = absl::StrCat(CaseName(bad, story->cases[bad]), ": accepted a block that ",
                                "must be rejected (", rule, ")");
    } else if (!rejected) {
      r->failure = why;  // crashed or hung: a failure even on bad input
    }
  });
}

EncoderCheck CheckEncoder(const std::string& path, const AdapterOptions& options) {
  EncoderCheck check;
  check.result = Timed(path, [&](StoryResult* r) {
    absl::StatusOr<Story> story = LoadStory(path);
    if (!story.ok()) {
      r->kind = StoryResult::Kind::kUnreadable;
      r->failure = std::string(story.status().message());
      return;
    }
    r->kind = StoryResult::Kind::kRaw;
    for (const StoryCase& c : story->cases) {
      if (!c.headers || c.error) {
        r->skipped = true;
        r->failure = "not an encoder input (a case has no headers, or is negative)";
        return;
      }
    }
    Story input = *story;
    for (StoryCase& c : input.cases) c.wire.reset();
    Story out;
    bool rejected = false;
    std::string why = Run(options, "encode", input, &out, &rejected);
    if (!why.empty()) {
      r->failure = why;
      return;
    }
    // Decode what it produced, with the settings it declared, against the input headers.
    Story checked = *story;
    for (size_t i = 0; i < checked.cases.size(); ++i) {
      if (!out.cases[i].wire) {
        r->failure = absl::StrCat(CaseName(i, checked.cases[i]), ": no \"wire\" in the output");
        return;
      }
      checked.cases[i].wire = out.cases[i].wire;
      if (out.cases[i].header_table_size)
        checked.cases[i].header_table_size = out.cases[i].header_table_size;
      check.wire_bytes += out.cases[i].wire->size();
    }
    check.raw_bytes = RawHeaderBytes(*story);
    StoryResult v = VerifyStory(checked);
    r->cases = v.cases;
    r->headers = v.headers;
    r->failure =
        v.failure.empty() ? "" : absl::StrCat("its wire does not decode to the input: ", v.failure);
    for (size_t i = 0; i < out.cases.size(); ++i) out.cases[i].headers = story->cases[i].headers;
    out.source = path;
    check.encoded = std::move(out);
  });
  return check;
}

}  // namespace conformance
