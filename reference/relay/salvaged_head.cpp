#include "reference/relay/salvaged_head.hpp"

namespace tigress::relay {
namespace {

// tchar of RFC 9110 section 5.6.2.
bool is_token_char(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// field-vchar / SP / HTAB of RFC 9110 section 5.5 (obs-text included).
bool is_value_char(unsigned char c) { return c == ' ' || c == '\t' || (c >= 0x21 && c != 0x7f); }

void trim_whitespace(std::string_view& text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
}

}  // namespace

Request salvage_request_head(std::string_view raw, bool starts_with_request_line) {
  Request request;
  bool request_line = starts_with_request_line;
  while (true) {
    const auto end = raw.find("\r\n");
    if (end == std::string_view::npos) break;  // cut off: the rest may be a partial value
    std::string_view line = raw.substr(0, end);
    raw.remove_prefix(end + 2);
    if (request_line) {
      request_line = false;
      const auto space = line.find(' ');
      if (space != std::string_view::npos) request.method = std::string(line.substr(0, space));
      continue;
    }
    if (line.empty()) break;  // end of the head
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    const std::string_view name = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    bool well_formed = true;
    for (unsigned char c : name) well_formed = well_formed && is_token_char(c);
    for (unsigned char c : value) well_formed = well_formed && is_value_char(c);
    if (!well_formed) continue;
    trim_whitespace(value);
    request.headers.emplace(std::string(name), std::string(value));
  }
  return request;
}

}  // namespace tigress::relay
