#include "reference/relay/preview.hpp"

#include "common/markup_escape.hpp"

namespace tigress::relay {

std::string html_escape(std::string_view text) { return escape_markup_text(text, MarkupWhitespace::kKeep); }

namespace {

// HTML5 "escaping a string": '&' always, '"' in attribute mode, '<' and '>' otherwise.
std::string serialization_escape(std::string_view text, bool attribute_mode) {
  std::string out;
  for (char c : text) {
    if (c == '&') {
      out += "&amp;";
    } else if (attribute_mode && c == '"') {
      out += "&quot;";
    } else if (!attribute_mode && c == '<') {
      out += "&lt;";
    } else if (!attribute_mode && c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string render_preview(const codec::DisplayInformation& display, PreviewEscaping escaping) {
  auto text = [escaping](const std::string& value, bool attribute) {
    switch (escaping) {
      case PreviewEscaping::kAll:
        return html_escape(value);
      case PreviewEscaping::kSerialization:
        return serialization_escape(value, attribute);
      case PreviewEscaping::kMarkupOnly: {
        std::string out;
        for (char c : value) out += c == '&' ? std::string(1, c) : html_escape(std::string_view(&c, 1));
        return out;
      }
      case PreviewEscaping::kNone:
        break;
    }
    return value;
  };
  const std::string title_text = text(display.title, false);
  const std::string title = text(display.title, true);
  const std::string description = text(display.description, true);
  const std::string image = text(display.image_url, true);
  std::string page;
  page.reserve(512 + 2 * title.size() + description.size() + image.size());
  page += "<!DOCTYPE html>\n<html prefix=\"og: https://ogp.me/ns#\">\n<head>\n";
  page += "<meta charset=\"utf-8\">\n";
  page += "<title>" + title_text + "</title>\n";
  page += "<meta property=\"og:title\" content=\"" + title + "\">\n";
  page += "<meta property=\"og:type\" content=\"website\">\n";
  page += "<meta property=\"og:description\" content=\"" + description + "\">\n";
  page += "<meta property=\"og:image\" content=\"" + image + "\">\n";
  page += "</head>\n<body></body>\n</html>\n";
  return page;
}

void set_preview_headers(Response& response) {
  response.set_header("Content-Type", "text/html; charset=utf-8");
  response.set_header("Content-Security-Policy",
                      "default-src 'none'; img-src https:; base-uri 'none'; form-action 'none'; "
                      "frame-ancestors 'none'");
  response.set_header("Referrer-Policy", "no-referrer");
  response.set_header("Cache-Control", "no-store");
  response.set_header("X-Content-Type-Options", "nosniff");
}

}  // namespace tigress::relay
