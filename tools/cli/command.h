// The h2harness CLI's command table. main.cc only dispatches; each command group (hpack,
// stories, ...) lives in its own file and returns its commands from a function declared here.
//
// Flags are Abseil flags, global to the binary: a group defines its own with ABSL_FLAG in its
// file; flags shared by several groups are declared in common.h.
#ifndef H2HARNESS_TOOLS_CLI_COMMAND_H_
#define H2HARNESS_TOOLS_CLI_COMMAND_H_

#include <functional>
#include <string>
#include <vector>

namespace cli {

struct Command {
  std::string name;     // "hpack decode": the words that select it
  std::string args;     // positional arguments, for the usage line
  std::string summary;  // what it does; the part before the first ": " is the one-line summary
  std::vector<std::string> flags;  // flag names (underscored) shown by COMMAND --help
  std::function<int(const std::vector<std::string>& args)> run;  // returns the exit status
};

// One function per command group (one file each).
std::vector<Command> HpackCommands();    // hpack_commands.cc
std::vector<Command> StoriesCommands();  // stories_commands.cc
std::vector<Command> ServeCommands();    // serve_command.cc
std::vector<Command> ProbeCommands();    // probe_command.cc

}  // namespace cli

#endif  // H2HARNESS_TOOLS_CLI_COMMAND_H_
