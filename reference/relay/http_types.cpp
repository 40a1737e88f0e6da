#include "reference/relay/http_types.hpp"

#include <algorithm>

namespace tigress::relay {

namespace {
// Field names are tokens (RFC 9110 section 5.6.2), so ASCII folding is the whole rule; unlike
// std::tolower it is inline and ignores the locale (every header lookup runs through it).
unsigned char ascii_lower(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 'A' && byte <= 'Z' ? static_cast<unsigned char>(byte + ('a' - 'A')) : byte;
}
}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return ascii_lower(x) < ascii_lower(y); });
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && !CaseInsensitiveLess{}(a, b) && !CaseInsensitiveLess{}(b, a);
}

const std::string* Request::header(std::string_view name) const {
  auto it = headers.find(name);
  return it == headers.end() ? nullptr : &it->second;
}

std::size_t Request::header_count(std::string_view name) const {
  auto [first, last] = headers.equal_range(name);
  return static_cast<std::size_t>(std::distance(first, last));
}

void Response::set_header(std::string_view name, std::string value) {
  auto [first, last] = headers.equal_range(name);
  headers.erase(first, last);
  headers.emplace(std::string(name), std::move(value));
}

const std::string* Response::header(std::string_view name) const {
  auto it = headers.find(name);
  return it == headers.end() ? nullptr : &it->second;
}

}  // namespace tigress::relay
