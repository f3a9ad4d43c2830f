// hpack_bench: HPACK decode and encode throughput, h2harness (hpack::Inflater/Deflater) vs
// libnghttp2 (nghttp2_hd_*), side by side in one process on the same inputs, one report row
// per variant (story directory).
//
//   hpack_bench [--runs N] [--min_time S] [--json FILE] [--table_size N] [LABEL=]STORY_PATH...
//
// Method (tools/bench hpack runs this), for each STORY_PATH in turn:
//  - Every story under it is loaded. Stories with `wire` in every case are decoded as they
//    are; raw stories (no wire) are encoded once, before timing, by libnghttp2's deflater,
//    and that wire is the decode input for both decoders. Stories with negative ("error")
//    cases or cases without headers are skipped (named on stderr).
//  - Before timing, both decoders must decode every decode input to the story's headers,
//    and each encoder's output must decode, with both decoders, back to its input.
//  - Decode: per story a fresh decoder; per case the header_table_size is applied and the
//    block decoded into a sink that sums name and value lengths (no copies on either side).
//  - Encode: per story a fresh encoder; per case the header_table_size is applied and the
//    headers encoded into a reused buffer.
//  - Time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID): on a shared machine, time the
//    process spends descheduled does not count against either library.
//  - A run repeats whole corpus passes, h2harness and libnghttp2 alternately (and in
//    alternating order), until each side has taken at least --min_time. The row gives the
//    best run's throughput of each library (load from other processes only slows a pass),
//    the ratio of those, and the median of the per-run ratios (both sides of a run ran
//    interleaved, under the same load).
//
// --table_size T is the encoders' table cap and, when not 4096, the SETTINGS_HEADER_TABLE_SIZE
// of a story's first case that has none (as conformance::EncodeStory does). It applies to
// everything encoded here (the neutral decode input of raw stories, the encode benchmark),
// not to stories decoded as they are.
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "conformance/story.h"
#include "conformance/story_codec.h"
#include "hpack/deflater.h"
#include "hpack/error.h"
#include "hpack/header.h"
#include "hpack/inflater.h"
#include "nlohmann/json.hpp"
#include "tools/nghttp2_peer.h"

ABSL_FLAG(int32_t, runs, 5, "timed runs per variant; the report gives the best and the median");
ABSL_FLAG(double, min_time, 0.2,
          "CPU seconds each library spends per run and per benchmark, at least (0: one pass)");
ABSL_FLAG(std::string, json, "", "also write the results as JSON to this file");
ABSL_FLAG(std::string, only, "", "time only this benchmark: decode or encode (default: both)");
ABSL_FLAG(uint32_t, table_size, 4096,
          "encoders' dynamic table cap; when not 4096, also the SETTINGS_HEADER_TABLE_SIZE "
          "of each story's first case (for what is encoded here)");

namespace {

// CPU seconds of the calling thread: on a busy machine, time spent descheduled (another
// process running) does not count, which keeps the two libraries' figures comparable.
double ThreadSeconds() {
  timespec ts;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) {
    std::perror("hpack_bench: clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    std::exit(1);
  }
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "hpack_bench: %s\n", message.c_str());
  std::exit(1);
}

// ---------------------------------------------------------------------------------------
// The corpus, prepared before timing.

// One header block to decode, with what it must decode to.
struct Block {
  size_t case_index = 0;
  int64_t seqno = 0;
  std::optional<uint32_t> table_size;  // SETTINGS_HEADER_TABLE_SIZE from this block on
  std::string wire;
  const hpack::HeaderList* expected = nullptr;
};

// One header list to encode.
struct EncodeCase {
  size_t case_index = 0;
  int64_t seqno = 0;
  std::optional<uint32_t> table_size;
  const hpack::HeaderList* headers = nullptr;
  std::vector<nghttp2_nv> nva;  // points into *headers
};

struct BenchStory {
  const conformance::Story* story = nullptr;
  bool raw = false;  // decode input made by libnghttp2's deflater
  std::vector<Block> blocks;
  std::vector<EncodeCase> cases;
};

struct Corpus {
  std::vector<BenchStory> stories;
  size_t blocks = 0;
  size_t headers = 0;
  size_t raw_octets = 0;   // name + value, all headers
  size_t wire_octets = 0;  // decode input
  size_t raw_stories = 0;
  size_t nghttp2_buffer_size = 0;  // max nghttp2_hd_deflate_bound over all cases
};

