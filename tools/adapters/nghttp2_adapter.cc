// h2harness adapter for libnghttp2's HPACK codec (nghttp2_hd_*).
//
//   nghttp2_adapter decode < story.json > story-with-headers.json
//   nghttp2_adapter encode [--table-size N] < story.json > story-with-wire.json
//
// The adapter protocol is described in tools/adapters/README.md. In short: one story JSON on
// stdin, the same story on stdout with `headers` (decode) or `wire` (encode) filled in; one
// inflater / deflater for the whole story; a case's `header_table_size` is the
// SETTINGS_HEADER_TABLE_SIZE from that case on. A rejected block: exit 1 and
// {"error": MESSAGE, "seqno": N} on stdout. Bad usage or input: exit 2, message on stderr.
// Batch mode (conformance/adapter_serve.h): after the line {"h2harness_batch": 1}, one story
// per line. Never-indexed literals are reported and honoured through each case's
// "never_indexed" list (NGHTTP2_NV_FLAG_NO_INDEX).
//
// The story is edited as a JSON tree (nlohmann::ordered_json, so every member and its order
// survive); octet strings go through conformance/json_bytes.h, which carries the
// "\udcXX = one non-UTF-8 octet" convention past nlohmann.
#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "conformance/adapter_serve.h"
#include "conformance/json_bytes.h"
#include "nlohmann/json.hpp"
#include "tools/nghttp2_peer.h"

namespace {

using Json = nlohmann::ordered_json;

constexpr uint32_t kDefaultTableSize = 4096;

constexpr char kUsage[] =
    "usage: nghttp2_adapter decode < story.json\n"
    "       nghttp2_adapter encode [--table-size N] < story.json\n";

// Bad input or usage: exit 2 with the message on stderr.
struct InputError {
  std::string message;
};
// The library rejected a block (or failed on it): exit 1 with {"error": ...} on stdout.
struct BlockError {
  std::string message;
  Json seqno;
};

std::string Where(size_t i, const Json& c) {
  const auto it = c.find("seqno");
  return absl::StrCat("case ", i, " (seqno ", it != c.end() ? it->dump() : std::to_string(i), ")");
}

Json SeqnoOf(size_t i, const Json& c) {
  const auto it = c.find("seqno");
  return it != c.end() ? *it : Json(i);
}

// Dumps a JSON value by the octet-string convention (lone \udcXX for non-UTF-8 octets).
std::string Dump(const Json& j) {
  return conformance::JsonTextFromInternal(j.dump(-1, ' ', false));
}

bool TableSizeOf(size_t i, const Json& c, uint32_t* size) {
  const auto it = c.find("header_table_size");
  if (it == c.end() || it->is_null()) return false;  // null means absent
  if (!it->is_number_unsigned() || it->get<uint64_t>() > 0xffffffffu) {
    throw InputError{absl::StrCat(Where(i, c),
                                  ": field \"header_table_size\": expected an integer in "
                                  "0..4294967295")};
  }
  *size = static_cast<uint32_t>(it->get<uint64_t>());
  return true;
}

std::string WireOf(size_t i, const Json& c) {
  const auto it = c.find("wire");
  if (it == c.end() || !it->is_string()) {
    throw InputError{absl::StrCat(Where(i, c), ": field \"wire\": expected a hex string")};
  }
  std::string digits;
  for (const char ch : it->get_ref<const std::string&>()) {
    if (absl::ascii_isspace(static_cast<unsigned char>(ch))) continue;
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(ch))) {
      throw InputError{absl::StrCat(Where(i, c), ": field \"wire\": not hex")};
    }
    digits.push_back(ch);
  }
  if (digits.size() % 2) {
    throw InputError{absl::StrCat(Where(i, c), ": field \"wire\": odd number of hex digits")};
  }
  return absl::HexStringToBytes(digits);
}

// The header indices a case marks never-indexed.
std::vector<bool> NeverIndexedOf(size_t i, const Json& c, size_t count) {
  std::vector<bool> marked(count, false);
  const auto it = c.find("never_indexed");
  if (it == c.end() || it->is_null()) return marked;
  if (!it->is_array()) {
    throw InputError{absl::StrCat(Where(i, c), ": field \"never_indexed\": expected an array")};
  }
  for (const Json& k : *it) {
    if (!k.is_number_unsigned() || k.get<uint64_t>() >= count) {
      throw InputError{absl::StrCat(Where(i, c), ": field \"never_indexed\": bad index ", k.dump())};
    }
    marked[k.get<uint64_t>()] = true;
  }
  return marked;
}

