#include "conformance/runner.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"

namespace conformance {
namespace {

using Clock = std::chrono::steady_clock;

class Progress {
 public:
  Progress(size_t total, std::string verb)
      : total_(total),
        verb_(std::move(verb)),
        tty_(isatty(STDERR_FILENO)),
        start_(Clock::now()),
        last_(start_) {}

  void Update(size_t done, size_t failed, const std::string& current) {
    const auto now = Clock::now();
    const double since_start = std::chrono::duration<double>(now - start_).count();
    const double since_last = std::chrono::duration<double>(now - last_).count();
    // Quiet for short runs; then ~10 updates/s on a terminal, one line per 5 s in logs.
    if (since_start < 1.0 || since_last < (tty_ ? 0.1 : 5.0)) return;
    last_ = now;
    shown_ = true;
    std::string line =
        absl::StrFormat("[%*d/%d] %s, %d failed, %.0f s  %s", std::to_string(total_).size(), done,
                        total_, verb_, failed, since_start, current);
    if (tty_) {
      if (line.size() > 120) line.resize(120);
      std::fprintf(stderr, "\r\033[K%s", line.c_str());
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
  }

  void Finish() {
    if (shown_ && tty_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  size_t total_;
  std::string verb_;
  bool tty_;
  bool shown_ = false;
  Clock::time_point start_, last_;
};

std::string XmlEscape(absl::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (c < 0x20 && c != '\n' && c != '\t') {
          absl::StrAppendFormat(&out, "\\x%02x", c);  // not representable in XML 1.0
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

nlohmann::json JsonText(absl::string_view s) {
  // Messages and paths are text; never let an odd octet abort the report.
  nlohmann::json j = std::string(s);
  return nlohmann::json::parse(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

std::vector<StoryResult> RunParallel(const std::vector<std::string>& paths, int jobs,
                                     const std::function<StoryResult(const std::string&)>& fn,
                                     const std::function<bool(const StoryResult&)>& should_stop,
                                     const std::string& verb) {
  std::vector<StoryResult> results(paths.size());
  std::vector<char> ran(paths.size(), 0);
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  size_t done = 0, failed = 0;
  Progress progress(paths.size(), verb);
  auto worker = [&] {
    for (;;) {
      if (stop.load()) return;
      const size_t i = next.fetch_add(1);
      if (i >= paths.size()) return;
      StoryResult r = fn(paths[i]);
      std::lock_guard<std::mutex> lock(mu);
      ++done;
      if (!r.passed && !r.skipped) ++failed;
      if (should_stop && should_stop(r)) stop = true;
      results[i] = std::move(r);
      ran[i] = 1;
      progress.Update(done, failed, paths[i]);
    }
  };
  jobs = std::max(1, std::min<int>(jobs, static_cast<int>(paths.size())));
  std::vector<std::thread> threads;
  for (int t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  progress.Finish();
  std::vector<StoryResult> out;
  for (size_t i = 0; i < paths.size(); ++i) {
    if (ran[i]) out.push_back(std::move(results[i]));
  }
  return out;
}

std::string VariantOf(const std::string& path) {
  return std::filesystem::path(path).parent_path().filename().string();
}

int Report::passed() const {
  int n = 0;
  for (const StoryResult& r : results) n += r.passed && !r.skipped;
  return n;
}

int Report::failed() const {
  int n = 0;
  for (const StoryResult& r : results) n += !r.passed && !r.skipped;
  return n;
}

int Report::skipped() const {
  int n = 0;
  for (const StoryResult& r : results) n += r.skipped;
  return n;
}

std::vector<MatrixRow> BuildMatrix(const std::vector<StoryResult>& results,
                                   const std::string& implementation, const std::string& role) {
  std::map<std::pair<std::string, std::string>, MatrixRow> rows;
  for (const StoryResult& r : results) {
    // Raw stories are checked by a round trip through both of the implementation's halves.
    const std::string row_role =
        r.kind == StoryResult::Kind::kRaw && role == "decoder" ? "round trip" : role;
    MatrixRow& row = rows[{VariantOf(r.path), row_role}];
    row.implementation = implementation;
    row.role = row_role;
    row.variant = VariantOf(r.path);
    (r.skipped ? row.skipped : r.passed ? row.passed : row.failed)++;
  }
  std::vector<MatrixRow> out;
  for (auto& [_, row] : rows) out.push_back(row);
  return out;
}

void PrintReport(const Report& report, bool quiet_passes) {
  for (const StoryResult& r : report.results) {
    if (r.skipped) {
      if (!quiet_passes) std::cout << "skip " << r.path << ": " << r.failure << "\n";
    } else if (r.passed) {
      if (!quiet_passes) std::cout << "ok   " << r.path << " (" << r.cases << " cases)\n";
    } else {
      std::cout << "FAIL " << r.path << ": " << r.failure << "\n";
    }
  }
  if (!report.matrix.empty()) {
    std::cout << "\n"
              << absl::StrFormat("%-28s %-10s %-34s %7s %7s %7s\n", "implementation", "role",
                                 "variant", "passed", "failed", "skipped");
    for (const MatrixRow& row : report.matrix) {
      std::string impl = row.implementation;
      if (impl.size() > 28) impl = "..." + impl.substr(impl.size() - 25);
      std::cout << absl::StrFormat("%-28s %-10s %-34s %7d %7d %7d\n", impl, row.role, row.variant,
                                   row.passed, row.failed, row.skipped);
    }
    std::cout << "\n";
  }
  std::cout << absl::StrFormat("%s: %d stories in %.3f s\n", report.command, report.results.size(),
                               report.seconds);
  std::cout << report.passed() << " passed, " << report.failed() << " failed";
  if (report.skipped()) std::cout << ", " << report.skipped() << " skipped";
  std::cout << "\n";
}

absl::Status WriteJsonReport(const Report& report, const std::string& path) {
  nlohmann::json j;
  j["command"] = report.command;
  j["passed"] = report.passed();
  j["failed"] = report.failed();
  j["skipped"] = report.skipped();
  j["seconds"] = report.seconds;
  nlohmann::json stories = nlohmann::json::array();
  for (const StoryResult& r : report.results) {
    nlohmann::json s;
    s["path"] = JsonText(r.path);
    s["variant"] = JsonText(VariantOf(r.path));
    s["kind"] = KindName(r.kind);
    s["passed"] = r.passed && !r.skipped;
    if (r.skipped) s["skipped"] = true;
    s["cases"] = r.cases;
    s["headers"] = r.headers;
    s["seconds"] = r.seconds;
    if (!r.passed || r.skipped) s[r.skipped ? "reason" : "failure"] = JsonText(r.failure);
    stories.push_back(std::move(s));
  }
  j["stories"] = std::move(stories);
  nlohmann::json matrix = nlohmann::json::array();
  for (const MatrixRow& row : report.matrix) {
    nlohmann::json m;
    m["implementation"] = JsonText(row.implementation);
    m["role"] = row.role;
    m["variant"] = JsonText(row.variant);
    m["passed"] = row.passed;
    m["failed"] = row.failed;
    m["skipped"] = row.skipped;
    if (row.raw_bytes) {
      m["wire_bytes"] = row.wire_bytes;
      m["raw_bytes"] = row.raw_bytes;
    }
    matrix.push_back(std::move(m));
  }
  j["matrix"] = std::move(matrix);
  std::ofstream out(path);
  if (!out) return absl::PermissionDeniedError(absl::StrCat(path, ": cannot write"));
  out << j.dump(2) << "\n";
  return out ? absl::OkStatus() : absl::DataLossError(absl::StrCat(path, ": write error"));
}

absl::Status WriteJUnitReport(const Report& report, const std::string& path) {
  // One <testsuite> per variant (directory), one <testcase> per story.
  std::map<std::string, std::vector<const StoryResult*>> suites;
  for (const StoryResult& r : report.results) suites[VariantOf(r.path)].push_back(&r);
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  absl::StrAppendFormat(
      &xml, "<testsuites name=\"%s\" tests=\"%d\" failures=\"%d\" time=\"%.3f\">\n",
      XmlEscape(report.command), report.results.size(), report.failed(), report.seconds);
  for (const auto& [variant, results] : suites) {
    int failures = 0;
    double time = 0;
    for (const StoryResult* r : results) {
      failures += !r->passed && !r->skipped;
      time += r->seconds;
    }
    absl::StrAppendFormat(&xml,
                          "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" time=\"%.3f\">\n",
                          XmlEscape(variant), results.size(), failures, time);
    for (const StoryResult* r : results) {
      absl::StrAppendFormat(
          &xml, "    <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"", XmlEscape(variant),
          XmlEscape(std::filesystem::path(r->path).filename().string()), r->seconds);
      if (r->skipped) {
        absl::StrAppendFormat(&xml, ">\n      <skipped message=\"%s\"/>\n    </testcase>\n",
                              XmlEscape(r->failure));
      } else if (r->passed) {
        xml += "/>\n";
      } else {
        absl::StrAppendFormat(
            &xml, ">\n      <failure message=\"%s\">%s: %s</failure>\n    </testcase>\n",
            XmlEscape(r->failure.substr(0, 500)), XmlEscape(r->path), XmlEscape(r->failure));
      }
    }
    xml += "  </testsuite>\n";
  }
  xml += "</testsuites>\n";
  std::ofstream out(path);
  if (!out) return absl::PermissionDeniedError(absl::StrCat(path, ": cannot write"));
  out << xml;
  return out ? absl::OkStatus() : absl::DataLossError(absl::StrCat(path, ": write error"));
}

}  // namespace conformance
