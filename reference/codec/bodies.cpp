// Request and response bodies of draft-vinokurov-tigress-http-00 section 6. The readings of the
// ambiguous points follow the strict column of our requirements digest (AMB-nn references).
#include "reference/codec/bodies.hpp"

#include <cstddef>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "reference/codec/share_url.hpp"

namespace tigress::codec {
namespace {

using nlohmann::json;

// No TIGRESS body nests deeper than 3 (body, mailboxConfiguration, value). nlohmann parses and
// destroys deep documents without recursion, but its copy, comparison and dump() do recurse, so
// refusing absurd nesting up front keeps every later use of a parsed document safe. 64 leaves
// ample room for extension members that we ignore (AMB-59).
constexpr std::size_t kMaxDepth = 64;

// Bounds for format_timestamp's precondition (years 0001-9999): an offset such as
// "0001-01-01T00:00:00+01:00" parses but lands before year 1 once converted to UTC.
constexpr UnixSeconds kEarliest = -62135596800;  // 0001-01-01T00:00:00Z
constexpr UnixSeconds kLatest = 253402300799;    // 9999-12-31T23:59:59Z

constexpr std::string_view kMissing = "missing required member";

std::string join_path(std::string_view prefix, std::string_view name) {
  std::string path(prefix);
  if (!path.empty()) path += '.';
  path += name;
  return path;
}

// Text from the input (member names, number tokens) ends up in error messages; keep it short.
// Cutting only at a UTF-8 lead byte keeps valid text valid.
std::string shorten(std::string_view text, std::size_t limit = 64) {
  if (text.size() <= limit) return std::string(text);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

const char* kind_of(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "number";
    case json::value_t::string: return "string";
    case json::value_t::array: return "array";
    case json::value_t::object: return "object";
    default: return "non-JSON value";
  }
}

// what() reads "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error
// ...; last read: '<raw input>'". Drop the id prefix and the raw-input echo, which may hold
// arbitrary bytes, and cut the rest: number overflow (out_of_range.406) quotes the whole token,
// which may be huge.
Error invalid_json(const json::exception& ex) {
  std::string text = ex.what();
  if (auto bracket = text.find("] "); !text.empty() && text[0] == '[' && bracket != std::string::npos) {
    text.erase(0, bracket + 2);
  }
  if (auto echo = text.find("; last read: "); echo != std::string::npos) text.erase(echo);
  return make_error("the body is not valid JSON: " + shorten(text, 200));
}

// First pass over the raw body with nlohmann's SAX interface, before any document is built:
// enforces kMaxDepth, refuses duplicate member names, and turns syntax errors into readable
// reasons. Duplicates are refused because RFC 8259 section 4 leaves their meaning open
// (nlohmann keeps the last one, other parsers the first): a relay and a client must never
// disagree about which payload or expiration a body carries.
class StructureCheck final : public json::json_sax_t {
 public:
  std::optional<Error> error;

  bool null() override { return element_done(); }
  bool boolean(bool) override { return element_done(); }
  bool number_integer(json::number_integer_t) override { return element_done(); }
  bool number_unsigned(json::number_unsigned_t) override { return element_done(); }
  bool number_float(json::number_float_t, const json::string_t&) override {
    return element_done();
  }
  bool string(json::string_t&) override { return element_done(); }
  bool binary(json::binary_t&) override { return element_done(); }  // not produced for JSON

  bool start_object(std::size_t) override { return open(true); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(json::string_t& name) override {
    Frame& frame = frames_.back();
    if (!frame.keys.insert(name).second) {
      error = field_error(path_to(name),
                          "duplicate member name; RFC 8259 section 4 leaves the meaning of "
                          "repeated names open, so each member may appear only once");
      return false;
    }
    frame.current_key = name;
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const json::exception& ex) override {
    error = invalid_json(ex);
    return false;
  }

 private:
  struct Frame {
    bool object = false;
    std::set<std::string> keys;
    std::string current_key;
    std::size_t index = 0;  // array elements completed so far
  };

  bool open(bool object) {
    if (frames_.size() >= kMaxDepth) {
      error = make_error("the body nests arrays and objects more than " +
                         std::to_string(kMaxDepth) +
                         " levels deep; no TIGRESS body needs more than 3");
      return false;
    }
    frames_.push_back(Frame{object, {}, {}, 0});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return element_done();
  }

  bool element_done() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
    return true;
  }

  // Dotted path of the enclosing members, array positions as "[i]", then `name`.
  std::string path_to(std::string_view name) const {
    std::string path;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      const Frame& frame = frames_[i];
      if (frame.object) {
        path = join_path(path, shorten(frame.current_key));
      } else {
        path += "[" + std::to_string(frame.index) + "]";
      }
    }
    return join_path(path, shorten(name));
  }

