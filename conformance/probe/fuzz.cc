#include "conformance/probe/fuzz.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "conformance/probe/conn.h"
#include "nlohmann/json.hpp"

namespace probe {
namespace {

using http2::FrameSequence;
using http2::FrameType;
using http2::kFlagEndHeaders;
using http2::kFlagEndStream;

constexpr uint64_t kFuzzPing = 0x66757a7a70696e67ull;  // "fuzzping"

std::string Hex(const std::string& s) { return absl::BytesToHexString(s); }

hpack::HeaderList Request(const Target& t, const std::string& method) {
  return {{":method", method}, {":scheme", t.scheme()}, {":authority", t.authority}, {":path", t.path}};
}

// Valid sequences (after the preface) that the mutations start from.
std::vector<std::string> Seeds(const Target& t) {
  std::vector<std::string> seeds;
  FrameSequence a;
  a.Headers(1, Request(t, "GET"), kFlagEndStream);
  seeds.push_back(a.Take());
  FrameSequence b;
  b.Headers(1, Request(t, "POST"), 0).Data(1, "probe").Headers(3, Request(t, "GET"), kFlagEndStream)
      .Data(1, "", kFlagEndStream);
  seeds.push_back(b.Take());
  FrameSequence c;
  c.Ping(1).Settings({{http2::kSettingsInitialWindowSize, 1000}}).WindowUpdate(0, 1000)
      .Headers(1, Request(t, "GET"), kFlagEndStream).Priority(1, 0, 100).WindowUpdate(1, 50);
  seeds.push_back(c.Take());
  FrameSequence d;
  http2::HeadersOptions split;
  split.max_fragment = 8;
  d.Headers(1, Request(t, "POST"), 0, split).Data(1, "abc").Headers(1, {{"x-trailer", "1"}}, kFlagEndStream);
  seeds.push_back(d.Take());
  FrameSequence e;
  e.Headers(1, Request(t, "GET"), kFlagEndStream).RstStream(1, http2::ErrorCode::kCancel)
      .Headers(3, Request(t, "GET"), kFlagEndStream).GoAway(0, http2::ErrorCode::kNoError);
  seeds.push_back(e.Take());
  FrameSequence f;
  http2::HeadersOptions pad;
  pad.pad_length = 10;
  http2::PrioritySpec p;
  p.stream_dependency = 0;
  p.weight = 200;
  pad.priority = p;
  f.Headers(1, Request(t, "GET"), kFlagEndStream, pad).Data(3, "x").PriorityUpdate(1, "u=0");
  seeds.push_back(f.Take());
  return seeds;
}

// Frames of a sequence, each with its 9-octet header.
std::vector<std::string> Split(const std::string& bytes) {
  std::vector<std::string> frames;
  size_t pos = 0;
  while (pos + 9 <= bytes.size()) {
    const auto* u = reinterpret_cast<const unsigned char*>(bytes.data() + pos);
    const size_t len = (size_t{u[0]} << 16) | (size_t{u[1]} << 8) | u[2];
    const size_t n = std::min(bytes.size() - pos, 9 + len);
    frames.push_back(bytes.substr(pos, n));
    pos += n;
  }
  return frames;
}

void SetLength(std::string* f, uint32_t len) {
  (*f)[0] = static_cast<char>(len >> 16);
  (*f)[1] = static_cast<char>(len >> 8);
  (*f)[2] = static_cast<char>(len);
}

// One structure-aware mutation of `frames`.
void Mutate(std::vector<std::string>* frames, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % std::max<size_t>(n, 1)); };
  if (frames->empty()) frames->push_back(std::string(9, '\0'));
  std::string& f = (*frames)[pick(frames->size())];
  switch (rng() % 12) {
    case 0:  // flags
      f[4] = static_cast<char>(rng());
      break;
    case 1:  // type, sometimes unknown
      f[3] = static_cast<char>(rng() % 3 == 0 ? rng() : rng() % 11);
      break;
    case 2: {  // stream id
      static const uint32_t ids[] = {0, 1, 2, 3, 5, 0x7fffffff, 0x80000001u};
      const uint32_t id = rng() % 4 == 0 ? static_cast<uint32_t>(rng()) : ids[pick(7)];
      for (int i = 0; i < 4; ++i) f[5 + i] = static_cast<char>(id >> (24 - 8 * i));
      break;
    }
    case 3: {  // length field alone (the framing shifts)
      const uint32_t len = f.size() - 9;
      static const int deltas[] = {-1, 1, -8, 8};
      SetLength(&f, rng() % 5 == 0 ? 0 : std::max<int64_t>(0, int64_t{len} + deltas[pick(4)]));
      break;
    }
    case 4:
    case 5:  // payload octets
      if (f.size() > 9) {
        for (int i = 0, n = 1 + rng() % 3; i < n; ++i) f[9 + pick(f.size() - 9)] = static_cast<char>(rng());
      }
      break;
    case 6:  // truncate the payload (length kept consistent)
      if (f.size() > 9) {
        f.resize(9 + pick(f.size() - 9));
        SetLength(&f, f.size() - 9);
      }
      break;
    case 7: {  // extend the payload
      const size_t add = 1 + pick(rng() % 8 == 0 ? 20000 : 16);
      for (size_t i = 0; i < add; ++i) f.push_back(static_cast<char>(rng()));
      SetLength(&f, f.size() - 9);
      break;
    }
    case 8:  // duplicate
      frames->insert(frames->begin() + pick(frames->size() + 1), f);
      break;
    case 9:  // drop
      if (frames->size() > 1) frames->erase(frames->begin() + pick(frames->size()));
      break;
    case 10:  // swap neighbours
      if (frames->size() > 1) {
        const size_t i = pick(frames->size() - 1);
        std::swap((*frames)[i], (*frames)[i + 1]);
      }
      break;
    case 11: {  // insert a random frame
      std::string n(9, '\0');
      const size_t len = pick(24);
      SetLength(&n, len);
      n[3] = static_cast<char>(rng() % 11);
      n[4] = static_cast<char>(rng());
      n[8] = static_cast<char>(pick(6));
      for (size_t i = 0; i < len; ++i) n.push_back(static_cast<char>(rng()));
      frames->insert(frames->begin() + pick(frames->size() + 1), n);
      break;
    }
  }
}

