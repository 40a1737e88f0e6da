// The one command-line layer of the suite's programs: a table of flags that both parses a
// command line and prints its --help, so the two cannot drift apart. Each flag is declared once
// (spelling, value placeholder, help lines, what its value does); flags several programs or
// modes share are declared by one function that adds them to a table (cli_flag_kinds.hpp builds
// the typed ones, with their ranges).
//
// Grammar: `--name VALUE` or `--name=VALUE` for a flag that takes a value, `--name` for a switch;
// a later occurrence of a flag overrides an earlier one unless the flag collects its values;
// `--help` / `-h` anywhere asks for the help; an argument not starting with "--" is a positional
// argument when the table takes them, else a usage error.
#pragma once

#include <optional>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace tigress::cli {

// The exit status of every usage error (unknown flag, bad value, missing value or argument).
inline constexpr int kExitUsage = 2;

struct Flag {
  std::string name;        // "--jobs"
  std::string value_name;  // "N" in the help; empty: a switch, which takes no value
  std::string help;        // the help text; '\n' starts a continuation line
  // Applies the value ("" for a switch); an error says why the value is wrong, without the flag
  // name (the table prefixes it).
  std::function<Status(const std::string& value)> apply;
};

class FlagTable {
 public:
  // Later flags are listed under this heading in the help ("" for none).
  FlagTable& group(std::string heading);
  FlagTable& add(Flag flag);
  // Arguments that are not flags go to `apply` (shown in the help's usage as `value_name...`);
  // without this, such an argument is a usage error.
  FlagTable& positional(std::string value_name, std::function<Status(const std::string&)> apply);

  // Applies every argument. True when --help or -h was given (nothing after it is applied);
  // an error is one line naming the flag or argument at fault. A table with defects() parses
  // nothing.
  Result<bool> parse(const std::vector<std::string>& args) const;
  // Applies args[i] if it is one of this table's flags (i then points at the value it used):
  // false when it is not one of them.
  Result<bool> take(const std::vector<std::string>& args, std::size_t& i) const;

  const Flag* find(std::string_view name) const;
  // The option lines, grouped under their headings, help columns aligned.
  std::string help() const;
  // Defects of the table itself: a name defined twice, a name not starting with "--", a flag
  // without help or without an apply function. Empty when sound (the unit tests check every table).
  std::vector<std::string> defects() const;
  std::vector<std::string> names() const;

 private:
  struct Entry {
    std::string heading;
    Flag flag;
  };
  Result<bool> take_value(const Flag& flag, const std::vector<std::string>& args, std::size_t& i,
                          const std::string* inline_value) const;
  std::vector<Entry> entries_;
  std::string current_heading_;
  std::string positional_name_;
  std::function<Status(const std::string&)> positional_;
};

// What a program or mode prints for --help: its usage line(s), what it does, the table's flags,
// then the closing text (exit statuses).
struct CommandHelp {
  std::string usage;        // "usage: tigress-conform replay --target URL [options] PATH..."
  std::string description;  // paragraphs; may be empty
  std::string footer;       // "Exit status: ..."; may be empty
};
std::string render_help(const CommandHelp& help, const FlagTable& table);

// An argument as an error line may echo it: a user's stray argument may be a pasted secret (a
// share URL with its #key) or terminal escapes, so only short plain text is shown.
std::string shown_argument(std::string_view arg);

// The one-line usage error every program prints: "PROGRAM: MESSAGE (see --help)" on `err`,
// newlines in MESSAGE flattened; returns kExitUsage.
int usage_error(std::string_view program, std::string_view message);

// The start of every mode: parses `args` into `table`'s bindings. Returns the exit status when
// the run ends here (the usage error, or 0 after printing --help), std::nullopt to go on.
std::optional<int> parse_or_exit(const FlagTable& table, const std::vector<std::string>& args, const CommandHelp& help,
                                 std::string_view program);

}  // namespace tigress::cli
