#include "conformance/story.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "conformance/json_bytes.h"
#include "nlohmann/json.hpp"

namespace conformance {
namespace {

using Json = nlohmann::json;

const char* TypeName(const Json& j) { return j.type_name(); }

// A member that is missing or null (null means absent, as published corpora write it).
const Json* Member(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string Where(absl::string_view source, size_t index, const Json& c) {
  std::string where = absl::StrFormat("%s: case %d", source, index);
  if (c.is_object()) {
    auto it = c.find("seqno");
    if (it != c.end() && it->is_number_integer()) {
      absl::StrAppend(&where, " (seqno ", it->get<int64_t>(), ")");
    }
  }
  return where;
}

// Hex to octets; whitespace between digits is allowed.
absl::StatusOr<std::string> DecodeHex(absl::string_view hex) {
  std::string digits;
  digits.reserve(hex.size());
  for (size_t i = 0; i < hex.size(); ++i) {
    const unsigned char c = hex[i];
    if (absl::ascii_isspace(c)) continue;
    if (!absl::ascii_isxdigit(c)) {
      return absl::InvalidArgumentError(absl::StrFormat("non-hex character '%s' at position %d",
                                                        hpack::EscapeBytes(hex.substr(i, 1)), i));
    }
    digits.push_back(c);
  }
  if (digits.size() % 2) {
    return absl::InvalidArgumentError(
        absl::StrFormat("odd number of hex digits (%d)", digits.size()));
  }
  return absl::HexStringToBytes(digits);
}

absl::StatusOr<StoryCase> ParseCase(const Json& c, absl::string_view source, size_t index) {
  const std::string where = Where(source, index, c);
  auto bad = [&](absl::string_view field, absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": field \"", field, "\": ", what));
  };
  if (!c.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": expected an object, got ", TypeName(c)));
  }
  StoryCase out;
  out.seqno = static_cast<int64_t>(index);
  if (const Json* j = Member(c, "seqno")) {
    if (!j->is_number_integer())
      return bad("seqno", absl::StrCat("expected an integer, got ", TypeName(*j)));
    out.seqno = j->get<int64_t>();
  }
  if (const Json* j = Member(c, "header_table_size")) {
    if (!j->is_number_unsigned() || j->get<uint64_t>() > 0xffffffffu) {
      return bad("header_table_size", "expected an integer in 0..4294967295");
    }
    out.header_table_size = static_cast<uint32_t>(j->get<uint64_t>());
  }
  if (const Json* j = Member(c, "wire")) {
    if (!j->is_string())
      return bad("wire", absl::StrCat("expected a hex string, got ", TypeName(*j)));
    absl::StatusOr<std::string> wire = DecodeHex(j->get_ref<const std::string&>());
    if (!wire.ok()) return bad("wire", wire.status().message());
    out.wire = *std::move(wire);
  }
  if (const Json* j = Member(c, "headers")) {
    if (!j->is_array())
      return bad("headers", absl::StrCat("expected an array, got ", TypeName(*j)));
    hpack::HeaderList headers;
    headers.reserve(j->size());
    for (size_t k = 0; k < j->size(); ++k) {
      const Json& h = (*j)[k];
      if (!h.is_object() || h.size() != 1) {
        return bad("headers", absl::StrFormat("header %d: expected an object with one "
                                              "member {\"name\": \"value\"}, got %s",
                                              k,
                                              h.is_object() ? absl::StrCat("an object with ",
                                                                           h.size(), " members")
                                                            : TypeName(h)));
      }
      auto member = h.begin();
      if (!member.value().is_string()) {
        return bad("headers",
                   absl::StrFormat("header %d (\"%s\"): value must be a string, got %s", k,
                                   hpack::EscapeBytes(OctetsFromJsonString(member.key())),
                                   TypeName(member.value())));
      }
      headers.emplace_back(OctetsFromJsonString(member.key()),
                           OctetsFromJsonString(member.value().get_ref<const std::string&>()));
    }
    out.headers = std::move(headers);
  }
  if (const Json* j = Member(c, "error")) {
    if (!j->is_string())
      return bad("error", absl::StrCat("expected a string, got ", TypeName(*j)));
    out.error = OctetsFromJsonString(j->get_ref<const std::string&>());
  }
  if (const Json* j = Member(c, "never_indexed")) {
    if (!j->is_array())
      return bad("never_indexed", absl::StrCat("expected an array of header indices, got ",
                                               TypeName(*j)));
    if (!out.headers) return bad("never_indexed", "needs \"headers\"");
    for (const Json& k : *j) {
      if (!k.is_number_unsigned() || k.get<uint64_t>() >= out.headers->size()) {
        return bad("never_indexed", absl::StrCat("expected indices into \"headers\" (0..",
                                                 out.headers->size(), "), got ", k.dump()));
      }
      (*out.headers)[k.get<uint64_t>()].never_indexed = true;
    }
    out.never_indexed_listed = true;
  }
  if (out.headers && out.error) {
    return bad("error", "a case has either \"headers\" or \"error\", not both");
  }
  if (!out.headers && !out.error && !out.wire) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": needs \"headers\" or \"wire\" (or \"error\" with \"wire\")"));
  }
  if (out.error && !out.wire) return bad("error", "a negative case needs \"wire\"");
  return out;
}