// Octets still owed by the last frame of `bytes` (from our own reading of the framing), so a
// silence after a frame left incomplete is not taken for a hang.
size_t MissingOctets(const std::string& bytes) {
  size_t pos = http2::kClientPreface.size();
  if (bytes.compare(0, pos, http2::kClientPreface.data(), pos) != 0) pos = 0;
  while (pos < bytes.size()) {
    // A header cut short reads as if completed with zeros.
    std::string header = bytes.substr(pos, 9);
    header.resize(9, '\0');
    const auto* u = reinterpret_cast<const unsigned char*>(header.data());
    const size_t len = (size_t{u[0]} << 16) | (size_t{u[1]} << 8) | u[2];
    if (bytes.size() - pos < 9 + len) return 9 + len - (bytes.size() - pos);
    pos += 9 + len;
  }
  return 0;
}

std::string Category(const std::string& violation) {
  std::string c;
  for (char ch : violation.substr(0, 70)) c += std::isdigit(static_cast<unsigned char>(ch)) ? '#' : ch;
  return c;
}

}  // namespace

std::string TraceToJson(const Trace& t) {
  nlohmann::json j;
  j["h2harness_probe_trace"] = 1;
  j["kind"] = t.kind;
  j["detail"] = t.detail;
  j["seed"] = t.seed;
  j["iteration"] = t.iteration;
  std::vector<std::string> writes;
  for (const std::string& w : t.writes) writes.push_back(Hex(w));
  j["writes"] = writes;
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

absl::StatusOr<Trace> TraceFromJson(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("writes") || !j["writes"].is_array()) {
    return absl::InvalidArgumentError("not a probe trace (a JSON object with \"writes\")");
  }
  Trace t;
  t.kind = j.value("kind", "");
  t.detail = j.value("detail", "");
  t.seed = j.value("seed", uint64_t{0});
  t.iteration = j.value("iteration", uint64_t{0});
  for (const auto& w : j["writes"]) {
    if (!w.is_string()) return absl::InvalidArgumentError("\"writes\" must hold hex strings");
    const std::string hex = w.get<std::string>();
    if (hex.size() % 2 != 0 || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
      return absl::InvalidArgumentError("\"writes\" must hold hex strings");
    }
    t.writes.push_back(absl::HexStringToBytes(hex));
  }
  return t;
}

