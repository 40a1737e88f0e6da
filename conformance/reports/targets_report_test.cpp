// A deployment tested at several addresses: every report names every target; with one target
// the reports read as before (run.targets holds just run.target).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "conformance/reports/reports.hpp"
#include "conformance/reports/reports_test_support.hpp"

namespace tigress::conformance {
namespace {

using namespace test_support;
using nlohmann::json;

RunMetadata two_instances() {
  RunMetadata m = metadata();
  m.target = "https://a.example:8443";
  m.targets = {"https://a.example:8443", "https://b.example:8443"};
  return m;
}

TEST(TargetsReport, JsonListsEveryTargetAndTheFirstAsTarget) {
  auto text = render_json_report(hostile_summary(), tiny_catalogue(), two_instances());
  ASSERT_TRUE(text.ok());
  const json doc = json::parse(*text);
  EXPECT_EQ(doc["run"]["target"], "https://a.example:8443");
  EXPECT_EQ(doc["run"]["targets"], json::array({"https://a.example:8443", "https://b.example:8443"}));

  auto single = render_json_report(hostile_summary(), tiny_catalogue(), metadata());
  ASSERT_TRUE(single.ok());
  const json one = json::parse(*single);
  ASSERT_EQ(one["run"]["targets"].size(), 1u);
  EXPECT_EQ(one["run"]["targets"][0], one["run"]["target"]);
}

TEST(TargetsReport, HtmlAndMarkdownNameEveryTarget) {
  auto html = render_html_report(hostile_summary(), tiny_catalogue(), two_instances());
  ASSERT_TRUE(html.ok());
  EXPECT_NE(
      html->find("<tr><th>Targets</th><td><code>https://a.example:8443</code><br><code>https://b.example:8443</code>"),
      std::string::npos);
  auto single = render_html_report(hostile_summary(), tiny_catalogue(), metadata());
  ASSERT_TRUE(single.ok());
  EXPECT_NE(single->find("<tr><th>Target</th>"), std::string::npos);
  EXPECT_EQ(single->find("<tr><th>Targets</th>"), std::string::npos);

  auto markdown = render_markdown_report(hostile_summary(), tiny_catalogue(), two_instances());
  ASSERT_TRUE(markdown.ok());
  // Markdown escapes every ASCII punctuation character.
  EXPECT_NE(markdown->find(R"(run against https\:\/\/a\.example\:8443\, https\:\/\/b\.example\:8443)"),
            std::string::npos)
      << *markdown;
}

TEST(TargetsReport, JunitNamesEveryTargetWhenThereAreSeveral) {
  auto xml = render_junit_report(hostile_summary(), two_instances());
  ASSERT_TRUE(xml.ok());
  EXPECT_NE(xml->find(R"(<property name="target" value="https://a.example:8443"/>)"), std::string::npos) << *xml;
  EXPECT_NE(xml->find(R"(<property name="targets" value="https://a.example:8443 https://b.example:8443"/>)"),
            std::string::npos)
      << *xml;
  auto single = render_junit_report(hostile_summary(), metadata());
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->find(R"(<property name="targets")"), std::string::npos);
}

}  // namespace
}  // namespace tigress::conformance
