// Transport-free HTTP messages: the relay core speaks these, adapters (the Boost.Beast HTTPS
// server, fuzz targets, the model tests) translate to and from them.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace tigress::relay {

// Field names compare case-insensitively (RFC 9110 section 5.1).
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
  using is_transparent = void;
};
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;

bool iequals(std::string_view a, std::string_view b);

struct Request {
  std::string method;  // "GET", "POST", ... as received
  std::string path;    // without query, e.g. "/v1/m/0b7e..."
  std::string query;   // raw, without '?'; may be empty
  Headers headers;
  std::string body;

  // First value of a header, or nullptr. A repeated Tigress header is a client error the core
  // reports itself, so callers that care use header_count too.
  const std::string* header(std::string_view name) const;
  std::size_t header_count(std::string_view name) const;
};

// Requests the HTTP layer refuses before the core sees them whole (RFC 9110 section 15.5): the
// core still words the answer, so it carries the JSON error body and the request ID echo.
enum class HttpRefusal {
  kBodyTooLarge,     // 413
  kTargetTooLong,    // 414
  kHeadersTooLarge,  // 431 (RFC 6585 section 5)
  kMalformed,        // 400: the message does not parse as HTTP/1.1
};

struct Response {
  int status = 500;
  Headers headers;
  std::string body;

  void set_header(std::string_view name, std::string value);
  const std::string* header(std::string_view name) const;
};

}  // namespace tigress::relay
