#include "reference/codec/provisioning.hpp"

#include <exception>
#include <set>

namespace tigress::codec {
namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "format";
constexpr std::string_view kContent = "content";

// Never throws: a string holding invalid UTF-8 (possible only when a caller built the json by
// hand) is written with U+FFFD instead.
std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

Result<ProvisioningInfo> parse_provisioning_info(std::string_view json_text) {
  // Duplicate top-level members would let two readers see different formats in one plaintext
  // (RFC 8259 section 4 leaves the choice open), so they are refused. nlohmann keeps only the
  // last duplicate, hence the callback that watches keys at the top level.
  std::set<std::string> seen;
  std::string duplicate;
  const json::parser_callback_t watch_keys = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::key && depth == 1 && parsed.is_string()) {
      const auto& name = parsed.get_ref<const std::string&>();
      if (!seen.insert(name).second && duplicate.empty()) duplicate = name;
    }
    return true;
  };

  // nlohmann's lexer ends the input at a NUL byte, so "{...}\0garbage" would pass; a raw NUL is
  // never part of a JSON text (RFC 8259 sections 2 and 7), as parse_object_body also holds.
  if (json_text.find('\0') != std::string_view::npos) {
    return make_error("provisioning information is not valid JSON: it contains a NUL byte (section 7)");
  }
  json document;
  try {
    document = json::parse(json_text.begin(), json_text.end(), watch_keys,
                           /*allow_exceptions=*/false);
  } catch (const std::exception&) {
    // Only resource exhaustion can get here (parse errors are reported by is_discarded).
    return make_error("provisioning information could not be parsed (out of memory?)");
  }
  if (document.is_discarded()) {
    return make_error("provisioning information is not valid JSON (section 7)");
  }
  if (!document.is_object()) {
    return make_error("provisioning information must be a JSON object (section 7)");
  }
  if (!duplicate.empty()) return field_error(duplicate, "member appears more than once");

  ProvisioningInfo info;
  info.extensions = json::object();
  bool have_format = false;
  bool have_content = false;
  for (auto& [name, value] : document.items()) {
    if (name == kFormat) {
      if (!value.is_string()) return field_error("format", "must be a string (section 7.1)");
      info.format = value.get<std::string>();
      if (info.format.empty()) return field_error("format", "must not be empty (section 7.1)");
      have_format = true;
    } else if (name == kContent) {
      if (!value.is_object()) return field_error("content", "must be a JSON object (section 7)");
      info.content = std::move(value);
      have_content = true;
    } else {
      info.extensions[name] = std::move(value);
    }
  }
  if (!have_format) return field_error("format", "required member is missing (section 7)");
  if (!have_content) return field_error("content", "required member is missing (section 7)");
  return info;
}

std::string serialize_provisioning_info(const ProvisioningInfo& info) {
  // Written by hand so "format" comes first, as in every example of the draft and in the
  // Appendix A vectors; nlohmann's default object type would sort "content" before it.
  std::string out = "{\"format\":" + dump(json(info.format));
  out += ",\"content\":" + dump(info.content.is_null() ? json::object() : info.content);
  if (info.extensions.is_object()) {
    for (const auto& [name, value] : info.extensions.items()) {
      if (name == kFormat || name == kContent) continue;  // the typed members win
      out += "," + dump(json(name)) + ":" + dump(value);
    }
  }
  out += "}";
  return out;
}

}  // namespace tigress::codec
