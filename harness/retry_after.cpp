#include "harness/retry_after.hpp"

#include <array>
#include <cstdio>
#include <string>

#include "harness/http_text.hpp"
#include "common/cli_numbers.hpp"

namespace tigress::harness {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::optional<int> month_number(std::string_view name) {
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == name) return static_cast<int>(i) + 1;
  }
  return std::nullopt;
}

std::optional<int> digits(std::string_view text, std::size_t count) {
  if (text.size() != count) return std::nullopt;
  auto value = cli::parse_count(text);
  if (!value) return std::nullopt;
  return static_cast<int>(*value);
}

// Calendar checks (real days, no leap seconds) are those of the RFC 3339 parser.
std::optional<codec::UnixSeconds> to_unix(int year, std::optional<int> month, std::optional<int> day,
                                          std::string_view clock) {
  if (!month || !day || clock.size() != 8 || clock[2] != ':' || clock[5] != ':') return std::nullopt;
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%.8sZ", year, *month, *day, std::string(clock).c_str());
  auto parsed = codec::parse_timestamp_strict(text);
  if (!parsed) return std::nullopt;
  return *parsed;
}

// IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", obsolete RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT",
// asctime "Sun Nov  6 08:49:37 1994". Weekday names are not checked against the date.
std::optional<codec::UnixSeconds> parse_http_date(std::string_view text) {
  const std::size_t comma = text.find(", ");
  if (comma != std::string_view::npos) {
    std::string_view rest = text.substr(comma + 2);
    if (rest.size() == 24 && rest.substr(20) == " GMT" && rest[2] == ' ' && rest[6] == ' ' && rest[11] == ' ') {
      auto year = digits(rest.substr(7, 4), 4);
      if (!year) return std::nullopt;
      return to_unix(*year, month_number(rest.substr(3, 3)), digits(rest.substr(0, 2), 2), rest.substr(12, 8));
    }
    if (rest.size() == 22 && rest.substr(18) == " GMT" && rest[2] == '-' && rest[6] == '-' && rest[9] == ' ') {
      auto year = digits(rest.substr(7, 2), 2);
      if (!year) return std::nullopt;
      // Two-digit years: RFC 9110 asks for the most recent past century reading; 70-99 and 00-69
      // is that reading for every date a relay can send today.
      const int full_year = *year >= 70 ? 1900 + *year : 2000 + *year;
      return to_unix(full_year, month_number(rest.substr(3, 3)), digits(rest.substr(0, 2), 2), rest.substr(10, 8));
    }
    return std::nullopt;
  }
  if (text.size() == 24 && text[3] == ' ' && text[7] == ' ' && text[10] == ' ' && text[19] == ' ') {
    std::string_view day_text = text.substr(8, 2);
    if (day_text.front() == ' ') day_text.remove_prefix(1);
    auto year = digits(text.substr(20, 4), 4);
    if (!year) return std::nullopt;
    return to_unix(*year, month_number(text.substr(4, 3)), digits(day_text, day_text.size()), text.substr(11, 8));
  }
  return std::nullopt;
}

}  // namespace

std::optional<long long> retry_after_seconds(std::string_view value, codec::UnixSeconds now) {
  value = trim_ows(value);
  if (auto delta = cli::parse_count(value)) return *delta;
  auto date = parse_http_date(value);
  if (!date) return std::nullopt;
  return *date > now ? *date - now : 0;
}

}  // namespace tigress::harness
