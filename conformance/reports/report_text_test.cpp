// The text helpers every report format relies on for its safety.
#include "conformance/reports/report_text.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <clocale>
#include <limits>
#include <string>
#include <vector>

#include "conformance/reports/reports_test_support.hpp"

namespace tigress::conformance::report_detail {
namespace {

TEST(SafeText, KeepsTextAndShowsWhatCouldHarm) {
  EXPECT_EQ(safe_text("plain <text> & tabs\tand\nnewlines", 100), "plain <text> & tabs\tand\nnewlines");
  EXPECT_EQ(safe_text(std::string("a\0b\x1b"
                                  "c\x7f",
                                  6),
                      100),
            "a\\x00b\\x1Bc\\x7F");
  EXPECT_EQ(safe_text("line\r\nbare\rcr", 100), "line\nbare\\rcr");
  EXPECT_EQ(safe_text("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92", 100),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92");  // é € 🔒 pass through
}

TEST(SafeText, InvalidUtf8BecomesByteEscapes) {
  EXPECT_EQ(safe_text("\xff", 100), "\\xFF");
  EXPECT_EQ(safe_text("\xc0\xaf", 100), "\\xC0\\xAF");                    // overlong '/'
  EXPECT_EQ(safe_text("\xed\xa0\x80", 100), "\\xED\\xA0\\x80");           // surrogate
  EXPECT_EQ(safe_text("\xf4\x90\x80\x80", 100), "\\xF4\\x90\\x80\\x80");  // above U+10FFFF
  EXPECT_EQ(safe_text("ok\xe2\x82", 100), "ok\\xE2\\x82");                // truncated sequence
}

TEST(SafeText, InvisibleAndNonXmlCharactersAreSpelledOut) {
  EXPECT_EQ(safe_text("\xe2\x80\xae"
                      "abc",
                      100),
            "\\u{202E}abc");  // RLO
  EXPECT_EQ(safe_text("\xef\xbf\xbe\xef\xbf\xbf", 100), "\\u{FFFE}\\u{FFFF}");
  EXPECT_EQ(safe_text("\xc2\x85", 100), "\\u{85}");  // NEL, a C1 control
  EXPECT_EQ(safe_text("\xef\xbb\xbf", 100), "\\u{FEFF}");
}

TEST(SafeText, OutputIsAlwaysXmlCharacters) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (const std::string& input : {all, all + all.substr(128), test_support::hostile_text()}) {
    const std::string out = safe_text(input, 1 << 20);
    std::vector<std::uint32_t> cps;
    ASSERT_TRUE(test_support::decode_utf8(out, cps));
    for (std::uint32_t c : cps) {
      EXPECT_TRUE(test_support::xml_char(c) && c != '\r') << c;
    }
  }
}

TEST(SafeText, TruncatesWithAMarker) {
  const std::string out = safe_text(std::string(1000, 'x'), 100);
  EXPECT_EQ(out, std::string(100, 'x') + "\n[tigress-report: truncated, 900 more bytes]");
  EXPECT_EQ(safe_text(std::string(100, 'x'), 100), std::string(100, 'x'));
}

TEST(RenderUntrusted, BoundedSafeAndLineShaped) {
  const std::string out = render_untrusted(std::string(5 << 20, '\0'), 1024);
  EXPECT_LT(out.size(), 4096u);
  EXPECT_EQ(out.find('\0'), std::string::npos);
  const std::string lines = render_untrusted("HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody", 1024);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 3);
  EXPECT_EQ(lines.find('\r'), std::string::npos);
  const std::string many = render_untrusted(std::string(1 << 20, '\n'), 100);
  EXPECT_LT(many.size(), 1024u);
  EXPECT_NE(many.find("truncated"), std::string::npos);
}

TEST(EscapeMarkup, TextAndAttributes) {
  EXPECT_EQ(escape_markup("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(escape_markup("a\nb\tc", true), "a&#10;b&#9;c");
  EXPECT_EQ(escape_markup("a\nb\tc", false), "a\nb\tc");
  EXPECT_EQ(escape_markup("]]>"), "]]&gt;");
}

TEST(JsonText, CutsOnACharacterBoundary) {
  EXPECT_EQ(json_text("short", 10), "short");
  // "é" is two bytes; a cut at 4 would split the second one.
  EXPECT_EQ(json_text("\xc3\xa9\xc3\xa9\xc3\xa9", 3), "\xc3\xa9\n[tigress-report: truncated, 4 more bytes]");
}

TEST(FormatFixed, IgnoresLocaleAndNonsense) {
  std::setlocale(LC_NUMERIC, "de_DE.UTF-8");  // may not exist; then this checks "C" only
  EXPECT_EQ(format_fixed(1.25, 3), "1.250");
  std::setlocale(LC_NUMERIC, "C");
  EXPECT_EQ(format_fixed(0.0125, 3), "0.013");
  EXPECT_EQ(format_fixed(std::numeric_limits<double>::quiet_NaN(), 1), "0.0");
  EXPECT_EQ(format_fixed(-5, 1), "0.0");
  EXPECT_EQ(format_fixed(std::numeric_limits<double>::infinity(), 1), "0.0");
}

TEST(SectionOrder, DraftOrder) {
  std::vector<std::string> sections = {"7.1", "6.10", "", "6.5.4", "6.5", "6.1.6", "A.1", "6.9", "10", "6.x", "06.2"};
  std::stable_sort(sections.begin(), sections.end(), section_less);
  EXPECT_EQ(sections,
            (std::vector<std::string>{"6.1.6", "06.2", "6.5", "6.5.4", "6.9", "6.10", "6.x", "7.1", "10", "A.1", ""}));
}

TEST(Coverage, ScopeByMode) {
  EXPECT_EQ(coverage_scope("relay"), (std::vector<std::string>{"relay"}));
  EXPECT_EQ(coverage_scope("client"), (std::vector<std::string>{"client", "initiator", "recipient"}));
  EXPECT_EQ(coverage_scope("initiator"), (std::vector<std::string>{"initiator"}));
}

}  // namespace
}  // namespace tigress::conformance::report_detail
