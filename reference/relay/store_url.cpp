#include "reference/relay/store_url.hpp"

#include <string>

#include "common/cli_numbers.hpp"

namespace tigress::relay {

Result<std::optional<RedisEndpoint>> parse_store_url(std::string_view text) {
  if (text == "memory") return std::optional<RedisEndpoint>{};
  constexpr std::string_view kScheme = "redis://";
  const std::string shown = "'" + std::string(text.substr(0, 200)) + "'";
  if (!text.starts_with(kScheme)) {
    return make_error("--store takes memory or redis://HOST:PORT[/DB], not " + shown);
  }
  std::string_view rest = text.substr(kScheme.size());
  std::string_view authority = rest.substr(0, rest.find('/'));
  RedisEndpoint endpoint;
  if (authority.find('@') != std::string_view::npos) {
    return make_error("--store " + shown + ": credentials in the URL are not supported");
  }
  std::size_t colon = authority.rfind(':');
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:PORT
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos || close + 1 != colon) {
      return make_error("--store " + shown + ": an IPv6 host is written [ADDRESS]:PORT");
    }
    endpoint.host = std::string(authority.substr(1, close - 1));
  } else if (colon != std::string_view::npos) {
    endpoint.host = std::string(authority.substr(0, colon));
  }
  if (colon == std::string_view::npos) return make_error("--store " + shown + ": missing :PORT");
  if (endpoint.host.empty()) return make_error("--store " + shown + ": missing HOST");
  auto port = cli::parse_count(authority.substr(colon + 1));
  if (!port || *port < 1 || *port > 65535) return make_error("--store " + shown + ": PORT must be 1 to 65535");
  endpoint.port = static_cast<int>(*port);
  if (authority.size() < rest.size()) {
    std::string_view database = rest.substr(authority.size() + 1);
    auto number = cli::parse_count(database);
    if (!number || *number > 1'000'000) {
      return make_error("--store " + shown + ": DB must be a database number such as 0");
    }
    endpoint.database = static_cast<int>(*number);
  }
  return std::optional<RedisEndpoint>(std::move(endpoint));
}

}  // namespace tigress::relay