absl::StatusOr<Basis> ParseBasis(const Json& j, absl::string_view source) {
  auto bad = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": field \"rests_on\": ", what));
  };
  if (!j.is_object()) return bad(absl::StrCat("expected an object, got ", TypeName(j)));
  Basis b;
  const Json* r = Member(j, "requirement");
  if (!r || !r->is_string() || !ParseRequirement(r->get<std::string>(), &b.requirement)) {
    return bad("\"requirement\" must be one of must_accept, must_accept_large_limits, "
               "must_reject, may_reject");
  }
  for (auto [key, field] : {std::make_pair("rfc", &b.rfc), std::make_pair("text", &b.text),
                            std::make_pair("limits", &b.limits)}) {
    if (const Json* v = Member(j, key)) {
      if (!v->is_string()) return bad(absl::StrCat("\"", key, "\" must be a string"));
      *field = OctetsFromJsonString(v->get_ref<const std::string&>());
    }
  }
  return b;
}

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
  Json root;
  // Nesting is bounded: a story needs 5 levels, and serialising a deeply nested extra member
  // would recurse (a 100000-deep array would overflow the stack).
  constexpr int kMaxDepth = 64;
  bool too_deep = false;
  try {
    root = Json::parse(JsonTextToInternal(json_text),
                       [&](int depth, Json::parse_event_t event, Json&) {
                         if ((event == Json::parse_event_t::object_start ||
                              event == Json::parse_event_t::array_start) &&
                             depth >= kMaxDepth) {
                           too_deep = true;
                           return false;
                         }
                         return true;
                       });
  } catch (const Json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": invalid JSON: ", e.what()));
  }
  if (too_deep) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": JSON nested deeper than ", kMaxDepth, " levels"));
  }
  if (!root.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": expected a JSON object with \"cases\", got ", TypeName(root)));
  }
  Story story;
  story.source = std::string(source);
  auto cases = root.find("cases");
  if (cases == root.end())
    return absl::InvalidArgumentError(absl::StrCat(source, ": missing \"cases\""));
  if (!cases->is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": field \"cases\": expected an array, got ", TypeName(*cases)));
  }
  story.cases.reserve(cases->size());
  for (size_t i = 0; i < cases->size(); ++i) {
    absl::StatusOr<StoryCase> c = ParseCase((*cases)[i], source, i);
    if (!c.ok()) return c.status();
    story.cases.push_back(*std::move(c));
  }
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (it.key() == "cases" || it.value().is_null()) continue;
    if (it.key() == "rests_on") {
      absl::StatusOr<Basis> basis = ParseBasis(it.value(), source);
      if (!basis.ok()) return basis.status();
      story.rests_on = *std::move(basis);
      continue;
    }
    if (it.key() == "description") {
      if (!it.value().is_string()) {
        return absl::InvalidArgumentError(absl::StrCat(
            source, ": field \"description\": expected a string, got ", TypeName(it.value())));
      }
      story.description = OctetsFromJsonString(it.value().get_ref<const std::string&>());
      continue;
    }
    story.extra.emplace_back(OctetsFromJsonString(it.key()), JsonTextFromInternal(it.value().dump()));
  }
  return story;
}

absl::StatusOr<Story> LoadStory(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::stringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  return ParseStory(buf.str(), path);
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
