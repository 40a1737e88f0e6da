// Command-line grammar of tigress-client: `tigress-client COMMAND [--option VALUE | --flag]...`.
// Parsing only checks the shape (known command, known options, values present, nothing
// repeated, required options given); what the values mean is checked by the commands.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

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

// An Error here is a usage error (exit code 2). "--help" anywhere wins over missing options.
Result<CommandLine> parse_command_line(const std::vector<std::string>& args);

std::string general_usage();
std::string command_usage(std::string_view command);  // general_usage() for unknown commands

}  // namespace tigress::client
