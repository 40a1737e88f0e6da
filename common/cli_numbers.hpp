// Numbers and durations on the command lines of every tool of the suite, parsed one way:
// plain decimal digits only (no sign, no spaces, no overflow), durations with an optional unit.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tigress::cli {

// The most parallel workers a --jobs flag accepts (relay cases, model sequences): beyond it the
// suite would only contend with itself on the target.
inline constexpr long long kMaxJobs = 256;

// "0".."999999999999999999"; anything else (sign, spaces, letters, more than 18 digits) fails.
inline std::optional<long long> parse_count(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// A positive number of seconds with an optional unit: "3600", "90s", "30m", "48h", "2d".
inline std::optional<long long> parse_duration(std::string_view text) {
  long long unit = 1;
  if (!text.empty() && std::string_view("smhd").find(text.back()) != std::string_view::npos) {
    unit = text.back() == 's' ? 1 : text.back() == 'm' ? 60 : text.back() == 'h' ? 3600 : 86400;
    text.remove_suffix(1);
  }
  auto value = parse_count(text);
  if (!value || *value <= 0 || text.size() > 12) return std::nullopt;
  return *value * unit;
}

}  // namespace tigress::cli
