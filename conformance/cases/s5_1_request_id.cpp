// Draft section 5.1, Mailbox-Request-ID: every response echoes the request's value, and the relay
// keeps the last successfully processed value per device claim so that a retried request (same
// claim, same value) answers 201 and executes nothing (6.1.6, 6.2.6, 6.6.3). Digest rows
// MBX-RID-01..13; ambiguities AMB-02 (missing header), AMB-03 (duplicate body), AMB-04
// (duplicate delete), AMB-05 (echo on errors), AMB-06 (reads), AMB-40 (value syntax), AMB-41
// (only the immediate retry of an identical request is tested), AMB-42, AMB-43.
#include "conformance/cases/exchange_checks.hpp"
#include "conformance/cases/relay_checks.hpp"
#include "conformance/framework/case_context.hpp"

namespace tigress::conformance {
namespace {

using exchange::check_echo;
using exchange::reads_payload;

// The urlLink of a Create response, "" when there is none.
std::string url_link_of(const harness::HttpResponse& response) {
  auto json = nlohmann::json::parse(response.body, nullptr, false);
  if (!json.is_object() || !json.contains("urlLink") || !json["urlLink"].is_string()) return "";
  return json["urlLink"].get<std::string>();
}

}  // namespace

// ---- echo (MBX-RID-03) ------------------------------------------------------------------------

TIGRESS_CASE(kRelay, "5.1/echo-create", "5.1", kMessageFormat, kMust, ({"MBX-RID-03"}),
             "CreateMailbox echoes Mailbox-Request-ID") {
  const std::string request_id = ctx.uuid();
  auto created = ctx.create(ctx.uuid(), ctx.create_body(), request_id);
  ctx.check_status(created, {200}, "CreateMailbox");
  check_echo(ctx, created, request_id, true, "CreateMailbox");
}

TIGRESS_CASE(kRelay, "5.1/echo-update", "5.1", kMessageFormat, kMust, ({"MBX-RID-03"}),
             "UpdateMailbox echoes Mailbox-Request-ID") {
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string request_id = ctx.uuid();
  auto updated = ctx.update(box, box.initiator, {{"payload", ctx.payload()}}, request_id);
  ctx.check_status(updated, {200}, "UPDATE(I)");
  check_echo(ctx, updated, request_id, true, "UPDATE(I)");
}

TIGRESS_CASE(kRelay, "5.1/echo-delete", "5.1", kMessageFormat, kMust, ({"MBX-RID-03"}),
             "DeleteMailbox echoes Mailbox-Request-ID") {
  auto box = ctx.create_mailbox();
  const std::string request_id = ctx.uuid();
  auto removed = ctx.remove(box, box.initiator, request_id);
  ctx.check_status(removed, {200}, "DELETE(I)");
  check_echo(ctx, removed, request_id, true, "DELETE(I)");
}

TIGRESS_CASE(kRelay, "5.1/echo-relinquish", "5.1", kMessageFormat, kMust, ({"MBX-RID-03"}),
             "RelinquishMailbox echoes Mailbox-Request-ID") {
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.bind_recipient(box), request_id = ctx.uuid();
  auto relinquished = ctx.relinquish(box, r1, request_id);
  ctx.check_status(relinquished, {200}, "RELINQ(R1)");
  check_echo(ctx, relinquished, request_id, true, "RELINQ(R1)");
}

TIGRESS_CASE(kRelay, "5.1/echo-read", "5.1", kMessageFormat, kMust, ({"MBX-RID-03"}),
             "ReadSecureContentFromMailbox echoes a Mailbox-Request-ID it was sent") {
  // 6.5 does not list the header, but 5.1 makes "the corresponding response" echo whatever a
  // request carried (MBX-RID-03: "READ: echo when sent").
  auto box = ctx.create_mailbox();
  const std::string request_id = ctx.uuid();
  auto read = ctx.read(box, ctx.uuid(), "", request_id);
  ctx.check_status(read, {200}, "READ(R1)");
  check_echo(ctx, read, request_id, true, "READ(R1)");
}

TIGRESS_CASE(kRelay, "5.1/echo-on-errors", "5.1", kMessageFormat, kMust, ({"MBX-RID-03"}),
             "error responses echo Mailbox-Request-ID, or omit it, but never carry another value") {
  // AMB-05: echo on every response [S]; on 2xx only [L], which is noted. A wrong value is a
  // violation either way: the client would match it against another request.
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string r1 = ctx.bind_recipient(box);
  struct Attempt {
    std::string what, id;
    harness::HttpResponse response;
  };
  std::vector<Attempt> attempts;
  auto add = [&](const std::string& what, auto&& send) {
    const std::string id = ctx.uuid();
    attempts.push_back({what, id, send(id)});
  };
  add("CreateMailbox with body {", [&](const std::string& id) {
    return exchange::create_raw(
        ctx, {{"Mailbox-Device-Claim", ctx.uuid()}, {"Mailbox-Request-ID", id}, {"Content-Type", "application/json"}},
        "{");
  });
  add("UPDATE by a stranger", [&](const std::string& id) {
    return ctx.update(box, ctx.uuid(), {{"payload", ctx.payload()}}, id);
  });
  add("READ by a second recipient", [&](const std::string& id) { return ctx.read(box, ctx.uuid(), "", id); });
  add("DELETE of an unknown mailbox",
      [&](const std::string& id) { return ctx.remove(checks::unknown_like(ctx, box), r1, id); });
  add("RELINQ by a stranger", [&](const std::string& id) { return ctx.relinquish(box, ctx.uuid(), id); });
  for (const auto& attempt : attempts) {
    if (!ctx.check(attempt.response.status >= 400 && attempt.response.status < 500,
                   attempt.what + ": expected a 4xx, got " + std::to_string(attempt.response.status))) {
      continue;
    }
    check_echo(ctx, attempt.response, attempt.id, false, attempt.what);
  }
}

TIGRESS_CASE(kRelay, "5.1/non-uuid-request-id", "5.1", kMessageFormat, kMust, ({"MBX-RID-03", "MBX-RID-02"}),
             "a Request-ID that is not a UUID is processed and echoed (or refused with 400)") {
  // AMB-40: the value SHOULD be a UUID (a client duty); the relay takes any sane value [S] or
  // refuses non-UUIDs with 400 [L]. Either way the response echoes what was sent.
  ctx.control_create();
  const std::string request_id = "retry-7/" + ctx.random_base64(9);
  auto created = ctx.create(ctx.uuid(), ctx.create_body(), request_id);
  const bool accepted = ctx.check_status(created, ctx.accepted_statuses("AMB-40"),
                                         "CreateMailbox with Request-ID \"" + request_id + "\"");
  if (accepted && created.status == 400) ctx.reading("non-UUID Request-ID refused with 400 (AMB-40 lenient)");
  check_echo(ctx, created, request_id, created.status == 200, "CreateMailbox");
}

// ---- duplicates (MBX-RID-06..10) ----------------------------------------------------------------

TIGRESS_CASE(kRelay, "5.1/duplicate-create", "5.1", kAntiReplay, kMust, ({"MBX-RID-07", "MBX-RID-06"}),
             "a repeated CreateMailbox (same claim and Request-ID) answers 201 and creates nothing") {
  // 6.1.6 (SHALL, AMB-49): 201 for the duplicate. AMB-03: a urlLink in the 201, if present, is
  // the original one; a different one means a second mailbox was created.
  const std::string initiator = ctx.uuid(), request_id = ctx.uuid();
  const auto body = ctx.create_body();
  auto first = ctx.create(initiator, body, request_id);
  if (!ctx.check_status(first, {200}, "first CreateMailbox")) return;
  auto box = checks::mailbox_from(ctx, first, initiator, body);
  auto second = ctx.create(initiator, body, request_id);
  ctx.check_status(second, {201}, "the same CreateMailbox repeated");
  const std::string link = url_link_of(second);
  if (link.empty()) {
    ctx.note("the duplicate's 201 carries no urlLink (AMB-03 lenient)");
  } else {
    ctx.check(link == box.url_link, "the duplicate returned another urlLink: a second mailbox");
  }
  check_echo(ctx, second, request_id, true, "the duplicate CreateMailbox");
  reads_payload(ctx, box, initiator, body["payload"], "READ(I) of the original mailbox");
}

TIGRESS_CASE(kRelay, "5.1/duplicate-update", "5.1", kAntiReplay, kMust, ({"MBX-RID-08", "MBX-RID-06"}),
             "a repeated UpdateMailbox answers 201, its body ignored, the payload unchanged") {
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string request_id = ctx.uuid();
  const nlohmann::json p1 = {{"payload", ctx.payload(40)}}, p2 = {{"payload", ctx.payload(56)}};
  if (!ctx.check_status(ctx.update(box, box.initiator, p1, request_id), {200}, "UPDATE(I,U1,p1)")) return;
  auto again = ctx.update(box, box.initiator, p2, request_id);
  ctx.check_status(again, {201}, "UPDATE(I,U1,p2): a duplicate");
  check_echo(ctx, again, request_id, true, "the duplicate UPDATE");
  reads_payload(ctx, box, box.initiator, p1["payload"], "READ(I) after the duplicate");
}

TIGRESS_CASE(kRelay, "5.1/duplicate-relinquish", "5.1", kAntiReplay, kMust, ({"MBX-RID-09", "MBX-RID-06"}),
             "a repeated RelinquishMailbox answers 201 (or 401) and does not unbind the next recipient") {
  // AMB-42: the duplicate check comes before authorisation [S] 201; after it [L] 401 because R1
  // is no longer bound. R2 bound in between: a relinquish executed again would free R2's slot.
  // The first RELINQ(R1,U) is the positive control: the same request, not yet repeated.
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.bind_recipient(box), request_id = ctx.uuid();
  ctx.control(ctx.relinquish_request(box, r1, request_id), "RELINQ(R1,U) the first time");
  const std::string r2 = ctx.uuid();
  if (!ctx.check_status(ctx.read(box, r2), {200}, "READ(R2) after R1 relinquished")) return;
  auto again = ctx.relinquish(box, r1, request_id);
  const bool accepted = ctx.check_status(again, ctx.accepted_statuses("AMB-42"), "RELINQ(R1,U) repeated");
  if (accepted && again.status == 401)
    ctx.reading("duplicate relinquish answered 401 (AMB-42 lenient: authorisation first)");
  ctx.check_status(ctx.read(box, r2), {200}, "READ(R2): still the recipient");
  ctx.check_status(ctx.read(box, ctx.uuid()), checks::refused(ctx), "READ(R3): the slot must not have been freed");
}

TIGRESS_CASE(kRelay, "5.1/duplicate-delete", "5.1", kAntiReplay, kMust, ({"MBX-RID-10"}),
             "a repeated DeleteMailbox finds no mailbox: 404 (or 201/200)") {
  // AMB-04: 6.3.3 names 404 for a mailbox already deleted by a duplicate [S]; the 5.1 duplicate
  // answer 201, or a plain 200, [L]. Nothing may come back to life. The first DELETE(I,U) is
  // the positive control: the same request, not yet repeated.
  auto box = ctx.create_mailbox();
  const std::string request_id = ctx.uuid();
  ctx.control(ctx.remove_request(box, box.initiator, request_id), "DELETE(I,U) the first time");
  auto again = ctx.remove(box, box.initiator, request_id);
  if (ctx.check_status(again, ctx.accepted_statuses("AMB-04"), "DELETE(I,U) repeated")) {
    ctx.reading("duplicate delete answered " + std::to_string(again.status) +
                (again.status == 404 ? " (AMB-04 strict)" : " (AMB-04 lenient)"));
  }
  ctx.check_status(ctx.read(box, box.initiator), checks::gone(ctx), "READ(I) after the deletes");
}

TIGRESS_CASE(kRelay, "5.1/new-id-after-duplicate", "5.1", kAntiReplay, kMust, ({"MBX-RID-11", "MBX-RID-07"}),
             "after a duplicate, a new Request-ID from the same claim is processed normally") {
  // Create: U1, U1 (duplicate), U2 → a second, different mailbox. Update: U1, U1, U2 → stored.
  const std::string initiator = ctx.uuid(), u1 = ctx.uuid();
  const auto body = ctx.create_body("RWD");
  auto first = ctx.create(initiator, body, u1);
  if (!ctx.check_status(first, {200}, "CreateMailbox(I,U1)")) return;
  auto box = checks::mailbox_from(ctx, first, initiator, body);
  ctx.check_status(ctx.create(initiator, body, u1), {201}, "CreateMailbox(I,U1) repeated");
  auto fresh = ctx.create(initiator, body, ctx.uuid());
  if (ctx.check_status(fresh, {200}, "CreateMailbox(I,U2)")) {
    const std::string link = url_link_of(fresh);
    ctx.check(!link.empty() && link != box.url_link, "CreateMailbox(I,U2) did not create another mailbox");
  }
  const std::string v1 = ctx.uuid();
  const nlohmann::json p1 = {{"payload", ctx.payload(36)}}, p2 = {{"payload", ctx.payload(52)}};
  ctx.check_status(ctx.update(box, initiator, p1, v1), {200}, "UPDATE(I,V1,p1)");
  ctx.check_status(ctx.update(box, initiator, p1, v1), {201}, "UPDATE(I,V1,p1) repeated");
  ctx.check_status(ctx.update(box, initiator, p2, ctx.uuid()), {200}, "UPDATE(I,V2,p2)");
  reads_payload(ctx, box, initiator, p2["payload"], "READ(I) after V2");
}

TIGRESS_CASE(kRelay, "5.1/duplicates-keyed-by-claim", "5.1", kAntiReplay, kMust, ({"MBX-RID-12"}),
             "the same Request-ID from another claim is a new request, not a duplicate") {
  const std::string request_id = ctx.uuid();
  const auto body = ctx.create_body();
  auto first = ctx.create(ctx.uuid(), body, request_id);
  auto second = ctx.create(ctx.uuid(), body, request_id);
  if (!ctx.check_status(first, {200}, "CreateMailbox(I1,U)")) return;
  if (!ctx.check_status(second, {200}, "CreateMailbox(I2,U) by another claim")) return;
  const std::string l1 = url_link_of(first), l2 = url_link_of(second);
  ctx.check(!l1.empty() && !l2.empty() && l1 != l2, "two claims with one Request-ID got the same mailbox");
}

TIGRESS_CASE(kRelay, "5.1/failed-update-not-recorded", "5.1", kAntiReplay, kMust, ({"MBX-RID-13"}),
             "an Update that failed with 4xx is processed afresh when retried with the same Request-ID") {
  // AMB-43: only successfully processed IDs are stored. The control: a valid UPDATE(I).
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control_update(box);
  const std::string request_id = ctx.uuid();
  ctx.check_status(ctx.update(box, box.initiator, nlohmann::json::object(), request_id), {400}, "UPDATE(I,U,{})");
  const nlohmann::json p1 = {{"payload", ctx.payload(44)}};
  ctx.check_status(ctx.update(box, box.initiator, p1, request_id), {200}, "UPDATE(I,U,p1) after the failure");
  reads_payload(ctx, box, box.initiator, p1["payload"], "READ(I)");
}

TIGRESS_CASE(kRelay, "5.1/failed-create-not-recorded", "5.1", kAntiReplay, kMust, ({"MBX-RID-13", "MBX-RID-07"}),
             "a Create that failed with 4xx is processed afresh when retried with the same Request-ID") {
  // AMB-43. A relay that recorded the failure would answer 201 and the client would never get
  // its urlLink. The control: a valid CreateMailbox.
  ctx.control_create();
  const std::string initiator = ctx.uuid(), request_id = ctx.uuid();
  auto invalid = ctx.create_body();
  invalid.erase("payload");
  ctx.check_status(ctx.create(initiator, invalid, request_id), {400}, "CreateMailbox(I,U) without payload");
  auto retried = ctx.create(initiator, ctx.create_body(), request_id);
  ctx.check_status(retried, {200}, "CreateMailbox(I,U) corrected");
  ctx.check(!url_link_of(retried).empty(), "the corrected CreateMailbox returned no urlLink");
}

TIGRESS_CASE(kRelay, "5.1/missing-request-id", "5.1", kRobustness, kMust, ({"MBX-RID-01", "MBX-RID-03"}),
             "without Mailbox-Request-ID a request is refused with 400 or processed, never 5xx, never echoed") {
  // AMB-02: the suite does not require rejection; it requires no 5xx and no invented echo. The
  // controls: the same four requests with a Request-ID (relinquish and delete on another mailbox).
  ctx.control_create();
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string r1 = ctx.bind_recipient(box);
  ctx.control_update(box);
  const MailboxRef spare = ctx.create_mailbox();
  ctx.control(ctx.relinquish_request(spare, ctx.bind_recipient(spare)),
              "RELINQ(R1) of another mailbox with a Request-ID");
  ctx.control(ctx.remove_request(spare, spare.initiator), "DELETE(I) of another mailbox with a Request-ID");
  const std::pair<std::string, harness::HttpResponse> attempts[] = {
      {"CreateMailbox", ctx.create(ctx.uuid(), ctx.create_body(), "")},
      {"UPDATE(I)", ctx.update(box, box.initiator, {{"payload", ctx.payload()}}, "")},
      {"RELINQ(R1)", ctx.relinquish(box, r1, "")},
      {"DELETE(I)", ctx.remove(box, box.initiator, "")}};
  for (const auto& [what, response] : attempts) {
    ctx.check(response.status == 400 || checks::is_success(response.status),
              what + " without Request-ID: got " + std::to_string(response.status) + ", expected 400 or 2xx");
    ctx.check(response.header_count("Mailbox-Request-ID") == 0,
              what + " without Request-ID: the response invents one (\"" +
                  response.header("Mailbox-Request-ID").value_or("") + "\")");
    ctx.reading(what + " without Request-ID answered " + std::to_string(response.status) + " (AMB-02)");
  }
}

TIGRESS_CASE(kRelay, "5.1/read-not-a-duplicate", "5.1", kAntiReplay, kMust,
             ({"MBX-READ-11", "MBX-RID-06", "MBX-RID-08"}),
             "reads always return content and do not displace the claim's last recorded request") {
  // AMB-06 [S]: a read is never a duplicate and never recorded, so an Update retried after a
  // read is still the duplicate (201). [L]: a relay that runs reads through the duplicate store
  // may answer a repeated read 201, but only with the full body, and then the retried Update
  // looks new (200): noted.
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string u1 = ctx.uuid(), u2 = ctx.uuid();
  const nlohmann::json p1 = {{"payload", ctx.payload(40)}};
  if (!ctx.check_status(ctx.update(box, box.initiator, p1, u1), {200}, "UPDATE(I,U1,p1)")) return;
  for (int attempt = 1; attempt <= 2; ++attempt) {
    const std::string what = "READ(I,U2) #" + std::to_string(attempt);
    auto read = ctx.read(box, box.initiator, "", u2);
    if (!ctx.check_status(read, ctx.accepted_statuses("AMB-06"), what)) continue;
    if (read.status == 201) ctx.note(what + " answered 201 (AMB-06 lenient)");
    ctx.check(!read.body.empty(), what + " answered " + std::to_string(read.status) + " without a body");
    exchange::payload_is(ctx, ctx.json_body(read, what), p1["payload"], what);
  }
  auto retried = ctx.update(box, box.initiator, p1, u1);
  ctx.check_status(retried, {201, 200}, "UPDATE(I,U1,p1) retried after the reads");
  if (retried.status == 200) ctx.note("the reads displaced the recorded Update (AMB-06 lenient)");
  reads_payload(ctx, box, box.initiator, p1["payload"], "READ(I) at the end");
}

}  // namespace tigress::conformance
