#include "conformance/cases/html_scan.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace tigress::conformance::html {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = lower(c);
  return out;
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) code = 0xFFFD;
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Position of the case-insensitive `needle` in `text` from `from`, or npos.
std::size_t find_ci(std::string_view text, std::string_view needle, std::size_t from) {
  if (needle.empty() || text.size() < needle.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= text.size(); ++i) {
    bool same = true;
    for (std::size_t k = 0; k < needle.size() && same; ++k) same = lower(text[i + k]) == lower(needle[k]);
    if (same) return i;
  }
  return std::string_view::npos;
}

// Where a comment that starts at `from` (just after "<!--") ends, as the HTML5 tokenizer
// closes it: "<!-->" and "<!--->" end at once, otherwise the first "-->" or "--!>".
std::size_t comment_end(std::string_view page, std::size_t from) {
  if (page.substr(from, 1) == ">") return from + 1;
  if (page.substr(from, 2) == "->") return from + 2;
  const std::size_t close = page.find("-->", from), bang = page.find("--!>", from);
  if (close == std::string_view::npos && bang == std::string_view::npos) return page.size();
  return close <= bang ? close + 3 : bang + 4;
}

// The start of the end tag that closes a raw text or RCDATA element named `name`: "</name"
// followed by whitespace, '/' or '>' ("</scripts" does not close <script>), or the page's end.
std::size_t raw_text_end(std::string_view page, const std::string& name, std::size_t from) {
  const std::string closing = "</" + name;
  for (std::size_t at = find_ci(page, closing, from); at != std::string_view::npos;
       at = find_ci(page, closing, at + 1)) {
    const std::size_t after = at + closing.size();
    if (after >= page.size() || is_space(page[after]) || page[after] == '/' || page[after] == '>') return at;
  }
  return page.size();
}

}  // namespace

const std::string* Tag::attribute(std::string_view name) const {
  for (const auto& [key, value] : attributes) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::string decode_entities(std::string_view text) {
  static const std::pair<std::string_view, std::string_view> kNamed[] = {
      {"amp", "&"},         {"lt", "<"},  {"gt", ">"},     {"quot", "\""}, {"apos", "'"},
      {"nbsp", "\xC2\xA0"}, {"sol", "/"}, {"equals", "="}, {"grave", "`"}, {"colon", ":"}};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const std::size_t semicolon = text.find(';', i + 1);
    if (semicolon == std::string_view::npos || semicolon - i > 12) {
      out += '&';
      continue;
    }
    std::string_view name = text.substr(i + 1, semicolon - i - 1);
    bool decoded = false;
    if (name.size() >= 2 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      std::string_view digits = name.substr(hex ? 2 : 1);
      std::uint32_t code = 0;
      bool valid = !digits.empty();
      for (char c : digits) {
        const int value = std::isdigit(static_cast<unsigned char>(c))           ? c - '0'
                          : hex && std::isxdigit(static_cast<unsigned char>(c)) ? lower(c) - 'a' + 10
                                                                                : -1;
        if (value < 0 || code > 0x10FFFF) valid = false;
        if (!valid) break;
        code = code * (hex ? 16 : 10) + static_cast<std::uint32_t>(value);
      }
      if (valid) {
        append_utf8(out, code);
        decoded = true;
      }
    } else {
      for (const auto& [entity, replacement] : kNamed) {
        if (name == entity) {
          out += replacement;
          decoded = true;
          break;
        }
      }
    }
    if (decoded) {
      i = semicolon;
    } else {
      out += '&';
    }
  }
  return out;
}

