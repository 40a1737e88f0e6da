// The kinds of flag values the suite's command lines take, each parsed one way (numbers and
// durations by cli_numbers.hpp) and each with its range in the help and in the error line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/cli_flags.hpp"

namespace tigress::cli {

// The values a number flag accepts, with the unit the help and the error line name ("seconds").
struct Range {
  long long min = 0;
  long long max = 0;
  std::string unit;
  std::string describe() const;  // "1..256", "1..600 seconds"
};

// --name: sets `target` to true.
Flag switch_flag(std::string name, std::string help, bool& target);
// --name VALUE: the text as given (an empty value is refused when `non_empty`).
Flag text_flag(std::string name, std::string value_name, std::string help, std::string& target, bool non_empty = false);
// --name VALUE, repeatable: every value is appended.
Flag list_flag(std::string name, std::string value_name, std::string help, std::vector<std::string>& target);
// --name N: a whole number within `range`. The help names the range after `help`.
Flag count_flag(std::string name, std::string value_name, std::string help, Range range, long long& target);
Flag count_flag(std::string name, std::string value_name, std::string help, Range range, int& target);
// --name DURATION: seconds, or a number with s, m, h or d, at most `max_seconds`.
Flag duration_flag(std::string name, std::string value_name, std::string help, long long& target,
                   long long max_seconds = 0);
// --name N: any non-negative integer; set when given.
Flag seed_flag(std::string name, std::string help, std::optional<std::uint64_t>& target);

}  // namespace tigress::cli