  std::vector<Frame> frames_;
};

// Parses a body that must be a JSON object (section 6: every body the draft defines is one).
Result<json> parse_object_body(std::string_view body) {
  // nlohmann's lexer treats a NUL byte as the end of input, so "{}\0garbage" would pass. A raw
  // NUL is never valid JSON (it must be escaped inside strings, RFC 8259 section 7).
  if (body.find('\0') != std::string_view::npos) {
    return make_error(
        "the body is not valid JSON: it contains a NUL byte (write \\u0000 inside strings)");
  }
  // nlohmann silently skips a UTF-8 byte order mark. RFC 8259 section 8.1 forbids senders to add
  // one; the strict reference refuses it so that clients which do are noticed.
  if (body.starts_with("\xEF\xBB\xBF")) {
    return make_error(
        "the body starts with a byte order mark, which RFC 8259 section 8.1 forbids senders to "
        "add");
  }
  StructureCheck check;
  bool well_formed = false;
  try {
    well_formed = json::sax_parse(body, &check);
  } catch (const json::exception& ex) {  // number overflow is thrown, not reported, by some paths
    return invalid_json(ex);
  }
  if (!well_formed) {
    return check.error ? *check.error : make_error("the body is not valid JSON");
  }
  json document = json::parse(body, nullptr, false);
  if (document.is_discarded()) return make_error("the body is not valid JSON");
  if (!document.is_object()) {
    return make_error(std::string("the body must be a JSON object, got ") + kind_of(document));
  }
  return document;
}

enum class Kind { string, object, boolean };

const char* expected_name(Kind kind) {
  switch (kind) {
    case Kind::string: return "a string";
    case Kind::object: return "an object";
    case Kind::boolean: return "a boolean";
  }
  return "?";
}

bool has_kind(const json& value, Kind kind) {
  switch (kind) {
    case Kind::string: return value.is_string();
    case Kind::object: return value.is_object();
    case Kind::boolean: return value.is_boolean();
  }
  return false;
}

// Looks up a member of `object` (whose own path is `prefix`). Absent: an error when `required`,
// otherwise nullptr. Present with another JSON type, including null, is always an error: the
// draft gives no member a null value, and "null means absent" would be a lenient reading.
Result<const json*> member(const json& object, std::string_view prefix, std::string_view name,
                           Kind kind, bool required, std::string_view hint = {}) {
  auto found = object.find(name);
  if (found == object.end()) {
    if (!required) return static_cast<const json*>(nullptr);
    std::string reason(kMissing);
    if (!hint.empty()) reason += std::string("; ") + std::string(hint);
    return field_error(join_path(prefix, name), std::move(reason));
  }
  if (!has_kind(*found, kind)) {
    return field_error(join_path(prefix, name),
                       std::string("must be ") + expected_name(kind) + ", got " + kind_of(*found));
  }
  return &*found;
}

Result<std::string> required_string(const json& object, std::string_view prefix,
                                    std::string_view name, std::string_view hint = {}) {
  auto found = member(object, prefix, name, Kind::string, true, hint);
  if (!found) return found.error();
  return (*found)->get<std::string>();
}

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

  auto expiration = required_string(
      **object, kPath, "expiration",
      "omit mailboxConfiguration entirely to get the relay's defaults (AMB-12)");
  if (!expiration) return expiration.error();
  auto when = parse_rfc3339(*expiration);
  if (!when) {
    return field_error(join_path(kPath, "expiration"),
                       "must be an RFC 3339 date-time such as 2030-01-01T00:00:00Z: " +
                           when.error().message());
  }
  if (*when < kEarliest || *when > kLatest) {
    return field_error(join_path(kPath, "expiration"),
                       "must lie within the years 0001-9999 once converted to UTC");
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

Result<bool> required_boolean(const json& body, std::string_view name) {
  auto found = member(body, "", name, Kind::boolean, true);
  if (!found) return found.error();
  return (*found)->get<bool>();
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
    return make_error(
        "must name at least one of R, W and D; omit accessRights to get the default RD");
  }
  AccessRights rights{false, false, false};
  for (char c : text) {
    bool* flag = nullptr;
    switch (c) {
      case 'R': flag = &rights.read; break;
      case 'W': flag = &rights.write; break;
      case 'D': flag = &rights.remove; break;
      case 'r':
      case 'w':
      case 'd':
        return make_error(describe_char(c) +
                          " must be upper case: the rights letters are R, W and D");
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
    return make_error(
        "the body holds only whitespace; send an empty body or a JSON object (AMB-07)");
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

nlohmann::json to_json(const Payload& value) {
  return json{{"type", value.type}, {"data", value.data}};
}

nlohmann::json to_json(const DisplayInformation& value) {
  return json{
      {"title", value.title}, {"description", value.description}, {"imageURL", value.image_url}};
}

nlohmann::json to_json(const NotificationToken& value) {
  return json{{"type", value.type}, {"tokenData", value.token_data}};
}

nlohmann::json to_json(const CreateMailboxRequest& value) {
  json body{{"payload", to_json(value.payload)},
            {"displayInformation", to_json(value.display_information)}};
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
  return json{{"urlLink", value.url_link},
              {"isPushNotificationSupported", value.is_push_notification_supported}};
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

}  // namespace tigress::codec