std::string Where(const BenchStory& s, size_t case_index, int64_t seqno) {
  return absl::StrCat(s.story->source, ": case ", case_index, " (seqno ", seqno, ")");
}

// ---------------------------------------------------------------------------------------
// The codecs, each in the form the benchmark times.

// Header list limits off: libnghttp2's HPACK inflater has none (its session applies them).
hpack::InflaterOptions BenchInflaterOptions() {
  hpack::InflaterOptions o;
  o.max_header_list_size = std::numeric_limits<size_t>::max() / 4;
  o.max_header_fields = std::numeric_limits<size_t>::max() / 4;
  return o;
}

hpack::DeflaterOptions BenchDeflaterOptions(uint32_t table_size) {
  hpack::DeflaterOptions o;  // defaults, but for the cap
  o.max_table_size = table_size;
  return o;
}

using peer::NgDeflater;
using peer::NgInflater;

// peer::NgInflateBlock, with its result as a message ("" on success).
template <typename Sink>
std::string NgInflateBlock(nghttp2_hd_inflater* inf, const std::string& wire, Sink&& sink) {
  const int rv = peer::NgInflateBlock(inf, wire, sink);
  return rv == 0 ? "" : absl::StrCat("nghttp2_hd_inflate_hd2: ", peer::NgErrorText(rv));
}

// ---------------------------------------------------------------------------------------
// Correctness, before timing.

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string FieldText(absl::string_view name, absl::string_view value) {
  return absl::StrCat("\"", hpack::EscapeBytes(name), ": ", hpack::EscapeBytes(value), "\"");
}

// "" if `got` is exactly `want` (name and value octets, in order).
std::string Compare(const Fields& got, const hpack::HeaderList& want) {
  const size_t n = std::min(got.size(), want.size());
  for (size_t k = 0; k < n; ++k) {
    if (got[k].first != want[k].name || got[k].second != want[k].value) {
      return absl::StrCat("header ", k, " is ", FieldText(got[k].first, got[k].second),
                          ", expected ", FieldText(want[k].name, want[k].value));
    }
  }
  if (got.size() != want.size()) {
    return absl::StrCat(got.size(), " headers decoded, expected ", want.size(),
                        got.size() > n
                            ? absl::StrCat("; extra: ", FieldText(got[n].first, got[n].second))
                            : absl::StrCat("; missing: ", FieldText(want[n].name, want[n].value)));
  }
  return "";
}

enum class Lib { kH2harness, kNghttp2 };
const char* LibName(Lib lib) { return lib == Lib::kH2harness ? "h2harness" : "libnghttp2"; }

// Decodes `blocks` in order with one fresh decoder of `lib`; dies on any difference from
// the expected headers. `what` says where the wire came from.
void CheckDecode(Lib lib, const BenchStory& s, const std::vector<Block>& blocks,
                 absl::string_view what) {
  hpack::Inflater h2(BenchInflaterOptions());
  NgInflater ng;
  if (!ng.ok()) Die("nghttp2_hd_inflate_new failed");
  for (const Block& b : blocks) {
    Fields got;
    std::string error;
    if (lib == Lib::kH2harness) {
      if (b.table_size) h2.ChangeTableSize(*b.table_size);
      absl::Status st = h2.Inflate(b.wire, [&got](absl::string_view n, absl::string_view v, bool) {
        got.emplace_back(std::string(n), std::string(v));
      });
      if (!st.ok()) error = std::string(st.message());
    } else {
      if (b.table_size) {
        const int rv = nghttp2_hd_inflate_change_table_size(ng.p, *b.table_size);
        if (rv != 0)
          error = absl::StrCat("nghttp2_hd_inflate_change_table_size: ", nghttp2_strerror(rv));
      }
      if (error.empty()) {
        error = NgInflateBlock(ng.p, b.wire, [&got](const nghttp2_nv& nv) {
          got.emplace_back(std::string(peer::NameOf(nv)), std::string(peer::ValueOf(nv)));
        });
      }
    }
    if (error.empty()) error = Compare(got, *b.expected);
    if (!error.empty()) {
      Die(absl::StrCat(Where(s, b.case_index, b.seqno), ": ", LibName(lib), " decoder on ", what,
                       ": ", error));
    }
  }
}

