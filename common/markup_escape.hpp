// The one escaper of the suite for XML and HTML: the relay's preview page, the HTML, JUnit and
// Markdown reports. The five characters that matter in text and quoted attribute values always
// become references; what happens to whitespace is the caller's choice.
#pragma once

#include <string>
#include <string_view>

namespace tigress {

enum class MarkupWhitespace {
  kKeep,       // every other byte as it is (the preview page, 8.1.2)
  kText,       // CR as &#13; (an XML parser would turn a raw CR into LF)
  kAttribute,  // CR, LF and tab as references, which attribute-value normalisation keeps
};

std::string escape_markup_text(std::string_view text, MarkupWhitespace whitespace = MarkupWhitespace::kKeep);

}  // namespace tigress
