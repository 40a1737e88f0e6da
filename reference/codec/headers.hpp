// The three header fields the draft registers (draft-vinokurov-tigress-http-00 section 5, 9).
#pragma once

#include <string_view>

namespace tigress::codec {

inline constexpr std::string_view kRequestIdHeader = "Mailbox-Request-ID";                  // 5.1
inline constexpr std::string_view kDeviceClaimHeader = "Mailbox-Device-Claim";              // 5.2
inline constexpr std::string_view kDeviceAttestationHeader = "Mailbox-Device-Attestation";  // 5.3

inline constexpr std::string_view kJsonMediaType = "application/json";
inline constexpr std::string_view kApiVersion = "v1";

}  // namespace tigress::codec
