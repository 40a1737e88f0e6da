// A run whose preflight failed, in every report format: no case, the diagnosis shown escaped,
// JSON with the preflight member and nothing FAILed, JUnit with one preflight testcase in error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "conformance/reports/reports.hpp"
#include "conformance/reports/reports_test_support.hpp"

namespace tigress::conformance {
namespace {

using namespace test_support;
using nlohmann::json;

PreflightResult refused_create() {
  PreflightResult preflight;
  preflight.step = "create";
  preflight.status = 400;
  preflight.sent = "POST /v1/m HTTP/1.1\r\nMailbox-Device-Claim: <redacted:initiator-claim>\r\n\r\n{}";
  preflight.body = "Invalid or missing Device-Claim header " + kScriptInjection;
  preflight.diagnosis = "CreateMailbox (6.1) was refused: the relay answered 400 " + kImgInjection;
  preflight.hints = {"the relay's answer names the header names of older drafts (Device-Claim, Device-Attestation)"};
  preflight.elapsed_ms = 12;
  return preflight;
}

RunMetadata untestable() {
  RunMetadata meta = metadata();
  meta.preflight = refused_create();
  return meta;
}

TEST(PreflightReport, JsonCarriesTheDiagnosisAndNoCase) {
  auto text = render_json_report(RunSummary{}, tiny_catalogue(), untestable());
  ASSERT_TRUE(text.ok());
  const json doc = json::parse(*text, nullptr, false);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["preflight"]["passed"], false);
  EXPECT_EQ(doc["preflight"]["step"], "create");
  EXPECT_EQ(doc["preflight"]["status"], 400);
  EXPECT_EQ(doc["preflight"]["body"], refused_create().body);
  EXPECT_EQ(doc["preflight"]["hints"].size(), 1u);
  EXPECT_TRUE(doc["cases"].empty());
  EXPECT_EQ(doc["summary"]["fail"], 0);
  EXPECT_EQ(doc["summary"]["success"], false);
}

TEST(PreflightReport, JsonSaysPassedAndNullWhenNoneRan) {
  RunMetadata passed = metadata();
  passed.preflight = PreflightResult{};
  passed.preflight->passed = true;
  const json with = json::parse(*render_json_report(hostile_summary(), tiny_catalogue(), passed), nullptr, false);
  EXPECT_EQ(with["preflight"]["passed"], true);
  EXPECT_TRUE(with["preflight"]["step"].is_null());
  EXPECT_TRUE(with["preflight"]["status"].is_null());
  const json without =
      json::parse(*render_json_report(hostile_summary(), tiny_catalogue(), metadata()), nullptr, false);
  EXPECT_TRUE(without.contains("preflight"));
  EXPECT_TRUE(without["preflight"].is_null());
}

TEST(PreflightReport, JunitHasOnePreflightTestcaseInError) {
  auto xml = render_junit_report(RunSummary{}, untestable());
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(xml_problem(*xml), "");
  EXPECT_NE(xml->find("tests=\"1\" failures=\"0\" errors=\"1\""), std::string::npos) << *xml;
  EXPECT_NE(xml->find("<testcase name=\"preflight\" classname=\"preflight\""), std::string::npos) << *xml;
  EXPECT_NE(xml->find("<error message=\"the target could not be tested: CreateMailbox (6.1) was refused"),
            std::string::npos)
      << *xml;
  EXPECT_NE(xml->find("type=\"PREFLIGHT\""), std::string::npos);
  EXPECT_EQ(xml->find("<img"), std::string::npos);
  EXPECT_EQ(xml->find("<script>"), std::string::npos);
}

TEST(PreflightReport, HtmlAndMarkdownShowTheDiagnosisEscaped) {
  auto html = render_html_report(RunSummary{}, tiny_catalogue(), untestable());
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("Preflight failed: the target could not be tested"), std::string::npos);
  EXPECT_NE(html->find("Invalid or missing Device-Claim header"), std::string::npos);
  EXPECT_EQ(html->find("<img src=x"), std::string::npos);
  EXPECT_EQ(html->find("<script>alert"), std::string::npos);
  auto markdown = render_markdown_report(RunSummary{}, tiny_catalogue(), untestable());
  ASSERT_TRUE(markdown.ok());
  EXPECT_NE(markdown->find("Preflight failed at step create"), std::string::npos) << *markdown;
  EXPECT_NE(markdown->find("older drafts"), std::string::npos) << *markdown;
  EXPECT_EQ(markdown->find("<img src=x"), std::string::npos) << *markdown;
}

}  // namespace
}  // namespace tigress::conformance
