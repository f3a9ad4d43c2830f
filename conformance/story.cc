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
  if (auto it = c.find("seqno"); it != c.end()) {
    if (!it->is_number_integer())
      return bad("seqno", absl::StrCat("expected an integer, got ", TypeName(*it)));
    out.seqno = it->get<int64_t>();
  }
  if (auto it = c.find("header_table_size"); it != c.end()) {
    if (!it->is_number_unsigned() || it->get<uint64_t>() > 0xffffffffu) {
      return bad("header_table_size", "expected an integer in 0..4294967295");
    }
    out.header_table_size = static_cast<uint32_t>(it->get<uint64_t>());
  }
  if (auto it = c.find("wire"); it != c.end()) {
    if (!it->is_string())
      return bad("wire", absl::StrCat("expected a hex string, got ", TypeName(*it)));
    absl::StatusOr<std::string> wire = DecodeHex(it->get_ref<const std::string&>());
    if (!wire.ok()) return bad("wire", wire.status().message());
    out.wire = *std::move(wire);
  }
  if (auto it = c.find("headers"); it != c.end()) {
    if (!it->is_array())
      return bad("headers", absl::StrCat("expected an array, got ", TypeName(*it)));
    hpack::HeaderList headers;
    headers.reserve(it->size());
    for (size_t k = 0; k < it->size(); ++k) {
      const Json& h = (*it)[k];
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
  if (auto it = c.find("error"); it != c.end()) {
    if (!it->is_string())
      return bad("error", absl::StrCat("expected a string, got ", TypeName(*it)));
    out.error = OctetsFromJsonString(it->get_ref<const std::string&>());
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

}  // namespace

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
    if (it.key() == "cases") continue;
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

std::string SerializeStory(const Story& story) {
  auto str = [](absl::string_view octets) {
    return JsonTextFromInternal(Json(OctetsToJsonString(octets)).dump(-1, ' ', false));
  };
  std::string out = "{\n  \"cases\": [";
  for (size_t i = 0; i < story.cases.size(); ++i) {
    const StoryCase& c = story.cases[i];
    absl::StrAppend(&out, i ? ",\n" : "\n", "    {\n      \"seqno\": ", c.seqno);
    if (c.header_table_size)
      absl::StrAppend(&out, ",\n      \"header_table_size\": ", *c.header_table_size);
    if (c.wire)
      absl::StrAppend(&out, ",\n      \"wire\": \"", absl::BytesToHexString(*c.wire), "\"");
    if (c.error) absl::StrAppend(&out, ",\n      \"error\": ", str(*c.error));
    if (c.headers) {
      absl::StrAppend(&out, ",\n      \"headers\": [");
      for (size_t k = 0; k < c.headers->size(); ++k) {
        const hpack::HeaderField& h = (*c.headers)[k];
        absl::StrAppend(&out, k ? ",\n" : "\n", "        {", str(h.name), ": ", str(h.value), "}");
      }
      absl::StrAppend(&out, c.headers->empty() ? "]" : "\n      ]");
    }
    absl::StrAppend(&out, "\n    }");
  }
  absl::StrAppend(&out, story.cases.empty() ? "]" : "\n  ]");
  for (const auto& [key, value] : story.extra) {
    absl::StrAppend(&out, ",\n  ", str(key), ": ", value);
  }
  absl::StrAppend(&out, ",\n  \"description\": ", str(story.description), "\n}\n");
  return out;
}

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

}  // namespace conformance
