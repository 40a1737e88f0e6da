// verify: the reference codecs and AEAD wrapper against the codec-level vector files.
#include <algorithm>

#include "reference/codec/bodies.hpp"
#include "reference/codec/provisioning.hpp"
#include "reference/codec/share_url.hpp"
#include "reference/codec/timestamp.hpp"
#include "reference/codec/uuid.hpp"
#include "reference/crypto/aead.hpp"
#include "vectors/tool/vector_file.hpp"
#include "vectors/tool/verifiers.hpp"

namespace tigress::vectors {
namespace {

// "" when the outcome agrees with the verdict; acceptable tests agree with both outcomes.
std::string judge(const std::string& result, bool accepted, const std::string& error) {
  if (result == "valid" && !accepted) return "refused a valid vector: " + error;
  if (result == "invalid" && accepted) return "accepted an invalid vector";
  return "";
}

}  // namespace

void verify_aead(const Json& document, FileReport& report) {
  for_each_test(document, report, [](const Json&, const Json& test) -> std::string {
    auto key = from_hex(test.at("key").get<std::string>());
    if (!key) return "key is not hex";
    const crypto::SealedPayload payload{test.at("payload").at("type"), test.at("payload").at("data")};
    const codec::Secret secret(*key);
    auto opened = crypto::open(payload, secret);
    const std::string result = test.at("result");
    if (result == "valid") {
      if (!opened) return "open failed: " + opened.error().message();
      std::string plaintext;
      if (test.contains("plaintextHex")) {
        auto octets = from_hex(test["plaintextHex"].get<std::string>());
        if (!octets) return "plaintextHex is not hex";
        plaintext.assign(octets->begin(), octets->end());
      } else {
        plaintext = test.at("plaintext").get<std::string>();
      }
      if (*opened != plaintext) return "open returned another plaintext";
      auto iv = from_hex(test.at("iv").get<std::string>());
      auto algorithm = crypto::algorithm_from_name(payload.type);
      if (!iv || !algorithm) return "iv or type unusable";
      auto sealed = crypto::seal_with_iv(*algorithm, secret, *iv, plaintext);
      if (!sealed) return "seal failed: " + sealed.error().message();
      if (sealed->data != payload.data || sealed->type != payload.type) return "seal gave another payload";
      return "";
    }
    return judge(result, opened.ok(), opened ? "" : opened.error().message());
  });
}

void verify_share_urls(const Json& document, FileReport& report) {
  for_each_test(document, report, [](const Json&, const Json& test) -> std::string {
    auto parsed = codec::parse_share_url(test.at("url").get<std::string>());
    const std::string result = test.at("result");
    if (std::string verdict = judge(result, parsed.ok(), parsed ? "" : parsed.error().message()); !verdict.empty()) {
      return verdict;
    }
    if (!parsed || !test.contains("expected")) return "";
    const Json& e = test["expected"];
    if (parsed->host != e.at("host")) return "host is " + parsed->host;
    const Json port = parsed->port ? Json(*parsed->port) : Json(nullptr);
    if (port != e.at("port")) return "port is " + port.dump();
    if (parsed->api_version != e.at("apiVersion").get<int>())
      return "apiVersion is " + std::to_string(parsed->api_version);
    if (parsed->mailbox_id.to_string() != e.at("mailboxId")) return "mailboxId is " + parsed->mailbox_id.to_string();
    const Json vertical = parsed->vertical ? Json(std::string(1, static_cast<char>(*parsed->vertical))) : Json(nullptr);
    if (vertical != e.at("vertical")) return "vertical is " + vertical.dump();
    const Json secret = parsed->secret ? Json(to_hex(parsed->secret->reveal())) : Json(nullptr);
    if (secret != e.at("secret")) return "secret differs (not printed)";
    if (parsed->without_fragment() != e.at("relayUrl")) return "relay URL is " + parsed->without_fragment();
    if (parsed->mailbox_url() != e.at("mailboxUrl")) return "mailbox URL is " + parsed->mailbox_url();
    return "";
  });
}

void verify_timestamps(const Json& document, FileReport& report) {
  for_each_test(document, report, [](const Json& group, const Json& test) -> std::string {
    const std::string value = test.at("value");
    const bool strict = group.at("form") == "strict";
    auto parsed = strict ? codec::parse_timestamp_strict(value) : codec::parse_rfc3339(value);
    if (std::string verdict = judge(test.at("result"), parsed.ok(), parsed ? "" : parsed.error().message());
        !verdict.empty()) {
      return verdict;
    }
    if (parsed && test.contains("unixSeconds") && *parsed != test["unixSeconds"].get<std::int64_t>()) {
      return "parsed to " + std::to_string(*parsed);
    }
    if (parsed && strict && codec::format_timestamp(*parsed) != value) return "does not format back to itself";
    return "";
  });
}

void verify_uuids(const Json& document, FileReport& report) {
  for_each_test(document, report, [](const Json& group, const Json& test) -> std::string {
    const std::string value = test.at("value");
    auto parsed = group.at("form") == "v4" ? codec::parse_uuid_v4(value) : codec::parse_uuid(value);
    if (std::string verdict = judge(test.at("result"), parsed.ok(), parsed ? "" : parsed.error().message());
        !verdict.empty()) {
      return verdict;
    }
    if (parsed && test.contains("canonical") && parsed->to_string() != test["canonical"])
      return "canonical form is " + parsed->to_string();
    return "";
  });
}

void verify_provisioning(const Json& document, FileReport& report) {
  for_each_test(document, report, [](const Json&, const Json& test) -> std::string {
    auto parsed = codec::parse_provisioning_info(test.at("value").get<std::string>());
    if (std::string verdict = judge(test.at("result"), parsed.ok(), parsed ? "" : parsed.error().message());
        !verdict.empty()) {
      return verdict;
    }
    if (parsed && test.contains("expectedFormat") && parsed->format != test["expectedFormat"])
      return "format is " + parsed->format;
    return "";
  });
}

void verify_response_bodies(const Json& document, FileReport& report) {
  for_each_test(document, report, [](const Json& group, const Json& test) -> std::string {
    const std::string body = test.at("body");
    const std::string type = group.at("response");
    const Json expected = test.value("expected", Json());
    bool accepted = false;
    std::string error, mismatch;
    if (type == "CreateMailboxResponse") {
      // A client accepts the body when it parses and its urlLink is a mailbox URL it can call
      // (MBX-CREATE-03), as the reference client checks before using it.
      auto r = codec::parse_create_response(body);
      auto mailbox = r ? codec::parse_mailbox_url(r->url_link) : Result<codec::ShareUrl>(r.error());
      accepted = r.ok() && mailbox.ok();
      if (!accepted) error = r ? mailbox.error().message() : r.error().message();
      // A urlLink every reading refuses (not https, a fragment: MBX-CREATE-03, AMB-21) is refused
      // by the body codec itself, not only by the URL parser a client may or may not call next.
      const Json flags = test.value("flags", Json::array());
      if (r && std::find(flags.begin(), flags.end(), "BadUrlLink") != flags.end()) {
        return "parse_create_response accepted a BadUrlLink body (" + r->url_link + ")";
      } else if (!expected.is_null() &&
                 (r->url_link != expected.at("urlLink") ||
                  r->is_push_notification_supported != expected.at("isPushNotificationSupported"))) {
        mismatch = "parsed values differ from expected";
      }
    } else if (type == "UpdateMailboxResponse") {
      auto r = codec::parse_update_response(body);
      accepted = r.ok();
      if (!r)
        error = r.error().message();
      else if (!expected.is_null() && r->is_push_notification_supported != expected.at("isPushNotificationSupported")) {
        mismatch = "parsed values differ from expected";
      }
    } else if (type == "ReadSecureContentResponse") {
      auto r = codec::parse_read_response(body);
      accepted = r.ok();
      if (!r)
        error = r.error().message();
      else if (!expected.is_null() &&
               (Json(codec::to_json(r->payload)) != expected.at("payload") ||
                Json(codec::to_json(r->display_information)) != expected.at("displayInformation") ||
                r->expiration != expected.at("expirationUnixSeconds").get<std::int64_t>())) {
        mismatch = "parsed values differ from expected";
      }
    } else {
      return "unknown response type " + type;
    }
    if (std::string verdict = judge(test.at("result"), accepted, error); !verdict.empty()) return verdict;
    return mismatch;
  });
}

}  // namespace tigress::vectors
