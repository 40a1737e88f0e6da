// Provisioning Information, the plaintext inside every payload (section 7, 7.1):
// a JSON object with "format" (string naming an external format) and "content" (object).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace tigress::codec {

struct ProvisioningInfo {
  std::string format;         // e.g. "digitalwallet.carkey.ccc"
  nlohmann::json content;     // always an object
  nlohmann::json extensions;  // unknown top-level members, kept (section 7: readers tolerate them)
};

// Validates: a JSON object, "format" a non-empty string, "content" an object; unknown members
// are kept in extensions. Errors name the member.
Result<ProvisioningInfo> parse_provisioning_info(std::string_view json_text);
std::string serialize_provisioning_info(const ProvisioningInfo& info);

}  // namespace tigress::codec
