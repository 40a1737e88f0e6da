#include "reference/relay/defects.hpp"

#include <cctype>

#include <nlohmann/json.hpp>

namespace tigress::relay {

const std::vector<DefectInfo>& relay_defect_catalogue() {
  static const std::vector<DefectInfo> catalogue = {
      {"omit-request-id-echo",
       "message-format",
       "responses do not echo Mailbox-Request-ID (5.1)",
       {"5.1/echo-create"},
       &RelayDefects::omit_request_id_echo},
      {"create-answers-201",
       "message-format",
       "a first CreateMailbox answers 201 instead of 200 (6.1.6)",
       {"6.1/create-200"},
       &RelayDefects::create_answers_201},
      {"omit-push-flag",
       "message-format",
       "the Create response lacks isPushNotificationSupported (6.1.6)",
       {"6.1/push-flag-boolean"},
       &RelayDefects::omit_push_flag},
      {"preview-as-json",
       "message-format",
       "the preview is served as application/json (6.4)",
       {"6.4/preview-html"},
       &RelayDefects::preview_as_json},
      {"expiration-without-zone",
       "message-format",
       "Read reports expiration without the Z suffix (6.5.4)",
       {"6.5/expiration-format"},
       &RelayDefects::expiration_without_zone},
      {"bind-every-reader",
       "anti-replay",
       "every claim may read; no recipient is bound (4.1, 8.1.1)",
       {"6.5/second-reader-refused"},
       &RelayDefects::bind_every_reader},
      {"racy-binding",
       "anti-replay",
       "the recipient slot is checked and taken in separate steps (8.1.1)",
       {"6.5/concurrent-first-readers"},
       &RelayDefects::racy_binding},
      {"store-nonatomic-binding",
       "anti-replay",
       "the Redis store writes a binding without checking the slot is still free (8.1.1; needs --store redis://)",
       {"6.5/concurrent-first-readers"},
       &RelayDefects::store_nonatomic_binding},
      {"reexecute-duplicates",
       "anti-replay",
       "a repeated Mailbox-Request-ID is processed again (5.1)",
       {"5.1/duplicate-create"},
       &RelayDefects::reexecute_duplicates},
      {"stranger-may-update",
       "anti-replay",
       "UpdateMailbox does not check the device claim (6.2.6)",
       {"6.2/stranger-refused"},
       &RelayDefects::stranger_may_update},
      {"relinquish-keeps-binding",
       "anti-replay",
       "RelinquishMailbox answers 200 but keeps the recipient (6.6)",
       {"6.6/another-recipient-binds"},
       &RelayDefects::relinquish_keeps_binding},
      {"predictable-ids",
       "anti-replay",
       "mailbox identifiers come from a counter (8.1.2)",
       {"8.1.2/ids-unpredictable"},
       &RelayDefects::predictable_ids},
      {"ignore-access-rights",
       "anti-replay",
       "accessRights W and D are not enforced (6.1.5)",
       {"6.2/without-write-right"},
       &RelayDefects::ignore_access_rights},
      {"never-expire",
       "expiry",
       "expired mailboxes stay readable (4.3)",
       {"4.3/expired-read"},
       &RelayDefects::never_expire},
      {"preview-ignores-expiry",
       "expiry",
       "the preview of an expired mailbox is still served (4.3)",
       {"4.3/expired-preview"},
       &RelayDefects::preview_ignores_expiry},
      {"accept-past-expiration",
       "expiry",
       "an expiration in the past is accepted and the mailbox served (6.1.5)",
       {"4.3/past-expiration"},
       &RelayDefects::accept_past_expiration},
      {"no-ttl-cap",
       "expiry",
       "lifetimes are not capped; a year-long mailbox is kept (AMB-14)",
       {"4.3/lifetime-capped"},
       &RelayDefects::no_ttl_cap},
      {"past-expiration-dead-on-arrival",
       "expiry",
       "an expiration in the past is answered 200; the mailbox is never served (AMB-13 lenient, dead on arrival)",
       {"4.3/past-expiration"},
       &RelayDefects::past_expiration_dead_on_arrival},
      {"sweep-races-requests",
       "robustness",
       "expired mailboxes are swept by the request that finds them, which is then answered 500 (4.3)",
       {"robustness/concurrent-load"},
       &RelayDefects::sweep_races_requests},
      {"error-names-bound-claims",
       "confidentiality",
       "a Read refused for another recipient names the initiator's and the recipient's claims (8.1.1)",
       {"6.5/second-reader-refused"},
       &RelayDefects::error_names_bound_claims},
      {"claims-compared-as-strings",
       "anti-replay",
       "device claims compare as strings: the initiator's claim in upper case binds as the recipient (5.2, 4.1)",
       {"5.2/claim-case-insensitive"},
       &RelayDefects::claims_compared_as_strings},
      {"preview-ampersand-unescaped",
       "message-format",
       "the preview escapes markup but not '&', so a title holding \"&amp;\" is shown as \"&\" (6.4)",
       {"6.4/display-text-fidelity"},
       &RelayDefects::preview_ampersand_unescaped},
      {"display-types-unchecked",
       "robustness",
       "displayInformation values of other JSON types are stored as their JSON text; the preview then answers 500",
       {"6.1/wrong-member-types"},
       &RelayDefects::display_types_unchecked},
      {"require-configuration",
       "message-format",
       "a CreateMailbox without mailboxConfiguration is refused with 400 (6.1.5)",
       {"6.1/default-configuration"},
       &RelayDefects::require_configuration},
      {"preview-unescaped",
       "confidentiality",
       "display strings enter the preview HTML unescaped (8.1.2)",
       {"6.4/title-escaped"},
       &RelayDefects::preview_unescaped},
      {"preview-leaks-payload",
       "confidentiality",
       "the preview page carries payload.data (8.1.3)",
       {"6.4/no-payload"},
       &RelayDefects::preview_leaks_payload},
      {"error-leaks-payload",
       "confidentiality",
       "a refused Read's error body carries the payload (8.1.3)",
       {"8.1/error-bodies-no-leak"},
       &RelayDefects::error_leaks_payload},
      {"allow-tls10",
       "confidentiality",
       "TLS 1.0 and 1.1 handshakes are accepted (8.1.1)",
       {"4.2/tls-below-1.2-refused"},
       &RelayDefects::allow_tls10},
      {"server-error-on-bad-json",
       "robustness",
       "unparseable JSON bodies are answered 500",
       {"robustness/jsontestsuite-create"},
       &RelayDefects::server_error_on_bad_json},
      {"server-error-on-unknown-method",
       "robustness",
       "unknown methods are answered 500",
       {"robustness/unknown-methods"},
       &RelayDefects::server_error_on_unknown_method},
      {"short-description-limit",
       "message-format",
       "a displayInformation.description over 32 characters is refused with 400 (6.1.5 sets no limit)",
       {"4.3/expired-read", "6.1/default-configuration", "6.5/second-reader-refused"},
       &RelayDefects::short_description_limit,
       {"4.3/expiration-not-rfc3339", "4.3/lifetime-capped", "6.1/expiration-forms",
        "6.1/incomplete-notification-token", "6.1/unknown-members-tolerated", "6.1/unparseable-body",
        "6.1/wrong-member-types", "4.2/unknown-api-version", "5.1/failed-create-not-recorded",
        "robustness/oversized-bodies", "robustness/size-limit", "robustness/unknown-methods", "4.2/cleartext-refused",
        "5.2/attestation-optional"}},
      {"refuse-binding-reads",
       "anti-replay",
       "a Read by a claim not bound to the mailbox is refused with 400: nobody can bind (6.5, 4.1)",
       {"6.5/first-reader-binds"},
       &RelayDefects::refuse_binding_reads,
       {"5.2/malformed-claim-read", "6.5/read-without-claim", "6.6/former-recipient-may-rebind",
        "5.2/claim-case-insensitive", "6.4/no-claims-or-tokens"}},
      {"refuse-bound-deletes",
       "message-format",
       "a DeleteMailbox once a recipient is bound is refused with 400 (6.3)",
       {"6.3/recipient-deletes"},
       &RelayDefects::refuse_bound_deletes,
       {"6.3/without-delete-right"}},
      {"refuse-relinquish",
       "message-format",
       "every RelinquishMailbox is refused with 400 (6.6)",
       {"6.6/relinquish-200"},
       &RelayDefects::refuse_relinquish,
       {"5.1/duplicate-relinquish", "5.1/missing-request-id", "5.2/missing-claim-relinquish",
        "6.6/former-recipient-may-rebind", "6.6/initiator-relinquish", "6.6/no-recipient-bound",
        "6.6/second-relinquish-refused"}},
      {"refuse-updates",
       "message-format",
       "every UpdateMailbox is refused with 400 (6.2, MBX-UPDATE-01)",
       {"6.2/update-200"},
       &RelayDefects::refuse_updates,
       {"4.3/expiration-immutable", "5.1/failed-update-not-recorded", "5.1/missing-request-id",
        "5.2/attestation-on-update", "5.2/missing-claim-update", "6.1/configuration-without-access-rights",
        "6.1/default-configuration", "6.2/content-type-not-json", "6.2/empty-body-400", "6.2/incomplete-payload-400",
        "6.2/outside-schema-ignored", "6.2/stranger-refused", "6.2/unparseable-body", "6.2/without-write-right",
        "8.1/stranger-cannot-register-token", "robustness/deep-nesting", "robustness/invalid-utf8",
        "robustness/jsontestsuite-update", "robustness/oversized-bodies"}},
      {"refuse-previews",
       "message-format",
       "every preview (GET or HEAD of a mailbox) is refused with 400 (6.4, MBX-PREVIEW-01)",
       {"6.4/preview-html"},
       &RelayDefects::refuse_previews,
       {"4.2/unknown-api-version", "6.4/head-request", "robustness/unknown-http-versions", "robustness/unknown-paths"}},
      {"refuse-undelivered-deletes",
       "message-format",
       "a DeleteMailbox before any Read has been served from the mailbox is refused with 400 (6.3, MBX-DELETE-01)",
       {"6.3/delete-right-alone", "5.1/echo-delete"},
       &RelayDefects::refuse_undelivered_deletes,
       {"5.1/duplicate-delete", "5.2/missing-claim-delete", "6.3/malformed-id", "6.3/without-delete-right"}},
      {"read-needs-write-right",
       "anti-replay",
       "a Read where accessRights grant R without W (the default \"RD\" too) is refused with 400 (6.1.5, "
       "MBX-ACL-01, MBX-ACL-04)",
       {"6.1/default-configuration", "6.2/without-write-right"},
       &RelayDefects::read_needs_write_right,
       {"6.3/delete-right-alone"}},
      {"relinquish-server-error",
       "robustness",
       "every RelinquishMailbox is answered 500; everything else is served (6.6, MBX-RELINQ-01)",
       {"6.6/relinquish-200"},
       &RelayDefects::relinquish_server_error,
       {"5.1/duplicate-relinquish", "5.1/missing-request-id", "5.2/missing-claim-relinquish",
        "6.6/former-recipient-may-rebind", "6.6/initiator-relinquish", "6.6/no-recipient-bound",
        "6.6/second-relinquish-refused"},
       500},
      {"poison-date-only-expiration",
       "robustness",
       "a date-only expiration is accepted, then every request is answered 500 until restart (4.3)",
       {"4.3/expiration-not-rfc3339"},
       &RelayDefects::poison_date_only_expiration},
  };
  return catalogue;
}

Status enable_relay_defect(RelayDefects& defects, std::string_view names) {
  while (true) {
    const std::size_t comma = names.find(',');
    const std::string_view name = names.substr(0, comma);
    bool known = false;
    for (const auto& info : relay_defect_catalogue()) {
      if (info.name == name) {
        defects.*info.flag = true;
        known = true;
      }
    }
    if (!known) return make_error("unknown defect '" + std::string(name) + "' (see --list-defects)");
    if (comma == std::string_view::npos) return {};
    names.remove_prefix(comma + 1);
  }
}

namespace {

std::optional<std::string> planted_create_refusal(const RelayDefects& defects, const Request& request) {
  if (!defects.require_configuration && !defects.short_description_limit) return std::nullopt;
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  if (!body.is_object()) return std::nullopt;  // the relay's own parser answers that
  if (defects.require_configuration && !body.contains("mailboxConfiguration")) {
    return "mailboxConfiguration is required";
  }
  constexpr std::size_t kDescriptionLimit = 32;
  if (defects.short_description_limit && body.contains("displayInformation") &&
      body["displayInformation"].is_object()) {
    const auto& description = body["displayInformation"].value("description", nlohmann::json());
    if (description.is_string() && description.get<std::string>().size() > kDescriptionLimit) {
      return "displayInformation.description is longer than " + std::to_string(kDescriptionLimit) + " characters";
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> planted_refusal(const RelayDefects& defects, const Request& request) {
  if (request.method == "POST" && request.path.ends_with("/m")) return planted_create_refusal(defects, request);
  if (request.path.find("/m/") == std::string::npos) return std::nullopt;
  if (defects.refuse_relinquish && request.method == "PATCH") return "this relay does not serve RelinquishMailbox";
  if (defects.refuse_updates && request.method == "PUT") return "this relay does not serve UpdateMailbox";
  if (defects.refuse_previews && (request.method == "GET" || request.method == "HEAD")) {
    return "this relay serves no preview page";
  }
  return std::nullopt;
}

std::optional<Request> date_only_expiration_accepted(const Request& request) {
  if (request.method != "POST") return std::nullopt;
  auto body = nlohmann::json::parse(request.body, nullptr, false);
  if (!body.is_object() || !body.contains("mailboxConfiguration") || !body["mailboxConfiguration"].is_object()) {
    return std::nullopt;
  }
  nlohmann::json& configuration = body["mailboxConfiguration"];
  if (!configuration.contains("expiration") || !configuration["expiration"].is_string()) return std::nullopt;
  const std::string date = configuration["expiration"];
  const char* shape = "dddd-dd-dd";
  if (date.size() != 10) return std::nullopt;
  for (std::size_t i = 0; i < date.size(); ++i) {
    const bool digit = std::isdigit(static_cast<unsigned char>(date[i])) != 0;
    if (shape[i] == 'd' ? !digit : date[i] != shape[i]) return std::nullopt;
  }
  // The end of that day, not its midnight: a bare date naming today must still be accepted, or
  // whether the poison takes would depend on the hour the suite runs.
  configuration["expiration"] = date + "T23:59:59Z";
  Request accepted = request;
  accepted.body = body.dump();
  return accepted;
}

// The display-types-unchecked defect: display members of another JSON type become their JSON
// text, which its preview later fails to render.
std::string display_as_text(const std::string& body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object() || !json.contains("displayInformation") || !json["displayInformation"].is_object()) return body;
  for (auto& [name, value] : json["displayInformation"].items()) {
    if (!value.is_string()) value = value.dump();
  }
  return json.dump();
}

bool holds_json_text(const codec::DisplayInformation& display) {
  for (const std::string* value : {&display.title, &display.description, &display.image_url}) {
    auto json = nlohmann::json::parse(*value, nullptr, false);
    if (!json.is_discarded() && !json.is_string()) return true;
  }
  return false;
}

}  // namespace tigress::relay
