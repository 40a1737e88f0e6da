// Expectations files: the schema is enforced member by member, entries are matched the documented
// way, and applying a file turns verdicts into XFAIL/XPASS with counts and the exit rule to match.
#include "conformance/reports/expectations.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "conformance/framework/strict_json.hpp"
#include "conformance/reports/reports_test_support.hpp"

namespace tigress::conformance {
namespace {

using test_support::result;

std::string file_with(const std::string& entries, const std::string& extra = "") {
  return R"({"schema": "tigress-expectations/1", "mode": "relay")" + extra + R"(, "expectations": [)" + entries + "]}";
}

TEST(Expectations, AcceptsBlockedForACaseBehindARelayBreakingOne) {
  auto set =
      parse_expectations(file_with(R"({"case": "6.1/*", "verdict": "BLOCKED", "reason": "poisoned by 4.3"})"), "relay");
  ASSERT_TRUE(set.ok()) << set.error().message();
  ASSERT_EQ(set->entries.size(), 1u);
  EXPECT_EQ(set->entries[0].verdict, Verdict::kBlocked);
}

TEST(Expectations, ParsesEveryMember) {
  auto set = parse_expectations(
      file_with(
          R"({"case": "6.5/*", "verdict": "FAIL", "reason": "binding is per claim", "link": "https://example.org/i/1"},
                   {"case": "6.1/create-200", "verdict": "SKIP", "reason": "no TLS 1.3"})"),
      "relay");
  ASSERT_TRUE(set.ok()) << set.error().message();
  ASSERT_EQ(set->entries.size(), 2u);
  EXPECT_EQ(set->entries[0].pattern, "6.5/*");
  EXPECT_EQ(set->entries[0].verdict, Verdict::kFail);
  EXPECT_EQ(set->entries[0].reason, "binding is per claim");
  EXPECT_EQ(set->entries[0].link, "https://example.org/i/1");
  EXPECT_EQ(set->entries[1].verdict, Verdict::kSkip);
  EXPECT_EQ(set->entries[1].link, "");
  EXPECT_TRUE(parse_expectations(R"({"schema": "tigress-expectations/1", "expectations": []})", "client").ok())
      << "mode is optional and an empty list is valid";
}

struct BadFile {
  std::string text;
  std::string message_part;
};

class ExpectationsRefuse : public ::testing::TestWithParam<BadFile> {};

TEST_P(ExpectationsRefuse, WithAMessageNamingTheProblem) {
  auto set = parse_expectations(GetParam().text, "relay");
  ASSERT_FALSE(set.ok()) << GetParam().text;
  EXPECT_NE(set.error().message().find(GetParam().message_part), std::string::npos) << set.error().message();
}

INSTANTIATE_TEST_SUITE_P(
    Schema, ExpectationsRefuse,
    ::testing::Values(
        BadFile{R"({"schema": "tigress-expectations/2", "expectations": []})", "is not \"tigress-expectations/1\""},
        BadFile{R"({"expectations": []})", "schema: missing member"},
        BadFile{R"({"schema": "tigress-expectations/1"})", "expectations: missing member"},
        BadFile{R"({"schema": "tigress-expectations/1", "expectations": {}})", "must be an array"},
        BadFile{R"({"schema": "tigress-expectations/1", "expectations": [], "comment": "x"})",
                "comment: unknown member"},
        BadFile{file_with(R"({"case": "6.1/x", "verdict": "FAIL", "reasn": "typo"})"),
                "expectations[0].reasn: unknown member"},
        BadFile{file_with(R"({"case": "6.1/x", "verdict": "FAIL"})"), "expectations[0].reason: missing member"},
        BadFile{file_with(R"({"case": "6.1/x", "verdict": "FAIL", "reason": ""})"), "must not be empty"},
        BadFile{file_with(R"({"case": "6.1/x", "verdict": "ERROR", "reason": "r"})"),
                "must be FAIL, WARN, SKIP or BLOCKED"},
        BadFile{file_with(R"({"case": "6.1/x", "verdict": "PASS", "reason": "r"})"),
                "must be FAIL, WARN, SKIP or BLOCKED"},
        BadFile{file_with(R"({"case": "6.1/x", "verdict": "fail", "reason": "r"})"),
                "must be FAIL, WARN, SKIP or BLOCKED"},
        BadFile{file_with(R"({"case": "6.1 x", "verdict": "FAIL", "reason": "r"})"), "without spaces"},
        BadFile{file_with(R"({"case": 7, "verdict": "FAIL", "reason": "r"})"), "case: must be a string"},
        BadFile{file_with(R"j({"case": "6.1/x", "verdict": "FAIL", "reason": "r", "link": "javascript:alert(1)"})j"),
                "link: must be an http(s) URL"},
        BadFile{
            file_with(
                R"({"case": "6.1/x", "verdict": "FAIL", "reason": "r"}, {"case": "6.1/x", "verdict": "WARN", "reason": "s"})"),
            "expectations[1].case: \"6.1/x\" is listed twice"},
        BadFile{file_with(R"({"case": "6.1/x", "verdict": "FAIL", "reason": "r", "reason": "s"})"),
                "expectations[0].reason: duplicate member name"},
        BadFile{file_with("", R"(, "mode": "client")"), "duplicate member name"},
        BadFile{R"({"schema": "tigress-expectations/1", "mode": "client", "expectations": []})",
                "the file is for client runs, this is a relay run"},
        BadFile{R"({"schema": "tigress-expectations/1", "mode": "model", "expectations": []})",
                "must be \"relay\" or \"client\""},
        BadFile{"[]", "a JSON object"},
        BadFile{"{\n  \"schema\": \"tigress-expectations/1\",\n  \"expectations\": [,]\n}", "line 3"}));

TEST(Expectations, AnEntryMatchingNoCaseIsAnError) {
  auto set = parse_expectations(file_with(R"({"case": "6.5/*", "verdict": "FAIL", "reason": "r"},
                                              {"case": "6.9/gone", "verdict": "FAIL", "reason": "r"})"),
                                "relay");
  ASSERT_TRUE(set.ok());
  const std::vector<std::string> ids = {"6.5/second-reader-refused", "6.1/create-200"};
  Status matched = check_entries_match(*set, ids);
  ASSERT_FALSE(matched.ok());
  EXPECT_NE(matched.error().message().find("\"6.9/gone\" matches no relay case"), std::string::npos);
  set->entries.pop_back();
  EXPECT_TRUE(check_entries_match(*set, ids).ok());
}

TEST(Expectations, AnExactIdWinsOverPatternsAndTheFirstPatternOverLaterOnes) {
  auto set = parse_expectations(file_with(R"({"case": "6.*", "verdict": "WARN", "reason": "broad"},
                                              {"case": "6.5/*", "verdict": "SKIP", "reason": "narrower, later"},
                                              {"case": "6.5/exact", "verdict": "FAIL", "reason": "exact"})"),
                                "relay");
  ASSERT_TRUE(set.ok());
  ASSERT_NE(expectation_for(*set, "6.5/exact"), nullptr);
  EXPECT_EQ(expectation_for(*set, "6.5/exact")->reason, "exact");
  ASSERT_NE(expectation_for(*set, "6.5/other"), nullptr);
  EXPECT_EQ(expectation_for(*set, "6.5/other")->reason, "broad");
  EXPECT_EQ(expectation_for(*set, "7.1/x"), nullptr);
  EXPECT_EQ(expectation_for(*set, "6.5/exac"), set->entries.data()) << "no prefix match for exact ids";
}

RunSummary four_cases() {
  RunSummary summary;
  summary.results.push_back(result("a/known-bug", "6.1", Verdict::kFail, {"R-1"}, "still broken"));
  summary.results.push_back(result("a/fixed", "6.1", Verdict::kPass, {"R-1"}, ""));
  summary.results.push_back(result("a/now-errors", "6.1", Verdict::kError, {"R-1"}, "timeout"));
  summary.results.push_back(result("b/unlisted", "6.2", Verdict::kWarn, {"R-2"}, "should"));
  summary.recount();
  return summary;
}

TEST(Expectations, ApplyingMarksXfailXpassAndUnmetAndRecounts) {
  RunSummary summary = four_cases();
  EXPECT_EQ(summary.fail, 1);
  auto set = parse_expectations(
      file_with(R"({"case": "a/*", "verdict": "FAIL", "reason": "known", "link": "https://x.example/1"})"), "relay");
  ASSERT_TRUE(set.ok());
  apply_expectations(summary, *set, /*allow_xpass=*/false);
  EXPECT_EQ(summary.results[0].expectation.outcome, ExpectationOutcome::kXfail);
  EXPECT_EQ(summary.results[1].expectation.outcome, ExpectationOutcome::kXpass);
  EXPECT_EQ(summary.results[2].expectation.outcome, ExpectationOutcome::kUnmet);
  EXPECT_EQ(summary.results[3].expectation.outcome, ExpectationOutcome::kNotListed);
  EXPECT_EQ(summary.results[0].expectation.link, "https://x.example/1");
  EXPECT_EQ(summary.results[1].verdict, Verdict::kPass) << "the verdict itself is kept";
  EXPECT_EQ(outcome_name(summary.results[0]), "XFAIL");
  EXPECT_EQ(outcome_name(summary.results[1]), "XPASS");
  EXPECT_EQ(outcome_name(summary.results[2]), "ERROR");
  EXPECT_EQ(summary.xfail, 1);
  EXPECT_EQ(summary.xpass, 1);
  EXPECT_EQ(summary.fail, 0);
  EXPECT_EQ(summary.error, 1);
  EXPECT_EQ(summary.warn, 1);
  EXPECT_EQ(summary.pass, 0);
  EXPECT_EQ(summary.total(), 4);
  EXPECT_FALSE(summary.success());

  summary.results.erase(summary.results.begin() + 2);  // without the error
  apply_expectations(summary, *set, false);
  EXPECT_FALSE(summary.success()) << "an XPASS fails the run";
  apply_expectations(summary, *set, true);
  EXPECT_TRUE(summary.success()) << "unless --allow-xpass";
  summary.results.erase(summary.results.begin() + 1);  // without the XPASS
  apply_expectations(summary, *set, false);
  EXPECT_TRUE(summary.success()) << "an expected failure does not fail the run";
}

TEST(Expectations, ABaselineFromAReportListsFailWarnSkipAndRoundTrips) {
  RunSummary summary = test_support::hostile_summary();
  auto report = render_json_report(summary, test_support::tiny_catalogue(), test_support::metadata());
  ASSERT_TRUE(report.ok());
  int entries = -1, errors = -1;
  auto baseline = baseline_from_report(*report, "report.json", entries, errors);
  ASSERT_TRUE(baseline.ok()) << baseline.error().message();
  EXPECT_EQ(entries, 3);
  EXPECT_EQ(errors, 1) << "the ERROR case is left out";
  auto set = parse_expectations(*baseline, "relay");
  ASSERT_TRUE(set.ok()) << set.error().message();
  ASSERT_EQ(set->entries.size(), 3u);
  EXPECT_EQ(set->entries[0].pattern, "6.5/second-reader");
  EXPECT_EQ(set->entries[0].verdict, Verdict::kFail);
  EXPECT_EQ(set->entries[1].verdict, Verdict::kWarn);
  EXPECT_EQ(set->entries[2].verdict, Verdict::kSkip);
  for (const Expectation& entry : set->entries) {
    EXPECT_EQ(entry.reason.find('\n'), std::string::npos) << entry.reason;
    EXPECT_LT(entry.reason.size(), 300u);
    EXPECT_NE(entry.reason.find("report.json"), std::string::npos);
  }
  apply_expectations(summary, *set, false);
  EXPECT_EQ(summary.xfail, 3);
  EXPECT_EQ(summary.error, 1);
  EXPECT_EQ(summary.pass, 1);
}

TEST(Expectations, ABaselineNeedsARelayOrClientReport) {
  int entries = 0, errors = 0;
  EXPECT_FALSE(baseline_from_report(R"({"schema": "tigress-run/1"})", "r", entries, errors).ok());
  auto model = baseline_from_report(R"({"schema": "tigress-report/1", "run": {"mode": "model"}, "cases": []})", "r",
                                    entries, errors);
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.error().message().find("model run"), std::string::npos);
  EXPECT_FALSE(baseline_from_report("{not json", "r", entries, errors).ok());
}

TEST(StrictJson, LocatesSyntaxErrorsAndRefusesRepeatedNames) {
  auto syntax = parse_strict_json("{\n\"a\": 1,\n\"b\": }\n");
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.error().message().find("line 3"), std::string::npos) << syntax.error().message();
  auto repeated = parse_strict_json(R"({"list": [{"x": 1}, {"x": 1, "x": 2}]})");
  ASSERT_FALSE(repeated.ok());
  EXPECT_EQ(repeated.error().message(), "list[1].x: duplicate member name");
  auto fine = parse_strict_json(R"({"x": [1, {"y": "z"}]})");
  ASSERT_TRUE(fine.ok());
  EXPECT_EQ((*fine)["x"][1]["y"], "z");
}

}  // namespace
}  // namespace tigress::conformance
