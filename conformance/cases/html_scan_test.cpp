// The preview reader judges markup where the HTML5 tokenizer would: a "<script>" that sits in
// a quoted attribute value, a comment or <title>'s RCDATA is text; one that follows a quote
// the page left unescaped is an element (MBX-PREVIEW-08, TM-14).
#include "conformance/cases/html_scan.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tigress::conformance::html {
namespace {

// The preview a relay renders with `image` as the og:image content, written by hand.
std::string page_with_image(const std::string& image) {
  return "<!DOCTYPE html>\n<html>\n<head>\n<title>Car Key</title>\n"
         "<meta property=\"og:title\" content=\"Car Key\">\n"
         "<meta property=\"og:image\" content=\"" +
         image + "\">\n</head>\n<body></body>\n</html>\n";
}

TEST(HtmlScan, AnEscapedQuoteKeepsTheScriptInsideTheAttribute) {
  // HTML5's attribute-mode serialization escapes only '&' and '"': '<' and '>' may stay raw.
  const Page page = scan(page_with_image("https://e.example/c&quot;><script>alert(1)</script>"));
  EXPECT_TRUE(elements(page, "script").empty());
  EXPECT_TRUE(event_handlers(page).empty());
  EXPECT_EQ(structure(page), structure(scan(page_with_image("https://example.com/key.png"))));
  EXPECT_EQ(open_graph(page, "image"), "https://e.example/c\"><script>alert(1)</script>");
}

TEST(HtmlScan, AnUnescapedQuoteLetsTheScriptStart) {
  const std::string text = page_with_image("https://e.example/c\"><script>alert(1)</script>");
  const Page page = scan(text);
  const auto scripts = elements(page, "script");
  ASSERT_EQ(scripts.size(), 1u);
  EXPECT_EQ(scripts[0]->text, "alert(1)");
  EXPECT_EQ(text.substr(scripts[0]->offset, 8), "<script>");
  EXPECT_NE(structure(page), structure(scan(page_with_image("https://example.com/key.png"))));
}

TEST(HtmlScan, AHandlerAfterAnUnescapedQuoteIsAnAttributeAndAnEscapedOneIsNot) {
  EXPECT_EQ(event_handlers(scan(page_with_image("https://e.example/a\"onerror=\"alert(1)"))),
            (std::vector<std::string>{"meta.onerror"}));
  EXPECT_TRUE(event_handlers(scan(page_with_image("https://e.example/a&quot;onerror=&quot;alert(1)"))).empty());
  // A single quote only ends a single-quoted value.
  EXPECT_TRUE(event_handlers(scan(page_with_image("https://e.example/b'onerror='alert(1)"))).empty());
  EXPECT_EQ(event_handlers(scan("<meta content='x'onerror='alert(1)'>")), (std::vector<std::string>{"meta.onerror"}));
  // Unquoted values end at whitespace.
  EXPECT_EQ(event_handlers(scan("<img src=x onerror=alert(1)>")), (std::vector<std::string>{"img.onerror"}));
}

TEST(HtmlScan, TitleTextIsRcdataUntilItsRealEndTag) {
  EXPECT_TRUE(elements(scan("<title>a <script>alert(1)</script> b</title>"), "script").empty());
  EXPECT_TRUE(elements(scan("<title>a </titles><script>x</script></title>"), "script").empty());
  const Page broken = scan("<title></title><script>alert(1)</script></title>");
  EXPECT_EQ(elements(broken, "script").size(), 1u);
  EXPECT_EQ(elements(scan("<title>&lt;/title&gt;&lt;script&gt;</title>"), "title")[0]->text, "</title><script>");
}

TEST(HtmlScan, CommentsEndWhereTheTokenizerEndsThem) {
  EXPECT_TRUE(elements(scan("<!-- <script>alert(1)</script> -->"), "script").empty());
  // "<!-->" and "<!--->" are complete (empty) comments: what follows is markup.
  EXPECT_EQ(elements(scan("<!--><script>alert(1)</script>"), "script").size(), 1u);
  EXPECT_EQ(elements(scan("<!---><script>alert(1)</script>"), "script").size(), 1u);
  EXPECT_EQ(elements(scan("<!-- x --!><script>alert(1)</script>"), "script").size(), 1u);
}

TEST(HtmlScan, EndTagsAreTokenizedWithTheirAttributes) {
  // The '>' in the end tag's quoted attribute does not end it; the <b> after it is an element.
  const Page page = scan("<p></p title=\"><script>x</script>\"><b>");
  EXPECT_TRUE(elements(page, "script").empty());
  EXPECT_EQ(elements(page, "b").size(), 1u);
  EXPECT_EQ(structure(scan("a < b </ c")), (std::vector<std::string>{}));
}

TEST(HtmlScan, EntitiesDecodeInAttributesAndRcdata) {
  EXPECT_EQ(decode_entities("Tom &amp; Jerry &lt;b&gt; &#39;&#x27;&quot;"), "Tom & Jerry <b> ''\"");
  EXPECT_EQ(decode_entities("&unknown; & &#xZZ;"), "&unknown; & &#xZZ;");
}

}  // namespace
}  // namespace tigress::conformance::html
