// JSON that people edit by hand (the requirement catalogue, expectations files): a repeated member
// name is refused with its path, because json::parse would keep the last one without a word, and a
// syntax error is located by line and column instead of being reported only as "discarded".
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace tigress::conformance {

// Never throws. Errors name the path of the offending member ("requirements[3].id") or the line
// and column of a syntax error.
Result<nlohmann::json> parse_strict_json(std::string_view text);

}  // namespace tigress::conformance
