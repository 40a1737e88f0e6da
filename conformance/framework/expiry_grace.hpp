// The expiry grace (AMB-16): how long after its expiration instant a mailbox may still be
// served. Draft section 4.3 deletes expired mailboxes when the relay checks, periodically, and
// names no period; the suite's decision (catalogue AMB-16) is that a mailbox served after the
// instant is the lenient reading and must be gone by the expiration plus this grace. Every mode
// that judges expiry (relay cases, model, replay) takes it from --expiry-grace with this one
// default and range.
#pragma once

#include <optional>
#include <string_view>

#include "common/cli_numbers.hpp"

namespace tigress::conformance {

inline constexpr int kDefaultExpiryGraceSeconds = 60;  // a sweep a minute
inline constexpr int kMaxExpiryGraceSeconds = 3600;

// The value of --expiry-grace: 0..kMaxExpiryGraceSeconds whole seconds, else nothing.
inline std::optional<int> parse_expiry_grace(std::string_view text) {
  auto seconds = cli::parse_count(text);
  if (!seconds || *seconds > kMaxExpiryGraceSeconds) return std::nullopt;
  return static_cast<int>(*seconds);
}

inline constexpr const char* kExpiryGraceRangeError = "--expiry-grace takes 0..3600 seconds";

}  // namespace tigress::conformance
