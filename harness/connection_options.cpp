#include "harness/connection_options.hpp"

#include "harness/http_text.hpp"

namespace tigress::harness {

const std::string& ConnectionOptions::connect_host(const std::string& host) const {
  for (const auto& [name, address] : resolve) {
    if (iequals(name, host)) return address;
  }
  return host;
}

void ConnectionOptions::register_secrets(Redactor& redactor) const {
  for (const auto& [name, value] : extra_headers) redactor.add(value, "header " + name);
}

}  // namespace tigress::harness
