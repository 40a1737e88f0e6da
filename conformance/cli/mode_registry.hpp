// The modes of tigress-conform as one table: a name, a line for the top-level help and the
// function that runs it. The program lists its modes once (conformance/main.cpp); the dispatch,
// the top-level --help and the unknown-mode error come from that list.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/cli_flags.hpp"

namespace tigress::conformance {

struct Mode {
  std::string name;
  std::string summary;  // the top-level help's text for the mode; '\n' starts a continuation line
  // Runs the mode on the arguments after its name; `command_line` is the whole invocation as the
  // reports record it (header values redacted). Returns the exit status.
  std::function<int(const std::vector<std::string>& args, const std::string& command_line)> run;
};

// The top-level help: `help.usage`, the description, every mode with its summary, the footer.
std::string modes_help(const std::vector<Mode>& modes, const cli::CommandHelp& help);

// argv[0] is the program; argv[1] the mode. No argument: the help on stdout and exit status 2;
// --help / -h: the help, 0; an unknown mode: one usage line, 2.
int run_modes(const std::vector<Mode>& modes, const cli::CommandHelp& help, const std::vector<std::string>& argv);

}  // namespace tigress::conformance
