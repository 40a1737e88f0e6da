#include "reference/codec/base64.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tigress::codec {
namespace {

Bytes bytes_of(std::string_view text) { return Bytes(text.begin(), text.end()); }

// RFC 4648 section 10 test vectors.
struct Vector {
  const char* plain;
  const char* standard;
  const char* url_unpadded;
};
constexpr Vector kRfc4648[] = {
    {"", "", ""},
    {"f", "Zg==", "Zg"},
    {"fo", "Zm8=", "Zm8"},
    {"foo", "Zm9v", "Zm9v"},
    {"foob", "Zm9vYg==", "Zm9vYg"},
    {"fooba", "Zm9vYmE=", "Zm9vYmE"},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
};

TEST(Base64, Rfc4648Section10Vectors) {
  for (const auto& v : kRfc4648) {
    SCOPED_TRACE(v.plain);
    EXPECT_EQ(base64_encode(bytes_of(v.plain)), v.standard);
    EXPECT_EQ(base64url_encode_unpadded(bytes_of(v.plain)), v.url_unpadded);
    auto strict = base64_decode(v.standard);
    ASSERT_TRUE(strict.ok()) << strict.error().message();
    EXPECT_EQ(*strict, bytes_of(v.plain));
    auto lenient_padded = base64_decode_lenient(v.standard);
    ASSERT_TRUE(lenient_padded.ok());
    EXPECT_EQ(*lenient_padded, bytes_of(v.plain));
    auto lenient_unpadded = base64_decode_lenient(v.url_unpadded);
    ASSERT_TRUE(lenient_unpadded.ok());
    EXPECT_EQ(*lenient_unpadded, bytes_of(v.plain));
  }
}

TEST(Base64, AlphabetsDifferOnlyInTheLastTwoSymbols) {
  const Bytes all_ones{0xFB, 0xFF, 0xBF};  // 111110 111111 111110 111111
  EXPECT_EQ(base64_encode(all_ones), "+/+/");
  EXPECT_EQ(base64url_encode_unpadded(all_ones), "-_-_");
  EXPECT_EQ(base64_decode("+/+/").value(), all_ones);
  EXPECT_EQ(base64_decode_lenient("-_-_").value(), all_ones);
  EXPECT_EQ(base64_decode_lenient("+/+/").value(), all_ones);
}

TEST(Base64, EveryByteValueRoundTrips) {
  Bytes data;
  for (int i = 0; i < 256; ++i) data.push_back(static_cast<std::uint8_t>(i));
  for (std::size_t len = 0; len <= data.size(); len += 1) {
    const Bytes slice(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(len));
    ASSERT_EQ(base64_decode(base64_encode(slice)).value(), slice) << len;
    ASSERT_EQ(base64_decode_lenient(base64url_encode_unpadded(slice)).value(), slice) << len;
  }
}

TEST(Base64, StrictRefusesMissingOrWrongPadding) {
  for (const char* bad :
       {"Zg", "Zg=", "Zm8", "Zg===", "Zm8==", "Zm9v=", "Zm9v==", "=", "==", "====", "Zg==Zg==", "Z"}) {
    EXPECT_FALSE(base64_decode(bad).ok()) << bad;
  }
}

TEST(Base64, EqualsSignInTheMiddleIsRefused) {
  for (const char* bad : {"Zg==Zm8=", "Z=g=", "Zm=v", "=Zm9", "Zm9v=Zm9v"}) {
    EXPECT_FALSE(base64_decode(bad).ok()) << bad;
    EXPECT_FALSE(base64_decode_lenient(bad).ok()) << bad;
  }
}

TEST(Base64, NonZeroTrailingBitsAreRefusedByBoth) {
  // "Zh==" and "Zm9=" carry set bits after the last full octet: alternative spellings of "f"
  // and "fo" that a canonical decoder must not accept.
  for (const char* bad : {"Zh==", "Zm9=", "Zh", "Zm9"}) {
    EXPECT_FALSE(base64_decode(bad).ok()) << bad;
    EXPECT_FALSE(base64_decode_lenient(bad).ok()) << bad;
  }
}

TEST(Base64, WhitespaceAndForeignCharactersAreRefused) {
  for (const char* bad : {" Zm9v", "Zm9v ", "Zm 9v", "Zm9v\n", "Zm\r\n9v", "Zm9v\t", "Zm.v", "Zm9*", "Zm9v\xC3\xA9"}) {
    EXPECT_FALSE(base64_decode(bad).ok()) << bad;
    EXPECT_FALSE(base64_decode_lenient(bad).ok()) << bad;
  }
  const std::string with_nul("Zm\0v", 4);
  EXPECT_FALSE(base64_decode(with_nul).ok());
  EXPECT_FALSE(base64_decode_lenient(with_nul).ok());
}

TEST(Base64, StrictRefusesTheUrlAlphabet) {
  EXPECT_FALSE(base64_decode("-_-_").ok());
  EXPECT_FALSE(base64_decode("ab-c").ok());
}

TEST(Base64, LenientRefusesMixedAlphabets) {
  EXPECT_FALSE(base64_decode_lenient("+_+_").ok());
  EXPECT_FALSE(base64_decode_lenient("-/AA").ok());
}

TEST(Base64, LenientAcceptsPaddedUrlAlphabet) {
  EXPECT_EQ(base64_decode_lenient("-w==").value(), Bytes{0xFB});
  EXPECT_EQ(base64_decode_lenient("-w").value(), Bytes{0xFB});
  EXPECT_FALSE(base64_decode_lenient("-w=").ok());
}

TEST(Base64, LengthOneModFourIsRefused) {
  EXPECT_FALSE(base64_decode_lenient("Z").ok());
  EXPECT_FALSE(base64_decode_lenient("Zm9vY").ok());
  EXPECT_FALSE(base64_decode_lenient("Zm9vY=").ok());
}

TEST(Base64, ErrorsDoNotQuoteTheInput) {
  // The lenient decoder reads share-URL secrets; its messages end up in logs.
  auto result = base64_decode_lenient("hXlr6aRC7KgJpOLT!ZaLsw==");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message().find("hXlr"), std::string::npos);
  EXPECT_NE(result.error().message().find("16"), std::string::npos);  // the offset
}

