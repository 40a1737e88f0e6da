#include "harness/redaction.hpp"

#include <gtest/gtest.h>

namespace tigress::harness {
namespace {

TEST(Redactor, ReplacesEveryOccurrence) {
  Redactor redactor;
  redactor.add("s3cret", "claim");
  EXPECT_EQ(redactor.apply("a s3cret and s3cret again"), "a <redacted:claim> and <redacted:claim> again");
  EXPECT_EQ(redactor.apply("nothing here"), "nothing here");
}

TEST(Redactor, IgnoresEmptySecretsAndPassesTextThroughWithoutSecrets) {
  Redactor redactor;
  EXPECT_EQ(redactor.apply("abc"), "abc");
  redactor.add("", "empty");
  EXPECT_EQ(redactor.apply("abc"), "abc");
}

TEST(Redactor, LongestSecretNamesTheSpanItContains) {
  Redactor redactor;
  redactor.add("KEY", "key");
  redactor.add("https://relay/v1/m/ID#KEY", "share-url");
  EXPECT_EQ(redactor.apply("url=https://relay/v1/m/ID#KEY, key=KEY"), "url=<redacted:share-url>, key=<redacted:key>");
}

TEST(Redactor, PartiallyOverlappingSecretsAreHiddenCompletely) {
  Redactor redactor;
  redactor.add("abcdef", "first");
  redactor.add("defghij", "second");
  // Neither "abc" nor "ghij" may survive: the whole covered run becomes one marker.
  EXPECT_EQ(redactor.apply("xabcdefghijy"), "x<redacted:second>y");
  EXPECT_EQ(redactor.apply("aaaa"), "aaaa");
  Redactor repeats;
  repeats.add("aa", "a");
  EXPECT_EQ(repeats.apply("aaab"), "<redacted:a>b");
}

TEST(Redactor, DoesNotMatchInsideItsOwnMarkers) {
  Redactor redactor;
  redactor.add("token", "x");
  redactor.add("red", "y");  // also appears in "<redacted:...>"
  EXPECT_EQ(redactor.apply("token red"), "<redacted:x> <redacted:y>");
}

TEST(Printable, KeepsUtf8AndWhitespace) { EXPECT_EQ(printable("héllo\n\tworld\r\n€ 𝄞"), "héllo\n\tworld\r\n€ 𝄞"); }

TEST(Printable, EscapesControlsAndInvalidUtf8) {
  EXPECT_EQ(printable(std::string_view("a\0b\x1b[31m\x7f", 9)), "a\\x00b\\x1B[31m\\x7F");
  EXPECT_EQ(printable("\xff\xfe"), "\\xFF\\xFE");
  EXPECT_EQ(printable("\xc3"), "\\xC3");                             // truncated sequence
  EXPECT_EQ(printable("\xc0\xaf"), "\\xC0\\xAF");                    // overlong '/'
  EXPECT_EQ(printable("\xed\xa0\x80"), "\\xED\\xA0\\x80");           // UTF-16 surrogate
  EXPECT_EQ(printable("\xf4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80");  // above U+10FFFF
  EXPECT_EQ(printable("\xc2\x85"), "\\xC2\\x85");                    // C1 control NEL
  EXPECT_EQ(printable("\xc2\xa0"), "\xc2\xa0");                      // no-break space is text
}

TEST(Printable, CutsAtTheLimitWithAMarker) {
  EXPECT_EQ(printable("abcdefghij", 4), "abcd…[6 more bytes]");
  EXPECT_EQ(printable("abcd", 4), "abcd");
  EXPECT_EQ(printable("abc", 0), "…[3 more bytes]");
  EXPECT_EQ(printable("", 0), "");
  // Neither an escape nor a multi-byte character is split by the cut.
  EXPECT_EQ(printable("ab\x01", 4), "ab…[1 more bytes]");
  EXPECT_EQ(printable("a€", 3), "a…[3 more bytes]");
}

TEST(Printable, OutputStaysBoundedForLargeHostileInput) {
  const std::string flood(1 << 20, '\x01');
  const std::string out = printable(flood, 4096);
  EXPECT_LE(out.size(), 4096u + 64u);
  EXPECT_NE(out.find("more bytes]"), std::string::npos);
}

}  // namespace
}  // namespace tigress::harness
