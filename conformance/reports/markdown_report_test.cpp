// The Markdown summary and the other writers' view of expectations: target text cannot add
// markup or mentions, findings come first in the documented order, the size stays capped, and
// XFAIL/XPASS show up in JSON, JUnit and HTML as documented.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "conformance/reports/expectations.hpp"
#include "conformance/reports/reports.hpp"
#include "conformance/reports/reports_test_support.hpp"

namespace tigress::conformance {
namespace {

using namespace test_support;

// How many times `c` occurs without the backslash that makes it literal.
int unescaped(const std::string& text, char c) {
  int count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == c && (i == 0 || text[i - 1] != '\\')) ++count;
  }
  return count;
}

TEST(MarkdownReport, EscapesEveryPunctuationCharacterOfTargetText) {
  RunSummary summary;
  summary.results.push_back(
      result("6.5/x", "6.5", Verdict::kFail, {"R-2"}, "<script>|[x](http://e)`code` @alice *b*\nsecond line"));
  summary.recount();
  auto text = render_markdown_report(summary, tiny_catalogue(), metadata());
  ASSERT_TRUE(text.ok());
  // Each punctuation character backslash-escaped (CommonMark 2.4), the '@' followed by U+2060.
  const std::string expected_cell = "\\<script\\>\\|\\[x\\]\\(http\\:\\/\\/e\\)\\`code\\` \\@\u2060alice \\*b\\*";
  EXPECT_NE(text->find(expected_cell), std::string::npos) << *text;
  EXPECT_EQ(text->find("second line"), std::string::npos) << "one line per finding";
  // The target URL in the headline is escaped too: no markup character anywhere is left bare.
  for (char c : {'<', '>', '[', ']', '`', '@', '&', '!'}) EXPECT_EQ(unescaped(*text, c), 0) << c;
  EXPECT_EQ(text->find("@alice"), std::string::npos);
  EXPECT_NE(text->find("FAILED"), std::string::npos);
}

TEST(MarkdownReport, ListsFindingsByUrgencyAndHostileBytesStaySafe) {
  RunSummary summary = hostile_summary();
  summary.recount();
  auto text = render_markdown_report(summary, tiny_catalogue(), metadata());
  ASSERT_TRUE(text.ok());
  const std::size_t fail = text->find("**FAIL**"), error = text->find("**ERROR**"), warn = text->find("**WARN**"),
                    skip = text->find("**SKIP**");
  ASSERT_NE(fail, std::string::npos);
  ASSERT_NE(skip, std::string::npos);
  EXPECT_LT(fail, error);
  EXPECT_LT(error, warn);
  EXPECT_LT(warn, skip);
  EXPECT_EQ(text->find("**PASS**"), std::string::npos) << "passing cases are not findings";
  for (char c : {'<', '>', '[', ']', '`', '&'}) EXPECT_EQ(unescaped(*text, c), 0) << c;
  std::vector<std::uint32_t> code_points;
  EXPECT_TRUE(decode_utf8(*text, code_points)) << "valid UTF-8";
  for (std::uint32_t c : code_points) {
    EXPECT_TRUE(c == '\n' || c >= 0x20) << "control character " << c;
    EXPECT_NE(c, 0x202Eu) << "bidi override";
  }
  EXPECT_LT(text->size(), 16u * 1024) << "a 5 MiB detail is cut to one short cell";
}

TEST(MarkdownReport, StaysUnderTheCapAndSaysHowManyAreLeftOut) {
  RunSummary summary;
  for (int i = 0; i < 2000; ++i) {
    summary.results.push_back(
        result("6.5/case-" + std::to_string(i), "6.5", Verdict::kFail, {"R-2"}, std::string(300, 'x')));
  }
  summary.recount();
  auto text = render_markdown_report(summary, tiny_catalogue(), metadata());
  ASSERT_TRUE(text.ok());
  EXPECT_LE(text->size(), kMarkdownLimit);
  EXPECT_NE(text->find("more findings are in the JSON and HTML reports"), std::string::npos);
}

TEST(MarkdownReport, APassingRunSaysSo) {
  RunSummary summary;
  summary.results.push_back(result("6.1/create", "6.1", Verdict::kPass, {"R-1"}, ""));
  summary.recount();
  auto text = render_markdown_report(summary, tiny_catalogue(), metadata());
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("PASSED"), std::string::npos);
  EXPECT_NE(text->find("Every case passed."), std::string::npos);
  EXPECT_EQ(text->find("| Outcome"), std::string::npos);
}

