// The three report formats against a run whose target sent hostile content: each must stay
// parseable, escape everything, keep its counts right and stay bounded in size.
#include "conformance/reports/reports.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "conformance/reports/report_text.hpp"
#include "conformance/reports/reports_test_support.hpp"

namespace tigress::conformance {
namespace {

using namespace test_support;
using nlohmann::json;

// The element names of every tag in a document, in order ("?xml" and "!DOCTYPE" included): a
// '<' that target text smuggled in unescaped would show up here as a name we never write.
std::vector<std::string> tag_names(const std::string& markup) {
  std::vector<std::string> names;
  for (std::size_t at = markup.find('<'); at != std::string::npos; at = markup.find('<', at + 1)) {
    std::size_t begin = at + 1;
    if (begin < markup.size() && markup[begin] == '/') ++begin;
    std::size_t end = begin;
    while (end < markup.size() && !std::isspace(static_cast<unsigned char>(markup[end])) && markup[end] != '>' &&
           markup[end] != '/') {
      ++end;
    }
    names.push_back(markup.substr(begin, end - begin));
  }
  return names;
}

std::string render_json() {
  Result<std::string> text = render_json_report(hostile_summary(), tiny_catalogue(), metadata());
  EXPECT_TRUE(text.ok()) << (text.ok() ? "" : text.error().message());
  return text.ok() ? *text : std::string();
}

// ---- JSON --------------------------------------------------------------------------------------

TEST(JsonReport, ParsesAndHasTheSchemaMembers) {
  const std::string text = render_json();
  const json doc = json::parse(text, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["schema"], "tigress-report/1");
  for (const char* key : {"schema", "suite", "run", "catalogue", "summary", "cases", "coverage"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_EQ(doc["suite"]["version"], "0.1.0");
  EXPECT_EQ(doc["suite"]["commit"], "0123456789abcdef0123456789abcdef01234567");
  for (const char* key :
       {"mode", "target", "command_line", "seed", "strict", "started_at", "finished_at", "elapsed_ms"}) {
    EXPECT_TRUE(doc["run"].contains(key)) << key;
  }
  EXPECT_EQ(doc["run"]["mode"], "relay");
  EXPECT_EQ(doc["run"]["seed"], "18446744073709551615");  // a string: no double rounding
  EXPECT_EQ(doc["run"]["strict"], false);
  EXPECT_EQ(doc["run"]["started_at"], "2024-01-02T03:04:05Z");  // from the summary
  EXPECT_EQ(doc["run"]["elapsed_ms"], 4000.0);
  EXPECT_EQ(doc["catalogue"]["version"], "test-1");

  const json& cases = doc["cases"];
  ASSERT_EQ(cases.size(), 5u);
  for (const json& c : cases) {
    for (const char* key :
         {"id", "title", "section", "requirements", "level", "category", "verdict", "detail", "elapsed_ms", "wire"}) {
      EXPECT_TRUE(c.contains(key)) << key;
    }
  }
  EXPECT_EQ(cases[0]["id"], "6.5/second-reader");
  EXPECT_EQ(cases[0]["verdict"], "FAIL");
  EXPECT_EQ(cases[0]["level"], "MUST");
  EXPECT_EQ(cases[0]["category"], "anti-replay");
  ASSERT_EQ(cases[0]["wire"].size(), 2u);
  for (const char* key : {"request", "response", "elapsed_ms"}) {
    EXPECT_TRUE(cases[0]["wire"][0].contains(key)) << key;
  }
  EXPECT_EQ(cases[0]["wire"][0]["elapsed_ms"], 3.25);
  // JSON carries the target's text itself (escaped by the JSON encoding, not rewritten).
  const std::string detail = cases[0]["detail"];
  EXPECT_NE(detail.find(kScriptInjection), std::string::npos);
  EXPECT_NE(detail.find(std::string("nul:\0:esc:\x1b", 11)), std::string::npos);
}

TEST(JsonReport, CountsComeFromTheResults) {
  RunSummary summary = hostile_summary();
  summary.pass = 99;  // a stale counter must not contradict the case list
  Result<std::string> text = render_json_report(summary, tiny_catalogue(), metadata());
  ASSERT_TRUE(text.ok());
  const json doc = json::parse(*text, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  const json& s = doc["summary"];
  EXPECT_EQ(s["pass"], 1);
  EXPECT_EQ(s["fail"], 1);
  EXPECT_EQ(s["warn"], 1);
  EXPECT_EQ(s["skip"], 1);
  EXPECT_EQ(s["error"], 1);
  EXPECT_EQ(s["total"], 5);
  EXPECT_EQ(s["success"], false);
}

TEST(JsonReport, InvalidUtf8IsReplacedAndHugeFieldsAreCut) {
  const std::string text = render_json();
  std::vector<std::uint32_t> code_points;
  EXPECT_TRUE(decode_utf8(text, code_points)) << "the report itself must be valid UTF-8";
  // Two 5 MB wire fields and a 5 MB detail went in; each is capped at 256 KiB of target text
  // (the NUL-filled one then takes six bytes per "\u0000").
  EXPECT_LT(text.size(), 3u * 1024 * 1024);
  const json doc = json::parse(text, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  const std::string response = doc["cases"][0]["wire"][0]["response"];
  EXPECT_NE(response.find("[tigress-report: truncated, "), std::string::npos);
  EXPECT_NE(std::string(doc["run"]["command_line"]).find("\xef\xbf\xbd"), std::string::npos)
      << "invalid byte replaced by U+FFFD";
}

TEST(JsonReport, CoverageStatusesAndTotals) {
  const json doc = json::parse(render_json(), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  const json& coverage = doc["coverage"];
  ASSERT_EQ(coverage["requirements"].size(), 5u);
  std::map<std::string, json> by_id;
  for (const json& r : coverage["requirements"]) {
    for (const char* key : {"id", "section", "level", "binds", "testable", "cases", "status"}) {
      EXPECT_TRUE(r.contains(key)) << key;
    }
    by_id[r["id"]] = r;
  }
  EXPECT_EQ(by_id["R-1"]["status"], "covered-pass");  // PASS + WARN
  ASSERT_EQ(by_id["R-1"]["cases"].size(), 2u);        // the duplicate listing counts once
  EXPECT_EQ(by_id["R-1"]["cases"][0]["id"], "6.1/create");
  EXPECT_EQ(by_id["R-1"]["cases"][0]["verdict"], "PASS");
  EXPECT_EQ(by_id["R-2"]["status"], "covered-fail");
  EXPECT_EQ(by_id["R-2"]["level"], "SHOULD");
  EXPECT_EQ(by_id["R-3"]["status"], "untestable");
  EXPECT_EQ(by_id["R-4"]["status"], "not-covered");  // only a SKIP named it
  EXPECT_EQ(by_id["R-4"]["cases"].size(), 1u);
  EXPECT_EQ(by_id["C-1"]["status"], "not-covered");
  EXPECT_EQ(by_id["C-1"]["in_scope"], false);

  EXPECT_EQ(coverage["testable_relay_total"], 3);
  EXPECT_EQ(coverage["covered_relay_total"], 2);
  EXPECT_EQ(coverage["testable_total"], 3);
  EXPECT_EQ(coverage["covered_total"], 2);
  EXPECT_EQ(coverage["uncovered"], json::array({"R-4"}));  // C-1 is out of scope
  EXPECT_EQ(coverage["unknown"], json::array({"R-UNKNOWN"}));
  EXPECT_EQ(coverage["scope"], json::array({"relay"}));
}

TEST(JsonReport, ClientModeCountsClientRequirements) {
  RunMetadata m = metadata();
  m.mode = "client";
  Result<std::string> text = render_json_report(hostile_summary(), tiny_catalogue(), m);
  ASSERT_TRUE(text.ok());
  const json doc = json::parse(*text, nullptr, false);
  EXPECT_EQ(doc["coverage"]["testable_total"], 1);
  EXPECT_EQ(doc["coverage"]["covered_total"], 0);
  EXPECT_EQ(doc["coverage"]["uncovered"], json::array({"C-1"}));
  EXPECT_EQ(doc["coverage"]["testable_relay_total"], 3);  // named for what it counts
}

TEST(JsonReport, WritesTheFileAndReportsUnwritablePaths) {
  const ScratchDir scratch("json");
  const std::filesystem::path dir = scratch.path();
  EXPECT_TRUE(write_json_report(dir / "r.json", hostile_summary(), tiny_catalogue(), metadata()).ok());
  EXPECT_TRUE(std::filesystem::file_size(dir / "r.json") > 0);
  const Status bad = write_json_report(dir / "missing" / "r.json", hostile_summary(), tiny_catalogue(), metadata());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("missing"), std::string::npos);
}

// ---- JUnit -------------------------------------------------------------------------------------

TEST(JunitReport, IsWellFormedWithRightCounts) {
  Result<std::string> xml = render_junit_report(hostile_summary(), metadata());
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(xml_problem(*xml), "");
  EXPECT_LT(xml->size(), 2u * 1024 * 1024);
  EXPECT_NE(xml->find("<testsuite name=\"tigress-conform relay\" tests=\"5\" failures=\"1\" "
                      "errors=\"1\" skipped=\"1\" time=\"4.000\""),
            std::string::npos);
  EXPECT_NE(xml->find("<testsuites name=\"tigress-conform\" tests=\"5\" failures=\"1\" "
                      "errors=\"1\" skipped=\"1\""),
            std::string::npos);
  EXPECT_NE(xml->find("<testcase name=\"6.1/create\" classname=\"anti-replay\" time=\"0.013\"/>"), std::string::npos);
  EXPECT_NE(xml->find("<failure message=\"relay said: &lt;/script&gt;"), std::string::npos);
  EXPECT_NE(xml->find("<error message=\""), std::string::npos);
  EXPECT_NE(xml->find("<skipped message=\"not applicable: &lt;img"), std::string::npos);
  EXPECT_NE(xml->find("<system-out>WARN: should have sent &lt;b&gt;"), std::string::npos);
}

TEST(JunitReport, NoDataReachesTheMarkupUnescaped) {
  Result<std::string> xml = render_junit_report(hostile_summary(), metadata());
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(xml->find("<script"), std::string::npos);
  EXPECT_EQ(xml->find("<img"), std::string::npos);
  EXPECT_EQ(xml->find("<b>"), std::string::npos);
  EXPECT_EQ(xml->find("]]>"), std::string::npos);
  EXPECT_EQ(xml->find('\0'), std::string::npos);
  EXPECT_EQ(xml->find('\x1b'), std::string::npos);
  EXPECT_EQ(xml->find("\xe2\x80\xae"), std::string::npos) << "bidi override shown, not applied";
  // Every '<' opens one of our own elements.
  const std::set<std::string> ours = {"?xml",     "testsuites", "testsuite", "properties", "property",
                                      "testcase", "failure",    "error",     "skipped",    "system-out"};
  for (const std::string& name : tag_names(*xml)) EXPECT_TRUE(ours.count(name)) << name;
}

TEST(JunitReport, AllPassingRunIsWellFormed) {
  RunSummary summary;
  summary.results.push_back(result("6.1/a", "6.1", Verdict::kPass, {"R-1"}, ""));
  Result<std::string> xml = render_junit_report(summary, RunMetadata{});
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(xml_problem(*xml), "");
  EXPECT_NE(xml->find("tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\""), std::string::npos);
}

// BLOCKED (the relay stopped serving) is never a pass or a skip: JUnit carries it as an error of
// type BLOCKED, the JSON summary counts it apart from FAIL and ERROR, and the run has not passed.
TEST(Reports, BlockedIsCountedApartAndNeverAsPassed) {
  RunSummary summary;
  summary.results.push_back(result("4.3/poison", "4.3", Verdict::kFail, {"R-1"},
                                   "got 200\ncause: after this case the relay stopped serving"));
  summary.results.push_back(result("6.1/after", "6.1", Verdict::kBlocked, {"R-1"},
                                   "BLOCKED: the relay stopped serving after 4.3/poison; not run"));
  summary.recount();
  EXPECT_EQ(summary.blocked, 1);
  EXPECT_EQ(summary.fail, 1);
  EXPECT_EQ(summary.error, 0);
  EXPECT_FALSE(summary.success());

  Result<std::string> xml = render_junit_report(summary, RunMetadata{});
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(xml_problem(*xml), "");
  EXPECT_NE(xml->find("tests=\"2\" failures=\"1\" errors=\"1\" skipped=\"0\""), std::string::npos) << *xml;
  EXPECT_NE(xml->find("<error message=\"BLOCKED: the relay stopped serving after 4.3/poison; not run\" "
                      "type=\"BLOCKED\">"),
            std::string::npos)
      << *xml;

  Result<std::string> text = render_json_report(summary, tiny_catalogue(), metadata());
  ASSERT_TRUE(text.ok());
  const json doc = json::parse(*text);
  EXPECT_EQ(doc["summary"]["blocked"], 1);
  EXPECT_EQ(doc["summary"]["error"], 0);
  EXPECT_EQ(doc["summary"]["success"], false);
  EXPECT_EQ(doc["cases"][1]["verdict"], "BLOCKED");

  Result<std::string> markdown = render_markdown_report(summary, tiny_catalogue(), metadata());
  ASSERT_TRUE(markdown.ok());
  EXPECT_NE(markdown->find("1 BLOCKED"), std::string::npos);
  EXPECT_NE(markdown->find("FAILED"), std::string::npos);
}

// ---- HTML --------------------------------------------------------------------------------------

std::string render_html() {
  Result<std::string> html = render_html_report(hostile_summary(), tiny_catalogue(), metadata());
  EXPECT_TRUE(html.ok());
  return html.ok() ? *html : std::string();
}

TEST(HtmlReport, NoInjectedMarkupSurvives) {
  const std::string html = render_html();
  for (const char* injected : {"<script", "</script", "<img", "<b>"}) {
    EXPECT_FALSE(contains_nocase(html, injected)) << injected;
  }
  EXPECT_NE(html.find("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;script&gt;alert(2)"), std::string::npos) << "the target URL";
  // Nothing a browser could fetch or run: only our own elements (none with src), and links
  // stay inside the page.
  const std::set<std::string> ours = {"!DOCTYPE", "html",    "head",    "meta", "title", "style", "body", "h1",
                                      "h2",       "h3",      "p",       "span", "table", "tr",    "th",   "td",
                                      "code",     "details", "summary", "a",    "div",   "pre",   "ul",   "li"};
  for (const std::string& name : tag_names(html)) EXPECT_TRUE(ours.count(name)) << name;
  for (std::size_t at = html.find("href=\""); at != std::string::npos; at = html.find("href=\"", at + 1)) {
    EXPECT_EQ(html[at + 6], '#') << html.substr(at, 40);
  }
  EXPECT_NE(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                      "style-src 'unsafe-inline'\">"),
            std::string::npos);
}

TEST(HtmlReport, IsCleanUtf8WithoutControlBytesAndBounded) {
  const std::string html = render_html();
  std::vector<std::uint32_t> code_points;
  ASSERT_TRUE(decode_utf8(html, code_points));
  for (std::uint32_t c : code_points) {
    EXPECT_TRUE(c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F && !(c >= 0x80 && c <= 0x9F))) << "code point " << c;
    EXPECT_FALSE(c >= 0x202A && c <= 0x202E) << "bidi override";
  }
  // Three 5 MB fields went in; the page shows bounded excerpts.
  EXPECT_LT(html.size(), 512u * 1024);
  EXPECT_EQ(html.find(std::string(64 * 1024, 'A')), std::string::npos);
}

TEST(HtmlReport, ManyHugeExchangesStayWithinTheBudget) {
  RunSummary summary;
  const std::string quotes(16 * 1024, '"');
  for (int i = 0; i < 20; ++i) {
    summary.results.push_back(result("9/" + std::to_string(i), "9", Verdict::kFail, {}, ""));
    for (int k = 0; k < 60; ++k) summary.results.back().wire.push_back({quotes, quotes, 0});
  }
  Result<std::string> html = render_html_report(summary, tiny_catalogue(), metadata());
  ASSERT_TRUE(html.ok());
  // 20 cases x 50 shown exchanges x 2 fields x 8 KiB x 6 (&quot;) would be ~94 MiB without the
  // page budget.
  EXPECT_LT(html->size(), 12u * 1024 * 1024);
  EXPECT_NE(html->find("10 further exchanges are in report.json"), std::string::npos);
}

TEST(HtmlReport, CasesAreGroupedBySectionInDraftOrder) {
  const std::string html = render_html();
  const std::size_t s61 = html.find("<h3>Section 6.1</h3>");
  const std::size_t s65 = html.find("<h3>Section 6.5</h3>");
  const std::size_t s610 = html.find("<h3>Section 6.10</h3>");
  const std::size_t s71 = html.find("<h3>Section 7.1</h3>");
  ASSERT_NE(s61, std::string::npos);
  ASSERT_NE(s65, std::string::npos);
  ASSERT_NE(s610, std::string::npos);
  ASSERT_NE(s71, std::string::npos);
  EXPECT_LT(s61, s65);
  EXPECT_LT(s65, s610);
  EXPECT_LT(s610, s71);
  // Both 6.5 cases under one heading, in run order.
  const std::size_t fail = html.find("<code>6.5/second-reader</code>");
  const std::size_t warn = html.find("<code>6.5/should</code>");
  EXPECT_TRUE(s65 < fail && fail < warn && warn < s610);
  EXPECT_NE(html.find("<details class=\"case c-FAIL\" id=\"case-0\" open>"), std::string::npos);
  EXPECT_NE(html.find("<details class=\"wire\"><summary>Wire log (2 exchanges)"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(HtmlReport, CoverageListsEveryEntryAndTheUncoveredOnes) {
  const std::string html = render_html();
  const std::size_t coverage = html.find("<h2 id=\"coverage\">");
  const std::size_t uncovered = html.find("<h2 id=\"uncovered\">");
  ASSERT_NE(coverage, std::string::npos);
  ASSERT_NE(uncovered, std::string::npos);
  for (const char* id : {"R-1", "R-2", "R-3", "R-4", "C-1"}) {
    EXPECT_NE(html.find("<code>" + std::string(id) + "</code>", coverage), std::string::npos) << id;
  }
  const std::string tail = html.substr(uncovered);
  EXPECT_NE(tail.find("<code>R-4</code>"), std::string::npos);
  EXPECT_EQ(tail.find("<code>R-1</code>"), std::string::npos);
  EXPECT_EQ(tail.find("<code>C-1</code>"), std::string::npos);  // out of scope for a relay run
  EXPECT_NE(tail.find("<code>R-UNKNOWN</code>"), std::string::npos);
  EXPECT_NE(html.find("class=\"st-covered-fail\">covered-fail"), std::string::npos);
  EXPECT_NE(html.find("class=\"st-untestable\">untestable"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;not bold&lt;/b&gt;"), std::string::npos);
}

TEST(HtmlReport, EmptyRunRenders) {
  Result<std::string> html = render_html_report(RunSummary{}, Catalogue{}, RunMetadata{});
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("No case ran."), std::string::npos);
  EXPECT_NE(html->find("FAILED"), std::string::npos);  // nothing ran: not a pass
}

}  // namespace
}  // namespace tigress::conformance
