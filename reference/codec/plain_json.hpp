// A quick reading of the JSON object bodies clients usually send: objects, arrays, strings of
// printable ASCII without escapes, true, false and null. It accepts nothing else: an escape, a
// byte outside printable ASCII, any number, a repeated member name, nesting deeper than 16, or a
// syntax error gives std::nullopt, and the body takes the strict reading (strict_json.hpp), whose
// results and error messages stay the rule. Within its subset the document is the one nlohmann
// builds; it only spares the relay nlohmann's lexer, which builds every string byte by byte.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tigress::codec::plain_json {

std::optional<nlohmann::json> parse_plain_object(std::string_view body);

// nlohmann::json::parse(text, nullptr, false): the document, or a discarded value when the text
// is not JSON. A text in the quick reading's subset is read the quick way, which gives the same
// document; the oracles and fuzzers that read every body they send or receive take this one.
nlohmann::json parse_or_discarded(std::string_view text);

// The deepest nesting of '[' and '{' outside strings, read on the text alone (no parse, no
// recursion): what a recursive parser or printer would descend to, so a caller can refuse a
// document before handing it to one. Unbalanced or malformed text still gives a figure.
std::size_t nesting_depth(std::string_view text);

// The deepest nesting the suite hands to anything that recurses once per level (nlohmann's copy,
// comparison and dump, the fuzzers' node walks). A target may send far deeper documents (the wire
// client reads up to 1 MiB): a 5,000-deep body overflowed an 8 MiB thread stack in a build without
// optimisation (ASan, -O0), so what nests deeper is read in place (json_in_place.hpp) or named as
// "nested deeper than kMaxStructuredDepth levels", never recursed into.
inline constexpr std::size_t kMaxStructuredDepth = 256;

}  // namespace tigress::codec::plain_json