// A run judged with an expectations file: one XFAIL, one XPASS.
struct JudgedRun {
  RunSummary summary;
  RunMetadata meta = metadata();
};

JudgedRun judged_run(bool allow_xpass) {
  JudgedRun run;
  run.summary.results.push_back(result("6.5/known", "6.5", Verdict::kFail, {"R-2"}, "still broken"));
  run.summary.results.push_back(result("6.1/fixed", "6.1", Verdict::kPass, {"R-1"}, ""));
  auto set = parse_expectations(
      R"({"schema": "tigress-expectations/1", "expectations": [
           {"case": "6.5/known", "verdict": "FAIL", "reason": "tracked <b>upstream</b>", "link": "https://x.example/7"},
           {"case": "6.1/fixed", "verdict": "FAIL", "reason": "was broken"}]})",
      "relay");
  EXPECT_TRUE(set.ok());
  apply_expectations(run.summary, *set, allow_xpass);
  run.meta.expectations = ExpectationsRecord{"exp.json", std::string(64, 'a'), 2, allow_xpass};
  return run;
}

TEST(ExpectationsInReports, JsonCarriesOutcomesCountsAndTheFile) {
  JudgedRun run = judged_run(false);
  auto text = render_json_report(run.summary, tiny_catalogue(), run.meta);
  ASSERT_TRUE(text.ok());
  const auto report = nlohmann::json::parse(*text);
  EXPECT_EQ(report["summary"]["xfail"], 1);
  EXPECT_EQ(report["summary"]["xpass"], 1);
  EXPECT_EQ(report["summary"]["fail"], 0);
  EXPECT_EQ(report["summary"]["total"], 2);
  EXPECT_EQ(report["summary"]["success"], false);
  EXPECT_EQ(report["run"]["expectations"]["file"], "exp.json");
  EXPECT_EQ(report["run"]["expectations"]["entries"], 2);
  EXPECT_EQ(report["cases"][0]["verdict"], "FAIL");
  EXPECT_EQ(report["cases"][0]["outcome"], "XFAIL");
  EXPECT_EQ(report["cases"][0]["expectation"]["expected"], "FAIL");
  EXPECT_EQ(report["cases"][0]["expectation"]["link"], "https://x.example/7");
  EXPECT_EQ(report["cases"][1]["outcome"], "XPASS");
  EXPECT_EQ(
      render_json_report(judged_run(true).summary, tiny_catalogue(), run.meta).value().find("\"success\": true") ==
          std::string::npos,
      false)
      << "--allow-xpass makes the run a success";
}

TEST(ExpectationsInReports, JunitSkipsXfailAndFailsXpassUnlessAllowed) {
  JudgedRun run = judged_run(false);
  auto xml = render_junit_report(run.summary, run.meta);
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(xml_problem(*xml), "");
  EXPECT_NE(xml->find("tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"1\""), std::string::npos) << *xml;
  EXPECT_NE(xml->find("<skipped message=\"XFAIL: tracked &lt;b&gt;upstream&lt;/b&gt; (https://x.example/7)\"/>"),
            std::string::npos)
      << *xml;
  EXPECT_NE(xml->find("type=\"XPASS\""), std::string::npos);

  JudgedRun allowed = judged_run(true);
  auto lenient = render_junit_report(allowed.summary, allowed.meta);
  ASSERT_TRUE(lenient.ok());
  EXPECT_EQ(xml_problem(*lenient), "");
  EXPECT_NE(lenient->find("failures=\"0\""), std::string::npos);
  EXPECT_EQ(lenient->find("<failure"), std::string::npos);
}

TEST(ExpectationsInReports, HtmlShowsBothVerdictAndExpectation) {
  JudgedRun run = judged_run(false);
  auto html = render_html_report(run.summary, tiny_catalogue(), run.meta);
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("v-XFAIL\">XFAIL"), std::string::npos);
  EXPECT_NE(html->find("v-XPASS\">XPASS"), std::string::npos);
  EXPECT_NE(html->find("tracked &lt;b&gt;upstream&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(html->find("<b>upstream"), std::string::npos);
  EXPECT_NE(html->find("exp.json"), std::string::npos);
  EXPECT_NE(html->find("FAILED"), std::string::npos) << "an XPASS fails the run";
}

}  // namespace
}  // namespace tigress::conformance
