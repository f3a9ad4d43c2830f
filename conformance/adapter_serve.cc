#include "conformance/adapter_serve.h"

#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace conformance {
namespace {

bool IsHello(absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  if (!absl::StartsWith(line, "{") || !absl::StrContains(line, "h2harness_batch")) return false;
  const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  return j.is_object() && j.contains("h2harness_batch") && !j.contains("cases");
}

}  // namespace

int ServeAdapter(std::istream& in, std::ostream& out, std::ostream& err,
                 absl::string_view program, absl::string_view capabilities,
                 const std::function<AdapterReply(absl::string_view, bool)>& handle) {
  auto emit = [&](const AdapterReply& r, bool one_line) {
    switch (r.kind) {
      case AdapterReply::Kind::kStory:
        out << r.text << (one_line ? "\n" : "");
        break;
      case AdapterReply::Kind::kRejected:
        out << r.text << "\n";
        break;
      case AdapterReply::Kind::kInputError:
        err << program << ": " << r.text << "\n";
        break;
    }
    out.flush();
    return r.kind == AdapterReply::Kind::kStory ? 0 : r.kind == AdapterReply::Kind::kRejected ? 1 : 2;
  };
  std::string first;
  const bool got_first = static_cast<bool>(std::getline(in, first));
  if (got_first && IsHello(first)) {
    out << "{\"h2harness_batch\": 1" << (capabilities.empty() ? "" : ", ") << capabilities
        << "}\n";
    out.flush();
    std::string line;
    while (std::getline(in, line)) {
      if (absl::StripAsciiWhitespace(line).empty()) continue;
      if (emit(handle(line, true), true) == 2) return 2;
      if (!out) return 2;
    }
    return 0;
  }
  std::string text = first;
  if (got_first && !in.eof()) text += "\n";
  text.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  const int rc = emit(handle(text, false), false);
  return out ? rc : 2;
}

}  // namespace conformance
