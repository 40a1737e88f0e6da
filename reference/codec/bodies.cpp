// Request and response bodies of draft-vinokurov-tigress-http-00 section 6. The readings of the
// ambiguous points follow the strict column of our requirements digest (AMB-nn references).
#include "reference/codec/bodies.hpp"

#include <cstdint>
#include <utility>

#include "reference/codec/share_url.hpp"
#include "reference/codec/strict_json.hpp"

namespace tigress::codec {
namespace {

using nlohmann::json;
using strict_json::join_path;
using strict_json::Kind;
using strict_json::member;
using strict_json::parse_object_body;
using strict_json::required_boolean;
using strict_json::required_string;

// Bounds for format_timestamp's precondition (years 0001-9999): an offset such as
// "0001-01-01T00:00:00+01:00" parses but lands before year 1 once converted to UTC.
constexpr UnixSeconds kEarliest = -62135596800;  // 0001-01-01T00:00:00Z
constexpr UnixSeconds kLatest = 253402300799;    // 9999-12-31T23:59:59Z

// 6.1.5 / 6.2.5 payload: an object with string type and data. Both values are opaque to the
// relay (AMB-47): no check of the algorithm name or of the base64 in data.
Result<Payload> read_payload(const json& body) {
  auto object = member(body, "", "payload", Kind::object, true);
  if (!object) return object.error();
  auto type = required_string(**object, "payload", "type");
  if (!type) return type.error();
  auto data = required_string(**object, "payload", "data");
  if (!data) return data.error();
  return Payload{std::move(*type), std::move(*data)};
}

// 6.1.5 displayInformation: three required strings; content is not checked here (imageURL:
// AMB-63; escaping is the preview's job).
Result<DisplayInformation> read_display_information(const json& body) {
  constexpr std::string_view kPath = "displayInformation";
  auto object = member(body, "", kPath, Kind::object, true);
  if (!object) return object.error();
  auto title = required_string(**object, kPath, "title");
  if (!title) return title.error();
  auto description = required_string(**object, kPath, "description");
  if (!description) return description.error();
  auto image = required_string(**object, kPath, "imageURL");
  if (!image) return image.error();
  return DisplayInformation{std::move(*title), std::move(*description), std::move(*image)};
}

// 6.1.5 / 6.2.5 notificationToken: optional, but "should include both fields"; an incomplete
// token is refused (AMB-22) rather than silently dropped.
Result<std::optional<NotificationToken>> read_notification_token(const json& body) {
  constexpr std::string_view kPath = "notificationToken";
  constexpr std::string_view kHint = "a notification token needs both type and tokenData (AMB-22)";
  auto object = member(body, "", kPath, Kind::object, false);
  if (!object) return object.error();
  if (*object == nullptr) return std::optional<NotificationToken>{};
  auto type = required_string(**object, kPath, "type", kHint);
  if (!type) return type.error();
  auto token = required_string(**object, kPath, "tokenData", kHint);
  if (!token) return token.error();
  return std::optional<NotificationToken>{NotificationToken{std::move(*type), std::move(*token)}};
}

// 6.1.5 mailboxConfiguration: optional; when present, expiration is required (4.3 calls it
// mandatory, AMB-12) and may use any RFC 3339 form, stored as UTC (AMB-15).
Result<std::optional<MailboxConfiguration>> read_mailbox_configuration(const json& body) {
  constexpr std::string_view kPath = "mailboxConfiguration";
  auto object = member(body, "", kPath, Kind::object, false);
  if (!object) return object.error();
  if (*object == nullptr) return std::optional<MailboxConfiguration>{};
  MailboxConfiguration config;

  auto expiration = required_string(**object, kPath, "expiration",
                                    "omit mailboxConfiguration entirely to get the relay's defaults (AMB-12)");
  if (!expiration) return expiration.error();
  auto when = parse_rfc3339(*expiration);
  if (!when) {
    return field_error(join_path(kPath, "expiration"),
                       "must be an RFC 3339 date-time such as 2030-01-01T00:00:00Z: " + when.error().message());
  }
  if (*when < kEarliest || *when > kLatest) {
    return field_error(join_path(kPath, "expiration"), "must lie within the years 0001-9999 once converted to UTC");
  }
  config.expiration = *when;

  auto rights_text = member(**object, kPath, "accessRights", Kind::string, false);
  if (!rights_text) return rights_text.error();
  if (*rights_text != nullptr) {
    auto rights = parse_access_rights((*rights_text)->get_ref<const std::string&>());
    if (!rights) return field_error(join_path(kPath, "accessRights"), rights.error().message());
    config.access_rights = *rights;
  }
  return std::optional<MailboxConfiguration>{config};
}

// "R", "W" or "D" for printable ASCII, otherwise the byte value, so reasons stay readable.
std::string describe_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte <= 0x7E) return std::string("'") + c + "'";
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 0x0F];
}

}  // namespace

std::string AccessRights::to_string() const {
  std::string text;
  if (read) text += 'R';
  if (write) text += 'W';
  if (remove) text += 'D';
  return text;
}