FuzzOutcome Exchange1(const Target& target, const std::vector<std::string>& writes, absl::Duration timeout) {
  FuzzOutcome out;
  const absl::Time deadline = absl::Now() + timeout;
  absl::StatusOr<std::unique_ptr<Transport>> t = target.Connect(deadline);
  if (!t.ok()) {
    out.kind = "crash";
    out.detail = absl::StrCat("cannot connect: ", t.status().message());
    return out;
  }
  Conn c(std::move(*t));
  std::string all;
  for (const std::string& w : writes) {
    all += w;
    if (!c.Write(w, deadline).ok()) break;
    c.ReadSome(absl::Now());  // take what is there (acknowledge SETTINGS and PINGs as a client does)
  }
  // Complete a frame left open, then PING: an answer, a GOAWAY or a close must follow.
  const size_t missing = MissingOctets(all);
  const bool can_complete = missing <= (1 << 20);
  if (!c.closed()) {
    if (can_complete && missing) c.Write(std::string(missing, '\0'), deadline).IgnoreError();
    c.out().Ping(kFuzzPing);
    c.Flush(deadline).IgnoreError();
  }
  c.WaitFor([&] { return c.PingAcked(kFuzzPing) || c.obs().goaway() != nullptr; }, deadline);
  const Observation& o = c.obs();
  if (o.goaway()) c.WaitFor([&] { return c.closed(); }, std::min(deadline, absl::Now() + absl::Milliseconds(200)));
  if (const GoAwayObs* g = o.goaway()) {
    out.answer = absl::StrCat("GOAWAY ", http2::ErrorCodeName(static_cast<http2::ErrorCode>(g->code)));
  } else if (o.closed) {
    out.answer = o.reset ? "reset" : "closed";
  } else if (c.PingAcked(kFuzzPing)) {
    out.answer = "PING answered";
  } else if (can_complete) {
    out.kind = "hang";
    out.detail = absl::StrFormat("no PING answer, GOAWAY or close within %.0f ms",
                                 absl::ToDoubleMilliseconds(timeout));
  } else {
    out.answer = "waiting for a frame larger than the fuzzer completes";
  }
  out.trace = FormatTrace(o.trace);
  if (out.kind.empty() && !o.violations.empty()) {
    out.kind = "violation";
    out.detail = o.violations.front();
  }
  if (out.kind.empty() && !out.answer.empty()) {
    // A server that stops accepting after an exchange has crashed.
    absl::StatusOr<std::unique_ptr<Transport>> again = target.Connect(absl::Now() + timeout);
    if (!again.ok()) {
      out.kind = "crash";
      out.detail = absl::StrCat("the server stopped accepting connections: ", again.status().message());
    }
  }
  return out;
}