std::vector<std::pair<std::string, std::string>> HeadersOf(size_t i, const Json& c) {
  const auto it = c.find("headers");
  if (it == c.end() || !it->is_array()) {
    throw InputError{absl::StrCat(Where(i, c), ": field \"headers\": expected an array")};
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t k = 0; k < it->size(); ++k) {
    const Json& h = (*it)[k];
    if (!h.is_object() || h.size() != 1 || !h.begin().value().is_string()) {
      throw InputError{
          absl::StrCat(Where(i, c), ": header ", k, ": expected {\"name\": \"value\"}")};
    }
    out.emplace_back(
        conformance::OctetsFromJsonString(h.begin().key()),
        conformance::OctetsFromJsonString(h.begin().value().get_ref<const std::string&>()));
  }
  return out;
}

std::string Nghttp2Error(absl::string_view call, long rv) {
  return absl::StrCat(call, ": ", nghttp2_strerror(static_cast<int>(rv)), " (", rv, ")");
}

void DecodeStory(Json& story) {
  nghttp2_hd_inflater* inflater = nullptr;
  if (int rv = nghttp2_hd_inflate_new(&inflater); rv != 0) {
    throw InputError{Nghttp2Error("nghttp2_hd_inflate_new", rv)};
  }
  struct Deleter {
    nghttp2_hd_inflater* p;
    ~Deleter() { nghttp2_hd_inflate_del(p); }
  } deleter{inflater};

  Json& cases = story["cases"];
  for (size_t i = 0; i < cases.size(); ++i) {
    Json& c = cases[i];
    const std::string wire = WireOf(i, c);
    auto fail = [&](const std::string& message) {
      return BlockError{absl::StrCat(Where(i, c), ": ", message), SeqnoOf(i, c)};
    };
    uint32_t size;
    if (TableSizeOf(i, c, &size)) {
      // Our SETTINGS_HEADER_TABLE_SIZE. If it is below the table's current maximum, nghttp2
      // shrinks the table now and requires the next block to start with a size update no
      // larger than it.
      if (int rv = nghttp2_hd_inflate_change_table_size(inflater, size); rv != 0) {
        throw fail(Nghttp2Error("nghttp2_hd_inflate_change_table_size", rv));
      }
    }
    Json headers = Json::array();
    Json never_indexed = Json::array();
    const int rv = peer::NgInflateBlock(inflater, wire, [&](const nghttp2_nv& nv) {
      if (nv.flags & NGHTTP2_NV_FLAG_NO_INDEX) never_indexed.push_back(headers.size());
      Json h = Json::object();
      h[conformance::OctetsToJsonString(peer::NameOf(nv))] =
          conformance::OctetsToJsonString(peer::ValueOf(nv));
      headers.push_back(std::move(h));
    });
    if (rv != 0) throw fail(absl::StrCat("nghttp2_hd_inflate_hd2: ", peer::NgErrorText(rv)));
    c["headers"] = std::move(headers);
    c["never_indexed"] = std::move(never_indexed);
    c.erase("error");
  }
}

void EncodeStory(Json& story, uint32_t table_size) {
  nghttp2_hd_deflater* deflater = nullptr;
  // The deflater's own cap on its table: the SETTINGS value for the story (like h2harness's
  // `hpack encode --table-size`). Later, bigger header_table_size values are clamped to it.
  if (int rv = nghttp2_hd_deflate_new(&deflater, table_size); rv != 0) {
    throw InputError{Nghttp2Error("nghttp2_hd_deflate_new", rv)};
  }
  struct Deleter {
    nghttp2_hd_deflater* p;
    ~Deleter() { nghttp2_hd_deflate_del(p); }
  } deleter{deflater};

  Json& cases = story["cases"];
  for (size_t i = 0; i < cases.size(); ++i) {
    Json& c = cases[i];
    auto fail = [&](const std::string& message) {
      return BlockError{absl::StrCat(Where(i, c), ": ", message), SeqnoOf(i, c)};
    };
    if (i == 0 && (!c.contains("header_table_size") || c["header_table_size"].is_null()) &&
        table_size != kDefaultTableSize) {
      c["header_table_size"] = table_size;
    }
    uint32_t size;
    const bool has_size = TableSizeOf(i, c, &size);
    const auto headers = HeadersOf(i, c);
    const std::vector<bool> marked = NeverIndexedOf(i, c, headers.size());
    if (has_size) {
      if (int rv = nghttp2_hd_deflate_change_table_size(deflater, size); rv != 0) {
        throw fail(Nghttp2Error("nghttp2_hd_deflate_change_table_size", rv));
      }
    }
    std::vector<nghttp2_nv> nva;
    nva.reserve(headers.size());
    for (size_t k = 0; k < headers.size(); ++k) {
      const auto& [name, value] = headers[k];
      nva.push_back(nghttp2_nv{reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                               reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())),
                               name.size(), value.size(),
                               static_cast<uint8_t>(marked[k] ? NGHTTP2_NV_FLAG_NO_INDEX
                                                              : NGHTTP2_NV_FLAG_NONE)});
    }
    std::string buf(nghttp2_hd_deflate_bound(deflater, nva.data(), nva.size()), '\0');
    const ssize_t rv = nghttp2_hd_deflate_hd(deflater, reinterpret_cast<uint8_t*>(buf.data()),
                                             buf.size(), nva.data(), nva.size());
    if (rv < 0) throw fail(Nghttp2Error("nghttp2_hd_deflate_hd", rv));
    buf.resize(static_cast<size_t>(rv));
    c["wire"] = absl::BytesToHexString(buf);
  }
}

