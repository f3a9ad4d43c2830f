// h2harness stories ...: the story runner (verify, encode, ratio, check-decoder, check-encoder).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "conformance/external.h"
#include "conformance/runner.h"
#include "conformance/story.h"
#include "conformance/story_codec.h"
#include "conformance/verify.h"
#include "tools/cli/command.h"
#include "tools/cli/common.h"

ABSL_FLAG(std::string, out, "", "directory to write the encoded stories to (created if needed)");
ABSL_FLAG(bool, change_table_size, false,
          "change SETTINGS_HEADER_TABLE_SIZE mid-story (to half, to 0, back to --table-size), "
          "writing header_table_size into those cases");
ABSL_FLAG(std::string, cmd, "",
          "the adapter: a shell command that reads a story on stdin and writes it back on "
          "stdout with headers (decoder) or wire (encoder) filled in; see README");
ABSL_FLAG(bool, keep_going, false, "check every story even after one fails");
ABSL_FLAG(bool, batch, true,
          "use the batch adapter protocol (one adapter process per worker, one story per "
          "line) when the adapter offers it; --nobatch starts it once per story");

namespace cli {
namespace {

// Finds the story files, runs `check` on each and reports. Exit status 0 only if all pass.
int RunStories(const std::string& command, const std::vector<std::string>& paths,
               const std::function<conformance::StoryResult(const std::string&)>& check,
               const std::function<std::vector<conformance::MatrixRow>(
                   const std::vector<conformance::StoryResult>&)>& matrix,
               bool stop_on_failure) {
  absl::StatusOr<std::vector<std::string>> files = conformance::FindStoryFiles(paths);
  if (!files.ok()) {
    std::cerr << "h2harness: " << files.status().message() << "\n";
    return 2;
  }
  if (files->empty()) {
    std::cerr << "h2harness: no story files (*.json) under " << absl::StrJoin(paths, ", ") << "\n";
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  conformance::Report report;
  report.command = command;
  report.results = conformance::RunParallel(
      *files, Jobs(), check,
      [&](const conformance::StoryResult& r) {
        return stop_on_failure && r.verdict() == conformance::StoryResult::Verdict::kFailed;
      },
      command);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (matrix) report.matrix = matrix(report.results);
  conformance::PrintReport(report, absl::GetFlag(FLAGS_quiet));
  if (report.results.size() < files->size()) {
    std::cout << "stopped after the first failure; " << files->size() - report.results.size()
              << " stories not checked (--keep-going checks them all)\n";
  }
  int rc = report.failed() == 0 && report.unreadable() == 0 &&
                   report.results.size() == files->size()
               ? 0
               : 1;
  for (auto [flag, writer] :
       {std::make_pair(absl::GetFlag(FLAGS_json), &conformance::WriteJsonReport),
        std::make_pair(absl::GetFlag(FLAGS_junit), &conformance::WriteJUnitReport)}) {
    if (flag.empty()) continue;
    absl::Status s = writer(report, flag);
    if (!s.ok()) {
      std::cerr << "h2harness: " << s.message() << "\n";
      rc = 2;
    }
  }
  return rc;
}

int StoriesVerify(const std::vector<std::string>& args) {
  return RunStories(
      "stories verify", PathsOr(args, "corpora/stories"), conformance::VerifyStoryFile,
      [](const std::vector<conformance::StoryResult>& results) {
        return conformance::BuildMatrix(results, "h2harness", "decoder");
      },
      /*stop_on_failure=*/false);
}

bool EncodeOptionsFromFlags(conformance::EncodeOptions* options) {
  options->table_size = absl::GetFlag(FLAGS_table_size);
  options->change_table_size = absl::GetFlag(FLAGS_change_table_size);
  if (!conformance::ParseHuffmanMode(absl::GetFlag(FLAGS_huffman), &options->huffman)) {
    std::cerr << "h2harness: --huffman must be auto, never or always, not \""
              << absl::GetFlag(FLAGS_huffman) << "\"\n";
    return false;
  }
  return true;
}

int StoriesEncode(const std::vector<std::string>& args) {
  conformance::EncodeOptions options;
  if (!EncodeOptionsFromFlags(&options)) return 2;
  const std::string out_dir = absl::GetFlag(FLAGS_out);
  if (out_dir.empty()) {
    std::cerr << "h2harness: stories encode needs --out DIR\n";
    return 2;
  }
  absl::StatusOr<std::vector<std::string>> files =
      conformance::FindStoryFiles(PathsOr(args, "corpora/stories/raw-data"));
  if (!files.ok()) {
    std::cerr << "h2harness: " << files.status().message() << "\n";
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    std::cerr << "h2harness: " << out_dir << ": " << ec.message() << "\n";
    return 2;
  }
  const std::vector<std::string> relative = conformance::RelativeOutputPaths(*files);
  int failed = 0;
  for (size_t i = 0; i < files->size(); ++i) {
    const std::string& file = (*files)[i];
    const std::filesystem::path target = std::filesystem::path(out_dir) / relative[i];
    std::filesystem::create_directories(target.parent_path(), ec);
    absl::StatusOr<conformance::Story> story = conformance::LoadStory(file);
    absl::Status s = story.status();
    if (s.ok()) {
      const std::string original = story->description;
      s = conformance::EncodeStory(*story, options);
      story->description = conformance::EncoderDescription(options);
      if (!original.empty()) absl::StrAppend(&story->description, ": ", original);
    }
    if (s.ok()) {
      // What is written must verify: a story that does not is an encoder bug, not a story.
      const conformance::StoryResult v = conformance::VerifyStory(*story);
      if (!v.passed) s = absl::InternalError(absl::StrCat("the encoded story does not verify: ", v.failure));
    }
    if (s.ok()) s = conformance::WriteStory(*story, target.string());
    if (!s.ok()) {
      std::cout << "FAIL " << file << ": " << s.message() << "\n";
      ++failed;
    }
  }
  std::cout << "encoded " << files->size() - failed << " stories into " << out_dir << " ("
            << conformance::EncoderDescription(options) << ")\n";
  return failed ? 1 : 0;
}

int StoriesRatio(const std::vector<std::string>& args) {
  struct Row {
    std::string dir;
    int stories = 0;
    uint64_t wire = 0, raw = 0;
  };
  std::vector<Row> rows;
  for (const std::string& dir : PathsOr(args, "corpora/stories")) {
    absl::StatusOr<std::vector<std::string>> files = conformance::FindStoryFiles({dir});
    if (!files.ok()) {
      std::cerr << "h2harness: " << files.status().message() << "\n";
      return 2;
    }
    // hpack-test-case's definition: total wire octets / total raw header octets.
    std::map<std::string, Row> by_dir;
    for (const std::string& file : *files) {
      absl::StatusOr<conformance::Story> story = conformance::LoadStory(file);
      if (!story.ok()) {
        std::cerr << "h2harness: " << story.status().message() << "\n";
        return 1;
      }
      if (!story->HasWire()) continue;
      bool negative = false;
      for (const auto& c : story->cases) negative = negative || c.error.has_value();
      if (negative) continue;
      Row& row = by_dir[std::filesystem::path(file).parent_path().string()];
      ++row.stories;
      row.raw += conformance::RawHeaderBytes(*story);
      for (const auto& c : story->cases) row.wire += c.wire->size();
    }
    for (auto& [d, row] : by_dir) {
      row.dir = d;
      rows.push_back(row);
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.wire * b.raw < b.wire * a.raw;  // a.wire/a.raw < b.wire/b.raw
  });
  std::cout << absl::StrFormat("%-8s %-48s %8s %12s %12s\n", "ratio", "directory", "stories",
                               "wire", "raw");
  for (const Row& r : rows) {
    if (!r.raw) continue;
    std::cout << absl::StrFormat("%-8.4f %-48s %8d %12d %12d\n",
                                 static_cast<double>(r.wire) / r.raw, r.dir, r.stories, r.wire,
                                 r.raw);
  }
  if (rows.empty()) {
    std::cerr << "h2harness: no encoded stories (with wire) found\n";
    return 1;
  }
  return 0;
}

bool AdapterFromFlags(conformance::AdapterOptions* options) {
  options->command = absl::GetFlag(FLAGS_cmd);
  absl::StatusOr<absl::Duration> timeout = TimeoutFlag(absl::Seconds(1), absl::Seconds(10));
  if (!timeout.ok()) {
    std::cerr << "h2harness: " << timeout.status().message() << "\n";
    return false;
  }
  options->timeout_seconds = absl::ToDoubleSeconds(*timeout);
  options->batch = absl::GetFlag(FLAGS_batch);
  if (options->command.empty()) {
    std::cerr << "h2harness: needs --cmd \"PROGRAM ARGS\" (the adapter; see README)\n";
    return false;
  }
  return true;
}

int StoriesCheckDecoder(const std::vector<std::string>& args) {
  conformance::AdapterOptions options;
  if (!AdapterFromFlags(&options)) return 2;
  conformance::Adapter adapter(options, conformance::Adapter::Role::kDecode);
  return RunStories(
      "stories check-decoder", PathsOr(args, "corpora/stories"),
      [&](const std::string& path) { return conformance::CheckDecoder(path, adapter); },
      [&](const std::vector<conformance::StoryResult>& results) {
        return conformance::BuildMatrix(results, options.command, "decoder");
      },
      !absl::GetFlag(FLAGS_keep_going));
}

// The default encoder input: raw stories, and the same with SETTINGS_HEADER_TABLE_SIZE
// changing mid-story (down, to 0, up), so that size-update bugs show by default.
std::vector<std::string> EncoderInputs(const std::vector<std::string>& args) {
  if (!args.empty()) return args;
  std::vector<std::string> paths = PathsOr({}, "corpora/stories/raw-data");
  for (const std::string& p : PathsOr({}, "corpora/stories/raw-table-size")) paths.push_back(p);
  return paths;
}

int StoriesCheckEncoder(const std::vector<std::string>& args) {
  conformance::AdapterOptions options;
  if (!AdapterFromFlags(&options)) return 2;
  conformance::Adapter adapter(options, conformance::Adapter::Role::kEncode);
  conformance::EncodeSettings settings;
  settings.table_size = absl::GetFlag(FLAGS_table_size);
  settings.change_table_size = absl::GetFlag(FLAGS_change_table_size);
  const std::string out_dir = absl::GetFlag(FLAGS_out);
  const std::vector<std::string> inputs = EncoderInputs(args);
  // --out keeps each input's path relative to the directory all inputs share.
  std::map<std::string, std::string> out_path;
  if (!out_dir.empty()) {
    absl::StatusOr<std::vector<std::string>> files = conformance::FindStoryFiles(inputs);
    if (files.ok()) {
      const std::vector<std::string> relative = conformance::RelativeOutputPaths(*files);
      for (size_t i = 0; i < files->size(); ++i) {
        out_path[(*files)[i]] = (std::filesystem::path(out_dir) / relative[i]).string();
      }
    }
  }
  std::mutex mu;
  std::map<std::string, std::pair<uint64_t, uint64_t>> bytes;  // variant -> wire, raw
  return RunStories(
      "stories check-encoder", inputs,
      [&](const std::string& path) {
        conformance::EncoderCheck check = conformance::CheckEncoder(path, adapter, settings);
        if (check.encoded && !out_dir.empty()) {
          check.encoded->description = absl::StrCat("encoded by: ", options.command);
          const std::filesystem::path target = out_path[path];
          std::error_code ec;
          std::filesystem::create_directories(target.parent_path(), ec);
          absl::Status s = ec ? absl::PermissionDeniedError(absl::StrCat(
                                    target.parent_path().string(), ": ", ec.message()))
                              : conformance::WriteStory(*check.encoded, target.string());
          if (!s.ok() && check.result.passed) {
            check.result.passed = false;
            check.result.failure = std::string(s.message());
          }
        }
        std::lock_guard<std::mutex> lock(mu);
        auto& b = bytes[conformance::VariantOf(path)];
        b.first += check.wire_bytes;
        b.second += check.raw_bytes;
        return check.result;
      },
      [&](const std::vector<conformance::StoryResult>& results) {
        std::vector<conformance::MatrixRow> rows =
            conformance::BuildMatrix(results, options.command, "encoder");
        for (auto& row : rows) {
          row.wire_bytes = bytes[row.variant].first;
          row.raw_bytes = bytes[row.variant].second;
        }
        return rows;
      },
      !absl::GetFlag(FLAGS_keep_going));
}

}  // namespace

std::vector<Command> StoriesCommands() {
  return {
      {"stories verify",
       "[PATH...]",
       "Verify stories with the h2harness decoder: for each story file (PATH: files or "
       "directories, recursively; default: the shipped corpus corpora/stories), a fresh "
       "Inflater decodes each case's wire, honouring header_table_size, and the result must "
       "equal its headers, in order. Negative cases (\"error\": RULE) must be rejected for "
       "that rule; never-indexed marks are compared where the story lists them. Raw stories "
       "(no wire) go through the Deflater and back. Stories that cannot be read are reported "
       "as unreadable. Prints a line per story and \"N passed, N failed\"; exits 0 only if "
       "all pass.",
       {"json", "junit", "jobs", "quiet"},
       StoriesVerify},
      {"stories encode",
       "--out DIR [PATH...]",
       "Encode raw stories with the h2harness encoder: writes each story (default: "
       "corpora/stories/raw-data) with wire filled in to DIR, at its path relative to the "
       "inputs' common directory, with a description naming the encoder and settings, like "
       "the per-implementation directories of hpack-test-case.",
       {"out", "table_size", "huffman", "change_table_size"},
       StoriesEncode},
      {"stories ratio",
       "[DIR...]",
       "Compression ratio per directory of encoded stories: total wire octets / total raw "
       "header octets (name + value), best first. Default: every directory under "
       "corpora/stories.",
       {},
       StoriesRatio},
      {"stories check-decoder",
       "--cmd \"PROGRAM ARGS\" [PATH...]",
       "Check another HPACK decoder through an adapter: each story with wire (default: the "
       "shipped corpus) goes to PROGRAM on stdin without its headers; the headers it prints "
       "back must match, and its never-indexed marks where it reports them. The verdict "
       "follows what the story rests on (rests_on): a story the decoder must accept fails "
       "when rejected; one that needs limits above the baseline is skipped when rejected; "
       "one it must reject fails when accepted; one it may reject (an implementation limit "
       "the RFC allows) is skipped either way. The blocks before a negative story's bad one "
       "must decode right. A rejection is a non-zero exit with {\"error\": ...} on stdout; "
       "a crash, hang, other exit or malformed output is a failure. Adapters that answer the "
       "batch hello get one process per worker (--nobatch: one per story). Stories that "
       "cannot be read are reported as unreadable, not as failures. Prints the matrix of "
       "variant x verdicts; exits 0 only if nothing failed and everything could be read.",
       {"cmd", "timeout", "keep_going", "jobs", "batch", "json", "junit", "quiet"},
       StoriesCheckDecoder},
      {"stories check-encoder",
       "--cmd \"PROGRAM ARGS\" [PATH...]",
       "Check another HPACK encoder through an adapter: each story's headers (default: "
       "corpora/stories/raw-data and raw-table-size, whose SETTINGS_HEADER_TABLE_SIZE "
       "changes mid-story) go to PROGRAM without wire; h2harness decodes the wire it prints "
       "back, with no list or field-count limit of its own and with the header_table_size "
       "values of the input (not the adapter's echo), and it must give the same headers; "
       "fields marked never_indexed must be never-indexed literals if the adapter says it "
       "honours the marks. --table-size N and --change-table-size set "
       "SETTINGS_HEADER_TABLE_SIZE in the input as `stories encode` does. --out DIR keeps "
       "its stories, each at its path relative to the inputs' common directory (e.g. for "
       "stories ratio).",
       {"cmd", "timeout", "keep_going", "jobs", "batch", "out", "table_size", "change_table_size",
        "json", "junit", "quiet"},
       StoriesCheckEncoder},
  };
}

}  // namespace cli
