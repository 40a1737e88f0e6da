// The Retry-After header of a 429 or 503 answer (RFC 9110 section 10.2.3): delta-seconds or an
// HTTP-date, in any of the three formats a recipient must accept (section 5.6.7).
#pragma once

#include <optional>
#include <string_view>

#include "reference/codec/timestamp.hpp"

namespace tigress::harness {

// Seconds to wait from `now`; a date in the past is 0. nullopt when the value is neither form.
std::optional<long long> retry_after_seconds(std::string_view value, codec::UnixSeconds now);

}  // namespace tigress::harness
