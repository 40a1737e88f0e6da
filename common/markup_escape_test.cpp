// The one markup escaper: the five characters everywhere, whitespace by the caller's choice.
#include "common/markup_escape.hpp"

#include <gtest/gtest.h>

namespace tigress {
namespace {

TEST(MarkupEscape, TheFiveCharactersBecomeReferences) {
  EXPECT_EQ(escape_markup_text("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(escape_markup_text("plain text"), "plain text");
}

TEST(MarkupEscape, WhitespaceAsTheCallerChooses) {
  const std::string_view text = "a\nb\tc\rd";
  EXPECT_EQ(escape_markup_text(text, MarkupWhitespace::kKeep), "a\nb\tc\rd");
  EXPECT_EQ(escape_markup_text(text, MarkupWhitespace::kText), "a\nb\tc&#13;d");
  EXPECT_EQ(escape_markup_text(text, MarkupWhitespace::kAttribute), "a&#10;b&#9;c&#13;d");
}

}  // namespace
}  // namespace tigress
