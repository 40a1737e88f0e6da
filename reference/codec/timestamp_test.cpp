#include "reference/codec/timestamp.hpp"

#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tigress::codec {
namespace {

constexpr UnixSeconds kDay = 86400;

UnixSeconds strict(std::string_view text) {
  auto result = parse_timestamp_strict(text);
  EXPECT_TRUE(result.ok()) << text << ": " << (result.ok() ? "" : result.error().message());
  return result.ok() ? *result : -1;
}

UnixSeconds rfc(std::string_view text) {
  auto result = parse_rfc3339(text);
  EXPECT_TRUE(result.ok()) << text << ": " << (result.ok() ? "" : result.error().message());
  return result.ok() ? *result : -1;
}

void expect_both_reject(std::string_view text) {
  EXPECT_FALSE(parse_timestamp_strict(text).ok()) << "strict accepted " << text;
  EXPECT_FALSE(parse_rfc3339(text).ok()) << "rfc3339 accepted " << text;
}

TEST(Timestamp, KnownInstants) {
  EXPECT_EQ(strict("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(strict("1970-01-02T00:00:01Z"), kDay + 1);
  EXPECT_EQ(strict("1969-12-31T23:59:59Z"), -1);
  EXPECT_EQ(strict("2000-01-01T00:00:00Z"), 946684800);
  EXPECT_EQ(strict("2001-09-09T01:46:40Z"), 1000000000);
  EXPECT_EQ(strict("2038-01-19T03:14:07Z"), 2147483647);
  EXPECT_EQ(strict("2038-01-19T03:14:08Z"), 2147483648);
  EXPECT_EQ(strict("2024-02-29T12:34:56Z"), 1709210096);
  EXPECT_EQ(strict("0001-01-01T00:00:00Z"), -62135596800);
  EXPECT_EQ(strict("9999-12-31T23:59:59Z"), 253402300799);
}

TEST(Timestamp, FormatIsTheStrictForm) {
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(format_timestamp(1709210096), "2024-02-29T12:34:56Z");
  EXPECT_EQ(format_timestamp(-62135596800), "0001-01-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(253402300799), "9999-12-31T23:59:59Z");
  EXPECT_EQ(format_timestamp(951782400), "2000-02-29T00:00:00Z");
  EXPECT_EQ(format_timestamp(951868800), "2000-03-01T00:00:00Z");
}

TEST(Timestamp, FormatNeverCrashesOutsideItsPrecondition) {
  // Garbage out is fine; undefined behaviour is not (UBSan watches this test).
  for (UnixSeconds s : {std::numeric_limits<UnixSeconds>::min(), std::numeric_limits<UnixSeconds>::max(),
                        UnixSeconds{-62135596801}, UnixSeconds{253402300800}}) {
    EXPECT_FALSE(format_timestamp(s).empty());
  }
  EXPECT_EQ(format_timestamp(253402300800), "10000-01-01T00:00:00Z");
}

TEST(Timestamp, EveryDayOfFourHundredYearsRoundTrips) {
  // One Gregorian cycle plus margins, day by day: parse(format(x)) == x and days are
  // consecutive, which pins leap-year handling without another implementation to compare with.
  const UnixSeconds start = strict("1899-12-30T00:00:00Z");
  std::string previous;
  for (UnixSeconds day = 0; day < 146097 + 800; ++day) {
    const UnixSeconds t = start + day * kDay + 3723;
    const std::string text = format_timestamp(t);
    ASSERT_EQ(text.size(), 20U) << text;
    ASSERT_LT(previous, text);
    auto parsed = parse_timestamp_strict(text);
    ASSERT_TRUE(parsed.ok()) << text;
    ASSERT_EQ(*parsed, t) << text;
    previous = text;
  }
}

TEST(Timestamp, LeapDaysFollowTheGregorianRules) {
  EXPECT_EQ(strict("2000-03-01T00:00:00Z") - strict("2000-02-29T00:00:00Z"), kDay);
  EXPECT_EQ(strict("2024-03-01T00:00:00Z") - strict("2024-02-28T00:00:00Z"), 2 * kDay);
  EXPECT_EQ(strict("2023-03-01T00:00:00Z") - strict("2023-02-28T00:00:00Z"), kDay);
  EXPECT_TRUE(parse_timestamp_strict("1600-02-29T00:00:00Z").ok());
  EXPECT_TRUE(parse_timestamp_strict("0004-02-29T00:00:00Z").ok());
  expect_both_reject("1900-02-29T00:00:00Z");  // divisible by 100, not by 400
  expect_both_reject("2100-02-29T00:00:00Z");
  expect_both_reject("2023-02-29T00:00:00Z");
  expect_both_reject("0100-02-29T00:00:00Z");
  expect_both_reject("2024-02-30T00:00:00Z");
}

TEST(Timestamp, FieldRanges) {
  expect_both_reject("2024-00-10T00:00:00Z");
  expect_both_reject("2024-13-10T00:00:00Z");
  expect_both_reject("2024-01-00T00:00:00Z");
  expect_both_reject("2024-01-32T00:00:00Z");
  expect_both_reject("2024-04-31T00:00:00Z");
  expect_both_reject("2024-06-31T00:00:00Z");
  expect_both_reject("2024-09-31T00:00:00Z");
  expect_both_reject("2024-11-31T00:00:00Z");
  EXPECT_TRUE(parse_timestamp_strict("2024-12-31T00:00:00Z").ok());
  expect_both_reject("2024-01-10T24:00:00Z");
  expect_both_reject("2024-01-10T23:60:00Z");
  expect_both_reject("2024-01-10T23:59:61Z");
  expect_both_reject("2024-01-10T23:59:99Z");
  EXPECT_TRUE(parse_timestamp_strict("2024-01-10T23:59:59Z").ok());
}

TEST(Timestamp, LeapSecondsAreRefusedWithAReason) {
  auto result = parse_rfc3339("1998-12-31T23:59:60Z");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().reason.find("leap"), std::string::npos);
  expect_both_reject("2016-12-31T23:59:60Z");
}

TEST(Timestamp, YearZeroIsRefused) {
  auto result = parse_timestamp_strict("0000-01-01T00:00:00Z");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().reason.find("0000"), std::string::npos);
  EXPECT_FALSE(parse_rfc3339("0000-12-31T23:59:59Z").ok());
}

TEST(Timestamp, StrictShapeOnly) {
  for (const char* bad : {"2024-01-10T10:00:00z", "2024-01-10t10:00:00Z", "2024-01-10 10:00:00Z", "2024-01-10T10:00:00",
                          "2024-01-10T10:00:00.5Z", "2024-01-10T10:00:00+00:00", "2024-01-10T10:00Z",
                          "2024-1-10T10:00:00Z", "2024-01-1T10:00:00Z", "24-01-10T10:00:00Z", "+2024-01-10T10:00:00Z",
                          "12024-01-10T10:00:00Z", "2024-01-10T10:00:00Z ", " 2024-01-10T10:00:00Z",
                          "2024-01-10T10:00:00ZZ", "2024/01/10T10:00:00Z", "20240110T100000Z", "2024-01-10", ""}) {
    EXPECT_FALSE(parse_timestamp_strict(bad).ok()) << bad;
  }
}

TEST(Timestamp, Rfc3339Extensions) {
  const UnixSeconds base = strict("2024-01-10T10:00:00Z");
  EXPECT_EQ(rfc("2024-01-10T10:00:00Z"), base);
  EXPECT_EQ(rfc("2024-01-10t10:00:00z"), base);
  EXPECT_EQ(rfc("2024-01-10T10:00:00.999999999Z"), base);  // truncated toward the past
  EXPECT_EQ(rfc("2024-01-10T10:00:00.0Z"), base);
  EXPECT_EQ(rfc("2024-01-10T11:00:00+01:00"), base);
  EXPECT_EQ(rfc("2024-01-10T04:30:00-05:30"), base);
  EXPECT_EQ(rfc("2024-01-10T10:00:00+00:00"), base);
  EXPECT_EQ(rfc("2024-01-10T10:00:00-00:00"), base);  // RFC 3339 4.3: UTC, offset unknown
  EXPECT_EQ(rfc("2024-01-10T10:00:00.5+00:00"), base);
}

TEST(Timestamp, OffsetsCrossDayMonthAndYearBoundaries) {
  // MBX-CREATE-09's own example.
  EXPECT_EQ(format_timestamp(rfc("2030-01-01T00:00:00+01:00")), "2029-12-31T23:00:00Z");
  EXPECT_EQ(format_timestamp(rfc("2029-12-31T23:30:00-01:00")), "2030-01-01T00:30:00Z");
  EXPECT_EQ(format_timestamp(rfc("2024-03-01T00:59:59+01:00")), "2024-02-29T23:59:59Z");
  EXPECT_EQ(format_timestamp(rfc("2023-03-01T00:00:00+23:59")), "2023-02-28T00:01:00Z");
  EXPECT_EQ(format_timestamp(rfc("2024-02-28T23:00:00-23:59")), "2024-02-29T22:59:00Z");
}

TEST(Timestamp, OffsetsThatLeaveTheRepresentableRangeAreRefused) {
  expect_both_reject("0001-01-01T00:30:00+01:00");
  expect_both_reject("9999-12-31T23:30:00-01:00");
  EXPECT_TRUE(parse_rfc3339("0001-01-01T01:00:00+01:00").ok());
  EXPECT_TRUE(parse_rfc3339("9999-12-31T22:59:59-01:00").ok());
}

TEST(Timestamp, MalformedOffsetsAndFractions) {
  for (const char* bad :
       {"2024-01-10T10:00:00+01", "2024-01-10T10:00:00+0100", "2024-01-10T10:00:00+24:00", "2024-01-10T10:00:00+01:60",
        "2024-01-10T10:00:00+1:00", "2024-01-10T10:00:00.Z", "2024-01-10T10:00:00.5", "2024-01-10T10:00:00,5Z",
        "2024-01-10T10:00:00+01:00Z", "2024-01-10T10:00:00Z+01:00", "2024-01-10T10:00:00 +01:00",
        "2024-01-10T10:00:00.5.5Z", "2024-01-10T10:00:00+0a:00", "2024-01-10T10:00:00+00:00\n"}) {
    expect_both_reject(bad);
  }
}

TEST(Timestamp, NonAsciiDigitsAreRefused) {
  expect_both_reject("1963-06-1\xE0\xA7\xAAT00:00:00Z");  // Bengali four
  expect_both_reject(
      "\xEF\xBC\x92"
      "024-01-10T10:00:00Z");  // fullwidth two
}

TEST(Timestamp, ErrorsNameTheProblem) {
  auto result = parse_timestamp_strict("2023-02-29T00:00:00Z");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().reason.find("2023-02"), std::string::npos) << result.error().reason;
}

// JSON-Schema-Test-Suite date-time cases. Every invalid one must be refused by both parsers.
// Every valid one must parse with parse_rfc3339, except the two leap-second instants, which we
// deliberately refuse (see timestamp.hpp): listed here and asserted to fail.
TEST(TimestampThirdParty, JsonSchemaSuiteDateTime) {
  const std::set<std::string> deliberately_refused = {"1998-12-31T23:59:60Z", "1998-12-31T15:59:60.123-08:00"};
  std::ifstream in(std::string(TIGRESS_THIRDPARTY_DIR) + "/json-schema-test-suite-formats/date-time.json",
                   std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const auto groups = nlohmann::json::parse(buffer.str(), nullptr, false);
  ASSERT_TRUE(groups.is_array());
  int valid = 0;
  int invalid = 0;
  int refused = 0;
  for (const auto& group : groups) {
    for (const auto& test : group["tests"]) {
      if (!test["data"].is_string()) continue;
      const auto text = test["data"].get<std::string>();
      if (!test["valid"].get<bool>()) {
        ++invalid;
        expect_both_reject(text);
      } else if (deliberately_refused.count(text) != 0) {
        ++refused;
        EXPECT_FALSE(parse_rfc3339(text).ok()) << text;
      } else {
        ++valid;
        EXPECT_TRUE(parse_rfc3339(text).ok()) << text;
      }
    }
  }
  EXPECT_EQ(invalid, 19);
  EXPECT_EQ(valid + refused, 8);
  EXPECT_EQ(refused, 2);
}

}  // namespace
}  // namespace tigress::codec
