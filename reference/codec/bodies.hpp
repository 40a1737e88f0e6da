// Typed request and response bodies of the six endpoints (draft-vinokurov-tigress-http-00
// section 6) with strict validation. Every Error names the failing member as a dotted path
// ("mailboxConfiguration.expiration") and says why. Unknown members are tolerated everywhere
// (AMB-59); values the relay must treat as opaque (payload.type, payload.data) are only
// checked for their JSON type (AMB-47).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "reference/codec/timestamp.hpp"
#include "common/result.hpp"

namespace tigress::codec {

struct Payload {  // 6.1.5 payload, 7.2
  std::string type;
  std::string data;
  friend bool operator==(const Payload&, const Payload&) = default;
};

struct DisplayInformation {  // 6.1.5 displayInformation
  std::string title;
  std::string description;
  std::string image_url;
  friend bool operator==(const DisplayInformation&, const DisplayInformation&) = default;
};

struct NotificationToken {  // 6.1.5 notificationToken: both members when given (AMB-22)
  std::string type;
  std::string token_data;
  friend bool operator==(const NotificationToken&, const NotificationToken&) = default;
};

// 6.1.5 accessRights: a combination of R, W and D. Default (no value given) is read + delete.
struct AccessRights {
  bool read = true;
  bool write = false;
  bool remove = true;

  static AccessRights defaults() { return {}; }
  std::string to_string() const;  // canonical order "RWD"
  friend bool operator==(const AccessRights&, const AccessRights&) = default;
};
// Strict reading (AMB-11): 1-3 distinct upper-case letters from {R, W, D}, any order.
// "", lower case, repeats and other letters are errors.
Result<AccessRights> parse_access_rights(std::string_view text);

struct MailboxConfiguration {  // 6.1.5 mailboxConfiguration
  std::optional<AccessRights> access_rights;
  UnixSeconds expiration = 0;  // required when the object is present (AMB-12)
  friend bool operator==(const MailboxConfiguration&, const MailboxConfiguration&) = default;
};

struct CreateMailboxRequest {  // 6.1.5
  Payload payload;
  DisplayInformation display_information;
  std::optional<NotificationToken> notification_token;
  std::optional<MailboxConfiguration> mailbox_configuration;
  friend bool operator==(const CreateMailboxRequest&, const CreateMailboxRequest&) = default;
};

struct CreateMailboxResponse {  // 6.1.6
  std::string url_link;
  bool is_push_notification_supported = false;
  friend bool operator==(const CreateMailboxResponse&, const CreateMailboxResponse&) = default;
};

struct UpdateMailboxRequest {  // 6.2.5; other members are ignored (AMB-58)
  Payload payload;
  std::optional<NotificationToken> notification_token;
  friend bool operator==(const UpdateMailboxRequest&, const UpdateMailboxRequest&) = default;
};

struct UpdateMailboxResponse {  // 6.2.6
  bool is_push_notification_supported = false;
  friend bool operator==(const UpdateMailboxResponse&, const UpdateMailboxResponse&) = default;
};

// 6.5 defines no request body; an empty body is the normal case. A JSON object body may carry a
// notification token for the recipient (AMB-07); anything else in it is ignored.
struct ReadSecureContentRequest {
  std::optional<NotificationToken> notification_token;
  friend bool operator==(const ReadSecureContentRequest&, const ReadSecureContentRequest&) = default;
};

struct ReadSecureContentResponse {         // 6.5.4
  Payload payload;                         // the stored object (AMB-18)
  DisplayInformation display_information;  // as created (AMB-19)
  UnixSeconds expiration = 0;              // always printed in the Z form
  friend bool operator==(const ReadSecureContentResponse&, const ReadSecureContentResponse&) = default;
};

// Parsers take the raw request body. Invalid JSON (including invalid UTF-8, a NUL byte, a leading
// byte order mark), nesting deeper than 64 levels and a top-level value that is not an object are
// errors with an empty field path. A member name repeated within one object is an error naming
// that member (RFC 8259 section 4 leaves its meaning open). A member present with JSON null has
// the wrong type: null never stands for "absent".
Result<CreateMailboxRequest> parse_create_request(std::string_view body);
Result<UpdateMailboxRequest> parse_update_request(std::string_view body);
Result<ReadSecureContentRequest> parse_read_request(std::string_view body);  // "" is valid
Result<CreateMailboxResponse> parse_create_response(std::string_view body);
Result<UpdateMailboxResponse> parse_update_response(std::string_view body);
Result<ReadSecureContentResponse> parse_read_response(std::string_view body);

nlohmann::json to_json(const Payload& value);
nlohmann::json to_json(const DisplayInformation& value);
nlohmann::json to_json(const NotificationToken& value);
nlohmann::json to_json(const CreateMailboxRequest& value);
nlohmann::json to_json(const CreateMailboxResponse& value);
nlohmann::json to_json(const UpdateMailboxRequest& value);
nlohmann::json to_json(const UpdateMailboxResponse& value);
nlohmann::json to_json(const ReadSecureContentRequest& value);  // {} when there is no token
nlohmann::json to_json(const ReadSecureContentResponse& value);

// The JSON error body every 4xx of the reference relay carries:
// {"error": "<short code>", "detail": "<field path: reason>"}.
std::string error_body(std::string_view code, std::string_view detail);

// dump() that never throws: invalid UTF-8 in a string is replaced (U+FFFD).
std::string dump_json(const nlohmann::json& value);

// dump_json(to_json(value)), byte for byte, written without building the document: a relay
// answers every Read with one, and most of its cost was nlohmann's per-byte string escaping.
std::string dump_read_response(const ReadSecureContentResponse& value);
// dump_json(to_json(value)) for a Create's answer, the same way.
std::string dump_create_response(const CreateMailboxResponse& value);

}  // namespace tigress::codec
