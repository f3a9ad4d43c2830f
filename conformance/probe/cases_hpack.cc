// RFC 7541 through the server's decoder: every edge and negative story of the shipped corpus
// (corpora/stories/edge, negative) is replayed as the field blocks of requests on one
// connection, so the server's HPACK decoder sees exactly the story's octets in the story's
// order. Blocks that lack request pseudo-header fields get them prepended as literals without
// indexing (after any leading dynamic table size updates), which changes no table.
//
// Edge stories must decode: no COMPRESSION_ERROR, and a last request that refers to every
// entry the server's dynamic table should hold at the end must still decode (an entry evicted
// too early is then an index out of range). Negative stories must end in a connection error
// of type COMPRESSION_ERROR at the broken block (RFC 9113 §4.3), except for the rules that are
// the decoder's own limits, which RFC 7541 leaves to each implementation.
#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>

#include "absl/strings/str_cat.h"
#include "conformance/probe/cases.h"
#include "conformance/probe/engine.h"
#include "conformance/story.h"
#include "hpack/inflater.h"
#include "hpack/integer.h"

namespace probe {
namespace {

using http2::ErrorCode;
using http2::kFlagEndHeaders;
using http2::kFlagEndStream;
using internal::Add;
using internal::LiteralField;

// Rules that are a decoder's own limits (RFC 7541 §5.1 "Integer encodings ... could be
// exploited"; §7.3 memory limits), not errors every decoder must report.
bool IsLimitRule(const std::string& rule) {
  return rule == "integer_too_long" || rule == "header_list_too_large" || rule == "too_many_fields";
}

// Octets of the leading dynamic table size updates (§6.3) of a block.
size_t LeadingSizeUpdates(const std::string& block) {
  const auto* p = reinterpret_cast<const uint8_t*>(block.data());
  const auto* end = p + block.size();
  const auto* start = p;
  while (p < end && (*p & 0xe0) == 0x20) {
    const uint8_t* q = p;
    uint32_t value;
    if (hpack::DecodeInteger(&q, end, 5, &value) != hpack::IntegerStatus::kOk) break;
    p = q;
  }
  return p - start;
}

// The block with the request pseudo-header fields it lacks prepended (after leading size
// updates). `fields` is what the block decodes to (null: unknown, add all four).
std::string AsRequest(const Exchange& ex, const std::string& block, const hpack::HeaderList* fields) {
  auto has = [&](const char* name) {
    return fields && std::any_of(fields->begin(), fields->end(),
                                 [&](const hpack::HeaderField& f) { return f.name == name; });
  };
  std::string prefix;
  for (const hpack::HeaderField& f : ex.Request()) {
    if (!has(f.name.c_str())) prefix += LiteralField(f.name, f.value);
  }
  const size_t updates = LeadingSizeUpdates(block);
  return block.substr(0, updates) + prefix + block.substr(updates);
}

// Sends `block` as a request on the next stream (HEADERS + CONTINUATION within the server's
// SETTINGS_MAX_FRAME_SIZE).
uint32_t SendBlock(Exchange& ex, const std::string& block) {
  const uint32_t id = ex.NextStream();
  const size_t max = ex.conn().server_settings().max_frame_size;
  size_t pos = std::min(block.size(), max);
  ex.f().HeadersFragment(id, block.substr(0, pos), kFlagEndStream | (pos == block.size() ? kFlagEndHeaders : 0));
  while (pos < block.size()) {
    const size_t n = std::min(block.size() - pos, max);
    ex.f().Continuation(id, block.substr(pos, n), pos + n == block.size() ? kFlagEndHeaders : 0);
    pos += n;
  }
  ex.Opened(id, true);
  return id;
}

// Waits until the server has answered (or reset) every stream up to `last`, so the story
// never runs into SETTINGS_MAX_CONCURRENT_STREAMS.
void Drain(Exchange& ex, const std::vector<uint32_t>& ids) {
  ex.Flush().IgnoreError();
  ex.conn().WaitFor(
      [&] {
        for (uint32_t id : ids) {
          const StreamObs* s = ex.conn().obs().stream(id);
          if (!s || !s->decided()) return false;
        }
        return true;
      },
      ex.deadline());
}

// Whether a block holds an integer in a longer encoding than needed (RFC 7541 §5.1 lets a
// decoder refuse those: "Integer encodings that exceed implementation limits -- in value or
// octet length -- MUST be treated as decoding errors").
bool HasNonMinimalInteger(const std::string& block) {
  const auto* p = reinterpret_cast<const uint8_t*>(block.data());
  const auto* end = p + block.size();
  auto integer = [&](int prefix, uint32_t* value) {
    const uint8_t* start = p;
    if (hpack::DecodeInteger(&p, end, prefix, value) != hpack::IntegerStatus::kOk) return -1;
    return static_cast<int>(p - start) > static_cast<int>(hpack::EncodedIntegerLength(*value, prefix)) ? 1 : 0;
  };
  auto string = [&]() {
    uint32_t len;
    const int r = integer(7, &len);
    if (r != 0) return r;
    if (static_cast<size_t>(end - p) < len) return -1;
    p += len;
    return 0;
  };
  while (p < end) {
    const uint8_t b = *p;
    uint32_t v;
    int r;
    if (b & 0x80) {
      r = integer(7, &v);
    } else if (b & 0x40) {
      r = integer(6, &v);
      if (r == 0 && v == 0) r = string();
      if (r == 0) r = string();
    } else if (b & 0x20) {
      r = integer(5, &v);
    } else {
      r = integer(4, &v);
      if (r == 0 && v == 0) r = string();
      if (r == 0) r = string();
    }
    if (r != 0) return r > 0;
  }
  return false;
}

std::string Section(const std::string& description) {
  static const std::regex re("RFC 7541 ([0-9]+(\\.[0-9]+)*)");
  std::smatch m;
  if (std::regex_search(description, m, re)) return m[1].str();
  return "2.3";
}

// Why the story cannot be replayed against this server, or "".
std::string Inapplicable(const conformance::Story& story, uint32_t server_table_size) {
  if (!story.HasWire()) return "the story has no wire octets";
  for (const conformance::StoryCase& c : story.cases) {
    if (c.header_table_size && *c.header_table_size != server_table_size) {
      return absl::StrCat("the story sets the decoder's SETTINGS_HEADER_TABLE_SIZE to ",
                          *c.header_table_size, "; the server's is ", server_table_size,
                          " and only the server chooses it");
    }
  }
  return "";
}

void RunStory(Exchange& ex, const conformance::Story& story, bool negative) {
  const std::string why = Inapplicable(story, ex.conn().server_settings().header_table_size);
  if (!why.empty()) return ex.Skip(why);
  hpack::Inflater inflater(hpack::InflaterOptions{1 << 24, 1 << 20, hpack::kDefaultHeaderTableSize});
  struct Sent {
    uint32_t stream;
    size_t list_size;
    bool non_minimal;
    std::string malformed;
  };
  std::vector<Sent> sent;
  const uint32_t batch = std::max<uint32_t>(1, std::min<uint32_t>(ex.conn().server_settings().max_concurrent_streams / 2, 50));
  std::vector<uint32_t> pending;
  for (size_t i = 0; i < story.cases.size(); ++i) {
    const conformance::StoryCase& c = story.cases[i];
    if (c.error) {
      SendBlock(ex, AsRequest(ex, *c.wire, nullptr));
      return;  // the engine waits for the verdict on this stream
    }
    absl::StatusOr<hpack::HeaderList> fields = inflater.Inflate(*c.wire);
    if (!fields.ok()) return ex.Fail(absl::StrCat("the story does not decode: ", fields.status().message()));
    size_t list = 0;
    for (const hpack::HeaderField& f : *fields) list += f.name.size() + f.value.size() + 32;
    const std::string request = AsRequest(ex, *c.wire, &*fields);
    pending.push_back(SendBlock(ex, request));
    hpack::HeaderList as_sent = *fields;
    for (const hpack::HeaderField& f : ex.Request()) {
      if (std::none_of(fields->begin(), fields->end(), [&](const hpack::HeaderField& x) { return x.name == f.name; })) {
        as_sent.insert(as_sent.begin(), f);
      }
    }
    sent.push_back({pending.back(), list, HasNonMinimalInteger(*c.wire), MalformedRequestReason(as_sent)});
    if (pending.size() >= batch) {
      Drain(ex, pending);
      pending.clear();
    }
  }
  if (negative) return ex.Fail("internal: a negative story without an error case");
  // The last request refers to every entry of the dynamic table as the story left it.
  const hpack::HdTable table = inflater.GetHdTable();
  std::string check;
  for (const hpack::HeaderField& f : ex.Request()) check += LiteralField(f.name, f.value);
  for (size_t i = 0; i < table.entries.size(); ++i) {
    char buf[16];
    char* e = hpack::EncodeIntegerTo(buf, 62 + i, 7, 0x80);
    check.append(buf, e - buf);
  }
  pending.push_back(SendBlock(ex, check));
  Drain(ex, pending);
  ex.Sync();
  const Observation& o = ex.conn().obs();
  const uint32_t limit = ex.conn().server_settings().max_header_list_size;
  if (const GoAwayObs* g = o.goaway()) {
    const std::string got = absl::StrCat("GOAWAY ", http2::ErrorCodeToString(g->code), " (last stream ",
                                         g->last_stream_id, ")");
    // The block that ended the connection: the one on the GOAWAY's last stream or the next,
    // if unanswered (servers differ in whether they count the stream that failed).
    for (const Sent& b : sent) {
      if (b.stream != g->last_stream_id && b.stream != g->last_stream_id + 2) continue;
      const StreamObs* so = o.stream(b.stream);
      if (so && so->decided()) continue;
      const std::string at = absl::StrCat(got, " at the block on stream ", b.stream);
      if (g->code == static_cast<uint32_t>(ErrorCode::kCompressionError) && b.non_minimal) {
        return ex.Tolerate(absl::StrCat(at, ", which has an integer in a longer encoding than needed "
                                        "(RFC 7541 §5.1: \"Integer encodings that exceed implementation "
                                        "limits -- in value or octet length -- MUST be treated as decoding "
                                        "errors\"); later blocks were not checked"));
      }
      if (b.list_size > limit || (limit == http2::kUnlimited && b.list_size > 16384)) {
        return ex.Tolerate(absl::StrCat(at, ", a field section of ", b.list_size, " octets (the server ",
                                        limit == http2::kUnlimited ? std::string("advertises no limit")
                                                                   : absl::StrCat("advertises ", limit),
                                        "; §10.5.1: \"The field block MUST be processed to ensure a "
                                        "consistent connection state, unless the connection is closed\")"));
      }
      if (g->code == static_cast<uint32_t>(ErrorCode::kProtocolError) && !b.malformed.empty()) {
        return ex.Tolerate(absl::StrCat(at, ", a malformed request: ", b.malformed,
                                        " (§5.4.1: \"an endpoint MAY choose to treat a stream error as a "
                                        "connection error\"); later blocks were not checked"));
      }
    }
    return ex.Fail(absl::StrCat(got, " while replaying valid blocks"));
  }
  if (o.closed) return ex.Fail(absl::StrCat("connection closed while replaying valid blocks (", o.close_detail, ")"));
  const StreamObs* last = o.stream(pending.back());
  if (!last || !last->decided()) return ex.Fail("no answer to the request referring to the whole dynamic table");
  ex.Pass(absl::StrCat(story.cases.size(), " blocks; the last request refers to ", table.entries.size(),
                       " dynamic entries"));
}

}  // namespace

void AddHpackCases(const std::string& stories_dir, std::vector<Case>* v) {
  for (const char* kind : {"edge", "negative"}) {
    const std::filesystem::path dir = std::filesystem::path(stories_dir) / kind;
    absl::StatusOr<std::vector<std::string>> files = conformance::FindStoryFiles({dir.string()});
    if (!files.ok()) continue;
    for (const std::string& path : *files) {
      absl::StatusOr<conformance::Story> story = conformance::LoadStory(path);
      if (!story.ok()) continue;
      const std::string name = std::filesystem::path(path).stem().string();
      const bool negative = std::string(kind) == "negative";
      const std::string rule = negative && !story->cases.empty() && story->cases.back().error
                                   ? *story->cases.back().error
                                   : "";
      auto shared = std::make_shared<conformance::Story>(std::move(*story));
      Expectation e;
      Level level = Level::kMust;
      std::string requirement;
      if (negative) {
        requirement = absl::StrCat(
            "RFC 9113 §4.3: A decoding error in a field block MUST be treated as a connection error "
            "(Section 5.4.1) of type COMPRESSION_ERROR. Story: ", shared->description);
        e = ConnectionError(ErrorCode::kCompressionError);
        if (IsLimitRule(rule)) {
          level = Level::kMay;
          requirement = absl::StrCat("RFC 7541 leaves this limit to the decoder (§5.1, §7.3): rejecting "
                                     "with COMPRESSION_ERROR or decoding are both conformant. Story: ",
                                     shared->description);
          e.exact.push_back(Response(100, 599));
          e.exact.push_back(RstStream(ErrorCode::kProtocolError));
          e.exact.push_back(RstStream(ErrorCode::kRefusedStream));
          e.exact.push_back(GoAway(ErrorCode::kEnhanceYourCalm));
        }
      } else {
        requirement = absl::StrCat(
            "RFC 9113 §4.3: A receiving endpoint reassembles the field block ... and then "
            "decompresses the block (RFC 7541 decoding, no COMPRESSION_ERROR). Story: ",
            shared->description);
        e = Custom();
      }
      const std::string sends = absl::StrCat(
          shared->cases.size(), " field block", shared->cases.size() == 1 ? "" : "s", " of ",
          kind, "/", name, ".json as requests", negative ? absl::StrCat(", the last breaking ", rule) : "");
      Add(v, absl::StrCat("7541/", Section(shared->description), "/", name), level, requirement, sends, e,
          [shared, negative](Exchange& ex) { RunStory(ex, *shared, negative); });
    }
  }
}

}  // namespace probe
