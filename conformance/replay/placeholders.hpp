// ${name} substitution for transcripts: fresh UUIDs, captured values, and ${time+N} (the replay
// clock plus N seconds, in the draft's YYYY-MM-DDThh:mm:ssZ form).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace tigress::conformance {

using Bindings = std::map<std::string, std::string>;

// Substitutes every ${...} in `text`; an unknown name is an error.
Result<std::string> substitute(const std::string& text, const Bindings& bindings);
// The same on every string (not member name) inside a JSON value.
Result<nlohmann::json> substitute_json(const nlohmann::json& value, const Bindings& bindings);

}  // namespace tigress::conformance
