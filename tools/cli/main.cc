// h2harness: the command-line tool. `h2harness --help` lists the commands;
// `h2harness COMMAND --help` describes one. This file only dispatches: each command group
// lives in its own file (command.h).
//
// Flags are Abseil flags; on the command line they may be spelled with dashes
// (--table-size) or underscores (--table_size).
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tools/cli/command.h"

namespace {

using cli::Command;

std::vector<Command> Commands() {
  std::vector<Command> all;
  for (auto group : {cli::HpackCommands, cli::StoriesCommands, cli::ServeCommands,
                     cli::ProbeCommands}) {
    for (Command& c : group()) all.push_back(std::move(c));
  }
  return all;
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
