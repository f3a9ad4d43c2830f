// h2harness: the command-line tool. `h2harness --help` lists the commands;
// `h2harness COMMAND --help` describes one.
//
// Flags are Abseil flags; on the command line they may be spelled with dashes
// (--table-size) or underscores (--table_size).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "conformance/external.h"
#include "conformance/runner.h"
#include "conformance/story.h"
#include "conformance/story_codec.h"
#include "conformance/verify.h"
#include "hpack/error.h"
#include "nlohmann/json.hpp"

ABSL_FLAG(uint32_t, table_size, 4096,
          "SETTINGS_HEADER_TABLE_SIZE of the decoder, also the encoder's table cap; written "
          "as the first case's header_table_size when not 4096");
ABSL_FLAG(std::string, huffman, "auto",
          "Huffman-code string literals: auto (only when shorter), never, always");
ABSL_FLAG(bool, dump_table, false,
          "print the dynamic table to stderr after each case, as RFC 7541 Appendix C does");
ABSL_FLAG(std::string, json, "", "also write the results as JSON to this file");
ABSL_FLAG(std::string, junit, "", "also write the results as JUnit XML (one testcase per story)");
ABSL_FLAG(int, jobs, 0, "stories checked in parallel (0: one per CPU)");
ABSL_FLAG(bool, quiet, false, "print only failures and the summary, not a line per passing story");
ABSL_FLAG(std::string, out, "", "directory to write the encoded stories to (created if needed)");
ABSL_FLAG(bool, change_table_size, false,
          "change SETTINGS_HEADER_TABLE_SIZE mid-story (to half, to 0, back to --table-size), "
          "writing header_table_size into those cases");
ABSL_FLAG(std::string, cmd, "",
          "the adapter: a shell command that reads a story on stdin and writes it back on "
          "stdout with headers (decoder) or wire (encoder) filled in; see README");
ABSL_FLAG(double, timeout, 10, "seconds the adapter may take per story before it counts as hung");
ABSL_FLAG(bool, keep_going, false, "check every story even after one fails");

