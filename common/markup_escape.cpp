#include "common/markup_escape.hpp"

namespace tigress {

std::string escape_markup_text(std::string_view text, MarkupWhitespace whitespace) {
  const bool attribute = whitespace == MarkupWhitespace::kAttribute;
  const bool keep = whitespace == MarkupWhitespace::kKeep;
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      case '\r':
        out += keep ? "\r" : "&#13;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace tigress
