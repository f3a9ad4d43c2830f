#include "conformance/probe/report.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"

namespace probe {

int Report::passed() const {
  int n = 0;
  for (const CaseResult& r : results) n += r.result == Result::kPassed;
  return n;
}
int Report::failed() const {
  int n = 0;
  for (const CaseResult& r : results) n += r.result == Result::kFailed && !r.in_baseline;
  return n;
}
int Report::known_failures() const {
  int n = 0;
  for (const CaseResult& r : results) n += r.result == Result::kFailed && r.in_baseline;
  return n;
}
int Report::skipped() const {
  int n = 0;
  for (const CaseResult& r : results) n += r.result == Result::kSkipped;
  return n;
}
int Report::tolerated() const {
  int n = 0;
  for (const CaseResult& r : results) n += r.result == Result::kPassed && r.tolerated;
  return n;
}

absl::StatusOr<std::set<std::string>> LoadBaseline(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read baseline ", path));
  std::set<std::string> ids;
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view l = line;
    const size_t hash = l.find('#');
    if (hash != absl::string_view::npos) l = l.substr(0, hash);
    l = absl::StripAsciiWhitespace(l);
    if (!l.empty()) ids.insert(std::string(l));
  }
  return ids;
}

void ApplyBaseline(const std::set<std::string>& baseline, Report* report) {
  for (CaseResult& r : report->results) {
    if (!baseline.count(r.c->id)) continue;
    if (r.result == Result::kFailed) {
      r.in_baseline = true;
    } else if (r.result == Result::kPassed) {
      report->baseline_now_passing.push_back(r.c->id);
    }
  }
}

namespace {

std::string Verdict(const CaseResult& r) {
  switch (r.result) {
    case Result::kPassed: return r.tolerated ? "PASS*" : "PASS ";
    case Result::kSkipped: return "SKIP ";
    case Result::kFailed: return r.in_baseline ? "KNOWN" : "FAIL ";
  }
  return "?";
}

std::string Indent(const std::string& text, const std::string& prefix) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!line.empty()) absl::StrAppend(&out, prefix, line, "\n");
  }
  return out;
}

}  // namespace

void PrintReport(const Report& report, bool verbose, std::ostream& out) {
  for (const CaseResult& r : report.results) {
    const bool bad = r.result == Result::kFailed;
    if (!verbose && r.result == Result::kPassed && !r.tolerated) continue;
    out << Verdict(r) << " " << r.c->id << " [" << LevelName(r.c->level) << "] "
        << absl::StrFormat("(%.1f ms)", absl::ToDoubleMilliseconds(r.elapsed));
    if (!r.detail.empty()) out << ": " << r.detail;
    out << "\n";
    if (bad || verbose) {
      out << "      requirement: " << r.c->requirement << "\n"
          << "      sends: " << r.c->sends << "\n";
      for (const std::string& v : r.violations) out << "      server violation: " << v << "\n";
    }
    if ((bad && !r.in_baseline) || (verbose && bad)) {
      out << "      trace:\n" << Indent(r.trace, "    ");
    }
  }
  for (const std::string& id : report.baseline_now_passing) {
    out << "NOW PASSING (remove from the baseline): " << id << "\n";
  }
  out << absl::StrFormat("\n%s: %zu cases in %.3f s%s%s\n", report.target, report.results.size(), report.seconds,
                         report.strict ? " (--strict)" : "",
                         report.server.empty() ? "" : absl::StrCat("; ", report.server));
  if (report.tolerated() > 0) {
    out << report.tolerated() << " passed through an outcome the RFC tolerates (PASS*; --strict fails them)\n";
  }
  if (report.known_failures() > 0) {
    out << report.known_failures() << " known failures listed in the baseline (KNOWN)\n";
  }
  int no_answer = 0;
  for (const CaseResult& r : report.results) no_answer += r.no_answer;
  if (no_answer > 0) out << no_answer << " cases got no answer before the timeout\n";
  out << report.passed() << " passed, " << report.failed() << " failed, " << report.skipped() << " skipped\n";
}

