// Draft section 6.2, UpdateMailbox: PUT /v1/m/{id} by a bound party with the W right replaces
// the stored payload (6.2.5) and answers 200 with isPushNotificationSupported (6.2.6); 400 for
// an unparseable body, 401 for a wrong claim, 404 for an unknown mailbox. Digest rows
// MBX-UPDATE-01..10, MBX-ACL-01/02/05, MBX-DES-03; ambiguities AMB-09 (overwrite), AMB-10
// (status for a missing right), AMB-28, AMB-34 (binding only on Read), AMB-58.
#include "conformance/cases/exchange_checks.hpp"
#include "conformance/cases/relay_checks.hpp"
#include "conformance/framework/case_context.hpp"
#include "reference/codec/json_in_place.hpp"

namespace tigress::conformance {
namespace {

using exchange::reads_payload;
using nlohmann::json;

json update_body(CaseContext& ctx, std::size_t bytes = 64) { return {{"payload", ctx.payload(bytes)}}; }

}  // namespace

TIGRESS_CASE(kRelay, "6.2/update-200", "6.2", kMessageFormat, kMust, ({"MBX-UPDATE-01", "MBX-UPDATE-03"}),
             "an update by the initiator answers 200 application/json with a boolean isPushNotificationSupported") {
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  auto updated = ctx.update(box, box.initiator, update_body(ctx));
  if (!ctx.check_status(updated, {200}, "UPDATE(I)")) return;
  ctx.check(checks::media_type(updated) == "application/json",
            "Content-Type is \"" + updated.header("Content-Type").value_or("") + "\"");
  auto body = ctx.json_body(updated, "UPDATE(I)");
  ctx.check(body.is_object() && body.contains("isPushNotificationSupported") &&
                body["isPushNotificationSupported"].is_boolean(),
            "UPDATE(I): isPushNotificationSupported missing or not a boolean");
}

TIGRESS_CASE(kRelay, "6.2/replaces-payload", "6.2", kMessageFormat, kMust, ({"MBX-UPDATE-02"}),
             "after an update both parties read the new payload, type and data identical") {
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string r1 = ctx.bind_recipient(box);
  json p1 = update_body(ctx, 80);
  p1["payload"]["type"] = "AEAD_AES_256_GCM";
  if (!ctx.check_status(ctx.update(box, box.initiator, p1), {200}, "UPDATE(I,p1)")) return;
  reads_payload(ctx, box, box.initiator, p1["payload"], "READ(I)");
  reads_payload(ctx, box, r1, p1["payload"], "READ(R1)");
}

TIGRESS_CASE(kRelay, "6.2/empty-body-400", "6.2", kMessageFormat, kMust, ({"MBX-UPDATE-04", "MBX-GEN-09"}),
             "an update with body {} is refused with 400 and changes nothing") {
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control_update(box);
  ctx.check_status(ctx.update(box, box.initiator, json::object()), {400}, "UPDATE(I) with {}");
  reads_payload(ctx, box, box.initiator, box.created["payload"], "READ(I): payload unchanged");
}

TIGRESS_CASE(kRelay, "6.2/incomplete-payload-400", "6.2", kMessageFormat, kMust, ({"MBX-UPDATE-04", "MBX-GEN-09"}),
             "a payload without data or type, or of the wrong type, is refused with 400") {
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control_update(box);
  const json bodies[] = {{{"payload", {{"type", "AEAD_AES_128_GCM"}}}},
                         {{"payload", {{"data", ctx.random_base64(40)}}}},
                         {{"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", 12}}}},
                         {{"payload", nullptr}},
                         {{"payload", json::array()}},
                         {{"notificationToken", checks::token(ctx.random_base64(20))}}};
  for (const auto& body : bodies) {
    ctx.check_status(ctx.update(box, box.initiator, body), {400}, "UPDATE(I) with " + body.dump());
  }
  reads_payload(ctx, box, box.initiator, box.created["payload"], "READ(I): payload unchanged");
}