// 6.1.5 names the letters R, W and D and their combination; case, order, repetition and the empty
// string are not specified. Strict reading (AMB-11): any order, upper case, each at most once.
Result<AccessRights> parse_access_rights(std::string_view text) {
  if (text.empty()) {
    return make_error("must name at least one of R, W and D; omit accessRights to get the default RD");
  }
  AccessRights rights{false, false, false};
  for (char c : text) {
    bool* flag = nullptr;
    switch (c) {
      case 'R':
        flag = &rights.read;
        break;
      case 'W':
        flag = &rights.write;
        break;
      case 'D':
        flag = &rights.remove;
        break;
      case 'r':
      case 'w':
      case 'd':
        return make_error(describe_char(c) + " must be upper case: the rights letters are R, W and D");
      default:
        return make_error(describe_char(c) + " is not an access right; only R, W and D exist");
    }
    if (*flag) return make_error(describe_char(c) + " appears more than once");
    *flag = true;
  }
  return rights;
}

Result<CreateMailboxRequest> parse_create_request(std::string_view body) {
  auto document = parse_object_body(body);
  if (!document) return document.error();
  CreateMailboxRequest request;
  auto payload = read_payload(*document);
  if (!payload) return payload.error();
  request.payload = std::move(*payload);
  auto display = read_display_information(*document);
  if (!display) return display.error();
  request.display_information = std::move(*display);
  auto token = read_notification_token(*document);
  if (!token) return token.error();
  request.notification_token = std::move(*token);
  auto config = read_mailbox_configuration(*document);
  if (!config) return config.error();
  request.mailbox_configuration = *config;
  return request;
}

// 6.2.5: only payload and notificationToken are read; displayInformation, mailboxConfiguration
// and anything else are ignored without validation (AMB-58).
Result<UpdateMailboxRequest> parse_update_request(std::string_view body) {
  auto document = parse_object_body(body);
  if (!document) return document.error();
  UpdateMailboxRequest request;
  auto payload = read_payload(*document);
  if (!payload) return payload.error();
  request.payload = std::move(*payload);
  auto token = read_notification_token(*document);
  if (!token) return token.error();
  request.notification_token = std::move(*token);
  return request;
}

// 6.5 defines no request body. An empty body is the normal case; a non-empty one must be a JSON
// object whose optional notificationToken lets a recipient register for pushes (AMB-07).
// A whitespace-only body is not empty and is refused like any other non-JSON text.
Result<ReadSecureContentRequest> parse_read_request(std::string_view body) {
  if (body.empty()) return ReadSecureContentRequest{};
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return make_error("the body holds only whitespace; send an empty body or a JSON object (AMB-07)");
  }
  auto document = parse_object_body(body);
  if (!document) return document.error();
  auto token = read_notification_token(*document);
  if (!token) return token.error();
  return ReadSecureContentRequest{std::move(*token)};
}

// 6.1.6: urlLink (the mailbox URL, shaped as in 7.3) and a boolean isPushNotificationSupported,
// not the string "true". Refused here is what every reading refuses (MBX-CREATE-03): a scheme
// other than https (4.2, 7.3: the share URL is https) and a fragment (AMB-21: never, the relay
// knows no secret). The path's form is left to the share-URL codec, since the lenient reading
// of AMB-20 accepts a link without /v1/.
Result<CreateMailboxResponse> parse_create_response(std::string_view body) {
  auto document = parse_object_body(body);
  if (!document) return document.error();
  auto link = required_string(*document, "", "urlLink");
  if (!link) return link.error();
  if (link->empty()) return field_error("urlLink", "must not be empty");
  if (link->compare(0, kShareUrlScheme.size(), kShareUrlScheme) != 0) {
    return field_error("urlLink", "must start with \"https://\" (sections 4.2, 7.3; MBX-CREATE-03)");
  }
  if (link->find('#') != std::string::npos) return field_error("urlLink", "must not have a fragment (AMB-21)");
  auto push = required_boolean(*document, "isPushNotificationSupported");
  if (!push) return push.error();
  return CreateMailboxResponse{std::move(*link), *push};
}

Result<UpdateMailboxResponse> parse_update_response(std::string_view body) {  // 6.2.6
  auto document = parse_object_body(body);
  if (!document) return document.error();
  auto push = required_boolean(*document, "isPushNotificationSupported");
  if (!push) return push.error();
  return UpdateMailboxResponse{*push};
}

// 6.5.4: payload and displayInformation as objects (AMB-18, AMB-19 strict), expiration in the
// exact Z form with whole seconds that the relay must always print (AMB-15).
Result<ReadSecureContentResponse> parse_read_response(std::string_view body) {
  auto document = parse_object_body(body);
  if (!document) return document.error();
  ReadSecureContentResponse response;
  auto payload = read_payload(*document);
  if (!payload) return payload.error();
  response.payload = std::move(*payload);
  auto display = read_display_information(*document);
  if (!display) return display.error();
  response.display_information = std::move(*display);
  auto expiration = required_string(*document, "", "expiration");
  if (!expiration) return expiration.error();
  auto when = parse_timestamp_strict(*expiration);
  if (!when) {
    return field_error("expiration",
                       "must be a UTC date-time in the exact form YYYY-MM-DDThh:mm:ssZ, such as "
                       "2030-01-01T00:00:00Z: " +
                           when.error().message());
  }
  response.expiration = *when;
  return response;
}

}  // namespace tigress::codec
