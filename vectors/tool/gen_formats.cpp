// Timestamp and UUID vectors. Expected instants come from this file's own civil-calendar
// arithmetic (days from 0001-01-01, Gregorian rules), not from the reference timestamp codec.
#include <cstdio>

#include "vectors/tool/generators.hpp"

namespace tigress::vectors {
namespace {

constexpr std::uint64_t kTimestampSeed = 0x7469677265737303ULL;
constexpr std::uint64_t kUuidSeed = 0x7469677265737304ULL;

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// Seconds since 1970-01-01T00:00:00Z by counting whole years and months (slow but obvious).
std::int64_t epoch_seconds(int y, int mo, int d, int h, int mi, int s) {
  std::int64_t days = 0;
  if (y >= 1970) {
    for (int year = 1970; year < y; ++year) days += leap(year) ? 366 : 365;
  } else {
    for (int year = y; year < 1970; ++year) days -= leap(year) ? 366 : 365;
  }
  for (int month = 1; month < mo; ++month) days += days_in_month(y, month);
  days += d - 1;
  return days * 86400 + h * 3600 + mi * 60 + s;
}

std::string fmt(int y, int mo, int d, int h, int mi, int s, const char* zone = "Z", char t = 'T') {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d%c%02d:%02d:%02d%s", y, mo, d, t, h, mi, s, zone);
  return buffer;
}

struct Instant {
  int y, mo, d, h, mi, s;
};

void timestamp_notes(VectorFile& file) {
  file.note("Pseudorandom", "FUNCTIONALITY",
            "A date-time drawn from the generator's fixed-seed PRNG (years 1970-2199).");
  file.note("EdgeOfRange", "EDGE_CASE",
            "First or last representable second, or before the Unix epoch (negative unixSeconds).");
  file.note("LeapDay", "EDGE_CASE", "29 February, valid only in Gregorian leap years (2000 yes, 1900 and 2100 no).");
  file.note(
      "LowerCase", "FUNCTIONALITY",
      "Lower-case 't' or 'z': RFC 3339 section 5.6 allows them; the draft's form (section 6.1.5) uses upper case.");
  file.note("Offset", "FUNCTIONALITY", "A numeric UTC offset; the instant is converted to UTC (AMB-15).");
  file.note("Fraction", "FUNCTIONALITY", "Fractional seconds; truncated toward the past (AMB-15).");
  file.note("LeapSecond", "EDGE_CASE",
            "Second 60: RFC 3339 syntax allows it; our relay refuses it because it cannot know whether the leap second "
            "existed.");
  file.note("SpaceSeparator", "EDGE_CASE",
            "A space instead of 'T' (RFC 3339 section 5.6 note: allowed by agreement only).");
  file.note("BadCalendar", "MALFORMED_INPUT", "Month, day, hour, minute or second out of range.");
  file.note("BadSyntax", "MALFORMED_INPUT", "Not the shape YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm|-hh:mm).");
  file.note("MissingZone", "MALFORMED_INPUT", "No zone designator: a local time cannot be placed in UTC.");
  file.note(
      "OutOfRange", "EDGE_CASE",
      "RFC 3339 syntax for an instant outside years 0001-9999 (year 0000, or an offset crossing the range's edge): "
      "these vectors cover years 1-9999, so a parser may refuse it; one that accepts must give unixSeconds.");
  file.note("LongFraction", "EDGE_CASE",
            "More than nine fraction digits: RFC 3339 time-secfrac is '.' 1*DIGIT, no upper bound; truncated toward "
            "the past like any fraction (AMB-15).");
  file.note("NegativeFraction", "EDGE_CASE",
            "A fraction on an instant before the epoch: truncation toward the past gives the earlier whole second "
            "(1969-12-31T23:59:59.5Z is -1, not 0).");
  file.note("MixedCase", "FUNCTIONALITY",
            "One of 'T' and 'Z' in lower case: RFC 3339 section 5.6 allows each in either case; the draft's form uses "
            "upper case.");
}

}  // namespace

Result<std::vector<GeneratedFile>> generate_timestamp_vectors() {
  VectorFile file("date-time (draft-vinokurov-tigress-http-00 section 6.1.5, RFC 3339)",
                  "timestamp_test_schema_v1.json",
                  {"Group 'strict': the exact form relays emit and the draft shows, YYYY-MM-DDThh:mm:ssZ.",
                   "Group 'rfc3339': what a relay accepts as mailboxConfiguration.expiration input (AMB-15).",
                   "Valid: the value parses to unixSeconds; 'normalized' is its strict Z form. Invalid: refused. "
                   "Acceptable: either; when accepted, it must give unixSeconds if given."},
                  "Instants from this generator's own calendar arithmetic, not the reference codec; tigress-vectors "
                  "verify runs the reference parsers, which codec_test TimestampThirdParty checks against "
                  "JSON-Schema-Test-Suite date-time.json.");
  timestamp_notes(file);
  DeterministicRng rng(kTimestampSeed);
  OJson strict_params, lenient_params;
  strict_params["type"] = "TimestampTest";
  strict_params["form"] = "strict";
  lenient_params["type"] = "TimestampTest";
  lenient_params["form"] = "rfc3339";
  const std::size_t strict = file.group(strict_params);
  const std::size_t lenient = file.group(lenient_params);

  auto add = [&](std::size_t g, const std::string& comment, std::vector<std::string> flags, const std::string& value,
                 const std::string& result, std::optional<Instant> at, std::int64_t shift = 0) {
    OJson t = file.test(comment, flags);
    t["value"] = value;
    if (at) {
      const std::int64_t seconds = epoch_seconds(at->y, at->mo, at->d, at->h, at->mi, at->s) - shift;
      t["unixSeconds"] = seconds;
    }
    t["result"] = result;
    file.add_test(g, std::move(t));
  };
  auto both_valid = [&](const std::string& comment, std::vector<std::string> flags, Instant i) {
    const std::string text = fmt(i.y, i.mo, i.d, i.h, i.mi, i.s);
    add(strict, comment, flags, text, "valid", i);
    add(lenient, comment, flags, text, "valid", i);
  };
  auto both_invalid = [&](const std::string& comment, const std::string& flag, const std::string& text) {
    add(strict, comment, {flag}, text, "invalid", std::nullopt);
    add(lenient, comment, {flag}, text, "invalid", std::nullopt);
  };

  for (int n = 0; n < 12; ++n) {
    Instant i{
        static_cast<int>(1970 + rng.below(230)), static_cast<int>(1 + rng.below(12)), 1,
        static_cast<int>(rng.below(24)),         static_cast<int>(rng.below(60)),     static_cast<int>(rng.below(60))};
    i.d = static_cast<int>(1 + rng.below(static_cast<std::uint64_t>(days_in_month(i.y, i.mo))));
    both_valid("pseudorandom instant", {"Pseudorandom"}, i);
  }
  both_valid("the Unix epoch", {"EdgeOfRange"}, {1970, 1, 1, 0, 0, 0});
  both_valid("one second before the epoch", {"EdgeOfRange"}, {1969, 12, 31, 23, 59, 59});
  both_valid("first second of year 1", {"EdgeOfRange"}, {1, 1, 1, 0, 0, 0});
  both_valid("last second of year 9999", {"EdgeOfRange"}, {9999, 12, 31, 23, 59, 59});
  both_valid("2000-02-29", {"LeapDay"}, {2000, 2, 29, 12, 0, 0});
  both_valid("2024-02-29", {"LeapDay"}, {2024, 2, 29, 23, 59, 59});
  both_invalid("1900-02-29", "LeapDay", "1900-02-29T00:00:00Z");
  both_invalid("2100-02-29", "LeapDay", "2100-02-29T00:00:00Z");
  both_invalid("2023-02-29", "LeapDay", "2023-02-29T00:00:00Z");

  const Instant sample{2030, 3, 17, 17, 46, 40};
  add(strict, "lower-case t and z", {"LowerCase"}, fmt(2030, 3, 17, 17, 46, 40, "z", 't'), "invalid", std::nullopt);
  add(lenient, "lower-case t and z", {"LowerCase"}, fmt(2030, 3, 17, 17, 46, 40, "z", 't'), "valid", sample);
  struct OffsetCase {
    const char* zone;
    std::int64_t seconds;
  };
  for (OffsetCase o : {OffsetCase{"+02:00", 7200}, OffsetCase{"-05:30", -19800}, OffsetCase{"+00:00", 0},
                       OffsetCase{"-00:00", 0}, OffsetCase{"+23:59", 86340}}) {
    const std::string text = fmt(2030, 3, 17, 17, 46, 40, o.zone);
    add(strict, std::string("offset ") + o.zone, {"Offset"}, text, "invalid", std::nullopt);
    add(lenient, std::string("offset ") + o.zone, {"Offset"}, text, "valid", sample, o.seconds);
  }
  for (const char* fraction : {".5", ".999999999", ".0"}) {
    const std::string text = "2030-03-17T17:46:40" + std::string(fraction) + "Z";
    add(strict, std::string("fraction ") + fraction, {"Fraction"}, text, "invalid", std::nullopt);
    add(lenient, std::string("fraction ") + fraction, {"Fraction"}, text, "valid", sample);
  }
  add(lenient, "fraction with offset", {"Fraction", "Offset"}, "2030-03-17T19:46:40.25+02:00", "valid", sample);
  add(strict, "leap second", {"LeapSecond"}, "2016-12-31T23:59:60Z", "invalid", std::nullopt);
  add(lenient, "leap second", {"LeapSecond"}, "2016-12-31T23:59:60Z", "acceptable", std::nullopt);
  add(strict, "space separator", {"SpaceSeparator"}, fmt(2030, 3, 17, 17, 46, 40, "Z", ' '), "invalid", std::nullopt);
  add(lenient, "space separator", {"SpaceSeparator"}, fmt(2030, 3, 17, 17, 46, 40, "Z", ' '), "acceptable", sample);

  both_invalid("month 13", "BadCalendar", "2030-13-01T00:00:00Z");
  both_invalid("month 00", "BadCalendar", "2030-00-01T00:00:00Z");
  both_invalid("day 00", "BadCalendar", "2030-01-00T00:00:00Z");
  both_invalid("April 31", "BadCalendar", "2030-04-31T00:00:00Z");
  both_invalid("day 32", "BadCalendar", "2030-01-32T00:00:00Z");
  both_invalid("hour 24", "BadCalendar", "2030-01-01T24:00:00Z");
  both_invalid("minute 60", "BadCalendar", "2030-01-01T00:60:00Z");
  both_invalid("second 61", "BadCalendar", "2030-01-01T00:00:61Z");
  add(strict, "year 0000: RFC 3339 syntax, outside the years 1-9999 these vectors cover", {"OutOfRange"},
      "0000-01-01T00:00:00Z", "acceptable", Instant{0, 1, 1, 0, 0, 0});
  add(lenient, "year 0000: RFC 3339 syntax, outside the years 1-9999 these vectors cover", {"OutOfRange"},
      "0000-01-01T00:00:00Z", "acceptable", Instant{0, 1, 1, 0, 0, 0});
  both_invalid("offset hour 24", "BadCalendar", "2030-01-01T00:00:00+24:00");
  both_invalid("offset minute 60", "BadCalendar", "2030-01-01T00:00:00+01:60");
  both_invalid("no zone", "MissingZone", "2030-03-17T17:46:40");
  both_invalid("date only", "BadSyntax", "2030-03-17");
  both_invalid("time only", "BadSyntax", "17:46:40Z");
  both_invalid("two-digit year", "BadSyntax", "30-03-17T17:46:40Z");
  both_invalid("five-digit year", "BadSyntax", "12030-03-17T17:46:40Z");
  both_invalid("one-digit month", "BadSyntax", "2030-3-17T17:46:40Z");
  both_invalid("no seconds", "BadSyntax", "2030-03-17T17:46Z");
  both_invalid("offset without colon", "BadSyntax", "2030-03-17T17:46:40+0200");
  both_invalid("offset without minutes", "BadSyntax", "2030-03-17T17:46:40+02");
  both_invalid("dot without fraction digits", "BadSyntax", "2030-03-17T17:46:40.Z");
  both_invalid("comma as fraction separator", "BadSyntax", "2030-03-17T17:46:40,5Z");
  both_invalid("trailing space", "BadSyntax", "2030-03-17T17:46:40Z ");
  both_invalid("leading space", "BadSyntax", " 2030-03-17T17:46:40Z");
  both_invalid("basic format", "BadSyntax", "20300317T174640Z");
  both_invalid("Unix seconds as text", "BadSyntax", "1900000000");
  both_invalid("empty", "BadSyntax", "");
  both_invalid("Arabic-Indic digits", "BadSyntax", "\xd9\xa2\xd9\xa0\xd9\xa3\xd9\xa0-03-17T17:46:40Z");
  both_invalid("zone name", "BadSyntax", "2030-03-17T17:46:40UTC");

  // Offsets that carry the instant out of years 1-9999 (UTC 0000-12-31T23:59:00 and
  // 10000-01-01T00:00:59): strict refuses any offset, the RFC 3339 reading may refuse the range.
  add(strict, "0001-01-01T00:00:00+00:01 (UTC: year 0000)", {"Offset", "OutOfRange"}, "0001-01-01T00:00:00+00:01",
      "invalid", std::nullopt);
  add(lenient, "0001-01-01T00:00:00+00:01 (UTC: year 0000)", {"Offset", "OutOfRange"}, "0001-01-01T00:00:00+00:01",
      "acceptable", Instant{1, 1, 1, 0, 0, 0}, 60);
  add(strict, "9999-12-31T23:59:59-00:01 (UTC: year 10000)", {"Offset", "OutOfRange"}, "9999-12-31T23:59:59-00:01",
      "invalid", std::nullopt);
  add(lenient, "9999-12-31T23:59:59-00:01 (UTC: year 10000)", {"Offset", "OutOfRange"}, "9999-12-31T23:59:59-00:01",
      "acceptable", Instant{9999, 12, 31, 23, 59, 59}, -60);
  for (const char* fraction : {".1234567890", ".999999999999999999999999999999"}) {
    const std::string text = "2030-03-17T17:46:40" + std::string(fraction) + "Z";
    const std::string digits = std::to_string(std::string(fraction).size() - 1) + " fraction digits";
    add(strict, digits, {"Fraction", "LongFraction"}, text, "invalid", std::nullopt);
    add(lenient, digits, {"Fraction", "LongFraction"}, text, "valid", sample);
  }
  for (const char* fraction : {".5", ".000000001", ".999999999"}) {
    const std::string text = "1969-12-31T23:59:59" + std::string(fraction) + "Z";
    add(strict, std::string("fraction ") + fraction + " one second before the epoch", {"Fraction", "NegativeFraction"},
        text, "invalid", std::nullopt);
    add(lenient, std::string("fraction ") + fraction + " one second before the epoch", {"Fraction", "NegativeFraction"},
        text, "valid", Instant{1969, 12, 31, 23, 59, 59});
  }
  add(lenient, "fraction on an instant before 1970 with an offset", {"Fraction", "NegativeFraction", "Offset"},
      "1969-12-31T19:59:59.75-04:00", "valid", Instant{1969, 12, 31, 23, 59, 59});
  // Leap seconds with offsets: RFC 3339 section 5.7 places second 60 at the end of a UTC day, so
  // the local time carries the offset.
  add(strict, "leap second written with offset -08:00 (UTC 2016-12-31T23:59:60)", {"LeapSecond", "Offset"},
      "2016-12-31T15:59:60-08:00", "invalid", std::nullopt);
  add(lenient, "leap second written with offset -08:00 (UTC 2016-12-31T23:59:60)", {"LeapSecond", "Offset"},
      "2016-12-31T15:59:60-08:00", "acceptable", std::nullopt);
  add(lenient, "second 60 whose UTC instant (22:59:60) ends no UTC day", {"LeapSecond", "Offset", "BadCalendar"},
      "2016-12-31T23:59:60+01:00", "invalid", std::nullopt);
  for (const char* text : {"2030-03-17t17:46:40Z", "2030-03-17T17:46:40z"}) {
    add(strict, std::string("mixed case ") + text, {"MixedCase"}, text, "invalid", std::nullopt);
    add(lenient, std::string("mixed case ") + text, {"MixedCase"}, text, "valid", sample);
  }
  auto doc = file.finish();
  if (!doc) return doc.error();
  return std::vector<GeneratedFile>{{"timestamp_test.json", std::move(*doc)}};
}

Result<std::vector<GeneratedFile>> generate_uuid_vectors() {
  VectorFile file("UUID (RFC 9562) as device claims, request IDs and mailbox IDs", "uuid_test_schema_v1.json",
                  {"Group 'any': the 36-character 8-4-4-4-12 hex form of any version and variant (device claims, "
                   "request IDs; sections 5.1, 5.2).",
                   "Group 'v4': additionally version 4 and the RFC 9562 variant, what a relay must emit as mailbox IDs "
                   "(section 8.1.2, AMB-51).",
                   "Valid: parses; 'canonical' is the lower-case form two UUIDs compare by. Invalid: refused."},
                  "Values built from their octets by construction; tigress-vectors verify runs the reference UUID "
                  "parser, which codec_test UuidThirdParty checks against JSON-Schema-Test-Suite uuid.json.");
  file.note("Pseudorandom", "FUNCTIONALITY", "Sixteen octets from the generator's fixed-seed PRNG.");
  file.note("UpperCase", "FUNCTIONALITY",
            "Upper or mixed case hex digits: RFC 9562 section 4 says input is case-insensitive.");
  file.note("OtherVersion", "FUNCTIONALITY",
            "A version other than 4 (or the nil and max UUIDs): fine as a claim, not as a relay-issued mailbox ID.");
  file.note("OtherVariant", "FUNCTIONALITY", "Variant bits other than 10 (NCS, Microsoft or future variants).");
  file.note("BadSyntax", "MALFORMED_INPUT",
            "Wrong length, hyphen positions, characters, braces, URN prefix or whitespace.");
  DeterministicRng rng(kUuidSeed);
  OJson any_params, v4_params;
  any_params["type"] = "UuidTest";
  any_params["form"] = "any";
  v4_params["type"] = "UuidTest";
  v4_params["form"] = "v4";
  const std::size_t any = file.group(any_params);
  const std::size_t v4 = file.group(v4_params);
  auto text_of = [](const Bytes& b) {
    const std::string hex = to_hex(b);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
           hex.substr(20);
  };
  auto add = [&](std::size_t g, const std::string& comment, std::vector<std::string> flags, const std::string& value,
                 const std::string& result, const std::string& canonical) {
    OJson t = file.test(comment, flags);
    t["value"] = value;
    if (!canonical.empty()) t["canonical"] = canonical;
    t["result"] = result;
    file.add_test(g, std::move(t));
  };
  auto upper = [](std::string s) {
    for (char& c : s) c = static_cast<char>(c >= 'a' && c <= 'f' ? c - 'a' + 'A' : c);
    return s;
  };
  std::string sample;
  for (int n = 0; n < 8; ++n) {
    Bytes b = rng.bytes(16);
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x40);
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);
    const std::string text = text_of(b);
    sample = text;
    add(any, "pseudorandom version 4", {"Pseudorandom"}, text, "valid", text);
    add(v4, "pseudorandom version 4", {"Pseudorandom"}, text, "valid", text);
  }
  add(any, "upper case", {"UpperCase"}, upper(sample), "valid", sample);
  add(v4, "upper case", {"UpperCase"}, upper(sample), "valid", sample);
  std::string mixed = sample;
  for (std::size_t i = 0; i < mixed.size(); i += 2) mixed[i] = upper(std::string(1, mixed[i]))[0];
  add(any, "mixed case", {"UpperCase"}, mixed, "valid", sample);
  for (int version : {1, 3, 5, 6, 7, 8}) {
    Bytes b = rng.bytes(16);
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | (version << 4));
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);
    const std::string text = text_of(b);
    add(any, "version " + std::to_string(version), {"OtherVersion"}, text, "valid", text);
    add(v4, "version " + std::to_string(version), {"OtherVersion"}, text, "invalid", "");
  }
  add(any, "nil UUID", {"OtherVersion"}, "00000000-0000-0000-0000-000000000000", "valid",
      "00000000-0000-0000-0000-000000000000");
  add(v4, "nil UUID", {"OtherVersion"}, "00000000-0000-0000-0000-000000000000", "invalid", "");
  add(any, "max UUID", {"OtherVersion"}, "ffffffff-ffff-ffff-ffff-ffffffffffff", "valid",
      "ffffffff-ffff-ffff-ffff-ffffffffffff");
  add(v4, "max UUID", {"OtherVersion"}, "ffffffff-ffff-ffff-ffff-ffffffffffff", "invalid", "");
  for (std::uint8_t variant : {0x00, 0xC0, 0xE0}) {
    Bytes b = rng.bytes(16);
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x40);
    b[8] = static_cast<std::uint8_t>((b[8] & 0x1F) | variant);
    const std::string text = text_of(b);
    add(any, "version 4 with variant bits " + to_hex({variant}), {"OtherVariant"}, text, "valid", text);
    add(v4, "version 4 with variant bits " + to_hex({variant}), {"OtherVariant"}, text, "invalid", "");
  }
  const std::string compact =
      sample.substr(0, 8) + sample.substr(9, 4) + sample.substr(14, 4) + sample.substr(19, 4) + sample.substr(24);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"no hyphens", compact},
      {"braces", "{" + sample + "}"},
      {"URN prefix", "urn:uuid:" + sample},
      {"one digit short", sample.substr(0, 35)},
      {"one digit long", sample + "0"},
      {"hyphen moved", sample.substr(0, 7) + "-" + sample.substr(7, 1) + sample.substr(9)},
      {"non-hex letter g", "g" + sample.substr(1)},
      {"leading space", " " + sample},
      {"trailing newline", sample + "\n"},
      {"underscores instead of hyphens", compact.substr(0, 8) + "_" + compact.substr(8, 4) + "_" +
                                             compact.substr(12, 4) + "_" + compact.substr(16, 4) + "_" +
                                             compact.substr(20)},
      {"full-width digit", "\xef\xbc\x90" + sample.substr(1)},
      {"empty", ""},
  };
  for (const auto& [comment, value] : bad) {
    add(any, comment, {"BadSyntax"}, value, "invalid", "");
    add(v4, comment, {"BadSyntax"}, value, "invalid", "");
  }
  auto doc = file.finish();
  if (!doc) return doc.error();
  return std::vector<GeneratedFile>{{"uuid_test.json", std::move(*doc)}};
}

}  // namespace tigress::vectors
