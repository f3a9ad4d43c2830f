#include "conformance/external.h"

#include <chrono>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "conformance/json_bytes.h"
#include "conformance/story_codec.h"
#include "hpack/error.h"
#include "hpack/header.h"
#include "nlohmann/json.hpp"

namespace conformance {
namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr size_t kMaxQuoted = 300;
constexpr char kHello[] = "{\"h2harness_batch\": 1}\n";

// Adapter output for messages: escaped, cut, without trailing newlines.
std::string Clip(absl::string_view s) {
  s = absl::StripTrailingAsciiWhitespace(s);
  std::string out = hpack::EscapeBytes(s.substr(0, kMaxQuoted));
  if (s.size() > kMaxQuoted) absl::StrAppend(&out, "... (", s.size(), " octets)");
  return out;
}

std::string WithStderr(std::string message, absl::string_view err) {
  if (!absl::StripAsciiWhitespace(err).empty()) absl::StrAppend(&message, "; stderr: ", Clip(err));
  return message;
}

// Parses one JSON value from adapter output (octet strings by the \udcXX convention);
// nullopt if it is not JSON.
std::optional<Json> ParseJson(absl::string_view text) {
  try {
    return Json::parse(JsonTextToInternal(text));
  } catch (const Json::exception&) {
    return std::nullopt;
  }
}

// {"error": "..."}: the adapter's way to say its implementation rejected a block.
std::optional<std::string> RejectionOf(const Json& j) {
  if (!j.is_object() || j.contains("cases")) return std::nullopt;
  auto it = j.find("error");
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return OctetsFromJsonString(it->get<std::string>());
}

const char* RoleName(Adapter::Role role) {
  return role == Adapter::Role::kDecode ? "decode" : "encode";
}

Adapter::Outcome Failed(std::string message) {
  Adapter::Outcome o;
  o.kind = Adapter::Outcome::Kind::kFailed;
  o.message = std::move(message);
  return o;
}

Adapter::Outcome Rejected(std::string message) {
  Adapter::Outcome o;
  o.kind = Adapter::Outcome::Kind::kRejected;
  o.message = std::move(message);
  return o;
}

// A story the adapter wrote back; it must have as many cases as it was given.
Adapter::Outcome StoryOutcome(absl::string_view text, const Story& input) {
  absl::StatusOr<Story> parsed = ParseStory(text, "adapter output");
  if (!parsed.ok()) return Failed(absl::StrCat("malformed output: ", parsed.status().message()));
  if (parsed->cases.size() != input.cases.size()) {
    return Failed(absl::StrFormat("malformed output: %d cases, expected %d", parsed->cases.size(),
                                  input.cases.size()));
  }
  Adapter::Outcome o;
  o.kind = Adapter::Outcome::Kind::kOk;
  o.story = *std::move(parsed);
  return o;
}

std::string DurationText(double seconds) { return absl::StrFormat("%g s", seconds); }

}  // namespace