// One case per line, one header per line; member order as in the input.
std::string FormatStory(const Json& story) {
  std::string out = "{\"cases\": [";
  const Json& cases = story["cases"];
  for (size_t i = 0; i < cases.size(); ++i) {
    absl::StrAppend(&out, i ? ",\n  {" : "\n  {");
    bool first = true;
    for (auto it = cases[i].begin(); it != cases[i].end(); ++it) {
      absl::StrAppend(&out, first ? "" : ", ", Dump(it.key()), ": ");
      first = false;
      if (it.key() == "headers" && it.value().is_array() && !it.value().empty()) {
        out += "[";
        for (size_t k = 0; k < it.value().size(); ++k) {
          absl::StrAppend(&out, k ? ",\n      " : "\n      ", Dump(it.value()[k]));
        }
        out += "]";
      } else {
        out += Dump(it.value());
      }
    }
    out += "}";
  }
  out += "]";
  for (auto it = story.begin(); it != story.end(); ++it) {
    if (it.key() != "cases") absl::StrAppend(&out, ",\n ", Dump(it.key()), ": ", Dump(it.value()));
  }
  out += "}\n";
  return out;
}

int Usage(const std::string& message) {
  std::cerr << "nghttp2_adapter: " << message << "\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && (args[0] == "-h" || args[0] == "--help")) {
    std::cout << kUsage;
    return 0;
  }
  if (args.empty() || (args[0] != "decode" && args[0] != "encode")) {
    return Usage("the first argument must be decode or encode");
  }
  const bool decode = args[0] == "decode";
  uint32_t table_size = kDefaultTableSize;
  for (size_t i = 1; i < args.size(); ++i) {
    std::string value;
    if (args[i] == "--table-size" && i + 1 < args.size()) {
      value = args[++i];
    } else if (absl::StartsWith(args[i], "--table-size=")) {
      value = args[i].substr(13);
    } else {
      return Usage(absl::StrCat("unknown argument '", args[i], "'"));
    }
    if (decode) return Usage("--table-size is for the encode role");
    if (!absl::SimpleAtoi(value, &table_size)) {
      return Usage("--table-size: expected an integer in 0..4294967295");
    }
  }

  return conformance::ServeAdapter(
      std::cin, std::cout, std::cerr, "nghttp2_adapter", "\"never_indexed\": true",
      [&](absl::string_view text, bool one_line) -> conformance::AdapterReply {
        using Reply = conformance::AdapterReply;
        try {
          Json story;
          try {
            story = Json::parse(conformance::JsonTextToInternal(text));
          } catch (const Json::exception& e) {
            throw InputError{absl::StrCat("<stdin>: invalid JSON: ", e.what())};
          }
          if (!story.is_object() || !story.contains("cases") || !story["cases"].is_array()) {
            throw InputError{"<stdin>: expected a JSON object with a \"cases\" array"};
          }
          for (size_t i = 0; i < story["cases"].size(); ++i) {
            if (!story["cases"][i].is_object()) {
              throw InputError{absl::StrCat("<stdin>: case ", i, ": expected an object")};
            }
          }
          if (decode) {
            DecodeStory(story);
          } else {
            EncodeStory(story, table_size);
          }
          return Reply{Reply::Kind::kStory, one_line ? Dump(story) : FormatStory(story)};
        } catch (const InputError& e) {
          return Reply{Reply::Kind::kInputError, e.message};
        } catch (const BlockError& e) {
          Json err = Json::object();
          err["error"] = conformance::OctetsToJsonString(e.message);
          err["seqno"] = e.seqno;
          std::cerr << "nghttp2_adapter: " << e.message << "\n";
          return Reply{Reply::Kind::kRejected, Dump(err)};
        }
      });
}