TIGRESS_CASE(kRelay, "6.2/unparseable-body", "6.2", kMessageFormat, kMust, ({"MBX-GEN-09"}),
             "an update whose body is not JSON is refused with 400") {
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control_update(box);
  for (const std::string& text : {std::string("{"), std::string(""), std::string("[1,2]")}) {
    auto response = ctx.send(checks::request("PUT", box.path,
                                             {{"Mailbox-Device-Claim", box.initiator},
                                              {"Mailbox-Request-ID", ctx.uuid()},
                                              {"Content-Type", "application/json"}},
                                             text));
    ctx.check_status(response, {400}, "UPDATE(I) with body " + json(text).dump());
  }
  reads_payload(ctx, box, box.initiator, box.created["payload"], "READ(I): payload unchanged");
}

TIGRESS_CASE(kRelay, "6.2/content-type-not-json", "6.2", kMessageFormat, kMust, ({"MBX-GEN-08"}),
             "an update under text/plain is refused with 415 (or 400, or taken as JSON)") {
  // 6.2.3 consumes application/json; AMB-28: [S] 415, [L] 400 or 200.
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control_update(box);
  const json body = update_body(ctx);
  auto response = ctx.send(checks::request(
      "PUT", box.path,
      {{"Mailbox-Device-Claim", box.initiator}, {"Mailbox-Request-ID", ctx.uuid()}, {"Content-Type", "text/plain"}},
      body.dump()));
  const bool accepted = ctx.check_status(response, ctx.accepted_statuses("AMB-28"), "UPDATE(I) as text/plain");
  if (accepted && response.status != 415)
    ctx.reading("UPDATE as text/plain answered " + std::to_string(response.status) + " (AMB-28 lenient)");
  reads_payload(ctx, box, box.initiator, response.status == 200 ? body["payload"] : box.created["payload"],
                "READ(I) after the text/plain update");
}

TIGRESS_CASE(kRelay, "6.2/stranger-refused", "6.2", kAntiReplay, kMust, ({"MBX-UPDATE-06", "MBX-BIND-02"}),
             "an update by a claim bound to nothing is refused and changes nothing") {
  // 6.2.6: 401 for a wrong claim [S]; 403 [L] (AMB-25). R1 is bound first so that the stranger
  // can be nobody but a stranger.
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control_update(box);
  const std::string r1 = ctx.bind_recipient(box);
  ctx.check_status(ctx.update(box, ctx.uuid(), update_body(ctx)), checks::refused(ctx), "UPDATE by a stranger");
  reads_payload(ctx, box, box.initiator, box.created["payload"], "READ(I): payload unchanged");
  reads_payload(ctx, box, r1, box.created["payload"], "READ(R1): payload unchanged");
}

TIGRESS_CASE(kRelay, "6.2/unknown-mailbox", "6.2", kMessageFormat, kMust, ({"MBX-UPDATE-07"}),
             "updating an unknown mailbox is 404") {
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.check_status(ctx.update(checks::unknown_like(ctx, box), box.initiator, update_body(ctx)), {404},
                   "UPDATE of a random UUID");
}

TIGRESS_CASE(kRelay, "6.2/unbound-claim-cannot-update", "6.2", kAntiReplay, kMust, ({"MBX-UPDATE-08", "MBX-BIND-01"}),
             "before anyone read, a new claim cannot update, and can still bind by reading afterwards") {
  // 4.1/AMB-34: binding happens only on Read; Update never binds.
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string r1 = ctx.uuid();
  ctx.check_status(ctx.update(box, r1, update_body(ctx)), checks::refused(ctx), "UPDATE(R1) before any read");
  reads_payload(ctx, box, r1, box.created["payload"], "READ(R1) afterwards: binds, payload unchanged");
  ctx.check_status(ctx.read(box, ctx.uuid()), checks::refused(ctx), "READ(R2): R1 is the recipient");
}