// One batch adapter process, handshake done.
class Adapter::Session {
 public:
  static absl::StatusOr<std::unique_ptr<Session>> Start(const AdapterOptions& options,
                                                        Role role) {
    absl::StatusOr<std::unique_ptr<LineProcess>> p =
        LineProcess::Start(options.command, {{"H2HARNESS_ROLE", RoleName(role)}});
    if (!p.ok()) return p.status();
    auto session = std::unique_ptr<Session>(new Session(*std::move(p)));
    std::string line;
    const auto deadline =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(options.timeout_seconds));
    const LineProcess::Answer a = session->process_->Exchange(kHello, deadline, &line);
    std::optional<Json> hello = a == LineProcess::Answer::kLine ? ParseJson(line) : std::nullopt;
    if (!hello || !hello->is_object() || !hello->contains("h2harness_batch")) {
      return absl::UnavailableError(WithStderr(
          absl::StrCat("the adapter did not answer the batch hello: ",
                       a == LineProcess::Answer::kLine ? Clip(line) : "no answer"),
          session->process_->TakeStderr()));
    }
    session->process_->TakeStderr();
    return session;
  }

  // Sends one story; `*reusable` says whether the session can take another.
  Outcome Run(const Story& input, double timeout_seconds, bool* reusable) {
    *reusable = false;
    std::string line;
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(timeout_seconds));
    const LineProcess::Answer a =
        process_->Exchange(absl::StrCat(SerializeStoryLine(input), "\n"), deadline, &line);
    switch (a) {
      case LineProcess::Answer::kTimeout:
        return Failed(WithStderr(
            absl::StrCat("the implementation timed out after ", DurationText(timeout_seconds)),
            process_->TakeStderr()));
      case LineProcess::Answer::kTooLong:
        return Failed(absl::StrCat("malformed output: an answer of more than ",
                                   kMaxCapturedStdout >> 20, " MiB without a newline"));
      case LineProcess::Answer::kExited: {
        const std::string how = process_->ExitDescription();
        return Failed(WithStderr(
            absl::StrCat("the adapter ended (", how, ") before answering",
                         line.empty() ? "" : absl::StrCat(": ", Clip(line))),
            process_->TakeStderr()));
      }
      case LineProcess::Answer::kLine:
        break;
    }
    const std::string err = process_->TakeStderr();
    std::optional<Json> j = ParseJson(line);
    if (!j) return Failed(WithStderr(absl::StrCat("malformed output: not JSON: ", Clip(line)), err));
    if (std::optional<std::string> why = RejectionOf(*j)) {
      *reusable = true;
      return Rejected(Clip(*why));
    }
    Outcome o = StoryOutcome(line, input);
    if (o.kind == Outcome::Kind::kFailed) o.message = WithStderr(o.message, err);
    *reusable = o.kind == Outcome::Kind::kOk;
    return o;
  }

 private:
  explicit Session(std::unique_ptr<LineProcess> p) : process_(std::move(p)) {}
  std::unique_ptr<LineProcess> process_;
};

Adapter::Adapter(AdapterOptions options, Role role) : options_(std::move(options)), role_(role) {}
Adapter::~Adapter() = default;

const Adapter::Capabilities& Adapter::capabilities() {
  std::call_once(probed_, [this] {
    if (!options_.batch) return;
    absl::StatusOr<ProcessResult> p = RunCommand(options_.command, kHello, options_.timeout_seconds,
                                                 {{"H2HARNESS_ROLE", RoleName(role_)}});
    if (!p.ok()) return;
    const std::string first = p->out.substr(0, p->out.find('\n'));
    std::optional<Json> j = ParseJson(first);
    if (!j || !j->is_object()) return;
    auto it = j->find("h2harness_batch");
    if (it == j->end() || *it != 1) return;
    capabilities_.batch = true;
    auto ni = j->find("never_indexed");
    capabilities_.never_indexed = ni != j->end() && ni->is_boolean() && ni->get<bool>();
  });
  return capabilities_;
}

Adapter::Outcome Adapter::Run(const Story& input) {
  return capabilities().batch ? RunBatch(input) : RunOnce(input);
}

Adapter::Outcome Adapter::RunOnce(const Story& input) {
  absl::StatusOr<ProcessResult> p = RunCommand(options_.command, SerializeStory(input),
                                               options_.timeout_seconds,
                                               {{"H2HARNESS_ROLE", RoleName(role_)}});
  if (!p.ok()) return Failed(absl::StrCat("cannot run the adapter: ", p.status().message()));
  if (p->timed_out || p->signal) {
    return Failed(WithStderr(
        absl::StrCat("the implementation ", p->Describe(options_.timeout_seconds)), p->err));
  }
  if (p->out_truncated) {
    return Failed(absl::StrCat("malformed output: more than ", kMaxCapturedStdout >> 20,
                               " MiB on stdout"));
  }
  if (p->exit_code != 0) {
    // A rejection is a non-zero exit with exactly one {"error": ...} on stdout; any other
    // exit (usage errors, import errors, "command not found") is the adapter failing.
    std::optional<Json> j = ParseJson(p->out);
    if (j) {
      if (std::optional<std::string> why = RejectionOf(*j)) return Rejected(Clip(*why));
    }
    return Failed(WithStderr(
        absl::StrCat("the adapter exited with status ", p->exit_code,
                     " without {\"error\": ...} on stdout",
                     p->out.empty() ? "" : absl::StrCat(" (stdout: ", Clip(p->out), ")")),
        p->err));
  }
  return StoryOutcome(p->out, input);
}

