// Story loading throughput: the JSON readers h2harness could use, on the same files in one
// process (tools/bench json). Each candidate turns the text of a story file into a
// conformance::Story with the same content (checked against the reference before timing):
//
//   story_reader  conformance::ReadStoryJson, the reader specialised for stories (the one
//                 ParseStory uses)
//   nlohmann      nlohmann/json tree, after json_bytes' pass for lone \udcXX escapes (the
//                 reader ParseStory used before)
//   rapidjson     RapidJSON DOM (in situ); it keeps lone \udcXX escapes as CESU-8
//   simdjson      simdjson DOM, after the same json_bytes pass (it rejects lone surrogates)
//
// Reading the files is not timed (they are loaded once); decoding the stories is not part
// of it either. Times are this thread's CPU time (the machine may be shared), median of
// --runs; prints MB/s per candidate and its time relative to story_reader.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "conformance/json_bytes.h"
#include "conformance/story.h"
#include "conformance/story_reader.h"
#include "nlohmann/json.hpp"
#include "rapidjson/document.h"
#include "simdjson.h"

namespace {

using conformance::Story;
using conformance::StoryCase;

// Every candidate decodes "wire" with the same function as story_reader.
std::string HexToOctets(std::string_view hex) {
  std::string out;
  conformance::DecodeHex(absl::string_view(hex.data(), hex.size()), &out);
  return out;
}

// --- nlohmann ------------------------------------------------------------------------------

std::optional<Story> ReadNlohmann(const std::string& text) {
  using Json = nlohmann::json;
  Json root;
  try {
    root = Json::parse(conformance::JsonTextToInternal(text));
  } catch (const Json::exception&) {
    return std::nullopt;
  }
  Story story;
  auto str = [](const Json& j) { return conformance::OctetsFromJsonString(j.get_ref<const std::string&>()); };
  for (const Json& c : root.at("cases")) {
    StoryCase sc;
    if (auto it = c.find("seqno"); it != c.end() && !it->is_null()) sc.seqno = it->get<int64_t>();
    if (auto it = c.find("header_table_size"); it != c.end() && !it->is_null())
      sc.header_table_size = it->get<uint32_t>();
    if (auto it = c.find("wire"); it != c.end() && !it->is_null())
      sc.wire = HexToOctets(it->get_ref<const std::string&>());
    if (auto it = c.find("headers"); it != c.end() && !it->is_null()) {
      hpack::HeaderList h;
      for (const Json& f : *it) {
        auto m = f.begin();
        h.emplace_back(conformance::OctetsFromJsonString(m.key()), str(m.value()));
      }
      sc.headers = std::move(h);
    }
    if (auto it = c.find("error"); it != c.end() && !it->is_null()) sc.error = str(*it);
    story.cases.push_back(std::move(sc));
  }
  if (auto it = root.find("description"); it != root.end() && it->is_string())
    story.description = str(*it);
  return story;
}

// --- RapidJSON -----------------------------------------------------------------------------

// RapidJSON writes a lone \udcXX as the CESU-8 octets ED B2|B3 xx: one octet each.
std::string FromCesu(const char* s, size_t n) {
  std::string out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = s[i];
    if (c == 0xed && i + 2 < n && (static_cast<unsigned char>(s[i + 1]) & 0xfe) == 0xb2) {
      out.push_back(static_cast<char>(((s[i + 1] & 1) << 6) | (s[i + 2] & 0x3f) | 0x80));
      i += 2;
      continue;
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

std::optional<Story> ReadRapidJson(std::string text) {  // in situ: parses its own copy
  rapidjson::Document d;
  d.ParseInsitu(text.data());
  if (d.HasParseError() || !d.IsObject()) return std::nullopt;
  Story story;
  auto str = [](const rapidjson::Value& v) { return FromCesu(v.GetString(), v.GetStringLength()); };
  auto cases = d.FindMember("cases");
  if (cases == d.MemberEnd()) return std::nullopt;
  for (const auto& c : cases->value.GetArray()) {
    StoryCase sc;
    if (auto it = c.FindMember("seqno"); it != c.MemberEnd() && !it->value.IsNull())
      sc.seqno = it->value.GetInt64();
    if (auto it = c.FindMember("header_table_size"); it != c.MemberEnd() && !it->value.IsNull())
      sc.header_table_size = it->value.GetUint();
    if (auto it = c.FindMember("wire"); it != c.MemberEnd() && !it->value.IsNull())
      sc.wire = HexToOctets(std::string_view(it->value.GetString(), it->value.GetStringLength()));
    if (auto it = c.FindMember("headers"); it != c.MemberEnd() && !it->value.IsNull()) {
      hpack::HeaderList h;
      for (const auto& f : it->value.GetArray()) {
        auto m = f.MemberBegin();
        h.emplace_back(str(m->name), str(m->value));
      }
      sc.headers = std::move(h);
    }
    if (auto it = c.FindMember("error"); it != c.MemberEnd() && !it->value.IsNull())
      sc.error = str(it->value);
    story.cases.push_back(std::move(sc));
  }
  if (auto it = d.FindMember("description"); it != d.MemberEnd() && it->value.IsString())
    story.description = str(it->value);
  return story;
}

// --- simdjson ------------------------------------------------------------------------------

std::optional<Story> ReadSimdjson(simdjson::dom::parser& parser, const std::string& text) {
  const std::string internal = conformance::JsonTextToInternal(text);
  simdjson::dom::element root;
  if (parser.parse(internal).get(root)) return std::nullopt;
  Story story;
  auto str = [](std::string_view s) {
    return conformance::OctetsFromJsonString(absl::string_view(s.data(), s.size()));
  };
  simdjson::dom::array cases;
  if (root["cases"].get(cases)) return std::nullopt;
  for (simdjson::dom::element c : cases) {
    StoryCase sc;
    int64_t seqno;
    if (!c["seqno"].get(seqno)) sc.seqno = seqno;
    uint64_t hts;
    if (!c["header_table_size"].get(hts)) sc.header_table_size = static_cast<uint32_t>(hts);
    std::string_view s;
    if (!c["wire"].get(s)) sc.wire = HexToOctets(s);
    simdjson::dom::array headers;
    if (!c["headers"].get(headers)) {
      hpack::HeaderList h;
      for (simdjson::dom::object f : headers) {
        for (auto [k, v] : f) {
          std::string_view value;
          if (v.get(value)) return std::nullopt;
          h.emplace_back(str(k), str(value));
        }
      }
      sc.headers = std::move(h);
    }
    if (!c["error"].get(s)) sc.error = str(s);
    story.cases.push_back(std::move(sc));
  }
  std::string_view d;
  if (!root["description"].get(d)) story.description = str(d);
  return story;
}

// --- the run -------------------------------------------------------------------------------

// What must agree between candidates: the cases, headers and description.
std::string Essence(Story s) {
  s.extra.clear();
  s.rests_on.reset();
  s.source.clear();
  for (StoryCase& c : s.cases) {
    c.never_indexed_listed = false;
    if (c.headers) {
      for (auto& h : *c.headers) h.never_indexed = false;
    }
  }
  return conformance::SerializeStory(s);
}

double ThreadSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int Main(int argc, char** argv) {
  int runs = 5;
  std::string only;  // --only=NAME: time one candidate (for profiling)
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--runs=", 0) == 0) {
      runs = std::max(1, std::atoi(a.c_str() + 7));
    } else if (a.rfind("--only=", 0) == 0) {
      only = a.substr(7);
    } else {
      paths.push_back(a);
    }
  }
  absl::StatusOr<std::vector<std::string>> files = conformance::FindStoryFiles(paths);
  if (!files.ok() || files->empty()) {
    std::cerr << "json_bench: no story files: " << files.status() << "\n";
    return 2;
  }
  std::vector<std::string> texts;
  size_t bytes = 0;
  for (const std::string& f : *files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    texts.push_back(buf.str());
    bytes += texts.back().size();
  }
  simdjson::dom::parser sj;
  struct Candidate {
    const char* name;
    std::function<std::optional<Story>(const std::string&)> read;
  };
  const std::vector<Candidate> candidates = {
      {"story_reader",
       [](const std::string& t) -> std::optional<Story> {
         absl::StatusOr<Story> s = conformance::ReadStoryJson(t, "bench");
         if (!s.ok()) return std::nullopt;
         return *std::move(s);
       }},
      {"nlohmann", ReadNlohmann},
      {"rapidjson", [](const std::string& t) { return ReadRapidJson(t); }},
      {"simdjson", [&](const std::string& t) { return ReadSimdjson(sj, t); }},
  };
  // Same content from every candidate, file by file.
  for (size_t i = 0; i < texts.size() && only.empty(); ++i) {
    std::optional<Story> ref = candidates[0].read(texts[i]);
    if (!ref) {
      std::cerr << "json_bench: " << (*files)[i] << ": story_reader cannot read it\n";
      return 1;
    }
    const std::string want = Essence(*ref);
    for (const Candidate& c : candidates) {
      std::optional<Story> got = c.read(texts[i]);
      if (!got || Essence(*got) != want) {
        std::cerr << "json_bench: " << (*files)[i] << ": " << c.name << " reads it differently\n";
        return 1;
      }
    }
  }
  std::printf("%zu story files, %.1f MB of JSON; CPU time, median of %d runs, one thread\n",
              texts.size(), bytes / 1e6, runs);
  std::printf("%-14s %10s %10s %14s\n", "reader", "seconds", "MB/s", "time / reader");
  double base = 0;
  for (const Candidate& c : candidates) {
    if (!only.empty() && only != c.name) continue;
    std::vector<double> times;
    for (int r = 0; r < runs; ++r) {
      const double start = ThreadSeconds();
      size_t cases = 0;
      for (const std::string& t : texts) cases += c.read(t)->cases.size();
      times.push_back(ThreadSeconds() - start);
      if (cases == 0) std::printf("(no cases)\n");
    }
    std::sort(times.begin(), times.end());
    const double t = times[times.size() / 2];
    if (base == 0) base = t;
    std::printf("%-14s %10.3f %10.1f %13.2fx\n", c.name, t, bytes / 1e6 / t, t / base);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return Main(argc, argv); }
