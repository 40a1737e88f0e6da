#include "reference/relay/stored_records.hpp"

#include <nlohmann/json.hpp>

#include "reference/codec/ascii.hpp"
#include "reference/codec/bodies.hpp"

namespace tigress::relay {
namespace {

using nlohmann::json;

// Reads what the store gave back without trusting it: every member is type-checked, so a
// foreign or damaged value becomes an error rather than an exception.
class Reader {
 public:
  explicit Reader(const json& object) : object_(object) {}

  std::string text(const char* name) {
    auto it = object_.find(name);
    if (it == object_.end() || !it->is_string()) {
      fail(name);
      return {};
    }
    return it->get<std::string>();
  }
  std::optional<std::string> optional_text(const char* name) {
    if (!object_.contains(name)) return std::nullopt;
    return text(name);
  }
  std::int64_t integer(const char* name) {
    auto it = object_.find(name);
    if (it == object_.end() || !it->is_number_integer()) {
      fail(name);
      return 0;
    }
    return it->get<std::int64_t>();
  }
  std::optional<codec::NotificationToken> token(const char* type_name, const char* data_name) {
    auto type = optional_text(type_name);
    auto data = optional_text(data_name);
    if (!type && !data) return std::nullopt;
    if (!type || !data) fail(type ? data_name : type_name);
    return codec::NotificationToken{type.value_or(""), data.value_or("")};
  }
  const std::string& missing() const { return missing_; }

 private:
  void fail(const char* name) {
    if (missing_.empty()) missing_ = name;
  }
  const json& object_;
  std::string missing_;
};

// Mailbox-Request-ID values are arbitrary header bytes, not always UTF-8, so they are kept as
// hex digits (JSON strings must be UTF-8) and compare exactly after the round trip.
std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view digits) {
  if (digits.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    const int high = codec::hex_value(digits[i]), low = codec::hex_value(digits[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
  }
  return out;
}

Result<json> parse_object(std::string_view text, const char* what) {
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) return make_error(std::string("stored ") + what + " is not a JSON object");
  return document;
}

}  // namespace

std::string encode_mailbox(const Mailbox& mailbox) {
  json out = {{"id", mailbox.id},
              {"initiator", mailbox.initiator_claim},
              {"rights", mailbox.rights.to_string()},
              {"expiration", mailbox.expiration},
              {"payloadType", mailbox.payload.type},
              {"payloadData", mailbox.payload.data},
              {"title", mailbox.display.title},
              {"description", mailbox.display.description},
              {"imageURL", mailbox.display.image_url}};
  if (mailbox.recipient_claim) out["recipient"] = *mailbox.recipient_claim;
  if (const auto& token = mailbox.initiator_token) {
    out["initiatorTokenType"] = token->type;
    out["initiatorTokenData"] = token->token_data;
  }
  if (const auto& token = mailbox.recipient_token) {
    out["recipientTokenType"] = token->type;
    out["recipientTokenData"] = token->token_data;
  }
  return codec::dump_json(out);
}

Result<Mailbox> decode_mailbox(std::string_view text) {
  auto document = parse_object(text, "mailbox");
  if (!document) return document.error();
  Reader in(*document);
  Mailbox mailbox;
  mailbox.id = in.text("id");
  mailbox.initiator_claim = in.text("initiator");
  mailbox.recipient_claim = in.optional_text("recipient");
  const std::string rights = in.text("rights");
  mailbox.expiration = in.integer("expiration");
  mailbox.payload = {in.text("payloadType"), in.text("payloadData")};
  mailbox.display = {in.text("title"), in.text("description"), in.text("imageURL")};
  mailbox.initiator_token = in.token("initiatorTokenType", "initiatorTokenData");
  mailbox.recipient_token = in.token("recipientTokenType", "recipientTokenData");
  if (!in.missing().empty()) return make_error("stored mailbox: bad or missing member " + in.missing());
  // "" is what AccessRights::to_string gives for no rights at all; the parser refuses it.
  if (rights.empty()) {
    mailbox.rights = codec::AccessRights{false, false, false};
  } else {
    auto parsed = codec::parse_access_rights(rights);
    if (!parsed) return make_error("stored mailbox: " + parsed.error().message());
    mailbox.rights = *parsed;
  }
  return mailbox;
}

std::string encode_request_record(const RequestRecord& record) {
  return codec::dump_json(json{{"requestId", to_hex(record.request_id)},
                               {"method", record.method},
                               {"mailbox", record.mailbox_id},
                               {"body", record.response_body},
                               {"forgetAfter", record.forget_after}});
}

Result<RequestRecord> decode_request_record(std::string_view text) {
  auto document = parse_object(text, "request record");
  if (!document) return document.error();
  Reader in(*document);
  RequestRecord record{in.text("requestId"), in.text("method"), in.text("mailbox"), in.text("body"),
                       in.integer("forgetAfter")};
  if (!in.missing().empty()) return make_error("stored request record: bad or missing member " + in.missing());
  auto request_id = from_hex(record.request_id);
  if (!request_id) return make_error("stored request record: requestId is not hex");
  record.request_id = std::move(*request_id);
  return record;
}

}  // namespace tigress::relay
