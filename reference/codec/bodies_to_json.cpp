// The JSON forms of the typed bodies (bodies.hpp): what the reference client and relay send.
#include <algorithm>
#include <utility>

#include "reference/codec/bodies.hpp"

namespace tigress::codec {
namespace {
using nlohmann::json;
}  // namespace

nlohmann::json to_json(const Payload& value) { return json{{"type", value.type}, {"data", value.data}}; }

nlohmann::json to_json(const DisplayInformation& value) {
  return json{{"title", value.title}, {"description", value.description}, {"imageURL", value.image_url}};
}

nlohmann::json to_json(const NotificationToken& value) {
  return json{{"type", value.type}, {"tokenData", value.token_data}};
}

nlohmann::json to_json(const CreateMailboxRequest& value) {
  json body{{"payload", to_json(value.payload)}, {"displayInformation", to_json(value.display_information)}};
  if (value.notification_token) body["notificationToken"] = to_json(*value.notification_token);
  if (value.mailbox_configuration) {
    json config{{"expiration", format_timestamp(value.mailbox_configuration->expiration)}};
    if (value.mailbox_configuration->access_rights) {
      config["accessRights"] = value.mailbox_configuration->access_rights->to_string();
    }
    body["mailboxConfiguration"] = std::move(config);
  }
  return body;
}

nlohmann::json to_json(const CreateMailboxResponse& value) {
  return json{{"urlLink", value.url_link}, {"isPushNotificationSupported", value.is_push_notification_supported}};
}

nlohmann::json to_json(const UpdateMailboxRequest& value) {
  json body{{"payload", to_json(value.payload)}};
  if (value.notification_token) body["notificationToken"] = to_json(*value.notification_token);
  return body;
}

nlohmann::json to_json(const UpdateMailboxResponse& value) {
  return json{{"isPushNotificationSupported", value.is_push_notification_supported}};
}

nlohmann::json to_json(const ReadSecureContentRequest& value) {
  json body = json::object();
  if (value.notification_token) body["notificationToken"] = to_json(*value.notification_token);
  return body;
}

nlohmann::json to_json(const ReadSecureContentResponse& value) {
  return json{{"payload", to_json(value.payload)},
              {"displayInformation", to_json(value.display_information)},
              {"expiration", format_timestamp(value.expiration)}};
}

std::string error_body(std::string_view code, std::string_view detail) {
  return dump_json(json{{"error", std::string(code)}, {"detail", std::string(detail)}});
}

std::string dump_json(const nlohmann::json& value) {
  // replace: invalid UTF-8 (e.g. echoed from a caller's bytes) becomes U+FFFD instead of throwing
  // type_error 316. Nothing else in dump() throws short of running out of memory.
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

// A string as dump_json writes it. Printable ASCII other than the quote and the backslash is
// written as is (dump() escapes neither '/' nor anything else in that range); any other byte
// sends the whole string through nlohmann, whose escaping and U+FFFD replacement stay the rule.
void append_json_string(std::string& out, std::string_view text) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte <= 0x7E && byte != '"' && byte != '\\';
  });
  if (!plain) {
    out += dump_json(json(std::string(text)));
    return;
  }
  out += '"';
  out += text;
  out += '"';
}

}  // namespace

std::string dump_read_response(const ReadSecureContentResponse& value) {
  // nlohmann keeps members in std::map order: sorted by name.
  const DisplayInformation& display = value.display_information;
  std::string out;
  out.reserve(96 + value.payload.data.size() + value.payload.type.size() + display.title.size() +
              display.description.size() + display.image_url.size());
  out += R"({"displayInformation":{"description":)";
  append_json_string(out, display.description);
  out += R"(,"imageURL":)";
  append_json_string(out, display.image_url);
  out += R"(,"title":)";
  append_json_string(out, display.title);
  out += R"(},"expiration":)";
  append_json_string(out, format_timestamp(value.expiration));
  out += R"(,"payload":{"data":)";
  append_json_string(out, value.payload.data);
  out += R"(,"type":)";
  append_json_string(out, value.payload.type);
  out += "}}";
  return out;
}

std::string dump_create_response(const CreateMailboxResponse& value) {
  std::string out;
  out.reserve(48 + value.url_link.size());
  out += value.is_push_notification_supported ? R"({"isPushNotificationSupported":true,"urlLink":)"
                                              : R"({"isPushNotificationSupported":false,"urlLink":)";
  append_json_string(out, value.url_link);
  out += '}';
  return out;
}

}  // namespace tigress::codec