// Encodes a story's cases with a fresh encoder of `lib`, as the benchmark does; returns the
// blocks (to decode back).
std::vector<Block> EncodeAll(Lib lib, const BenchStory& s, uint32_t table_size,
                             std::vector<uint8_t>* ng_buffer) {
  std::vector<Block> out;
  hpack::Deflater h2(BenchDeflaterOptions(table_size));
  NgDeflater ng(table_size);
  if (!ng.ok()) Die("nghttp2_hd_deflate_new failed");
  for (const EncodeCase& c : s.cases) {
    Block b;
    b.case_index = c.case_index;
    b.seqno = c.seqno;
    b.table_size = c.table_size;
    b.expected = c.headers;
    if (lib == Lib::kH2harness) {
      if (c.table_size) h2.ChangeTableSize(*c.table_size);
      absl::Status st = h2.Deflate(*c.headers, &b.wire);
      if (!st.ok())
        Die(absl::StrCat(Where(s, c.case_index, c.seqno), ": h2harness encoder: ", st.message()));
    } else {
      if (c.table_size) {
        const int rv = nghttp2_hd_deflate_change_table_size(ng.p, *c.table_size);
        if (rv != 0) {
          Die(absl::StrCat(Where(s, c.case_index, c.seqno),
                           ": nghttp2_hd_deflate_change_table_size: ", nghttp2_strerror(rv)));
        }
      }
      const size_t bound = nghttp2_hd_deflate_bound(ng.p, c.nva.data(), c.nva.size());
      if (ng_buffer->size() < bound) ng_buffer->resize(bound);
      const ssize_t rv = nghttp2_hd_deflate_hd(ng.p, ng_buffer->data(), ng_buffer->size(),
                                               c.nva.data(), c.nva.size());
      if (rv < 0) {
        Die(absl::StrCat(Where(s, c.case_index, c.seqno),
                         ": nghttp2_hd_deflate_hd: ", nghttp2_strerror(static_cast<int>(rv))));
      }
      b.wire.assign(reinterpret_cast<const char*>(ng_buffer->data()), static_cast<size_t>(rv));
    }
    out.push_back(std::move(b));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Loading.

Corpus Prepare(const std::vector<conformance::Story>& stories, uint32_t table_size,
               std::vector<std::string>* skipped) {
  Corpus corpus;
  std::vector<uint8_t> scratch;
  for (const conformance::Story& story : stories) {
    std::string why;
    for (size_t i = 0; i < story.cases.size() && why.empty(); ++i) {
      const conformance::StoryCase& c = story.cases[i];
      if (c.error)
        why = absl::StrCat("case ", i, " is a negative case (\"error\")");
      else if (!c.headers)
        why = absl::StrCat("case ", i, " has no \"headers\"");
    }
    if (story.cases.empty()) why = "no cases";
    if (!why.empty()) {
      skipped->push_back(absl::StrCat(story.source, ": ", why));
      continue;
    }
    BenchStory s;
    s.story = &story;
    s.raw = !story.HasWire();
    for (size_t i = 0; i < story.cases.size(); ++i) {
      const conformance::StoryCase& c = story.cases[i];
      EncodeCase e;
      e.case_index = i;
      e.seqno = c.seqno;
      e.table_size = c.header_table_size;
      if (i == 0 && !e.table_size && table_size != hpack::kDefaultHeaderTableSize) {
        e.table_size = table_size;
      }
      e.headers = &*c.headers;
      e.nva.reserve(c.headers->size());
      for (const hpack::HeaderField& h : *c.headers) {
        nghttp2_nv nv;
        nv.name = reinterpret_cast<uint8_t*>(const_cast<char*>(h.name.data()));
        nv.namelen = h.name.size();
        nv.value = reinterpret_cast<uint8_t*>(const_cast<char*>(h.value.data()));
        nv.valuelen = h.value.size();
        nv.flags = h.never_indexed ? NGHTTP2_NV_FLAG_NO_INDEX : NGHTTP2_NV_FLAG_NONE;
        e.nva.push_back(nv);
        corpus.headers += 1;
        corpus.raw_octets += h.name.size() + h.value.size();
      }
      s.cases.push_back(std::move(e));
    }
    if (s.raw) {
      s.blocks = EncodeAll(Lib::kNghttp2, s, table_size, &scratch);
      ++corpus.raw_stories;
    } else {
      for (size_t i = 0; i < story.cases.size(); ++i) {
        const conformance::StoryCase& c = story.cases[i];
        Block b;
        b.case_index = i;
        b.seqno = c.seqno;
        b.table_size = c.header_table_size;
        b.wire = *c.wire;
        b.expected = &*c.headers;
        s.blocks.push_back(std::move(b));
      }
    }
    for (const Block& b : s.blocks) corpus.wire_octets += b.wire.size();
    corpus.blocks += s.blocks.size();
    corpus.stories.push_back(std::move(s));
  }
  // One output buffer for the nghttp2 encoder benchmark, big enough for any case.
  for (const BenchStory& s : corpus.stories) {
    NgDeflater ng(table_size);
    for (const EncodeCase& c : s.cases) {
      corpus.nghttp2_buffer_size = std::max(
          corpus.nghttp2_buffer_size, nghttp2_hd_deflate_bound(ng.p, c.nva.data(), c.nva.size()));
    }
  }
  return corpus;
}

// ---------------------------------------------------------------------------------------
// The timed passes. Each returns a checksum so that the work cannot be optimised away.

uint64_t DecodePassH2(const Corpus& corpus) {
  uint64_t sum = 0;
  const hpack::InflaterOptions options = BenchInflaterOptions();
  auto sink = [&sum](absl::string_view name, absl::string_view value, bool) {
    sum += name.size() + value.size();
  };
  for (const BenchStory& s : corpus.stories) {
    hpack::Inflater inf(options);
    for (const Block& b : s.blocks) {
      if (b.table_size) inf.ChangeTableSize(*b.table_size);
      absl::Status st = inf.Inflate(b.wire, sink);
      if (!st.ok())
        Die(absl::StrCat(Where(s, b.case_index, b.seqno), ": h2harness: ", st.message()));
    }
  }
  return sum;
}

uint64_t DecodePassNg(const Corpus& corpus) {
  uint64_t sum = 0;
  auto sink = [&sum](const nghttp2_nv& nv) { sum += nv.namelen + nv.valuelen; };
  for (const BenchStory& s : corpus.stories) {
    NgInflater inf;
    for (const Block& b : s.blocks) {
      if (b.table_size) nghttp2_hd_inflate_change_table_size(inf.p, *b.table_size);
      std::string error = NgInflateBlock(inf.p, b.wire, sink);
      if (!error.empty()) Die(absl::StrCat(Where(s, b.case_index, b.seqno), ": ", error));
    }
  }
  return sum;
}

struct EncodeState {
  std::string h2_out;
  std::vector<uint8_t> ng_out;
  uint32_t table_size = 4096;
};

uint64_t EncodePassH2(const Corpus& corpus, EncodeState& st) {
  uint64_t wire = 0;
  const hpack::DeflaterOptions options = BenchDeflaterOptions(st.table_size);
  for (const BenchStory& s : corpus.stories) {
    hpack::Deflater def(options);
    for (const EncodeCase& c : s.cases) {
      if (c.table_size) def.ChangeTableSize(*c.table_size);
      st.h2_out.clear();
      absl::Status status = def.Deflate(*c.headers, &st.h2_out);
      if (!status.ok())
        Die(absl::StrCat(Where(s, c.case_index, c.seqno), ": h2harness: ", status.message()));
      wire += st.h2_out.size();
    }
  }
  return wire;
}

uint64_t EncodePassNg(const Corpus& corpus, EncodeState& st) {
  uint64_t wire = 0;
  for (const BenchStory& s : corpus.stories) {
    NgDeflater def(st.table_size);
    for (const EncodeCase& c : s.cases) {
      if (c.table_size) nghttp2_hd_deflate_change_table_size(def.p, *c.table_size);
      const ssize_t rv = nghttp2_hd_deflate_hd(def.p, st.ng_out.data(), st.ng_out.size(),
                                               c.nva.data(), c.nva.size());
      if (rv < 0) {
        Die(absl::StrCat(Where(s, c.case_index, c.seqno),
                         ": nghttp2_hd_deflate_hd: ", nghttp2_strerror(static_cast<int>(rv))));
      }
      wire += static_cast<uint64_t>(rv);
    }
  }
  return wire;
}

// ---------------------------------------------------------------------------------------
// Runs and statistics.

struct Side {
  std::vector<double> seconds_per_pass;  // per run
  std::vector<uint64_t> passes;          // per run
};

struct Measurement {
  Side h2, ng;
  uint64_t h2_checksum = 0, ng_checksum = 0;  // per pass (all passes agree)
};

// One run: passes alternate between the libraries (and which goes first) until each has
// taken at least min_time.
template <typename H2Pass, typename NgPass>
void Run(double min_time, H2Pass&& h2_pass, NgPass&& ng_pass, Measurement* m) {
  double h2_time = 0, ng_time = 0;
  uint64_t passes = 0;
  auto timed = [](auto& pass, double* total) {
    const double t0 = ThreadSeconds();
    const uint64_t sum = pass();
    *total += ThreadSeconds() - t0;
    return sum;
  };
  do {
    uint64_t h2_sum, ng_sum;
    if (passes % 2 == 0) {
      h2_sum = timed(h2_pass, &h2_time);
      ng_sum = timed(ng_pass, &ng_time);
    } else {
      ng_sum = timed(ng_pass, &ng_time);
      h2_sum = timed(h2_pass, &h2_time);
    }
    if ((m->h2_checksum && h2_sum != m->h2_checksum) ||
        (m->ng_checksum && ng_sum != m->ng_checksum)) {
      Die("a pass's checksum changed between passes");
    }
    m->h2_checksum = h2_sum;
    m->ng_checksum = ng_sum;
    ++passes;
  } while (h2_time < min_time || ng_time < min_time);
  m->h2.seconds_per_pass.push_back(h2_time / passes);
  m->h2.passes.push_back(passes);
  m->ng.seconds_per_pass.push_back(ng_time / passes);
  m->ng.passes.push_back(passes);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// What a benchmark reports for one side: throughput `per_pass / seconds` over the runs.
struct Stats {
  double best = 0, median = 0, worst = 0;
  std::vector<double> values;
};

Stats Throughput(const Side& side, double per_pass) {
  Stats s;
  if (side.seconds_per_pass.empty()) return s;  // not run (--only)
  for (double t : side.seconds_per_pass) s.values.push_back(per_pass / t);
  s.best = *std::max_element(s.values.begin(), s.values.end());
  s.worst = *std::min_element(s.values.begin(), s.values.end());
  s.median = Median(s.values);
  return s;
}

// The ratio h2harness / libnghttp2: of the best runs (the headline: interference from other
// processes only ever slows a pass down), and per run, as both sides of a run were
// interleaved under the same load.
struct Ratio {
  double best = 0, median = 0, worst = 0;
  std::vector<double> per_run;
};

Ratio RatioOf(const Measurement& m) {
  Ratio r;
  if (m.h2.seconds_per_pass.empty()) return r;  // not run (--only)
  double h2_best = std::numeric_limits<double>::max(), ng_best = h2_best;
  for (size_t i = 0; i < m.h2.seconds_per_pass.size(); ++i) {
    r.per_run.push_back(m.ng.seconds_per_pass[i] / m.h2.seconds_per_pass[i]);
    h2_best = std::min(h2_best, m.h2.seconds_per_pass[i]);
    ng_best = std::min(ng_best, m.ng.seconds_per_pass[i]);
  }
  r.best = ng_best / h2_best;
  r.median = Median(r.per_run);
  r.worst = *std::min_element(r.per_run.begin(), r.per_run.end());
  return r;
}

std::string Mbps(double v) { return absl::StrFormat("%.1f", v / 1e6); }

nlohmann::json StatsJson(const Stats& s) {
  return {{"best", s.best}, {"median", s.median}, {"worst", s.worst}, {"runs", s.values}};
}

nlohmann::json RatioJson(const Ratio& r) {
  return {{"best", r.best}, {"median", r.median}, {"worst", r.worst}, {"runs", r.per_run}};
}

// ---------------------------------------------------------------------------------------
// Variants: each STORY_PATH argument is one row of the report.

struct VariantArg {
  std::string label;
  std::string path;
};

// "PATH" (labelled by its last component), or "LABEL=PATH" if no file is named the whole.
VariantArg ParseVariantArg(const std::string& arg) {
  const size_t eq = arg.find('=');
  std::error_code ec;
  if (eq != std::string::npos && eq > 0 && !std::filesystem::exists(arg, ec)) {
    return {arg.substr(0, eq), arg.substr(eq + 1)};
  }
  std::string path = arg;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  const size_t slash = path.rfind('/');
  return {slash == std::string::npos ? path : path.substr(slash + 1), arg};
}

struct VariantResult {
  VariantArg arg;
  std::string skipped_why;  // the whole variant was skipped (every story skipped)
  size_t stories = 0, skipped_stories = 0, raw_stories = 0;
  size_t blocks = 0, headers = 0, raw_octets = 0, wire_octets = 0;
  uint64_t wire_h2 = 0, wire_ng = 0;  // encoders' output
  Measurement dec, enc;
  Stats dec_mb[2], enc_mb[2];
  Ratio dec_ratio, enc_ratio;
};

// Loads, checks and times one variant.
VariantResult Bench(const VariantArg& arg, int runs, double min_time, uint32_t table_size,
                    bool decode, bool encode) {
  VariantResult v;
  v.arg = arg;
  absl::StatusOr<std::vector<std::string>> files = conformance::FindStoryFiles({arg.path});
  if (!files.ok()) Die(std::string(files.status().message()));
  if (files->empty()) Die(absl::StrCat("no story files (*.json) under ", arg.path));
  std::vector<conformance::Story> stories;
  stories.reserve(files->size());
  for (const std::string& f : *files) {
    absl::StatusOr<conformance::Story> s = conformance::LoadStory(f);
    if (!s.ok()) Die(std::string(s.status().message()));
    stories.push_back(*std::move(s));
  }
  // `stories` is not modified from here on: the corpus points into it.
  std::vector<std::string> skipped;
  const Corpus corpus = Prepare(stories, table_size, &skipped);
  v.skipped_stories = skipped.size();
  if (corpus.stories.empty()) {
    v.skipped_why = absl::StrCat("no story to benchmark (", skipped.size(), " skipped; first: ",
                                 skipped.empty() ? "none" : skipped[0], ")");
    return v;
  }
  for (size_t i = 0; i < skipped.size() && i < 3; ++i) {
    std::fprintf(stderr, "hpack_bench: %s: skipped %s\n", arg.label.c_str(), skipped[i].c_str());
  }
  if (skipped.size() > 3) {
    std::fprintf(stderr, "hpack_bench: %s: ... and %zu more stories skipped\n", arg.label.c_str(),
                 skipped.size() - 3);
  }
  v.stories = corpus.stories.size();
  v.raw_stories = corpus.raw_stories;
  v.blocks = corpus.blocks;
  v.headers = corpus.headers;
  v.raw_octets = corpus.raw_octets;
  v.wire_octets = corpus.wire_octets;

  // Correctness, before timing.
  std::vector<uint8_t> scratch;
  for (const BenchStory& s : corpus.stories) {
    const char* input = s.raw ? "the libnghttp2-encoded wire" : "the story's wire";
    CheckDecode(Lib::kH2harness, s, s.blocks, input);
    CheckDecode(Lib::kNghttp2, s, s.blocks, input);
    for (Lib enc : {Lib::kH2harness, Lib::kNghttp2}) {
      const std::vector<Block> blocks = EncodeAll(enc, s, table_size, &scratch);
      const std::string what = absl::StrCat(LibName(enc), " encoder output");
      CheckDecode(Lib::kH2harness, s, blocks, what);
      CheckDecode(Lib::kNghttp2, s, blocks, what);
      for (const Block& b : blocks) (enc == Lib::kH2harness ? v.wire_h2 : v.wire_ng) += b.wire.size();
    }
  }

  // Timing.
  EncodeState enc;
  enc.table_size = table_size;
  enc.h2_out.reserve(corpus.nghttp2_buffer_size);
  enc.ng_out.resize(std::max<size_t>(corpus.nghttp2_buffer_size, 1));
  auto dec_h2 = [&] { return DecodePassH2(corpus); };
  auto dec_ng = [&] { return DecodePassNg(corpus); };
  auto enc_h2 = [&] { return EncodePassH2(corpus, enc); };
  auto enc_ng = [&] { return EncodePassNg(corpus, enc); };
  // Warm-up (caches, allocator, lazily built tables).
  if (decode) {
    dec_h2();
    dec_ng();
  }
  if (encode) {
    enc_h2();
    enc_ng();
  }
  for (int r = 0; r < runs; ++r) {
    if (decode) Run(min_time, dec_h2, dec_ng, &v.dec);
    if (encode) Run(min_time, enc_h2, enc_ng, &v.enc);
  }
  if (decode && (v.dec.h2_checksum != corpus.raw_octets || v.dec.ng_checksum != corpus.raw_octets)) {
    Die(absl::StrFormat(
        "%s: decode checksums differ from the corpus: h2harness %d, libnghttp2 %d, expected %d",
        arg.label, v.dec.h2_checksum, v.dec.ng_checksum, corpus.raw_octets));
  }
  if (encode && (v.enc.h2_checksum != v.wire_h2 || v.enc.ng_checksum != v.wire_ng)) {
    Die(absl::StrCat(arg.label, ": encode wire totals differ from the correctness pass"));
  }
  v.dec_mb[0] = Throughput(v.dec.h2, corpus.wire_octets);
  v.dec_mb[1] = Throughput(v.dec.ng, corpus.wire_octets);
  v.enc_mb[0] = Throughput(v.enc.h2, corpus.raw_octets);
  v.enc_mb[1] = Throughput(v.enc.ng, corpus.raw_octets);
  v.dec_ratio = RatioOf(v.dec);
  v.enc_ratio = RatioOf(v.enc);
  return v;
}

constexpr int kLabelWidth = 34;

void PrintHeader() {
  std::printf("%-*s %7s %9s | %-30s | %-30s | %s\n", kLabelWidth, "", "", "decode",
              "decode: wire MB/s, ratio", "encode: raw MB/s, ratio", "encoded wire octets");
  std::printf("%-*s %7s %9s | %7s %7s %6s %7s | %7s %7s %6s %7s | %9s %9s %6s\n", kLabelWidth,
              "variant", "stories", "wire in", "h2h", "nghttp2", "best", "median", "h2h",
              "nghttp2", "best", "median", "h2h", "nghttp2", "h2h/ng");
}

// "h2h nghttp2 best median" columns of one benchmark ("-" if not run).
std::string Columns(const Stats* mb, const Ratio& r) {
  if (r.per_run.empty()) return absl::StrFormat("%7s %7s %6s %7s", "-", "-", "-", "-");
  return absl::StrFormat("%7s %7s %5.2fx %6.2fx", Mbps(mb[0].best), Mbps(mb[1].best), r.best,
                         r.median);
}

void PrintRow(const VariantResult& v) {
  if (!v.skipped_why.empty()) {
    std::printf("%-*s skipped: %s\n", kLabelWidth, v.arg.label.c_str(), v.skipped_why.c_str());
    std::fflush(stdout);
    return;
  }
  std::printf("%-*s %7zu %9zu | %s | %s | %9llu %9llu %6.3f\n", kLabelWidth, v.arg.label.c_str(),
              v.stories, v.wire_octets, Columns(v.dec_mb, v.dec_ratio).c_str(),
              Columns(v.enc_mb, v.enc_ratio).c_str(), static_cast<unsigned long long>(v.wire_h2),
              static_cast<unsigned long long>(v.wire_ng),
              v.wire_ng ? static_cast<double>(v.wire_h2) / v.wire_ng : 0.0);
  std::fflush(stdout);
}

nlohmann::json VariantJson(const VariantResult& v) {
  nlohmann::json j;
  j["label"] = v.arg.label;
  j["path"] = v.arg.path;
  if (!v.skipped_why.empty()) {
    j["skipped"] = v.skipped_why;
    return j;
  }
  j["corpus"] = {{"stories", v.stories},        {"raw_stories", v.raw_stories},
                 {"skipped_stories", v.skipped_stories}, {"blocks", v.blocks},
                 {"headers", v.headers},        {"raw_octets", v.raw_octets},
                 {"decode_wire_octets", v.wire_octets}};
  auto bench = [](const Stats* mb, const Measurement& m, const Ratio& r) {
    nlohmann::json b;
    b["h2harness"] = {{"bytes_per_second", StatsJson(mb[0])}, {"passes_per_run", m.h2.passes}};
    b["libnghttp2"] = {{"bytes_per_second", StatsJson(mb[1])}, {"passes_per_run", m.ng.passes}};
    b["ratio"] = RatioJson(r);
    return b;
  };
  j["decode"] = bench(v.dec_mb, v.dec, v.dec_ratio);
  j["encode"] = bench(v.enc_mb, v.enc, v.enc_ratio);
  j["wire_bytes"] = {{"h2harness", v.wire_h2},
                     {"libnghttp2", v.wire_ng},
                     {"ratio", v.wire_ng ? static_cast<double>(v.wire_h2) / v.wire_ng : 0.0}};
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "HPACK decode/encode throughput, h2harness vs libnghttp2, one row per variant.\n"
      "usage: hpack_bench [--runs N] [--min_time S] [--json FILE] [--table_size N] "
      "[LABEL=]STORY_PATH...\n"
      "STORY_PATH: a directory searched for *.json (hpack-test-case stories), or a story file; "
      "each is one variant, labelled LABEL or by its last path component");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const int runs = absl::GetFlag(FLAGS_runs);
  const double min_time = absl::GetFlag(FLAGS_min_time);
  const uint32_t table_size = absl::GetFlag(FLAGS_table_size);
  const std::string json_path = absl::GetFlag(FLAGS_json);
  if (runs < 1) Die("--runs must be at least 1");
  const std::string only = absl::GetFlag(FLAGS_only);
  if (!only.empty() && only != "decode" && only != "encode")
    Die("--only must be decode or encode");
  const bool decode = only != "encode", encode = only != "decode";
  if (!(min_time >= 0)) Die("--min_time must be >= 0");
  std::vector<VariantArg> variants;
  for (auto it = args.begin() + 1; it != args.end(); ++it) variants.push_back(ParseVariantArg(*it));
  if (variants.empty()) Die("no story paths given (usage: hpack_bench [flags] STORY_PATH...)");

  std::printf("h2harness vs libnghttp2 %s, one process; per variant %d runs, each >= %.3g s "
              "of thread CPU time per library and benchmark, the two libraries' passes "
              "interleaved\n",
              nghttp2_version(0)->version_str, runs, min_time);
  std::printf(
      "checked before timing, per variant: both decoders reproduce every story's headers; both "
      "encoders' output decodes back with both decoders\n");
  std::printf(
      "decode input: the story's wire, or for raw stories libnghttp2's encoding (table %u); "
      "encode input: the stories' headers, encoders' table cap %u\n\n",
      table_size, table_size);
  PrintHeader();
  std::fflush(stdout);
  std::vector<VariantResult> results;
  for (const VariantArg& arg : variants) {
    results.push_back(Bench(arg, runs, min_time, table_size, decode, encode));
    PrintRow(results.back());
  }

  // The lowest ratios, for goals stated as "at least Nx on every variant".
  const VariantResult* min_dec = nullptr;
  const VariantResult* min_enc = nullptr;
  for (const VariantResult& v : results) {
    if (!v.skipped_why.empty()) continue;
    if (decode && (!min_dec || v.dec_ratio.best < min_dec->dec_ratio.best)) min_dec = &v;
    if (encode && (!min_enc || v.enc_ratio.best < min_enc->enc_ratio.best)) min_enc = &v;
  }
  std::printf(
      "\nMB = 10^6 octets. decode MB/s: wire octets decoded; encode MB/s: raw header octets "
      "(name+value) encoded; best of %d runs. ratio = h2harness / libnghttp2 (higher is "
      "better): \"best\" of the best runs, \"median\" of the per-run ratios.\n",
      runs);
  if (min_dec) {
    std::printf("lowest decode ratio: %.2fx (%s)\n", min_dec->dec_ratio.best,
                min_dec->arg.label.c_str());
  }
  if (min_enc) {
    std::printf("lowest encode ratio: %.2fx (%s)\n", min_enc->enc_ratio.best,
                min_enc->arg.label.c_str());
  }

  if (!json_path.empty()) {
    nlohmann::json j;
    j["config"] = {
        {"runs", runs},
        {"min_time", min_time},
        {"table_size", table_size},
        {"h2harness_huffman",
         std::string(conformance::HuffmanModeName(BenchDeflaterOptions(table_size).huffman))},
        {"nghttp2_version", nghttp2_version(0)->version_str}};
    j["variants"] = nlohmann::json::array();
    for (const VariantResult& v : results) j["variants"].push_back(VariantJson(v));
    std::ofstream out(json_path);
    out << j.dump(2) << "\n";
    out.close();
    if (!out) Die(absl::StrCat(json_path, ": cannot write"));
    std::printf("wrote %s\n", json_path.c_str());
  }
  return 0;
}