absl::Status WriteJson(const Report& report, const std::string& path) {
  nlohmann::json j;
  j["target"] = report.target;
  j["strict"] = report.strict;
  j["seconds"] = report.seconds;
  j["server"] = report.server;
  j["passed"] = report.passed();
  j["failed"] = report.failed();
  j["known_failures"] = report.known_failures();
  j["skipped"] = report.skipped();
  j["tolerated"] = report.tolerated();
  j["baseline_now_passing"] = report.baseline_now_passing;
  nlohmann::json cases = nlohmann::json::array();
  for (const CaseResult& r : report.results) {
    nlohmann::json c;
    c["id"] = r.c->id;
    c["section"] = r.c->section();
    c["level"] = LevelName(r.c->level);
    c["requirement"] = r.c->requirement;
    c["sends"] = r.c->sends;
    std::vector<std::string> exact, tolerated;
    for (const Outcome& o : r.c->expect.exact) exact.push_back(o.Describe());
    for (const Outcome& o : r.c->expect.tolerated) tolerated.push_back(o.Describe());
    c["expected"] = exact;
    c["tolerated"] = tolerated;
    c["result"] = ResultName(r.result);
    c["passed_through_tolerance"] = r.tolerated;
    c["known_failure"] = r.in_baseline;
    c["got"] = r.got;
    c["detail"] = r.detail;
    c["no_answer"] = r.no_answer;
    c["ms"] = absl::ToDoubleMilliseconds(r.elapsed);
    c["violations"] = r.violations;
    if (r.result == Result::kFailed) c["trace"] = r.trace;
    cases.push_back(std::move(c));
  }
  j["cases"] = std::move(cases);
  std::ofstream out(path);
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  // Server-sent octets may be anything: replace invalid UTF-8 instead of throwing.
  out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return out ? absl::OkStatus() : absl::UnavailableError(absl::StrCat("cannot write ", path));
}

namespace {
std::string Xml(absl::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default:
        if (c < 0x20 && c != '\n' && c != '\t') {
          absl::StrAppendFormat(&out, "\\x%02x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}
}  // namespace

absl::Status WriteJUnit(const Report& report, const std::string& path) {
  std::ofstream out(path);
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << absl::StrFormat("<testsuites name=\"h2harness probe\" tests=\"%zu\" failures=\"%d\" skipped=\"%d\" time=\"%.3f\">\n",
                         report.results.size(), report.failed(), report.skipped(), report.seconds)
      << absl::StrFormat("  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%d\" skipped=\"%d\" time=\"%.3f\">\n",
                         Xml(report.target), report.results.size(), report.failed(), report.skipped(), report.seconds);
  for (const CaseResult& r : report.results) {
    out << absl::StrFormat("    <testcase classname=\"%s\" name=\"%s\" time=\"%.4f\">", Xml(r.c->section()),
                           Xml(r.c->id), absl::ToDoubleSeconds(r.elapsed));
    if (r.result == Result::kFailed && !r.in_baseline) {
      out << "\n      <failure message=\"" << Xml(r.detail) << "\">" << Xml(r.c->requirement) << "\n"
          << Xml(r.trace) << "</failure>\n    ";
    } else if (r.result == Result::kFailed) {
      out << "\n      <skipped message=\"known failure (baseline): " << Xml(r.detail) << "\"/>\n    ";
    } else if (r.result == Result::kSkipped) {
      out << "\n      <skipped message=\"" << Xml(r.detail) << "\"/>\n    ";
    }
    out << "</testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
  return out ? absl::OkStatus() : absl::UnavailableError(absl::StrCat("cannot write ", path));
}

void PrintCaseTable(const std::vector<const Case*>& cases, bool markdown, std::ostream& out) {
  auto outcomes = [](const std::vector<Outcome>& v) {
    std::vector<std::string> s;
    for (const Outcome& o : v) s.push_back(o.Describe());
    return s.empty() ? std::string("(decided by the case)") : absl::StrJoin(s, " or ");
  };
  if (markdown) {
    out << "| ID | level | requirement | sends | expected | tolerated (default mode) |\n"
        << "|---|---|---|---|---|---|\n";
  }
  for (const Case* c : cases) {
    std::string tolerated = c->expect.tolerated.empty() ? "" : outcomes(c->expect.tolerated);
    if (c->expect.generic_code_tolerated &&
        std::any_of(c->expect.exact.begin(), c->expect.exact.end(), [](const Outcome& o) {
          return o.kind == Outcome::kGoAway || o.kind == Outcome::kRstStream;
        })) {
      absl::StrAppend(&tolerated, tolerated.empty() ? "" : "; ", "PROTOCOL_ERROR or INTERNAL_ERROR (§5.4)");
    }
    std::string extra = c->profile.empty() ? "" : absl::StrCat(" [profile ", c->profile, "]");
    if (c->tls_only) extra += " [TLS]";
    if (markdown) {
      auto cell = [](std::string s) {
        std::string o;
        for (char ch : s) o += ch == '|' ? std::string("\\|") : std::string(1, ch);
        return o;
      };
      out << "| " << c->id << extra << " | " << LevelName(c->level) << " | " << cell(c->requirement) << " | "
          << cell(c->sends) << " | " << cell(outcomes(c->expect.exact)) << " | " << cell(tolerated) << " |\n";
    } else {
      out << c->id << extra << "  [" << LevelName(c->level) << "]\n"
          << "    requirement: " << c->requirement << "\n"
          << "    sends:       " << c->sends << "\n"
          << "    expected:    " << outcomes(c->expect.exact) << "\n";
      if (!tolerated.empty()) out << "    tolerated:   " << tolerated << "\n";
    }
  }
  if (!markdown) out << cases.size() << " cases\n";
}

}  // namespace probe
