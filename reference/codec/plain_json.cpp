#include "reference/codec/plain_json.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>

namespace tigress::codec::plain_json {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 16;  // deeper documents are left to the strict reading and its limit

class PlainReader {
 public:
  explicit PlainReader(std::string_view text) : text_(text) {}

  std::optional<json> document() {
    skip_whitespace();
    if (!at('{')) return std::nullopt;
    json value;
    if (!read_value(value, 0)) return std::nullopt;
    skip_whitespace();
    if (pos_ != text_.size()) return std::nullopt;
    return value;
  }

 private:
  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  // RFC 8259 section 2: space, horizontal tab, line feed, carriage return.
  void skip_whitespace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool read_value(json& out, int depth) {
    skip_whitespace();
    if (pos_ >= text_.size()) return false;
    switch (text_[pos_]) {
      case '{':
        return read_object(out, depth + 1);
      case '[':
        return read_array(out, depth + 1);
      case '"': {
        std::string text;
        if (!read_string(text)) return false;
        out = std::move(text);
        return true;
      }
      case 't':
        return read_literal("true", out, json(true));
      case 'f':
        return read_literal("false", out, json(false));
      case 'n':
        return read_literal("null", out, json(nullptr));
      default:
        return false;  // a number or anything else: the strict reading decides
    }
  }

  bool read_literal(std::string_view word, json& out, json value) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    out = std::move(value);
    return true;
  }

  // Printable ASCII other than the quote and the backslash, up to the closing quote.
  bool read_string(std::string& out) {
    const std::size_t start = ++pos_;
    while (pos_ < text_.size()) {
      const auto byte = static_cast<unsigned char>(text_[pos_]);
      if (byte == '"') {
        out.assign(text_.substr(start, pos_ - start));
        ++pos_;
        return true;
      }
      if (byte < 0x20 || byte > 0x7E || byte == '\\') return false;
      ++pos_;
    }
    return false;
  }

  bool read_object(json& out, int depth) {
    if (depth > kMaxDepth) return false;
    ++pos_;  // '{'
    out = json::object();
    auto& members = out.get_ref<json::object_t&>();
    skip_whitespace();
    if (at('}')) {
      ++pos_;
      return true;
    }
    for (;;) {
      skip_whitespace();
      if (!at('"')) return false;
      std::string name;
      if (!read_string(name)) return false;
      skip_whitespace();
      if (!at(':')) return false;
      ++pos_;
      auto [member, inserted] = members.emplace(std::move(name), nullptr);
      if (!inserted) return false;  // a repeated name: the strict reading names it in its error
      if (!read_value(member->second, depth)) return false;
      skip_whitespace();
      if (at(',')) {
        ++pos_;
        continue;
      }
      if (!at('}')) return false;
      ++pos_;
      return true;
    }
  }

  bool read_array(json& out, int depth) {
    if (depth > kMaxDepth) return false;
    ++pos_;  // '['
    out = json::array();
    auto& elements = out.get_ref<json::array_t&>();
    skip_whitespace();
    if (at(']')) {
      ++pos_;
      return true;
    }
    for (;;) {
      elements.emplace_back();
      if (!read_value(elements.back(), depth)) return false;
      skip_whitespace();
      if (at(',')) {
        ++pos_;
        continue;
      }
      if (!at(']')) return false;
      ++pos_;
      return true;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<json> parse_plain_object(std::string_view body) { return PlainReader(body).document(); }

json parse_or_discarded(std::string_view text) {
  if (auto plain = parse_plain_object(text)) return std::move(*plain);
  return json::parse(text, nullptr, false);
}

std::size_t nesting_depth(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace tigress::codec::plain_json