Adapter::Outcome Adapter::RunBatch(const Story& input) {
  std::unique_ptr<Session> session;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      session = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!session) {
    absl::StatusOr<std::unique_ptr<Session>> s = Session::Start(options_, role_);
    if (!s.ok()) return Failed(std::string(s.status().message()));
    session = *std::move(s);
  }
  bool reusable = false;
  Outcome o = session->Run(input, options_.timeout_seconds, &reusable);
  if (reusable) {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(std::move(session));
  }
  return o;  // a session that cannot be reused is killed here
}

namespace {

std::string CaseName(size_t i, const StoryCase& c) {
  return absl::StrFormat("case %d (seqno %d)", i, c.seqno);
}

// Compares the headers an implementation produced for cases [0, n) with the story's; the
// never-indexed marks too where both the story and the output list them.
std::string CompareHeaders(const Story& expected, const Story& got, size_t n, StoryResult* r) {
  for (size_t i = 0; i < n; ++i) {
    const StoryCase& want = expected.cases[i];
    const StoryCase& out = got.cases[i];
    if (!out.headers) return absl::StrCat(CaseName(i, want), ": no \"headers\" in the output");
    ++r->cases;
    r->headers += want.headers ? want.headers->size() : 0;
    const NeverIndexedCheck check = want.never_indexed_listed && out.never_indexed_listed
                                        ? NeverIndexedCheck::kExact
                                        : NeverIndexedCheck::kIgnore;
    std::string diff =
        DiffHeaders(want.headers ? *want.headers : hpack::HeaderList{}, *out.headers, check);
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
  const auto start = Clock::now();
  StoryResult r;
  r.path = path;
  body(&r);
  r.passed = r.failure.empty() && !r.skipped;
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return r;
}

std::string RestsOn(const Story& story) {
  if (!story.rests_on || story.rests_on->rfc.empty()) return "";
  return absl::StrCat(" (", story.rests_on->rfc, ")");
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

Requirement RequirementOf(const Story& story) {
  if (story.rests_on) return story.rests_on->requirement;
  for (const StoryCase& c : story.cases) {
    if (c.error) {
      return hpack::IsImplementationLimit(hpack::ErrorFromName(*c.error)) ? Requirement::kMayReject
                                                                        : Requirement::kMustReject;
    }
  }
  return Requirement::kMustAccept;
}

StoryResult CheckDecoder(const std::string& path, Adapter& adapter) {
  return Timed(path, [&](StoryResult* r) {
    absl::StatusOr<Story> story = LoadStory(path);
    if (!story.ok()) {
      *r = UnreadableResult(path, story.status());
      return;
    }
    if (!story->HasWire()) {
      r->skipped = true;
      r->failure = "no wire (not a decoder input)";
      return;
    }
    const Requirement requirement = RequirementOf(*story);
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
      c.never_indexed_listed = false;
    }
    if (bad == story->cases.size()) {
      r->kind = StoryResult::Kind::kWire;
      Adapter::Outcome o = adapter.Run(input);
      if (o.kind == Adapter::Outcome::Kind::kOk) {
        r->failure = CompareHeaders(*story, o.story, story->cases.size(), r);
      } else if (o.kind == Adapter::Outcome::Kind::kRejected &&
                 requirement == Requirement::kMustAcceptLargeLimits) {
        // A decoder may refuse integers and strings beyond its own limits (RFC 7541 §5.1,
        // §7.4); this story needs large ones.
        r->skipped = true;
        r->failure = absl::StrCat(
            "rejected: ", o.message, "; the story needs limits above the baseline (",
            story->rests_on && !story->rests_on->limits.empty() ? story->rests_on->limits
                                                                : "see rests_on",
            "), and RFC 7541 §5.1 lets a decoder choose smaller ones");
      } else if (o.kind == Adapter::Outcome::Kind::kRejected) {
        r->failure = absl::StrCat("rejected a valid story: ", o.message);
      } else {
        r->failure = o.message;
      }
      return;
    }
    r->kind = StoryResult::Kind::kNegative;
    if (bad > 0) {  // the valid cases first, so a decoder that rejects early is caught
      Adapter::Outcome o = adapter.Run(Prefix(input, bad));
      std::string why = o.kind == Adapter::Outcome::Kind::kOk ? CompareHeaders(*story, o.story, bad, r)
                        : o.kind == Adapter::Outcome::Kind::kRejected
                            ? absl::StrCat("rejected a valid block: ", o.message)
                            : o.message;
      if (!why.empty()) {
        r->failure = absl::StrCat("before the bad block: ", why);
        return;
      }
    }
    Adapter::Outcome o = adapter.Run(input);
    ++r->cases;
    const std::string& rule = *story->cases[bad].error;
    const bool may = requirement == Requirement::kMayReject;
    switch (o.kind) {
      case Adapter::Outcome::Kind::kOk:
        if (may) {
          r->skipped = true;
          r->failure = absl::StrCat("accepted; the RFC allows rejecting it (", rule,
                                    ") but does not require it", RestsOn(*story));
        } else {
          r->failure = absl::StrCat(CaseName(bad, story->cases[bad]), ": accepted a block that ",
                                    "must be rejected (", rule, ")", RestsOn(*story));
        }
        break;
      case Adapter::Outcome::Kind::kRejected:
        if (may) {
          r->skipped = true;
          r->failure = absl::StrCat("rejected (", o.message,
                                    "); the RFC allows that but does not require it",
                                    RestsOn(*story));
        } else if (requirement == Requirement::kMustAccept ||
                   requirement == Requirement::kMustAcceptLargeLimits) {
          r->failure = absl::StrCat("rejected, but the story's rests_on says ",
                                    RequirementName(requirement));
        }
        break;
      case Adapter::Outcome::Kind::kFailed:
        r->failure = o.message;  // crashed or hung: a failure even on bad input
        break;
    }
  });
}

EncoderCheck CheckEncoder(const std::string& path, Adapter& adapter,
                          const EncodeSettings& settings) {
  EncoderCheck check;
  check.result = Timed(path, [&](StoryResult* r) {
    absl::StatusOr<Story> story = LoadStory(path);
    if (!story.ok()) {
      *r = UnreadableResult(path, story.status());
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
    // The input is the truth: its header_table_size values, planned here like `stories
    // encode` does, are what the decoder is told, whatever the adapter writes back.
    Story input = *story;
    EncodeOptions plan;
    plan.table_size = settings.table_size;
    plan.change_table_size = settings.change_table_size;
    for (size_t i = 0; i < input.cases.size(); ++i) {
      StoryCase& c = input.cases[i];
      c.wire.reset();
      if (!c.header_table_size) c.header_table_size = PlannedTableSize(plan, i, input.cases.size());
    }
    Adapter::Outcome o = adapter.Run(input);
    if (o.kind != Adapter::Outcome::Kind::kOk) {
      r->failure = o.kind == Adapter::Outcome::Kind::kRejected
                       ? absl::StrCat("the encoder reported an error: ", o.message)
                       : o.message;
      return;
    }
    Story& out = o.story;
    Story checked = input;
    for (size_t i = 0; i < checked.cases.size(); ++i) {
      if (!out.cases[i].wire) {
        r->failure = absl::StrCat(CaseName(i, checked.cases[i]), ": no \"wire\" in the output");
        return;
      }
      checked.cases[i].wire = out.cases[i].wire;
      check.wire_bytes += out.cases[i].wire->size();
    }
    check.raw_bytes = RawHeaderBytes(input);
    // Only RFC rules can fail an encoder: no list or field-count limit here.
    VerifyOptions verify;
    verify.inflater.max_header_list_size = std::numeric_limits<size_t>::max();
    verify.inflater.max_header_fields = std::numeric_limits<size_t>::max();
    verify.wire_never_indexed = adapter.capabilities().never_indexed ? NeverIndexedCheck::kMarked
                                                                     : NeverIndexedCheck::kIgnore;
    std::vector<hpack::HeaderList> decoded;
    StoryResult v = VerifyStory(checked, verify, &decoded);
    r->cases = v.cases;
    r->headers = v.headers;
    r->failure =
        v.failure.empty() ? "" : absl::StrCat("its wire does not decode to the input: ", v.failure);
    // Its story, as the wire says: the input's settings, its wire, the decoded marks.
    for (size_t i = 0; i < checked.cases.size(); ++i) {
      if (i < decoded.size()) {
        checked.cases[i].headers = decoded[i];
        checked.cases[i].never_indexed_listed = true;
      }
    }
    checked.source = path;
    check.encoded = std::move(checked);
  });
  return check;
}

}  // namespace conformance