namespace {

struct Command {
  std::string name;     // "hpack decode"
  std::string args;     // positional arguments, for the usage line
  std::string summary;  // what it does (first line is the one-line summary)
  std::vector<std::string> flags;
  std::function<int(const std::vector<std::string>& args)> run;
};

std::string ReadAll(std::istream& in) {
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string JsonString(absl::string_view s) {
  return nlohmann::json(std::string(s))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void DumpTable(int64_t seqno, const hpack::HdTable& table) {
  std::cerr << "seqno " << seqno << ": dynamic table (maximum size " << table.max_size << ")\n"
            << hpack::FormatHdTable(table);
}

int HpackDecode(const std::vector<std::string>&) {
  absl::StatusOr<conformance::Story> story = conformance::ParseStory(ReadAll(std::cin), "<stdin>");
  if (!story.ok()) {
    std::cerr << "h2harness: " << story.status().message() << "\n";
    return 2;
  }
  const bool dump = absl::GetFlag(FLAGS_dump_table);
  conformance::DecodeFailure failure;
  absl::Status s = conformance::DecodeStory(
      *story,
      [&](const conformance::StoryCase& c, const hpack::Inflater& inflater) {
        if (dump) DumpTable(c.seqno, inflater.GetHdTable());
      },
      &failure);
  if (!s.ok()) {
    // The adapter protocol: a rejected block is a non-zero exit, the reason on stdout.
    std::cerr << "h2harness: " << s.message() << "\n";
    std::cout << "{\"error\": " << JsonString(s.message())
              << ", \"rule\": " << JsonString(hpack::ErrorName(failure.error))
              << ", \"seqno\": " << story->cases[failure.case_index].seqno << "}\n";
    return 1;
  }
  std::cout << conformance::SerializeStory(*story);
  return 0;
}

int HpackEncode(const std::vector<std::string>&) {
  conformance::EncodeOptions options;
  options.table_size = absl::GetFlag(FLAGS_table_size);
  if (!conformance::ParseHuffmanMode(absl::GetFlag(FLAGS_huffman), &options.huffman)) {
    std::cerr << "h2harness: --huffman must be auto, never or always, not \""
              << absl::GetFlag(FLAGS_huffman) << "\"\n";
    return 2;
  }
  absl::StatusOr<conformance::Story> story = conformance::ParseStory(ReadAll(std::cin), "<stdin>");
  if (!story.ok()) {
    std::cerr << "h2harness: " << story.status().message() << "\n";
    return 2;
  }
  const bool dump = absl::GetFlag(FLAGS_dump_table);
  absl::Status s = conformance::EncodeStory(
      *story, options, [&](const conformance::StoryCase& c, const hpack::Deflater& deflater) {
        if (dump) DumpTable(c.seqno, deflater.GetHdTable());
      });
  if (!s.ok()) {
    std::cerr << "h2harness: " << s.message() << "\n";
    return 1;
  }
  std::cout << conformance::SerializeStory(*story);
  return 0;
}

// Paths given, or the shipped corpus (under H2HARNESS_ROOT, which tools/h2harness sets, or
// the current directory).
std::vector<std::string> PathsOr(const std::vector<std::string>& args,
                                 const std::string& fallback) {
  if (!args.empty()) return args;
  const char* root = std::getenv("H2HARNESS_ROOT");
  return {root ? absl::StrCat(root, "/", fallback) : fallback};
}

int Jobs() {
  const int jobs = absl::GetFlag(FLAGS_jobs);
  if (jobs > 0) return jobs;
  return std::max(1u, std::thread::hardware_concurrency());
}

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
      [&](const conformance::StoryResult& r) { return stop_on_failure && !r.passed && !r.skipped; },
      command);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (matrix) report.matrix = matrix(report.results);
  conformance::PrintReport(report, absl::GetFlag(FLAGS_quiet));
  if (report.results.size() < files->size()) {
    std::cout << "stopped after the first failure; " << files->size() - report.results.size()
              << " stories not checked (--keep-going checks them all)\n";
  }
  int rc = report.failed() == 0 && report.results.size() == files->size() ? 0 : 1;
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
  std::map<std::string, std::string> written;  // output name -> input, to catch collisions
  int failed = 0;
  for (const std::string& file : *files) {
    const std::string name = std::filesystem::path(file).filename().string();
    const std::string target = (std::filesystem::path(out_dir) / name).string();
    if (!written.emplace(name, file).second) {
      std::cerr << "h2harness: " << file << " and " << written[name] << " would both be written to "
                << target << "\n";
      return 2;
    }
    absl::StatusOr<conformance::Story> story = conformance::LoadStory(file);
    absl::Status s = story.status();
    if (s.ok()) {
      const std::string original = story->description;
      s = conformance::EncodeStory(*story, options);
      story->description = conformance::EncoderDescription(options);
      if (!original.empty()) absl::StrAppend(&story->description, ": ", original);
    }
    if (s.ok()) s = conformance::WriteStory(*story, target);
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
  options->timeout_seconds = absl::GetFlag(FLAGS_timeout);
  if (options->command.empty()) {
    std::cerr << "h2harness: needs --cmd \"PROGRAM ARGS\" (the adapter; see README)\n";
    return false;
  }
  return true;
}

int StoriesCheckDecoder(const std::vector<std::string>& args) {
  conformance::AdapterOptions adapter;
  if (!AdapterFromFlags(&adapter)) return 2;
  return RunStories(
      "stories check-decoder", PathsOr(args, "corpora/stories"),
      [&](const std::string& path) { return conformance::CheckDecoder(path, adapter); },
      [&](const std::vector<conformance::StoryResult>& results) {
        return conformance::BuildMatrix(results, adapter.command, "decoder");
      },
      !absl::GetFlag(FLAGS_keep_going));
}

int StoriesCheckEncoder(const std::vector<std::string>& args) {
  conformance::AdapterOptions adapter;
  if (!AdapterFromFlags(&adapter)) return 2;
  const std::string out_dir = absl::GetFlag(FLAGS_out);
  if (!out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) {
      std::cerr << "h2harness: " << out_dir << ": " << ec.message() << "\n";
      return 2;
    }
  }
  std::mutex mu;
  std::map<std::string, std::pair<uint64_t, uint64_t>> bytes;  // variant -> wire, raw
  return RunStories(
      "stories check-encoder", PathsOr(args, "corpora/stories/raw-data"),
      [&](const std::string& path) {
        conformance::EncoderCheck check = conformance::CheckEncoder(path, adapter);
        if (check.encoded && !out_dir.empty()) {
          check.encoded->description = absl::StrCat("encoded by: ", adapter.command);
          absl::Status s = conformance::WriteStory(
              *check.encoded,
              (std::filesystem::path(out_dir) / std::filesystem::path(path).filename()).string());
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
            conformance::BuildMatrix(results, adapter.command, "encoder");
        for (auto& row : rows) {
          row.wire_bytes = bytes[row.variant].first;
          row.raw_bytes = bytes[row.variant].second;
        }
        return rows;
      },
      !absl::GetFlag(FLAGS_keep_going));
}

std::vector<Command> Commands() {
  return {
      {"hpack decode",
       "< STORY.json",
       "Decode a story: reads story JSON with \"wire\" on stdin and writes the same story "
       "with \"headers\" filled in (the role of nghttp2's inflatehd). Cases share one HPACK "
       "context; header_table_size is honoured. On a decoding error, exits 1 and prints "
       "{\"error\": MESSAGE, \"rule\": RULE, \"seqno\": N} on stdout (the adapter protocol).",
       {"dump_table"},
       HpackDecode},
      {"hpack encode",
       "< STORY.json",
       "Encode a story: reads story JSON with \"headers\" on stdin and writes it with \"wire\" "
       "filled in (the role of nghttp2's deflatehd).",
       {"table_size", "huffman", "dump_table"},
       HpackEncode},
      {"stories verify",
       "[PATH...]",
       "Verify stories with the h2harness decoder: for each story file (PATH: files or "
       "directories, recursively; default: the shipped corpus corpora/stories), a fresh "
       "Inflater decodes each case's wire, honouring header_table_size, and the result must "
       "equal its headers, in order. Negative cases (\"error\": RULE) must be rejected for "
       "that rule. Raw stories (no wire) go through the Deflater and back. Prints a line per "
       "story and \"N passed, N failed\"; exits 0 only if all pass.",
       {"json", "junit", "jobs", "quiet"},
       StoriesVerify},
      {"stories encode",
       "--out DIR [PATH...]",
       "Encode raw stories with the h2harness encoder: writes each story (default: "
       "corpora/stories/raw-data) with wire filled in to DIR, with a description naming the "
       "encoder and settings, like the per-implementation directories of hpack-test-case.",
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
       "back must match. Negative stories must be rejected (non-zero exit) and the blocks "
       "before the bad one decoded right; accepting a block that only breaks one of "
       "h2harness's own limits (integer_too_long, header_list_too_large, too_many_fields) "
       "counts as skipped. A crash, hang or malformed output is a failure of "
       "the implementation. Prints the matrix of variant x pass/fail.",
       {"cmd", "timeout", "keep_going", "jobs", "json", "junit", "quiet"},
       StoriesCheckDecoder},
      {"stories check-encoder",
       "--cmd \"PROGRAM ARGS\" [PATH...]",
       "Check another HPACK encoder through an adapter: each story's headers (default: "
       "corpora/stories/raw-data) go to PROGRAM without wire; the wire it prints back is "
       "decoded by h2harness and must give the same headers. --out DIR keeps its stories "
       "(e.g. for stories ratio).",
       {"cmd", "timeout", "keep_going", "jobs", "out", "json", "junit", "quiet"},
       StoriesCheckEncoder},
  };
}

std::string Dashed(absl::string_view flag) {
  std::string s(flag);
  std::replace(s.begin(), s.end(), '_', '-');
  return s;
}

void PrintFlagHelp(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (!flag) continue;
    std::cout << "  --" << Dashed(name)
              << "  (default: " << (flag->DefaultValue().empty() ? "\"\"" : flag->DefaultValue())
              << ")\n      " << flag->Help() << "\n";
  }
}

void PrintUsage(const std::vector<Command>& commands) {
  std::cout << "h2harness: HPACK (RFC 7541) and HTTP/2 (RFC 9113) test harness\n\n"
               "usage: h2harness COMMAND [FLAGS] [ARGS]\n\ncommands:\n";
  for (const Command& c : commands) {
    std::cout << "  " << c.name << " " << c.args << "\n      "
              << c.summary.substr(0, c.summary.find(": ")) << "\n";
  }
  std::cout << "\n`h2harness COMMAND --help` describes a command and its flags.\n";
}

void PrintCommandUsage(const Command& c) {
  std::cout << "usage: h2harness " << c.name << " [FLAGS] " << c.args << "\n\n"
            << c.summary << "\n";
  if (!c.flags.empty()) {
    std::cout << "\nflags:\n";
    PrintFlagHelp(c.flags);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Accept --table-size as well as --table_size; stop at "--".
  std::vector<std::string> args(argv, argv + argc);
  bool help = false;
  for (size_t i = 1; i < args.size(); ++i) {
    std::string& a = args[i];
    if (a == "--") break;
    if (a == "--help" || a == "-h" || a == "--helpfull" || a == "-help") {
      help = true;
      a.clear();
      continue;
    }
    if (absl::StartsWith(a, "--")) {
      const size_t end = std::min(a.find('='), a.size());
      std::replace(a.begin() + 2, a.begin() + end, '-', '_');
    }
  }
  args.erase(std::remove(args.begin() + 1, args.end(), std::string()), args.end());
  std::vector<char*> cargs;
  for (std::string& a : args) cargs.push_back(a.data());

  const std::vector<Command> commands = Commands();
  absl::SetProgramUsageMessage("HPACK and HTTP/2 test harness; see h2harness --help");
  std::vector<char*> rest = absl::ParseCommandLine(static_cast<int>(cargs.size()), cargs.data());
  std::vector<std::string> positional(rest.begin() + 1, rest.end());

  // The longest command name that prefixes the positional arguments.
  const Command* command = nullptr;
  size_t words = 0;
  for (const Command& c : commands) {
    std::vector<std::string> parts = absl::StrSplit(c.name, ' ');
    if (parts.size() <= positional.size() &&
        std::equal(parts.begin(), parts.end(), positional.begin()) && parts.size() > words) {
      command = &c;
      words = parts.size();
    }
  }
  if (!command) {
    if (help || positional.empty()) {
      PrintUsage(commands);
      return help ? 0 : 2;
    }
    std::cerr << "h2harness: unknown command \"" << absl::StrJoin(positional, " ")
              << "\"; see h2harness --help\n";
    return 2;
  }
  if (help) {
    PrintCommandUsage(*command);
    return 0;
  }
  positional.erase(positional.begin(), positional.begin() + words);
  return command->run(positional);
}
