#include "reference/codec/timestamp.hpp"

#include <cstdio>
#include <optional>

namespace tigress::codec {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::int64_t kDaysPerEra = 146097;  // 400 Gregorian years repeat exactly

constexpr bool is_leap_year(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

constexpr int days_in_month(std::int64_t year, int month) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// Days from 0000-03-01 (proleptic Gregorian) to the given date. Counting years from March puts
// the leap day at the end of the counted year, so the month offsets need no leap correction and
// (153 * m + 2) / 5 yields the cumulative lengths 0, 31, 61, 92, ... of Mar..Feb. Valid for
// year >= 1 (the shifted year is then >= 0 and every division here is a floor).
constexpr std::int64_t days_from_march_zero(std::int64_t year, int month, int day) {
  const std::int64_t y = month <= 2 ? year - 1 : year;
  const std::int64_t m = month <= 2 ? month + 9 : month - 3;  // March = 0 ... February = 11
  return 365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + (day - 1);
}

constexpr std::int64_t kEpochDay = days_from_march_zero(1970, 1, 1);
static_assert(kEpochDay == 719468);

constexpr std::int64_t days_from_civil(std::int64_t year, int month, int day) {
  return days_from_march_zero(year, month, day) - kEpochDay;
}

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

struct CivilDate {
  std::int64_t year;
  int month;
  int day;
};

// Start (in days from the era's 1 March) of the year-of-era y, 0 <= y <= 400.
constexpr std::int64_t start_of_year_in_era(std::int64_t y) { return 365 * y + y / 4 - y / 100; }

constexpr CivilDate civil_from_days(std::int64_t days_since_epoch) {
  const std::int64_t z = days_since_epoch + kEpochDay;
  const std::int64_t era = floor_div(z, kDaysPerEra);
  const std::int64_t day_of_era = z - era * kDaysPerEra;  // 0 .. 146096
  // A proportional first guess is off by at most one year; correct it against exact starts.
  std::int64_t y = day_of_era * 400 / kDaysPerEra;
  while (y > 0 && start_of_year_in_era(y) > day_of_era) --y;
  while (y < 399 && start_of_year_in_era(y + 1) <= day_of_era) ++y;
  const std::int64_t day_of_year = day_of_era - start_of_year_in_era(y);  // from 1 March
  const std::int64_t m = (5 * day_of_year + 2) / 153;                     // March = 0
  const int day = static_cast<int>(day_of_year - (153 * m + 2) / 5 + 1);
  const int month = static_cast<int>(m < 10 ? m + 3 : m - 9);
  return {era * 400 + y + (month <= 2 ? 1 : 0), month, day};
}

static_assert(civil_from_days(0).year == 1970 && civil_from_days(0).month == 1);
static_assert(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28) == 2);

constexpr UnixSeconds kMinSeconds = days_from_civil(1, 1, 1) * kSecondsPerDay;
constexpr UnixSeconds kMaxSeconds = days_from_civil(9999, 12, 31) * kSecondsPerDay + 86399;

// Reads the text left to right; every accessor reports where it failed.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  std::size_t position() const { return pos_; }
  bool at_end() const { return pos_ == text_.size(); }
  std::optional<char> peek() const { return at_end() ? std::nullopt : std::optional<char>(text_[pos_]); }
  void advance() { ++pos_; }

