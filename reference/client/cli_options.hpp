// Command-line grammar of tigress-client: `tigress-client [GLOBAL...] COMMAND [--option VALUE |
// --flag]...`, on the suite's one flag-table layer (common/cli_flags.hpp): each command's table
// parses its command line and prints its --help. Parsing only checks the shape (known command,
// known options, values present, nothing repeated, required options given); what the values
// mean is checked by the commands.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/cli_flags.hpp"
#include "common/result.hpp"

namespace tigress::client {

struct CommandLine {
  std::string command;                        // "share", "receive", ...; empty with --help alone
  std::map<std::string, std::string> values;  // option name without "--" -> value
  std::set<std::string> flags;                // "insecure", "help"

  bool has(std::string_view name) const { return values.count(std::string(name)) != 0; }
  bool flag(std::string_view name) const { return flags.count(std::string(name)) != 0; }
  std::optional<std::string> value(std::string_view name) const;
};

// The commands, in the order the help lists them.
std::vector<std::string> command_names();

// The table of `command` (its own options, then the common ones), bound to `line`; an empty
// table for an unknown command.
cli::FlagTable command_flag_table(std::string_view command, CommandLine& line);

// The options before the command, for testing conformance suites: deliberate defects and
// defensible variants, and their lists.
struct GlobalOptions {
  std::vector<std::string> defects;   // --defect NAME, in order
  std::vector<std::string> variants;  // --variant NAME, in order
  bool list_defects = false;
  bool list_variants = false;
};
cli::FlagTable global_flag_table(GlobalOptions& options);

// An Error here is a usage error (exit code 2). "--help" anywhere wins over missing options.
Result<CommandLine> parse_command_line(const std::vector<std::string>& args);

std::string general_usage();
std::string command_usage(std::string_view command);  // general_usage() for unknown commands

}  // namespace tigress::client