TIGRESS_CASE(kRelay, "6.2/recipient-update-reaches-initiator", "6.2", kMessageFormat, kMust,
             ({"MBX-UPDATE-09", "MBX-UPDATE-03"}),
             "the bound recipient's update is answered 200 and is what the initiator reads next") {
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string r1 = ctx.bind_recipient(box);
  const json reply = update_body(ctx, 96);
  auto updated = ctx.update(box, r1, reply);
  if (!ctx.check_status(updated, {200}, "UPDATE(R1)")) return;
  auto body = ctx.json_body(updated, "UPDATE(R1)");
  const json* flag = codec::json_in_place::member(body, "isPushNotificationSupported");
  ctx.check(flag != nullptr && flag->is_boolean(), "UPDATE(R1): isPushNotificationSupported missing or not a boolean");
  auto read = exchange::read_body(ctx, box, box.initiator, "READ(I)");
  exchange::payload_is(ctx, read, reply["payload"], "READ(I)");
  auto display = exchange::display_of(read);
  ctx.check(display.has_value() && *display == box.created["displayInformation"],
            "READ(I): displayInformation changed by the recipient's update");
}

TIGRESS_CASE(kRelay, "6.2/outside-schema-ignored", "6.2", kMessageFormat, kAdvisory, ({"MBX-UPDATE-10"}),
             "displayInformation and mailboxConfiguration in an update change nothing (or the update is refused)") {
  // AMB-58: members outside the 6.2.5 schema are ignored [S] (200, display and rights as
  // created), or refused [L] (400, nothing stored). Granting rights through an update would
  // turn an "RWD" mailbox into something its creator did not choose.
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control_update(box);
  const std::string r1 = ctx.bind_recipient(box);
  json update = update_body(ctx, 50);
  update["displayInformation"] = {
      {"title", "changed"}, {"description", "changed"}, {"imageURL", "https://changed.example/x.png"}};
  update["mailboxConfiguration"] = {{"accessRights", "R"}};
  auto updated = ctx.update(box, box.initiator, update);
  ctx.check_status(updated, ctx.accepted_statuses("AMB-58"),
                   "UPDATE(I) with displayInformation and mailboxConfiguration");
  if (updated.status == 400) ctx.reading("members outside the Update schema refused with 400 (AMB-58 lenient)");
  auto read = exchange::read_body(ctx, box, r1, "READ(R1)");
  exchange::payload_is(ctx, read, updated.status == 200 ? update["payload"] : box.created["payload"], "READ(R1)");
  auto display = exchange::display_of(read);
  ctx.check(display.has_value() && *display == box.created["displayInformation"],
            "READ(R1): displayInformation changed");
  // The W right from creation still holds: the update's "R" was not applied.
  ctx.check_status(ctx.update(box, r1, update_body(ctx)), {200}, "UPDATE(R1) afterwards: W still granted");
}

TIGRESS_CASE(kRelay, "6.2/back-to-back-updates", "6.2", kMessageFormat, kMust,
             ({"MBX-DES-03", "MBX-RID-11", "MBX-UPDATE-02"}),
             "one party may update twice in a row; both answer 200 and the last one wins") {
  // 3.3: no turn-taking. AMB-09: the API has a single payload slot, so the second update
  // overwrites the first [S]. A relay that queues, delivering p1 and then p2, keeps the
  // message the overwrite loses; the digest flags it rather than fails it: WARN (FAIL under
  // --strict). Both updates answer 200 either way.
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string r1 = ctx.bind_recipient(box);
  const json p1 = update_body(ctx, 40), p2 = update_body(ctx, 56);
  ctx.check_status(ctx.update(box, box.initiator, p1), {200}, "UPDATE(I,U1,p1)");
  ctx.check_status(ctx.update(box, box.initiator, p2), {200}, "UPDATE(I,U2,p2) right after");
  auto is = [](const json& body, const json& payload) {
    return body.is_object() && body.contains("payload") && checks::same_json(body["payload"], payload);
  };
  const json first = exchange::read_body(ctx, box, r1, "READ(R1)");
  if (!is(first, p1["payload"])) {
    exchange::payload_is(ctx, first, p2["payload"], "READ(R1)");
    reads_payload(ctx, box, box.initiator, p2["payload"], "READ(I)");
    return;
  }
  // p1 first: queued only if p2 follows; a relay that keeps p1 lost the later update.
  const json second = exchange::read_body(ctx, box, r1, "second READ(R1) after it returned p1");
  if (!ctx.check(is(second, p2["payload"]), "READ(R1) returned p1 and then not p2: the second update was lost")) return;
  ctx.warn("back-to-back updates are queued, not overwritten: READ(R1) returned p1, then p2 (AMB-09: flagged)");
}

