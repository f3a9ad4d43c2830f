#include "conformance/story.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "conformance/json_bytes.h"
#include "conformance/story_reader.h"
#include "nlohmann/json.hpp"

namespace conformance {
namespace {

using Json = nlohmann::json;

constexpr std::pair<Requirement, const char*> kRequirementNames[] = {
    {Requirement::kMustAccept, "must_accept"},
    {Requirement::kMustAcceptLargeLimits, "must_accept_large_limits"},
    {Requirement::kMustReject, "must_reject"},
    {Requirement::kMayReject, "may_reject"},
};

}  // namespace

absl::string_view RequirementName(Requirement r) {
  for (const auto& [req, name] : kRequirementNames) {
    if (req == r) return name;
  }
  return "?";
}

bool ParseRequirement(absl::string_view name, Requirement* r) {
  for (const auto& [req, n] : kRequirementNames) {
    if (name == n) {
      *r = req;
      return true;
    }
  }
  return false;
}

size_t Story::HeaderCount() const {
  size_t n = 0;
  for (const StoryCase& c : cases) n += c.headers ? c.headers->size() : 0;
  return n;
}

bool Story::HasWire() const {
  return !cases.empty() && std::all_of(cases.begin(), cases.end(),
                                       [](const StoryCase& c) { return c.wire.has_value(); });
}

absl::StatusOr<Story> ParseStory(absl::string_view json_text, absl::string_view source) {
  return ReadStoryJson(json_text, source);
}

absl::StatusOr<Story> LoadStory(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  const std::streamoff size = in.tellg();
  std::string text;
  if (size > 0) {
    text.resize(static_cast<size_t>(size));
    in.seekg(0);
    in.read(text.data(), size);
  }
  if (in.bad() || (size > 0 && in.gcount() != size)) {
    return absl::DataLossError(absl::StrCat(path, ": read error"));
  }
  return ParseStory(text, path);
}

namespace {

// One writer for both layouts: `nl` and `in` are "" on one line, newline and indentation
// otherwise.
std::string Serialize(const Story& story, bool one_line) {
  auto str = [](absl::string_view octets) {
    return JsonTextFromInternal(Json(OctetsToJsonString(octets)).dump(-1, ' ', false));
  };
  const char* nl = one_line ? "" : "\n";
  auto ind = [&](int n) { return one_line ? std::string() : std::string(n, ' '); };
  const char* sep = one_line ? "," : ",\n";
  std::string out = absl::StrCat("{", nl, ind(2), "\"cases\": [");
  for (size_t i = 0; i < story.cases.size(); ++i) {
    const StoryCase& c = story.cases[i];
    absl::StrAppend(&out, i ? sep : nl, ind(4), "{", nl, ind(6), "\"seqno\": ", c.seqno);
    if (c.header_table_size)
      absl::StrAppend(&out, sep, ind(6), "\"header_table_size\": ", *c.header_table_size);
    if (c.wire)
      absl::StrAppend(&out, sep, ind(6), "\"wire\": \"", absl::BytesToHexString(*c.wire), "\"");
    if (c.error) absl::StrAppend(&out, sep, ind(6), "\"error\": ", str(*c.error));
    if (c.headers) {
      absl::StrAppend(&out, sep, ind(6), "\"headers\": [");
      for (size_t k = 0; k < c.headers->size(); ++k) {
        const hpack::HeaderField& h = (*c.headers)[k];
        absl::StrAppend(&out, k ? sep : nl, ind(8), "{", str(h.name), ": ", str(h.value), "}");
      }
      absl::StrAppend(&out, c.headers->empty() ? "" : nl, c.headers->empty() ? "" : ind(6), "]");
      if (c.never_indexed_listed) {
        absl::StrAppend(&out, sep, ind(6), "\"never_indexed\": [");
        bool first = true;
        for (size_t k = 0; k < c.headers->size(); ++k) {
          if (!(*c.headers)[k].never_indexed) continue;
          absl::StrAppend(&out, first ? "" : ", ", k);
          first = false;
        }
        out += "]";
      }
    }
    absl::StrAppend(&out, nl, ind(4), "}");
  }
  absl::StrAppend(&out, story.cases.empty() ? "" : nl, story.cases.empty() ? "" : ind(2), "]");
  for (const auto& [key, value] : story.extra) {
    absl::StrAppend(&out, sep, ind(2), str(key), ": ", value);
  }
  if (story.rests_on) {
    const Basis& b = *story.rests_on;
    absl::StrAppend(&out, sep, ind(2), "\"rests_on\": {", nl, ind(4), "\"requirement\": \"",
                    RequirementName(b.requirement), "\"");
    for (auto [key, value] : {std::make_pair("rfc", &b.rfc), std::make_pair("text", &b.text),
                              std::make_pair("limits", &b.limits)}) {
      if (!value->empty()) absl::StrAppend(&out, sep, ind(4), "\"", key, "\": ", str(*value));
    }
    absl::StrAppend(&out, nl, ind(2), "}");
  }
  absl::StrAppend(&out, sep, ind(2), "\"description\": ", str(story.description), nl, "}", nl);
  return out;
}

}  // namespace

std::string SerializeStory(const Story& story) { return Serialize(story, false); }

std::string SerializeStoryLine(const Story& story) { return Serialize(story, true); }

absl::Status WriteStory(const Story& story, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::PermissionDeniedError(absl::StrCat(path, ": cannot write"));
  out << SerializeStory(story);
  out.close();
  if (!out) return absl::DataLossError(absl::StrCat(path, ": write error"));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> FindStoryFiles(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st))
      return absl::NotFoundError(absl::StrCat(p, ": no such file or directory"));
    if (fs::is_directory(st)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(
               p, fs::directory_options::follow_directory_symlink, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".json")
          found.push_back(it->path().string());
      }
      if (ec) return absl::UnavailableError(absl::StrCat(p, ": ", ec.message()));
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(p);
    }
  }
  return files;
}

std::vector<std::string> RelativeOutputPaths(const std::vector<std::string>& files) {
  namespace fs = std::filesystem;
  std::vector<fs::path> parents;
  for (const std::string& f : files) parents.push_back(fs::absolute(f).lexically_normal().parent_path());
  fs::path common = parents.empty() ? fs::path() : parents[0];
  for (const fs::path& p : parents) {
    fs::path shared;
    auto a = common.begin(), b = p.begin();
    for (; a != common.end() && b != p.end() && *a == *b; ++a, ++b) shared /= *a;
    common = shared;
  }
  std::vector<std::string> out;
  for (const std::string& f : files) {
    out.push_back(fs::absolute(f).lexically_normal().lexically_relative(common).string());
  }
  return out;
}

}  // namespace conformance