  // Exactly `count` ASCII digits (not std::isdigit: locale-independent, and other scripts'
  // digits must never pass).
  Result<int> digits(int count, std::string_view what) {
    int value = 0;
    for (int i = 0; i < count; ++i) {
      if (at_end() || text_[pos_] < '0' || text_[pos_] > '9') {
        return make_error(std::string(what) + ": expected " + std::to_string(count) + " digits at offset " +
                          std::to_string(pos_ - i));
      }
      value = value * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    return value;
  }

  Status literal(char expected, std::string_view what) {
    if (at_end() || text_[pos_] != expected) {
      return make_error(std::string("expected '") + expected + "' (" + std::string(what) + ") at offset " +
                        std::to_string(pos_));
    }
    ++pos_;
    return {};
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

struct Fields {
  int year, month, day, hour, minute, second;
};

Status check_ranges(const Fields& f) {
  if (f.year < 1) return make_error("year 0000 is outside 0001-9999");
  if (f.month < 1 || f.month > 12) {
    return make_error("month " + std::to_string(f.month) + " is outside 01-12");
  }
  if (f.day < 1 || f.day > days_in_month(f.year, f.month)) {
    return make_error("day " + std::to_string(f.day) + " does not exist in " + std::to_string(f.year) + "-" +
                      (f.month < 10 ? "0" : "") + std::to_string(f.month));
  }
  if (f.hour > 23) return make_error("hour " + std::to_string(f.hour) + " is outside 00-23");
  if (f.minute > 59) {
    return make_error("minute " + std::to_string(f.minute) + " is outside 00-59");
  }
  if (f.second == 60) {
    return make_error("leap second :60 refused (the relay cannot tell whether it existed)");
  }
  if (f.second > 59) {
    return make_error("second " + std::to_string(f.second) + " is outside 00-59");
  }
  return {};
}

#define TIGRESS_TRY(var, expr) \
  auto var = (expr);           \
  if (!var) return var.error()

Result<UnixSeconds> parse(std::string_view text, bool lenient) {
  Cursor in(text);
  Fields f{};
  TIGRESS_TRY(year, in.digits(4, "year"));
  TIGRESS_TRY(dash1, in.literal('-', "date separator"));
  TIGRESS_TRY(month, in.digits(2, "month"));
  TIGRESS_TRY(dash2, in.literal('-', "date separator"));
  TIGRESS_TRY(day, in.digits(2, "day"));
  if (lenient && in.peek() == 't') {
    in.advance();
  } else {
    TIGRESS_TRY(t, in.literal('T', lenient ? "'T' or 't' between date and time" : "upper-case T"));
  }
  TIGRESS_TRY(hour, in.digits(2, "hour"));
  TIGRESS_TRY(colon1, in.literal(':', "time separator"));
  TIGRESS_TRY(minute, in.digits(2, "minute"));
  TIGRESS_TRY(colon2, in.literal(':', "time separator"));
  TIGRESS_TRY(second, in.digits(2, "second"));
  f = {*year, *month, *day, *hour, *minute, *second};

  if (lenient && in.peek() == '.') {
    // RFC 3339 time-secfrac: one or more digits. Dropping them truncates toward the past
    // because the instant is always later than its whole-second prefix.
    in.advance();
    const std::size_t start = in.position();
    while (!in.at_end() && *in.peek() >= '0' && *in.peek() <= '9') in.advance();
    if (in.position() == start) {
      return make_error("expected a digit after '.' at offset " + std::to_string(start));
    }
  }

  std::int64_t offset_seconds = 0;
  const auto zone = in.peek();
  if (zone == 'Z' || (lenient && zone == 'z')) {
    in.advance();
  } else if (lenient && (zone == '+' || zone == '-')) {
    in.advance();
    TIGRESS_TRY(off_hour, in.digits(2, "offset hour"));
    TIGRESS_TRY(colon3, in.literal(':', "offset separator"));
    TIGRESS_TRY(off_minute, in.digits(2, "offset minute"));
    if (*off_hour > 23) return make_error("offset hour is outside 00-23");
    if (*off_minute > 59) return make_error("offset minute is outside 00-59");
    // "-00:00" (RFC 3339 section 4.3, unknown local offset) still denotes a UTC instant.
    offset_seconds = (*off_hour * 3600 + *off_minute * 60) * (zone == '-' ? -1 : 1);
  } else {
    return make_error(std::string(lenient ? "expected 'Z', 'z' or a numeric offset"
                                          : "expected 'Z' (strict form YYYY-MM-DDThh:mm:ssZ)") +
                      " at offset " + std::to_string(in.position()));
  }
  if (!in.at_end()) {
    return make_error("unexpected trailing characters at offset " + std::to_string(in.position()));
  }
  if (auto status = check_ranges(f); !status) return status.error();

  const UnixSeconds local =
      days_from_civil(f.year, f.month, f.day) * kSecondsPerDay + f.hour * 3600 + f.minute * 60 + f.second;
  const UnixSeconds utc = local - offset_seconds;
  // Keep every accepted value printable by format_timestamp (an offset can push
  // 0001-01-01T00:30+01:00 into year 0 or 9999-12-31T23:30-01:00 into year 10000).
  if (utc < kMinSeconds || utc > kMaxSeconds) {
    return make_error("instant falls outside years 0001-9999 once converted to UTC");
  }
  return utc;
}

#undef TIGRESS_TRY

}  // namespace

Result<UnixSeconds> parse_timestamp_strict(std::string_view text) { return parse(text, false); }

Result<UnixSeconds> parse_rfc3339(std::string_view text) { return parse(text, true); }

std::string format_timestamp(UnixSeconds seconds) {
  // Remainder first: days * 86400 could overflow for inputs near INT64_MIN, which break the
  // precondition but must still not be undefined behaviour.
  std::int64_t second_of_day = seconds % kSecondsPerDay;
  if (second_of_day < 0) second_of_day += kSecondsPerDay;
  const std::int64_t days = floor_div(seconds, kSecondsPerDay);
  const CivilDate date = civil_from_days(days);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02dT%02d:%02d:%02dZ", static_cast<long long>(date.year),
                date.month, date.day, static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
                static_cast<int>(second_of_day % 60));
  return buffer;
}

}  // namespace tigress::codec