// web-platform-tests forgiving-base64 cases (thirdparty/wpt-base64/base64.json).
// WHATWG's forgiving decoder strips ASCII whitespace, makes padding optional and ignores
// non-zero trailing bits. Ours strip nothing, and only the lenient one has optional padding.
// Of the 24 forgiving-accept cases:
//  * strict base64_decode accepts 5 ("", "abcd", "abc=", "///A", "AAA/") and rejects 19:
//    - whitespace (10): " abcd", "abcd ", "ab\tcd", "ab\ncd", "ab\fcd", "ab\rcd", "ab cd",
//      "ab\t\n\f\r cd", " \t\n\f\r ab\t\n\f\r cd\t\n\f\r ",
//      "ab\t\n\f\r =\t\n\f\r =\t\n\f\r ";
//    - missing padding (8): "ab", "abc", "/A", "//A", "A/", "AA/", "YQ", "YR";
//    - non-zero trailing bits with correct padding (1): "ab==" ("b" = 011011 leaves 1011).
//  * lenient base64_decode_lenient accepts 9 (the 5 above plus the unpadded "abc", "/A",
//    "//A", "YQ") and rejects 15: the 10 whitespace cases and the 5 with non-zero trailing
//    bits ("ab", "ab==", "A/", "AA/", "YR").
// Every forgiving-reject (null) case is rejected by both. The assertions below pin these sets.
const std::set<std::string> kStrictAccepts = {"", "abcd", "abc=", "///A", "AAA/"};
const std::set<std::string> kLenientAccepts = {"", "abcd", "abc=", "///A", "AAA/", "abc", "/A", "//A", "YQ"};

