// Findings by root cause: one defect that broke N cases is one group of N, whatever else the
// cases recorded, and every report opens with the groups.
#include "conformance/reports/finding_groups.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "conformance/reports/reports.hpp"
#include "conformance/reports/reports_test_support.hpp"

namespace tigress::conformance {
namespace {

using namespace test_support;

Finding violation(std::string step, std::string exchange = {}, int status = 0, std::string requirement = {}) {
  Finding f;
  f.kind = Verdict::kFail;
  f.step = std::move(step);
  f.exchange = std::move(exchange);
  f.status = status;
  f.requirement = std::move(requirement);
  if (status != 0) f.answer = "HTTP " + std::to_string(status) + ", body \"boom\"";
  return f;
}

CaseResult failing(std::string id, std::vector<std::string> requirements, std::vector<Finding> findings,
                   Verdict verdict = Verdict::kFail) {
  CaseResult r =
      result(std::move(id), "6.5", verdict, std::move(requirements), findings.empty() ? "" : findings[0].step);
  r.findings = std::move(findings);
  return r;
}

// The summary the report tests share: two cases whose Read answered 500 under R-2 (in their own
// words), one with another requirement, one passing.
RunSummary two_cases_one_defect() {
  RunSummary summary;
  summary.results.push_back(failing(
      "6.5/a", {"R-2"}, {violation("READ(R) after bind: got 500, expected 200", "ReadSecureContentFromMailbox", 500)}));
  summary.results.push_back(result("6.1/ok", "6.1", Verdict::kPass, {"R-2"}, ""));
  summary.results.push_back(
      failing("6.5/b", {"R-2", "R-1"},
              {violation("second READ(I): got 500, expected 200", "ReadSecureContentFromMailbox", 500)}));
  summary.results.push_back(
      failing("6.1/c", {"R-1"}, {violation("CreateMailbox: got 500, expected 200", "CreateMailbox", 500)}));
  summary.recount();
  return summary;
}

TEST(FindingGroups, TwoCasesFailingTheSameRequirementAtTheSameStepAreOneGroupOfTwo) {
  const RunSummary summary = two_cases_one_defect();
  const auto groups = group_findings(summary);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].requirement, "R-2");
  EXPECT_EQ(groups[0].step, "ReadSecureContentFromMailbox answered 500");
  EXPECT_EQ(groups[0].verdict, Verdict::kFail);
  ASSERT_EQ(groups[0].cases.size(), 2u);
  EXPECT_EQ(summary.results[groups[0].cases[0].result].id, "6.5/a");
  EXPECT_EQ(summary.results[groups[0].cases[1].result].id, "6.5/b");
  EXPECT_EQ(groups[0].cases[1].finding.step, "second READ(I): got 500, expected 200");  // the case's own words
  EXPECT_EQ(group_headline(groups[0]), "R-2: ReadSecureContentFromMailbox answered 500 (FAIL, 2 cases)");
  EXPECT_EQ(groups[1].requirement, "R-1");
  EXPECT_EQ(groups[1].cases.size(), 1u);
  EXPECT_EQ(group_headline(groups[1]), "R-1: CreateMailbox answered 500 (FAIL, 1 case)");
}

TEST(FindingGroups, AnotherStatusAnotherRequirementOrOtherWordsAreAnotherRootCause) {
  RunSummary summary;
  summary.results.push_back(failing("a", {"R-2"}, {violation("x", "ReadSecureContentFromMailbox", 500)}));
  summary.results.push_back(failing("b", {"R-2"}, {violation("x", "ReadSecureContentFromMailbox", 403)}));
  summary.results.push_back(failing("c", {"R-1"}, {violation("x", "ReadSecureContentFromMailbox", 500)}));
  // The requirement a check names wins over the case's first.
  summary.results.push_back(failing("d", {"R-1"}, {violation("x", "ReadSecureContentFromMailbox", 500, "R-2")}));
  // Without an answer the check's words are the step.
  summary.results.push_back(failing("e", {"R-4"}, {violation("ids repeat")}));
  summary.results.push_back(failing("f", {"R-4"}, {violation("ids repeat")}));
  summary.results.push_back(failing("g", {"R-4"}, {violation("ids are sequential")}));
  const auto groups = group_findings(summary);
  ASSERT_EQ(groups.size(), 5u);
  std::vector<std::string> headlines;
  for (const auto& g : groups) headlines.push_back(group_headline(g));
  EXPECT_EQ(headlines[0], "R-2: ReadSecureContentFromMailbox answered 500 (FAIL, 2 cases)");  // a and d
  EXPECT_EQ(headlines[1], "R-4: ids repeat (FAIL, 2 cases)");
  EXPECT_NE(
      std::find(headlines.begin(), headlines.end(), "R-2: ReadSecureContentFromMailbox answered 403 (FAIL, 1 case)"),
      headlines.end());
  EXPECT_NE(
      std::find(headlines.begin(), headlines.end(), "R-1: ReadSecureContentFromMailbox answered 500 (FAIL, 1 case)"),
      headlines.end());
  EXPECT_NE(std::find(headlines.begin(), headlines.end(), "R-4: ids are sequential (FAIL, 1 case)"), headlines.end());
}

