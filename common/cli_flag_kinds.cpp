#include "common/cli_flag_kinds.hpp"

#include "common/cli_numbers.hpp"

namespace tigress::cli {
namespace {

Result<long long> in_range(const std::string& value, const Range& range) {
  const auto number = parse_count(value);
  if (!number || *number < range.min || *number > range.max) return make_error("takes " + range.describe());
  return *number;
}

// The range closes the help text: "cases run in parallel (default 8); 1..256".
std::string with_range(std::string help, const Range& range) { return help + "; " + range.describe(); }

}  // namespace

std::string Range::describe() const {
  return std::to_string(min) + ".." + std::to_string(max) + (unit.empty() ? "" : " " + unit);
}

Flag switch_flag(std::string name, std::string help, bool& target) {
  return {std::move(name), "", std::move(help), [&target](const std::string&) -> Status {
            target = true;
            return {};
          }};
}

Flag text_flag(std::string name, std::string value_name, std::string help, std::string& target, bool non_empty) {
  return {std::move(name), std::move(value_name), std::move(help),
          [&target, non_empty](const std::string& value) -> Status {
            if (non_empty && value.empty()) return make_error("needs a value (see --help)");
            target = value;
            return {};
          }};
}

Flag list_flag(std::string name, std::string value_name, std::string help, std::vector<std::string>& target) {
  return {std::move(name), std::move(value_name), std::move(help), [&target](const std::string& value) -> Status {
            target.push_back(value);
            return {};
          }};
}

Flag count_flag(std::string name, std::string value_name, std::string help, Range range, long long& target) {
  std::string shown = with_range(std::move(help), range);
  return {std::move(name), std::move(value_name), std::move(shown),
          [&target, range](const std::string& value) -> Status {
            auto number = in_range(value, range);
            if (!number) return number.error();
            target = *number;
            return {};
          }};
}

Flag count_flag(std::string name, std::string value_name, std::string help, Range range, int& target) {
  std::string shown = with_range(std::move(help), range);
  return {std::move(name), std::move(value_name), std::move(shown),
          [&target, range](const std::string& value) -> Status {
            auto number = in_range(value, range);
            if (!number) return number.error();
            target = static_cast<int>(*number);
            return {};
          }};
}

Flag duration_flag(std::string name, std::string value_name, std::string help, long long& target,
                   long long max_seconds) {
  return {std::move(name), std::move(value_name), std::move(help),
          [&target, max_seconds](const std::string& value) -> Status {
            const auto seconds = parse_duration(value);
            if (!seconds || (max_seconds > 0 && *seconds > max_seconds)) {
              return make_error("takes a duration such as 3600, 90s, 30m, 48h, 2d" +
                                (max_seconds > 0 ? " (at most " + std::to_string(max_seconds) + " s)" : std::string()));
            }
            target = *seconds;
            return {};
          }};
}

Flag seed_flag(std::string name, std::string help, std::optional<std::uint64_t>& target) {
  return {std::move(name), "N", std::move(help), [&target](const std::string& value) -> Status {
            const auto seed = parse_count(value);
            if (!seed) return make_error("takes a non-negative integer");
            target = static_cast<std::uint64_t>(*seed);
            return {};
          }};
}

}  // namespace tigress::cli