FuzzStats Fuzz(const Target& target, const FuzzOptions& options, std::ostream& progress) {
  FuzzStats stats;
  const uint64_t seed = options.seed ? options.seed : static_cast<uint64_t>(absl::ToUnixNanos(absl::Now()));
  std::mt19937_64 rng(seed);
  const std::vector<std::string> seeds = Seeds(target);
  std::map<std::string, int> seen;  // finding categories already saved
  const absl::Time start = absl::Now();
  const absl::Time end = start + absl::Seconds(options.seconds);
  absl::Time next_report = start + absl::Seconds(5);
  std::error_code ec;
  std::filesystem::create_directories(options.findings_dir, ec);
  while (absl::Now() < end) {
    std::vector<std::string> frames = Split(seeds[rng() % seeds.size()]);
    const int mutations = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < mutations; ++i) Mutate(&frames, rng);
    std::string preface = std::string(http2::kClientPreface);
    FrameSequence s;
    s.Settings({{http2::kSettingsEnablePush, 0}});
    preface += s.Take();
    std::vector<std::string> writes = {preface};
    std::string body;
    for (const std::string& f : frames) body += f;
    // Sometimes in two writes, cut anywhere.
    if (body.size() > 1 && rng() % 4 == 0) {
      const size_t cut = 1 + rng() % (body.size() - 1);
      writes.push_back(body.substr(0, cut));
      writes.push_back(body.substr(cut));
    } else {
      writes.push_back(body);
    }
    ++stats.iterations;
    stats.frames += frames.size();
    const FuzzOutcome o = Exchange1(target, writes, options.timeout);
    if (absl::StartsWith(o.answer, "GOAWAY")) ++stats.goaways;
    if (o.answer == "closed" || o.answer == "reset") ++stats.closes;
    if (!o.kind.empty()) {
      const std::string key = o.kind + ": " + Category(o.detail);
      if (seen[key]++ == 0 && static_cast<int>(stats.finding_files.size()) < options.max_findings) {
        Trace t{o.kind, o.detail, seed, stats.iterations, writes};
        const std::string path = absl::StrFormat("%s/%s-%llu-%llu.json", options.findings_dir, o.kind,
                                                 static_cast<unsigned long long>(seed),
                                                 static_cast<unsigned long long>(stats.iterations));
        std::ofstream(path) << TraceToJson(t);
        stats.finding_files.push_back(path);
        progress << "finding: " << o.kind << ": " << o.detail << "\n  saved " << path << std::endl;
      }
      if (o.kind == "crash") break;  // nothing left to fuzz
    }
    if (absl::Now() >= next_report) {
      progress << absl::StrFormat("fuzz: %.0f s, %llu exchanges (%.0f/s), %llu frames, %zu findings\n",
                                  absl::ToDoubleSeconds(absl::Now() - start),
                                  static_cast<unsigned long long>(stats.iterations),
                                  stats.iterations / std::max(1e-9, absl::ToDoubleSeconds(absl::Now() - start)),
                                  static_cast<unsigned long long>(stats.frames), stats.finding_files.size());
      progress.flush();
      next_report += absl::Seconds(5);
    }
  }
  return stats;
}

int RunFuzz(const Target& target, const FuzzOptions& options, std::ostream& out) {
  const absl::Time start = absl::Now();
  FuzzStats stats = Fuzz(target, options, out);
  const double secs = absl::ToDoubleSeconds(absl::Now() - start);
  out << absl::StrFormat(
      "%s: %llu exchanges in %.1f s (%.0f/s), %llu mutated frames; answers: %llu GOAWAY, %llu closed\n",
      target.display, static_cast<unsigned long long>(stats.iterations), secs, stats.iterations / std::max(secs, 1e-9),
      static_cast<unsigned long long>(stats.frames), static_cast<unsigned long long>(stats.goaways),
      static_cast<unsigned long long>(stats.closes));
  out << stats.finding_files.size() << " findings";
  if (!stats.finding_files.empty()) out << " (replay: h2harness probe TARGET --replay FILE)";
  out << "\n";
  for (const std::string& f : stats.finding_files) out << "  " << f << "\n";
  return stats.finding_files.empty() ? 0 : 1;
}

int Replay(const Target& target, const std::string& path, absl::Duration timeout, std::ostream& out) {
  std::ifstream in(path);
  if (!in) {
    out << "cannot read " << path << "\n";
    return 2;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  absl::StatusOr<Trace> t = TraceFromJson(buf.str());
  if (!t.ok()) {
    out << path << ": " << t.status().message() << "\n";
    return 2;
  }
  out << "replaying " << path << " (" << t->kind << " at iteration " << t->iteration << ": " << t->detail << ")\n";
  const FuzzOutcome o = Exchange1(target, t->writes, timeout);
  out << o.trace;
  if (o.kind.empty()) {
    out << "no finding this time: " << o.answer << "\n";
    return 0;
  }
  out << o.kind << ": " << o.detail << "\n";
  return 1;
}

}  // namespace probe
