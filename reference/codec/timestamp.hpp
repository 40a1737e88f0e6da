// Expiration timestamps (draft-vinokurov-tigress-http-00 section 6.1.5: "YYYY-MM-DDThh:mm:ssZ",
// RFC 3339, UTC), held as seconds since the Unix epoch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace tigress::codec {

using UnixSeconds = std::int64_t;

// Exactly "YYYY-MM-DDThh:mm:ssZ": upper-case T and Z, years 0001-9999, real calendar days
// (leap years per the Gregorian rules), hours 00-23, minutes 00-59, seconds 00-59 (leap seconds
// are refused: the relay cannot know whether a given :60 existed).
Result<UnixSeconds> parse_timestamp_strict(std::string_view text);

// Any RFC 3339 section 5.6 date-time the relay accepts as input (AMB-15): the strict form plus
// lower-case t/z, fractional seconds (truncated toward the past), and numeric offsets
// "+hh:mm"/"-hh:mm" converted to UTC. Leap seconds are refused as above.
Result<UnixSeconds> parse_rfc3339(std::string_view text);

// Always the strict Z form with whole seconds. Precondition: the value is within years 1-9999.
std::string format_timestamp(UnixSeconds seconds);

}  // namespace tigress::codec