Page scan(std::string_view page) {
  Page result;
  const std::size_t n = page.size();
  std::size_t i = 0;
  while (i < n) {
    const std::size_t open = page.find('<', i);
    if (open == std::string_view::npos || open + 1 >= n) break;
    i = open + 1;
    if (page.substr(open, 4) == "<!--") {
      i = comment_end(page, open + 4);
      continue;
    }
    if (page[i] == '!' || page[i] == '?' || (page[i] == '/' && (i + 1 >= n || !is_alpha(page[i + 1])))) {
      // Doctype, processing instruction or "</" without a name: a bogus comment to the next '>'.
      const std::size_t end = page.find('>', i);
      i = end == std::string_view::npos ? n : end + 1;
      continue;
    }
    const bool end_tag = page[i] == '/';
    if (end_tag) ++i;
    if (!is_alpha(page[i])) continue;  // a literal '<' in text

    Tag tag;
    tag.offset = open;
    while (i < n && !is_space(page[i]) && page[i] != '/' && page[i] != '>') tag.name += lower(page[i++]);
    // Attributes, as the HTML5 tokenizer splits them.
    while (i < n && page[i] != '>') {
      if (is_space(page[i]) || page[i] == '/') {
        ++i;
        continue;
      }
      std::string name;
      name += lower(page[i++]);  // the first character may be '=' or a quote: still a name
      while (i < n && !is_space(page[i]) && page[i] != '/' && page[i] != '>' && page[i] != '=') {
        name += lower(page[i++]);
      }
      while (i < n && is_space(page[i])) ++i;
      std::string value;
      if (i < n && page[i] == '=') {
        ++i;
        while (i < n && is_space(page[i])) ++i;
        if (i < n && (page[i] == '"' || page[i] == '\'')) {
          const char quote = page[i++];
          const std::size_t end = page.find(quote, i);
          const std::size_t stop = end == std::string_view::npos ? n : end;
          value = decode_entities(page.substr(i, stop - i));
          i = stop == n ? n : stop + 1;
        } else {
          const std::size_t start = i;
          while (i < n && !is_space(page[i]) && page[i] != '>') ++i;
          value = decode_entities(page.substr(start, i - start));
        }
      }
      // A repeated attribute is dropped by HTML5 parsers; the first one counts.
      if (!tag.attribute(name)) tag.attributes.emplace_back(std::move(name), std::move(value));
    }
    if (i < n) ++i;  // '>'
    // An end tag's attributes are tokenized (so a '>' inside their quotes does not end it) and
    // then dropped.
    if (end_tag) continue;
    const bool rcdata = tag.name == "title" || tag.name == "textarea";
    const bool raw = tag.name == "script" || tag.name == "style";
    if (rcdata || raw) {
      const std::size_t end = raw_text_end(page, tag.name, i);
      const std::size_t stop = end == std::string_view::npos ? n : end;
      const std::string_view content = page.substr(i, stop - i);
      tag.text = rcdata ? decode_entities(content) : std::string(content);
      i = stop;
    }
    result.tags.push_back(std::move(tag));
  }
  return result;
}

std::optional<std::string> open_graph(const Page& page, std::string_view property) {
  const std::string wanted = "og:" + lower(property);
  for (const auto& tag : page.tags) {
    if (tag.name != "meta") continue;
    const std::string* key = tag.attribute("property");
    if (key == nullptr) key = tag.attribute("name");
    if (key == nullptr || lower(*key) != wanted) continue;
    const std::string* content = tag.attribute("content");
    if (content != nullptr) return *content;
  }
  return std::nullopt;
}

std::vector<std::string> structure(const Page& page) {
  std::vector<std::string> out;
  for (const auto& tag : page.tags) {
    std::vector<std::string> names;
    for (const auto& attribute : tag.attributes) names.push_back(attribute.first);
    std::sort(names.begin(), names.end());
    std::string entry = tag.name + "[";
    for (std::size_t k = 0; k < names.size(); ++k) entry += (k ? " " : "") + names[k];
    out.push_back(entry + "]");
  }
  return out;
}

std::vector<std::string> event_handlers(const Page& page) {
  std::vector<std::string> out;
  for (const auto& tag : page.tags) {
    for (const auto& attribute : tag.attributes) {
      if (attribute.first.size() > 2 && attribute.first.starts_with("on")) {
        out.push_back(tag.name + "." + attribute.first);
      }
    }
  }
  return out;
}

std::vector<const Tag*> elements(const Page& page, std::string_view name) {
  std::vector<const Tag*> out;
  for (const auto& tag : page.tags) {
    if (tag.name == name) out.push_back(&tag);
  }
  return out;
}

}  // namespace tigress::conformance::html