TEST(Base64Wpt, ForgivingAcceptsThatWeRejectExplicitly) {
  const std::string whitespace[] = {" abcd",
                                    "abcd ",
                                    "ab\tcd",
                                    "ab\ncd",
                                    "ab\fcd",
                                    "ab\rcd",
                                    "ab cd",
                                    "ab\t\n\f\r cd",
                                    " \t\n\f\r ab\t\n\f\r cd\t\n\f\r ",
                                    "ab\t\n\f\r =\t\n\f\r =\t\n\f\r "};
  for (const auto& input : whitespace) {
    EXPECT_FALSE(base64_decode(input).ok()) << input;
    EXPECT_FALSE(base64_decode_lenient(input).ok()) << input;
  }
  for (const char* unpadded : {"ab", "abc", "/A", "//A", "A/", "AA/", "YQ", "YR"}) {
    EXPECT_FALSE(base64_decode(unpadded).ok()) << unpadded;
  }
  for (const char* trailing_bits : {"ab", "ab==", "A/", "AA/", "YR"}) {
    EXPECT_FALSE(base64_decode(trailing_bits).ok()) << trailing_bits;
    EXPECT_FALSE(base64_decode_lenient(trailing_bits).ok()) << trailing_bits;
  }
}

nlohmann::json load_wpt_cases() {
  std::ifstream in(std::string(TIGRESS_THIRDPARTY_DIR) + "/wpt-base64/base64.json", std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return nlohmann::json::parse(buffer.str(), nullptr, false);
}

Bytes expected_bytes(const nlohmann::json& array) {
  Bytes out;
  for (const auto& b : array) out.push_back(b.get<std::uint8_t>());
  return out;
}

TEST(Base64Wpt, NullCasesAreRejectedByBothDecoders) {
  const auto cases = load_wpt_cases();
  ASSERT_TRUE(cases.is_array()) << "cannot read wpt-base64/base64.json";
  int nulls = 0;
  for (const auto& entry : cases) {
    if (!entry[1].is_null()) continue;
    ++nulls;
    const auto input = entry[0].get<std::string>();
    EXPECT_FALSE(base64_decode(input).ok()) << "strict accepted " << entry[0].dump();
    EXPECT_FALSE(base64_decode_lenient(input).ok()) << "lenient accepted " << entry[0].dump();
  }
  EXPECT_EQ(nulls, 56);
}

TEST(Base64Wpt, ForgivingAcceptCasesMatchTheDocumentedLists) {
  const auto cases = load_wpt_cases();
  ASSERT_TRUE(cases.is_array());
  int accepts = 0;
  std::set<std::string> strict_seen;
  std::set<std::string> lenient_seen;
  for (const auto& entry : cases) {
    if (entry[1].is_null()) continue;
    ++accepts;
    const auto input = entry[0].get<std::string>();
    const Bytes expected = expected_bytes(entry[1]);
    auto strict = base64_decode(input);
    auto lenient = base64_decode_lenient(input);
    EXPECT_EQ(strict.ok(), kStrictAccepts.count(input) == 1) << "strict " << entry[0].dump();
    EXPECT_EQ(lenient.ok(), kLenientAccepts.count(input) == 1) << "lenient " << entry[0].dump();
    // Whatever we accept must decode to exactly what the forgiving decoder produces.
    if (strict.ok()) {
      EXPECT_EQ(*strict, expected) << entry[0].dump();
      strict_seen.insert(input);
    }
    if (lenient.ok()) {
      EXPECT_EQ(*lenient, expected) << entry[0].dump();
      lenient_seen.insert(input);
    }
  }
  EXPECT_EQ(accepts, 24);
  EXPECT_EQ(strict_seen, kStrictAccepts);
  EXPECT_EQ(lenient_seen, kLenientAccepts);
}

}  // namespace
}  // namespace tigress::codec
