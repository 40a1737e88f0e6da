#include "common/cli_numbers.hpp"

#include <gtest/gtest.h>

namespace {

using tigress::cli::parse_count;
using tigress::cli::parse_duration;

TEST(CliNumbers, CountAcceptsPlainDecimalDigitsUpTo18) {
  EXPECT_EQ(parse_count("0"), 0);
  EXPECT_EQ(parse_count("007"), 7);
  EXPECT_EQ(parse_count("4096"), 4096);
  EXPECT_EQ(parse_count("999999999999999999"), 999999999999999999LL);
}

TEST(CliNumbers, CountRejectsSignsSpacesLettersAndOverlongInput) {
  for (const char* text :
       {"", "-1", "+1", " 1", "1 ", "1e3", "0x10", "12a", "1.5", "1000000000000000000" /* 19 digits */}) {
    EXPECT_FALSE(parse_count(text).has_value()) << '"' << text << '"';
  }
}

TEST(CliNumbers, DurationTakesSecondsOrAUnit) {
  EXPECT_EQ(parse_duration("3600"), 3600);
  EXPECT_EQ(parse_duration("90s"), 90);
  EXPECT_EQ(parse_duration("30m"), 30 * 60);
  EXPECT_EQ(parse_duration("48h"), 48 * 60 * 60);
  EXPECT_EQ(parse_duration("2d"), 2 * 24 * 60 * 60);
  EXPECT_EQ(parse_duration("999999999999d"), 999999999999LL * 24 * 60 * 60);  // 12 digits, no overflow
}

TEST(CliNumbers, DurationRejectsZeroMissingNumberUnknownUnitAndOverlongInput) {
  for (const char* text : {"", "0", "0s", "s", "m", "-5m", "5 m", "5ms", "5w", "1h30m", "5S",
                           "1000000000000" /* 13 digits */, "1000000000000d"}) {
    EXPECT_FALSE(parse_duration(text).has_value()) << '"' << text << '"';
  }
}

}  // namespace