TEST(FindingGroups, OnlyCountedFailAndWarnCasesContributeEachOncePerGroupAndFailGroupsComeFirst) {
  RunSummary summary;
  // A case with the same defect twice is listed once.
  summary.results.push_back(failing("warned", {"R-2"}, {violation("slow"), violation("slow")}, Verdict::kWarn));
  summary.results.push_back(failing("failed", {"R-1"}, {violation("broken")}));
  CaseResult xfail = failing("known", {"R-1"}, {violation("broken")});
  xfail.expectation.outcome = ExpectationOutcome::kXfail;
  summary.results.push_back(xfail);
  summary.results.push_back(failing("errored", {"R-1"}, {violation("broken")}, Verdict::kError));
  // A FAIL that recorded no structured finding still shows, by its first detail line.
  CaseResult bare = result("bare", "6.1", Verdict::kFail, {"R-1"}, "broken\nnote: more");
  summary.results.push_back(bare);
  const auto groups = group_findings(summary);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(group_headline(groups[0]), "R-1: broken (FAIL, 2 cases)");
  EXPECT_EQ(summary.results[groups[0].cases[1].result].id, "bare");
  EXPECT_EQ(group_headline(groups[1]), "R-2: slow (WARN, 1 case)");
  EXPECT_TRUE(group_findings(RunSummary{}).empty());
}

TEST(FindingGroups, EveryReportOpensWithTheGroups) {
  const RunSummary summary = two_cases_one_defect();
  const Catalogue catalogue = tiny_catalogue();

  auto json = render_json_report(summary, catalogue, metadata());
  ASSERT_TRUE(json.ok());
  const auto document = nlohmann::json::parse(*json);
  ASSERT_EQ(document["findings"].size(), 2u);
  EXPECT_EQ(document["findings"][0]["headline"], "R-2: ReadSecureContentFromMailbox answered 500 (FAIL, 2 cases)");
  EXPECT_EQ(document["findings"][0]["cases"][1]["id"], "6.5/b");
  EXPECT_EQ(document["findings"][0]["cases"][1]["answer"], "HTTP 500, body \"boom\"");
  EXPECT_EQ(document["cases"][0]["findings"][0]["exchange"], "ReadSecureContentFromMailbox");
  EXPECT_EQ(document["cases"][0]["findings"][0]["status"], 500);
  EXPECT_EQ(document["cases"][1]["findings"].size(), 0u);

  auto html = render_html_report(summary, catalogue, metadata());
  ASSERT_TRUE(html.ok());
  const std::size_t findings = html->find("<h2 id=\"findings\">"), cases = html->find("<h2 id=\"cases\">");
  ASSERT_NE(findings, std::string::npos);
  EXPECT_LT(findings, cases);
  EXPECT_NE(html->find("<a href=\"#case-2\">6.5/b</a>", findings), std::string::npos);

  auto markdown = render_markdown_report(summary, catalogue, metadata());
  ASSERT_TRUE(markdown.ok());
  const std::size_t groups = markdown->find("Findings by root cause"), table = markdown->find("| Outcome |");
  ASSERT_NE(groups, std::string::npos);
  EXPECT_LT(groups, table);
  EXPECT_NE(markdown->find("2 cases: 6\\.5\\/a, 6\\.5\\/b"), std::string::npos) << *markdown;
}

}  // namespace
}  // namespace tigress::conformance
