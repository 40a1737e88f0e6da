// Draft section 6.1, CreateMailbox: POST /v1/m with payload, displayInformation, an optional
// notificationToken and an optional mailboxConfiguration (6.1.5); 200 with urlLink and
// isPushNotificationSupported (6.1.6), 201 only for a duplicate (5.1). Digest rows
// MBX-CREATE-01..15, MBX-GEN-08/09, MBX-ACL-01; ambiguities AMB-11, AMB-12, AMB-15, AMB-18,
// AMB-20..24, AMB-28, AMB-52, AMB-59.
#include <algorithm>
#include <functional>
#include <regex>

#include "conformance/cases/exchange_checks.hpp"
#include "conformance/cases/relay_checks.hpp"
#include "conformance/framework/case_context.hpp"
#include "reference/codec/json_in_place.hpp"

namespace tigress::conformance {
namespace {

using nlohmann::json;

struct Mutation {
  std::string what;
  std::function<void(json&)> apply;
};

// Each mutation of a valid body must be refused with 400 (6.1.6: "required fields missing").
void expect_400_for_each(CaseContext& ctx, const std::vector<Mutation>& mutations) {
  ctx.control_create();
  for (const auto& mutation : mutations) {
    json body = ctx.create_body();
    mutation.apply(body);
    ctx.check_status(ctx.create(ctx.uuid(), body), {400}, "CreateMailbox " + mutation.what);
  }
}

// The create response as JSON (200 required first).
json created_json(CaseContext& ctx, const harness::HttpResponse& response, const std::string& what) {
  if (!ctx.check_status(response, {200}, what)) return json(json::value_t::discarded);
  auto body = ctx.json_body(response, what);
  ctx.check(body.is_discarded() || body.is_object(), what + ": body is not a JSON object");
  return body;
}

// Content-Type variants that are not application/json get [S] 415, [L] 400 or 200 (AMB-28).
void check_media_type_refusal(CaseContext& ctx, const harness::HttpResponse& response, const std::string& what) {
  if (!ctx.check_status(response, ctx.accepted_statuses("AMB-28"), what)) return;
  if (response.status != 415) ctx.reading(what + " answered " + std::to_string(response.status) + " (AMB-28 lenient)");
}

}  // namespace

TIGRESS_CASE(kRelay, "6.1/create-200", "6.1", kMessageFormat, kMust, ({"MBX-CREATE-01"}),
             "a first CreateMailbox answers 200") {
  // 6.1.6 lists 200 for success and 201 for a duplicate (5.1). AMB-24's lenient reading
  // follows common HTTP practice (201 Created): a first Create answered 201 with the full body
  // is an interoperability risk (a client may take it for "your earlier request succeeded",
  // MBX-RID-07), reported as WARN and FAILed only under --strict. A 201 without a usable
  // mailbox, or any other status, FAILs.
  const std::string initiator = ctx.uuid();
  const auto body = ctx.create_body();
  auto created = ctx.create(initiator, body);
  const auto lenient = ctx.accepted_statuses("AMB-24", "lenient");
  if (std::find(lenient.begin(), lenient.end(), created.status) == lenient.end()) {
    ctx.check_status(created, ctx.accepted_statuses("AMB-24", "strict"), "CreateMailbox");
    return;
  }
  auto answer = ctx.json_body(created, "CreateMailbox answered " + std::to_string(created.status));
  if (!ctx.check(answer.is_object() && answer.contains("urlLink") && answer["urlLink"].is_string(),
                 "a first CreateMailbox answered " + std::to_string(created.status) +
                     " without the full body (no urlLink), which 5.1/6.1.6 reserve for duplicates (AMB-24)")) {
    return;
  }
  auto box = checks::mailbox_from(ctx, created, initiator, body);
  if (!ctx.check_status(ctx.read(box, initiator), {200},
                        "READ(I) of the mailbox the " + std::to_string(created.status) + " created")) {
    return;
  }
  ctx.warn("a first CreateMailbox answered " + std::to_string(created.status) +
           " with the full body (AMB-24 lenient: an interoperability risk, 6.1.6 says 200)");
}

TIGRESS_CASE(kRelay, "6.1/push-flag-boolean", "6.1", kMessageFormat, kMust, ({"MBX-CREATE-04", "MBX-CREATE-15"}),
             "isPushNotificationSupported is present and a JSON boolean, with or without a token") {
  auto with_token = ctx.create_body();
  with_token["notificationToken"] = checks::token(ctx.random_base64(32));
  for (const auto& [what, body] : {std::pair{std::string("CreateMailbox"), ctx.create_body()},
                                   std::pair{std::string("CreateMailbox with a token"), with_token}}) {
    auto json_body = created_json(ctx, ctx.create(ctx.uuid(), body), what);
    if (!json_body.is_object()) continue;
    const json* flag = codec::json_in_place::member(json_body, "isPushNotificationSupported");
    ctx.check(flag != nullptr, what + ": no isPushNotificationSupported");
    ctx.check(flag == nullptr || flag->is_boolean(),
              what + ": isPushNotificationSupported is " +
                  (flag ? codec::json_in_place::dump_within_bound(*flag) : std::string("null")) + ", not a boolean");
  }
}

TIGRESS_CASE(kRelay, "6.1/response-json", "6.1", kMessageFormat, kMust, ({"MBX-CREATE-02", "MBX-CREATE-03"}),
             "the 200 is application/json with a non-empty string urlLink") {
  auto created = ctx.create(ctx.uuid(), ctx.create_body());
  auto body = created_json(ctx, created, "CreateMailbox");
  ctx.check(checks::media_type(created) == "application/json",
            "Content-Type is \"" + created.header("Content-Type").value_or("") + "\"");
  if (!body.is_object()) return;
  ctx.check(body.contains("urlLink") && body["urlLink"].is_string() && !body["urlLink"].get<std::string>().empty(),
            "urlLink is missing, empty or not a string");
}

TIGRESS_CASE(kRelay, "6.1/url-link-shape", "6.1", kMessageFormat, kMust, ({"MBX-CREATE-03", "MBX-ID-01", "MBX-URL-07"}),
             "urlLink is https://{host}/v1/m/{uuid}, or at least an https URL ending in the UUID") {
  // [S] ^https://[^/?#]+/v1/m/<uuid>$ (after the target's own path prefix, if any); [L] any
  // absolute https URL whose last path segment is the mailbox UUID (AMB-20), a relay-chosen
  // query tolerated (AMB-21). Never a fragment. The digest's "DNS name, not an IP literal" is
  // only noted: a test deployment reached by address is not a protocol violation.
  auto box = ctx.create_mailbox();
  const std::string& link = box.url_link;
  ctx.check(exchange::is_canonical_uuid(box.id), "the last urlLink segment \"" + box.id + "\" is not a UUID");
  ctx.check(link.find('#') == std::string::npos, "urlLink carries a fragment");
  // std::regex recurses per character: a hostile relay's huge urlLink must not reach it.
  if (!ctx.check(link.size() <= 2048, "urlLink is " + std::to_string(link.size()) + " bytes long")) return;
  static const std::regex kLenient(R"(^https://[^/?#]+/([^?#]*/)?[^/?#]+(\?[^#]*)?$)", std::regex::icase);
  ctx.check(std::regex_match(link, kLenient), "urlLink \"" + link + "\" is not an absolute https URL");
  const std::string prefix = ctx.options().target.base_path;
  const std::regex strict("^https://[^/?#]+" +
                          std::regex_replace(prefix, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                          "/v1/m/[0-9a-fA-F-]{36}$");
  if (!std::regex_match(link, strict)) ctx.note("urlLink takes the lenient form (AMB-20/AMB-21): " + link);
  if (std::regex_search(link, std::regex(R"(^https://(\[[0-9a-fA-F:.]+\]|[0-9.]+)(:\d+)?/)"))) {
    ctx.note("urlLink names an IP literal, not a DNS name (strict MBX-CREATE-03 wants a host name)");
  }
  if (checks::lower(box.id) != box.id) ctx.note("the mailbox UUID is not lower case (AMB-52)");
  ctx.check_status(ctx.read(box, box.initiator), {200}, "READ at the urlLink");
}

TIGRESS_CASE(kRelay, "6.1/missing-payload-members", "6.1", kMessageFormat, kMust, ({"MBX-CREATE-05", "MBX-GEN-09"}),
             "payload, payload.type and payload.data are each required: 400 without them") {
  expect_400_for_each(ctx, {{"without payload", [](json& b) { b.erase("payload"); }},
                            {"without payload.type", [](json& b) { b["payload"].erase("type"); }},
                            {"without payload.data", [](json& b) { b["payload"].erase("data"); }},
                            {"with payload {}", [](json& b) { b["payload"] = json::object(); }}});
}

TIGRESS_CASE(kRelay, "6.1/missing-display-members", "6.1", kMessageFormat, kMust, ({"MBX-CREATE-06", "MBX-GEN-09"}),
             "displayInformation, title, description and imageURL are each required: 400 without them") {
  expect_400_for_each(ctx, {{"without displayInformation", [](json& b) { b.erase("displayInformation"); }},
                            {"without title", [](json& b) { b["displayInformation"].erase("title"); }},
                            {"without description", [](json& b) { b["displayInformation"].erase("description"); }},
                            {"without imageURL", [](json& b) { b["displayInformation"].erase("imageURL"); }}});
}

TIGRESS_CASE(kRelay, "6.1/wrong-member-types", "6.1", kMessageFormat, kMust,
             ({"MBX-CREATE-05", "MBX-CREATE-06", "MBX-CREATE-10", "MBX-GEN-09"}),
             "members of the wrong JSON type are refused with 400; one accepted anyway is served without 5xx") {
  // Only types no reading allows: payload as a JSON string has a lenient reading (AMB-18) and
  // has its own case.
  ctx.control_create();
  const std::vector<Mutation> mutations = {
      {"with payload 5", [](json& b) { b["payload"] = 5; }},
      {"with payload []", [](json& b) { b["payload"] = json::array(); }},
      {"with payload null", [](json& b) { b["payload"] = nullptr; }},
      {"with payload.type 1", [](json& b) { b["payload"]["type"] = 1; }},
      {"with payload.data true", [](json& b) { b["payload"]["data"] = true; }},
      {"with payload.data null", [](json& b) { b["payload"]["data"] = nullptr; }},
      {"with displayInformation 5", [](json& b) { b["displayInformation"] = 5; }},
      {"with title 5", [](json& b) { b["displayInformation"]["title"] = 5; }},
      {"with description null", [](json& b) { b["displayInformation"]["description"] = nullptr; }},
      {"with imageURL []", [](json& b) { b["displayInformation"]["imageURL"] = json::array(); }},
      {"with mailboxConfiguration \"RWD\"", [](json& b) { b["mailboxConfiguration"] = "RWD"; }},
      {"with accessRights 7", [](json& b) { b["mailboxConfiguration"]["accessRights"] = 7; }},
      {"with accessRights [\"R\",\"W\"]", [](json& b) {
         b["mailboxConfiguration"]["accessRights"] = json::array({"R", "W"});
       }}};
  for (const auto& mutation : mutations) {
    json body = ctx.create_body();
    mutation.apply(body);
    const std::string initiator = ctx.uuid();
    auto created = ctx.create(initiator, body);
    if (ctx.check_status(created, {400}, "CreateMailbox " + mutation.what) || created.status != 200) continue;
    // Accepted anyway (already a violation): what was stored must still be served. A relay that
    // stores a number where its templates expect text fails later, on the preview or the Read.
    auto box = checks::mailbox_from(ctx, created, initiator, body);
    auto preview = ctx.preview(box);
    ctx.check(preview.status < 500, "PREVIEW of the mailbox created " + mutation.what + ": answered " +
                                        std::to_string(preview.status) + " (MBX-GEN-09)");
    auto read = ctx.read(box, initiator);
    ctx.check(read.status < 500, "READ(I) of the mailbox created " + mutation.what + ": answered " +
                                     std::to_string(read.status) + " (MBX-GEN-09)");
  }
  ctx.check_status(ctx.create(ctx.uuid(), json::array({ctx.create_body()})), {400},
                   "CreateMailbox with a JSON array body");
}

TIGRESS_CASE(kRelay, "6.1/payload-as-string", "6.1", kMessageFormat, kMust, ({"MBX-CREATE-05"}),
             "payload given as a JSON string is refused (or taken as its JSON)") {
  // AMB-18: 6.5.4 types payload as String; Create and Update send an object. [S] 400, [L] 200.
  ctx.control_create();
  auto body = ctx.create_body();
  body["payload"] = body["payload"].dump();
  auto created = ctx.create(ctx.uuid(), body);
  if (!ctx.check_status(created, ctx.accepted_statuses("AMB-18"), "CreateMailbox with payload as a string")) return;
  ctx.reading(created.status == 200
                  ? "payload as a string accepted (AMB-18 lenient)"
                  : "payload as a string refused with " + std::to_string(created.status) + " (AMB-18 strict)");
}

TIGRESS_CASE(kRelay, "6.1/incomplete-notification-token", "6.1", kMessageFormat, kShould, ({"MBX-CREATE-07"}),
             "a notificationToken without type or tokenData is refused (or ignored, with no push)") {
  // AMB-22: "should include both fields". [S] 400; [L] 200 with isPushNotificationSupported
  // false, since nothing can be pushed to half a token. The control carries the whole token.
  auto complete = ctx.create_body();
  complete["notificationToken"] = checks::token(ctx.random_base64(32));
  ctx.control(ctx.create_request(ctx.uuid(), complete), "CreateMailbox with a complete notificationToken");
  for (const auto& [what, token] :
       {std::pair{std::string("type only"), json{{"type", "com.apple.apns"}}},
        std::pair{std::string("tokenData only"), json{{"tokenData", ctx.random_base64(32)}}}}) {
    auto body = ctx.create_body();
    body["notificationToken"] = token;
    auto created = ctx.create(ctx.uuid(), body);
    if (!ctx.check_status(created, ctx.accepted_statuses("AMB-22"), "CreateMailbox with a token of " + what)) continue;
    if (created.status != 200) {
      ctx.reading("token of " + what + " refused with " + std::to_string(created.status) + " (AMB-22 strict)");
      continue;
    }
    ctx.reading("token of " + what + " accepted (AMB-22 lenient)");
    auto json_body = ctx.json_body(created, "CreateMailbox");
    const json* flag = codec::json_in_place::member(json_body, "isPushNotificationSupported");
    ctx.check(flag != nullptr && *flag == json(false),
              "an incomplete token was accepted with isPushNotificationSupported other than false");
  }
}

TIGRESS_CASE(kRelay, "6.1/notification-token-accepted", "6.1", kMessageFormat, kShould, ({"MBX-CREATE-07"}),
             "a complete notificationToken is accepted") {
  auto body = ctx.create_body();
  body["notificationToken"] = checks::token(ctx.random_base64(32));
  auto json_body = created_json(ctx, ctx.create(ctx.uuid(), body), "CreateMailbox with {type, tokenData}");
  const json* flag = codec::json_in_place::member(json_body, "isPushNotificationSupported");
  ctx.check(!json_body.is_object() || (flag != nullptr && flag->is_boolean()),
            "isPushNotificationSupported is not a boolean");
}

TIGRESS_CASE(kRelay, "6.1/unsupported-token-type", "6.1", kMessageFormat, kShould, ({"MBX-CREATE-15"}),
             "a token of a type the relay cannot serve is accepted; the flag tells the device to poll") {
  // AMB-23: false [S] (the relay will not push to that token); any boolean [L].
  auto body = ctx.create_body();
  body["notificationToken"] = {{"type", "org.example.unsupported"}, {"tokenData", ctx.random_base64(24)}};
  auto json_body = created_json(ctx, ctx.create(ctx.uuid(), body), "CreateMailbox with an unsupported token type");
  if (!json_body.is_object()) return;
  const json* flag = codec::json_in_place::member(json_body, "isPushNotificationSupported");
  ctx.check(flag != nullptr && flag->is_boolean(), "isPushNotificationSupported is not a boolean");
  if (flag != nullptr && *flag == json(true))
    ctx.note("isPushNotificationSupported true for an unsupported token type (AMB-23 lenient)");
}

TIGRESS_CASE(kRelay, "6.1/configuration-without-expiration", "6.1", kExpiry, kMust, ({"MBX-CREATE-09"}),
             "a mailboxConfiguration without expiration is refused (or given the default lifetime)") {
  // AMB-12: "Required" inside the object [S] 400; the relay default [L] 200, then Read shows a
  // future expiration.
  ctx.control_create();
  for (const json& configuration : {json{{"accessRights", "RWD"}}, json::object()}) {
    auto body = ctx.create_body();
    body["mailboxConfiguration"] = configuration;
    const std::string initiator = ctx.uuid(), what = "CreateMailbox with mailboxConfiguration " + configuration.dump();
    auto created = ctx.create(initiator, body);
    if (!ctx.check_status(created, ctx.accepted_statuses("AMB-12"), what)) continue;
    if (created.status == 400) {
      ctx.reading(what + " refused with 400 (AMB-12 strict)");
      continue;
    }
    ctx.reading(what + " accepted (AMB-12 lenient)");
    auto box = checks::mailbox_from(ctx, created, initiator, body);
    auto read = exchange::read_body(ctx, box, initiator, "READ(I)");
    auto expiration = read.is_object() ? codec::parse_rfc3339(read.value("expiration", ""))
                                       : Result<codec::UnixSeconds>(make_error("no body"));
    ctx.check(expiration && *expiration > ctx.now(), "READ(I): no future expiration");
  }
}

TIGRESS_CASE(kRelay, "6.1/expiration-forms", "6.1", kExpiry, kMust, ({"MBX-CREATE-09", "MBX-EXP-03"}),
             "a date-only expiration is refused; an offset date-time is stored as UTC (or refused)") {
  // MBX-CREATE-09 / AMB-15: "2030-01-01" → 400. An RFC 3339 offset → [S] 200 and Read shows
  // the same instant in the Z form; [L] 400. A relay that clamps lifetimes may show an earlier
  // instant (AMB-14).
  ctx.control_create();
  const codec::UnixSeconds instant = ctx.now() + 7200;
  const std::string day = codec::format_timestamp(instant).substr(0, 10);
  ctx.check_status(ctx.create(ctx.uuid(),
                              [&] {
                                auto body = ctx.create_body();
                                body["mailboxConfiguration"]["expiration"] = day;
                                return body;
                              }()),
                   {400}, "CreateMailbox with expiration \"" + day + "\"");
  for (const auto& [offset, seconds] :
       {std::pair{std::string("+01:00"), 3600}, std::pair{std::string("-05:30"), -19800}}) {
    std::string local = codec::format_timestamp(instant + seconds);
    local = local.substr(0, local.size() - 1) + offset;
    auto body = ctx.create_body();
    body["mailboxConfiguration"]["expiration"] = local;
    const std::string initiator = ctx.uuid(), what = "CreateMailbox with expiration \"" + local + "\"";
    auto created = ctx.create(initiator, body);
    if (!ctx.check_status(created, ctx.accepted_statuses("AMB-15"), what)) continue;
    if (created.status == 400) {
      ctx.reading(what + " refused (AMB-15 lenient: Z form only)");
      continue;
    }
    auto box = checks::mailbox_from(ctx, created, initiator, body);
    auto read = exchange::read_body(ctx, box, initiator, "READ(I)");
    auto shown = checks::read_expiration(read);
    if (!ctx.check(shown.has_value(), "READ(I): expiration is not in the Z form")) continue;
    ctx.check(*shown <= instant && *shown > ctx.now(), "READ(I) shows " + codec::format_timestamp(*shown) + " for " +
                                                           local + " (expected " + codec::format_timestamp(instant) +
                                                           ")");
    if (*shown < instant) ctx.note("expiration shortened to " + codec::format_timestamp(*shown) + " (AMB-14)");
  }
}

TIGRESS_CASE(kRelay, "6.1/access-rights-valid", "6.1", kAntiReplay, kMust, ({"MBX-CREATE-10"}),
             "every combination of R, W and D is accepted, in any order") {
  for (const char* rights : {"RWD", "RD", "DWR", "RW", "WD", "R", "W", "D"}) {
    ctx.check_status(ctx.create(ctx.uuid(), ctx.create_body(rights)), {200},
                     std::string("CreateMailbox with accessRights \"") + rights + "\"");
  }
}

TIGRESS_CASE(kRelay, "6.1/access-rights-invalid", "6.1", kAntiReplay, kMust, ({"MBX-CREATE-10"}),
             "accessRights outside the R/W/D syntax are refused (or read leniently)") {
  // AMB-11: [S] 400 for "", unknown letters, lower case, repetition; [L] 200 (empty = default,
  // case-insensitive, unknown letters and repeats ignored).
  ctx.control_create();
  for (const char* rights : {"", "X", "rw", "RRW", "RWDX", "R W"}) {
    auto created = ctx.create(ctx.uuid(), ctx.create_body(rights));
    const std::string what = std::string("CreateMailbox with accessRights \"") + rights + "\"";
    if (!ctx.check_status(created, ctx.accepted_statuses("AMB-11"), what)) continue;
    if (created.status == 200) ctx.reading(what + " accepted (AMB-11 lenient)");
  }
}

TIGRESS_CASE(kRelay, "6.1/unknown-members-tolerated", "6.1", kMessageFormat, kAdvisory, ({"MBX-CREATE-14"}),
             "unknown members in the body are ignored (or refused with 400)") {
  // AMB-59: ignored [S]; 400 [L]. Extension members are how the protocol can grow.
  ctx.control_create();
  auto body = ctx.create_body();
  body["x-extension"] = 1;
  body["displayInformation"]["x-locale"] = "de-CH";
  body["mailboxConfiguration"]["x-policy"] = {{"maxReaders", 1}};
  const std::string initiator = ctx.uuid();
  auto created = ctx.create(initiator, body);
  ctx.check_status(created, ctx.accepted_statuses("AMB-59"), "CreateMailbox with unknown members");
  if (created.status != 200) {
    if (created.status == 400) ctx.reading("unknown members refused with 400 (AMB-59 lenient)");
    return;
  }
  auto box = checks::mailbox_from(ctx, created, initiator, body);
  exchange::reads_payload(ctx, box, initiator, body["payload"], "READ(I)");
}

TIGRESS_CASE(kRelay, "6.1/client-chosen-identifier-ignored", "6.1", kAntiReplay, kMust,
             ({"MBX-CREATE-11", "MBX-ID-01"}),
             "a mailboxIdentifier in the body does not choose the mailbox identifier") {
  // 4.1/6.1: the relay generates identifiers. Letting a client pick one would let it squat on or
  // predict another transfer's mailbox. [S] ignored (200, another id); [L] 400.
  ctx.control_create();
  const std::string chosen = ctx.uuid(), initiator = ctx.uuid();
  auto body = ctx.create_body();
  body["mailboxIdentifier"] = chosen;
  auto created = ctx.create(initiator, body);
  ctx.check_status(created, {200, 400}, "CreateMailbox with mailboxIdentifier");
  if (created.status == 200) {
    auto box = checks::mailbox_from(ctx, created, initiator, body);
    ctx.check(checks::lower(box.id) != checks::lower(chosen), "the relay used the client-chosen identifier");
  } else if (created.status == 400) {
    ctx.reading("mailboxIdentifier refused with 400 (lenient)");
  }
  MailboxRef squatted;
  squatted.id = chosen;
  squatted.path = ctx.mailbox_path(chosen);
  ctx.check_status(ctx.read(squatted, initiator), {404}, "READ at the chosen identifier");
}

TIGRESS_CASE(kRelay, "6.1/unparseable-body", "6.1", kMessageFormat, kMust, ({"MBX-GEN-09", "MBX-CREATE-13"}),
             "bodies that are not a JSON object are refused with 400") {
  ctx.control(checks::request("POST", ctx.collection_path(),
                              {{"Mailbox-Device-Claim", ctx.uuid()},
                               {"Mailbox-Request-ID", ctx.uuid()},
                               {"Content-Type", "application/json"}},
                              ctx.create_body().dump()),
              "CreateMailbox with a valid JSON body");
  for (const std::string& text : {std::string("{"), std::string(""), std::string("null"), std::string("[]"),
                                  std::string("\"payload\""), std::string("{\"payload\":"), std::string("{} {}")}) {
    auto response = exchange::create_raw(ctx,
                                         {{"Mailbox-Device-Claim", ctx.uuid()},
                                          {"Mailbox-Request-ID", ctx.uuid()},
                                          {"Content-Type", "application/json"}},
                                         text);
    ctx.check_status(response, {400}, "CreateMailbox with body " + json(text).dump());
  }
}

TIGRESS_CASE(kRelay, "6.1/content-type-not-json", "6.1", kMessageFormat, kMust, ({"MBX-GEN-08"}),
             "a valid body under another or no Content-Type is refused with 415 (or 400, or taken)") {
  // 6.1.3 consumes application/json. AMB-28: [S] 415; [L] 400, or accept the JSON anyway.
  const std::string body = ctx.create_body().dump();
  ctx.control(checks::request("POST", ctx.collection_path(),
                              {{"Mailbox-Device-Claim", ctx.uuid()},
                               {"Mailbox-Request-ID", ctx.uuid()},
                               {"Content-Type", "application/json"}},
                              body),
              "CreateMailbox of the same body as application/json");
  for (const std::string& type : {std::string("text/plain"), std::string("application/x-www-form-urlencoded")}) {
    check_media_type_refusal(
        ctx,
        exchange::create_raw(
            ctx, {{"Mailbox-Device-Claim", ctx.uuid()}, {"Mailbox-Request-ID", ctx.uuid()}, {"Content-Type", type}},
            body),
        "CreateMailbox as " + type);
  }
  check_media_type_refusal(
      ctx, exchange::create_raw(ctx, {{"Mailbox-Device-Claim", ctx.uuid()}, {"Mailbox-Request-ID", ctx.uuid()}}, body),
      "CreateMailbox without Content-Type");
}

TIGRESS_CASE(kRelay, "6.1/default-configuration", "6.1", kAntiReplay, kMust, ({"MBX-CREATE-08", "MBX-ACL-01"}),
             "without mailboxConfiguration: a future expiration and the default rights R and D") {
  // 6.1.5: the relay applies its default configuration; the default rights are "RD", so the
  // initiator cannot update (AMB-10: 401 [S], 403/405 [L]) but can read and delete.
  auto box = ctx.create_mailbox(ctx.create_body(std::nullopt, std::nullopt));
  ctx.control_update(ctx.create_mailbox(ctx.create_body("RWD")));  // the update refused below, where W is granted
  auto read = exchange::read_body(ctx, box, box.initiator, "READ(I)");
  auto expiration = read.is_object() ? codec::parse_rfc3339(read.value("expiration", ""))
                                     : Result<codec::UnixSeconds>(make_error("no body"));
  ctx.check(expiration && *expiration > ctx.now(), "READ(I): no future expiration");
  ctx.check_status(ctx.update(box, box.initiator, {{"payload", ctx.payload()}}), exchange::right_missing(ctx),
                   "UPDATE(I) under the default rights (no W)");
  exchange::reads_payload(ctx, box, box.initiator, box.created["payload"], "READ(I): payload unchanged");
  ctx.check_status(ctx.remove(box, box.initiator), {200}, "DELETE(I) under the default rights");
}

TIGRESS_CASE(kRelay, "6.1/configuration-without-access-rights", "6.1", kAntiReplay, kMust,
             ({"MBX-ACL-01", "MBX-CREATE-10"}),
             "a mailboxConfiguration without accessRights gets the default rights R and D") {
  auto box = ctx.create_mailbox(ctx.create_body(std::nullopt, 3600));
  ctx.control_update(ctx.create_mailbox(ctx.create_body("RWD")));  // the updates refused below, where W is granted
  const std::string r1 = ctx.bind_recipient(box);
  ctx.check_status(ctx.update(box, box.initiator, {{"payload", ctx.payload()}}), exchange::right_missing(ctx),
                   "UPDATE(I) without W");
  ctx.check_status(ctx.update(box, r1, {{"payload", ctx.payload()}}), exchange::right_missing(ctx),
                   "UPDATE(R1) without W");
  exchange::reads_payload(ctx, box, r1, box.created["payload"], "READ(R1): payload unchanged");
  ctx.check_status(ctx.remove(box, r1), {200}, "DELETE(R1) with the default D");
}

TIGRESS_CASE(kRelay, "6.1/creation-binds-initiator", "6.1", kAntiReplay, kMust, ({"MBX-CREATE-12", "MBX-BIND-03"}),
             "the creating claim is bound as initiator: it writes before any read and never takes the recipient slot") {
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const json p1 = {{"payload", ctx.payload(52)}};
  ctx.check_status(ctx.update(box, box.initiator, p1), {200}, "UPDATE(I) before anyone read");
  exchange::reads_payload(ctx, box, box.initiator, p1["payload"], "READ(I)");
  exchange::reads_payload(ctx, box, box.initiator, p1["payload"], "READ(I) again");
  const std::string r1 = ctx.uuid();
  exchange::reads_payload(ctx, box, r1, p1["payload"], "READ(R1): the slot was free");
  ctx.check_status(ctx.read(box, ctx.uuid()), checks::refused(ctx), "READ(R2): R1 is the recipient");
  ctx.check_status(ctx.read(box, box.initiator), {200}, "READ(I) after R1 bound");
}

}  // namespace tigress::conformance
