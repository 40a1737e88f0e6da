// The strict JSON reading every TIGRESS body goes through (bodies.hpp): one pass over the raw
// bytes that refuses what RFC 8259 leaves open or forbids (duplicate names, NUL, a byte order
// mark, absurd nesting), then typed member look-ups whose errors name the member as a dotted
// path. Null is never "absent": a member present with another JSON type is an error.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace tigress::codec::strict_json {

// "prefix.name", or "name" when the prefix is empty.
std::string join_path(std::string_view prefix, std::string_view name);

// Parses a body that must be a JSON object (section 6: every body the draft defines is one).
Result<nlohmann::json> parse_object_body(std::string_view body);

enum class Kind { string, object, boolean };

// Looks up a member of `object` (whose own path is `prefix`). Absent: an error when `required`,
// otherwise nullptr. Present with another JSON type, including null, is always an error: the
// draft gives no member a null value, and "null means absent" would be a lenient reading.
Result<const nlohmann::json*> member(const nlohmann::json& object, std::string_view prefix, std::string_view name,
                                     Kind kind, bool required, std::string_view hint = {});

Result<std::string> required_string(const nlohmann::json& object, std::string_view prefix, std::string_view name,
                                    std::string_view hint = {});

Result<bool> required_boolean(const nlohmann::json& body, std::string_view name);

}  // namespace tigress::codec::strict_json
