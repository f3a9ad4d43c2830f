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
  size_t stop_at = paths.size();  // the first index (in path order) that asked to stop
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
      if (r.verdict() == StoryResult::Verdict::kFailed) ++failed;
      if (should_stop && should_stop(r)) {
        stop = true;
        stop_at = std::min(stop_at, i);
      }
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
  // Paths are handed out in order, so everything before stop_at has run.
  std::vector<StoryResult> out;
  for (size_t i = 0; i < paths.size() && i <= stop_at; ++i) {
    if (ran[i]) out.push_back(std::move(results[i]));
  }
  return out;
}

std::string VariantOf(const std::string& path) {
  return std::filesystem::path(path).parent_path().filename().string();
}

namespace {
int Count(const std::vector<StoryResult>& results, StoryResult::Verdict v) {
  int n = 0;
  for (const StoryResult& r : results) n += r.verdict() == v;
  return n;
}
}  // namespace

int Report::passed() const { return Count(results, StoryResult::Verdict::kPassed); }
int Report::failed() const { return Count(results, StoryResult::Verdict::kFailed); }
int Report::skipped() const { return Count(results, StoryResult::Verdict::kSkipped); }
int Report::unreadable() const { return Count(results, StoryResult::Verdict::kUnreadable); }

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
    switch (r.verdict()) {
      case StoryResult::Verdict::kPassed:
        ++row.passed;
        break;
      case StoryResult::Verdict::kFailed:
        ++row.failed;
        break;
      case StoryResult::Verdict::kSkipped:
        ++row.skipped;
        break;
      case StoryResult::Verdict::kUnreadable:
        ++row.unreadable;
        break;
    }
  }
  std::vector<MatrixRow> out;
  for (auto& [_, row] : rows) out.push_back(row);
  return out;
}

void PrintReport(const Report& report, bool quiet_passes) {
  const std::vector<StoryResult>& results = report.results;
  for (size_t i = 0; i < results.size(); ++i) {
    const StoryResult& r = results[i];
    switch (r.verdict()) {
      case StoryResult::Verdict::kSkipped: {
        // Consecutive skips in one directory for one reason: one line.
        size_t j = i + 1;
        while (j < results.size() && results[j].verdict() == StoryResult::Verdict::kSkipped &&
               results[j].failure == r.failure &&
               std::filesystem::path(results[j].path).parent_path() ==
                   std::filesystem::path(r.path).parent_path()) {
          ++j;
        }
        if (!quiet_passes) {
          if (j - i > 1) {
            std::cout << "skip " << std::filesystem::path(r.path).parent_path().string() << "/ ("
                      << j - i << " stories): " << r.failure << "\n";
          } else {
            std::cout << "skip " << r.path << ": " << r.failure << "\n";
          }
        }
        i = j - 1;
        break;
      }
      case StoryResult::Verdict::kPassed:
        if (!quiet_passes) std::cout << "ok   " << r.path << " (" << r.cases << " cases)\n";
        break;
      case StoryResult::Verdict::kFailed:
        std::cout << "FAIL " << r.path << ": " << r.failure << "\n";
        break;
      case StoryResult::Verdict::kUnreadable:
        std::cout << "BAD  " << r.path << ": unreadable input: " << r.failure << "\n";
        break;
    }
  }
  if (!report.matrix.empty()) {
    const bool any_unreadable = report.unreadable() > 0;
    std::cout << "\n"
              << absl::StrFormat("%-28s %-10s %-34s %7s %7s %7s", "implementation", "role",
                                 "variant", "passed", "failed", "skipped")
              << (any_unreadable ? absl::StrFormat(" %10s", "unreadable") : "") << "\n";
    for (const MatrixRow& row : report.matrix) {
      std::string impl = row.implementation;
      if (impl.size() > 28) impl = "..." + impl.substr(impl.size() - 25);
      std::cout << absl::StrFormat("%-28s %-10s %-34s %7d %7d %7d", impl, row.role, row.variant,
                                   row.passed, row.failed, row.skipped)
                << (any_unreadable ? absl::StrFormat(" %10d", row.unreadable) : "") << "\n";
    }
    std::cout << "\n";
  }
  std::cout << absl::StrFormat("%s: %d stories in %.3f s\n", report.command, report.results.size(),
                               report.seconds);
  std::cout << report.passed() << " passed, " << report.failed() << " failed";
  if (report.skipped()) std::cout << ", " << report.skipped() << " skipped";
  if (report.unreadable()) std::cout << ", " << report.unreadable() << " unreadable";
  std::cout << "\n";
}

absl::Status WriteJsonReport(const Report& report, const std::string& path) {
  nlohmann::json j;
  j["command"] = report.command;
  j["passed"] = report.passed();
  j["failed"] = report.failed();
  j["skipped"] = report.skipped();
  j["unreadable"] = report.unreadable();
  j["seconds"] = report.seconds;
  nlohmann::json stories = nlohmann::json::array();
  for (const StoryResult& r : report.results) {
    nlohmann::json s;
    s["path"] = JsonText(r.path);
    s["variant"] = JsonText(VariantOf(r.path));
    s["kind"] = KindName(r.kind);
    s["status"] = VerdictName(r.verdict());  // passed, failed, skipped or unreadable
    s["cases"] = r.cases;
    s["headers"] = r.headers;
    s["seconds"] = r.seconds;
    if (r.verdict() != StoryResult::Verdict::kPassed) {
      s[r.verdict() == StoryResult::Verdict::kFailed ? "failure" : "reason"] = JsonText(r.failure);
    }
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
    m["unreadable"] = row.unreadable;
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
  absl::StrAppendFormat(&xml,
                        "<testsuites name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
                        "skipped=\"%d\" time=\"%.3f\">\n",
                        XmlEscape(report.command), report.results.size(), report.failed(),
                        report.unreadable(), report.skipped(), report.seconds);
  for (const auto& [variant, results] : suites) {
    int failures = 0, errors = 0, skipped = 0;
    double time = 0;
    for (const StoryResult* r : results) {
      failures += r->verdict() == StoryResult::Verdict::kFailed;
      errors += r->verdict() == StoryResult::Verdict::kUnreadable;
      skipped += r->verdict() == StoryResult::Verdict::kSkipped;
      time += r->seconds;
    }
    absl::StrAppendFormat(&xml,
                          "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
                          "skipped=\"%d\" time=\"%.3f\">\n",
                          XmlEscape(variant), results.size(), failures, errors, skipped, time);
    for (const StoryResult* r : results) {
      absl::StrAppendFormat(
          &xml, "    <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"", XmlEscape(variant),
          XmlEscape(std::filesystem::path(r->path).filename().string()), r->seconds);
      if (r->verdict() == StoryResult::Verdict::kUnreadable) {
        absl::StrAppendFormat(
            &xml, ">\n      <error message=\"unreadable input: %s\"/>\n    </testcase>\n",
            XmlEscape(r->failure.substr(0, 500)));
      } else if (r->skipped) {
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
