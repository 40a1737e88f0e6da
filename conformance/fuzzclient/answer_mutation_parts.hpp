// What drawing and applying answer mutations share: the document helpers and the byte tables a
// descriptor indexes (answer_mutation.hpp). Internal to the fuzzclient library.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "conformance/fuzzclient/answer_mutation.hpp"

namespace tigress::fuzz::client::mutation_parts {

using Json = nlohmann::json;

inline constexpr std::size_t kIv = 12, kTag = 16;
// The later of two equal member names: sorts after every lower-case name nlohmann writes.
inline constexpr std::string_view kDuplicatePlaceholder = "~tigress-duplicate~";

inline const std::array<const char*, kAnswerMutationKindCount> kKindNames = {
    "remove-member", "duplicate-member", "add-member",  "replace-root",   "retype",
    "huge-string",   "deep-nesting",     "drop-header", "set-header",     "add-header",
    "set-status",    "truncate",         "pad",         "escape-strings", "byte-order-mark",
    "invalid-utf8",  "data-encoding",    "flip-bit",    "truncate-data",  "set-type"};

// Bytes a padding appends: whitespace (still the same JSON), NULs, a second document, garbage.
inline const std::array<std::string_view, 6> kPadding = {" ", "\n", std::string_view("\0", 1), "{}", "x", "\r\n\r\n"};
inline const std::array<std::string_view, 5> kInvalidUtf8 = {"\x80", "\xc0\xaf", "\xed\xa0\x80", "\xff",
                                                             "\xf4\x90\x80\x80"};

inline Json parse(const std::string& body) { return Json::parse(body, nullptr, /*allow_exceptions=*/false); }

inline std::string dump(const Json& document) { return document.dump(-1, ' ', false, Json::error_handler_t::replace); }

inline bool is_payload_answer(const Json& document) {
  return document.is_object() && document.contains("payload") && document["payload"].is_object() &&
         document["payload"].contains("data") && document["payload"]["data"].is_string();
}

}  // namespace tigress::fuzz::client::mutation_parts