TIGRESS_CASE(kRelay, "6.2/without-write-right", "6.2", kAntiReplay, kMust, ({"MBX-ACL-01", "MBX-ACL-05"}),
             "on an \"RD\" mailbox neither the initiator nor the bound recipient can update") {
  // 6.1.5: rights apply to initiator and recipient alike. AMB-10: 401 [S]; 403 or 405 [L].
  ctx.control_update(ctx.create_mailbox(ctx.create_body("RWD")));  // the same update where W is granted
  auto box = ctx.create_mailbox(ctx.create_body("RD"));
  ctx.check_status(ctx.update(box, box.initiator, update_body(ctx)), exchange::right_missing(ctx),
                   "UPDATE(I) without W");
  const std::string r1 = ctx.bind_recipient(box);
  ctx.check_status(ctx.update(box, r1, update_body(ctx)), exchange::right_missing(ctx), "UPDATE(R1) without W");
  reads_payload(ctx, box, box.initiator, box.created["payload"], "READ(I): payload unchanged");
  reads_payload(ctx, box, r1, box.created["payload"], "READ(R1): payload unchanged");
}

TIGRESS_CASE(kRelay, "6.2/with-write-right", "6.2", kAntiReplay, kMust, ({"MBX-ACL-02"}),
             "with W both bound parties update, whatever else the rights hold") {
  for (const char* rights : {"RWD", "RW"}) {
    auto box = ctx.create_mailbox(ctx.create_body(rights));
    const std::string r1 = ctx.bind_recipient(box), label = std::string(" on \"") + rights + "\"";
    ctx.check_status(ctx.update(box, box.initiator, update_body(ctx)), {200}, "UPDATE(I)" + label);
    const json reply = update_body(ctx, 72);
    ctx.check_status(ctx.update(box, r1, reply), {200}, "UPDATE(R1)" + label);
    reads_payload(ctx, box, box.initiator, reply["payload"], "READ(I)" + label);
  }
}

TIGRESS_CASE(kRelay, "6.2/notification-token-optional", "6.2", kMessageFormat, kShould, ({"MBX-UPDATE-05"}),
             "an update is accepted with or without a complete notificationToken") {
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string r1 = ctx.bind_recipient(box);
  ctx.check_status(ctx.update(box, box.initiator, update_body(ctx)), {200}, "UPDATE(I) with the payload only");
  json with_token = update_body(ctx, 48);
  with_token["notificationToken"] = checks::token(ctx.random_base64(32));
  ctx.check_status(ctx.update(box, r1, with_token), {200}, "UPDATE(R1) with {type, tokenData}");
  reads_payload(ctx, box, box.initiator, with_token["payload"], "READ(I)");
}

TIGRESS_CASE(kRelay, "6.2/update-keeps-binding", "6.2", kAntiReplay, kMust, ({"MBX-BIND-01", "MBX-UPDATE-01"}),
             "updates change the payload only: the recipient stays bound and the slot stays taken") {
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string r1 = ctx.bind_recipient(box);
  ctx.check_status(ctx.update(box, box.initiator, update_body(ctx)), {200}, "UPDATE(I)");
  ctx.check_status(ctx.update(box, r1, update_body(ctx)), {200}, "UPDATE(R1)");
  ctx.check_status(ctx.read(box, ctx.uuid()), checks::refused(ctx), "READ(R2) after the updates");
  ctx.check_status(ctx.read(box, r1), {200}, "READ(R1) after the updates");
}

}  // namespace tigress::conformance
