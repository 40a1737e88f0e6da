// Draft section 6.6, RelinquishMailbox: PATCH /v1/m/{id} lets the bound recipient give up its
// binding so that another recipient device can bind by reading. Digest rows MBX-RELINQ-01..07;
// ambiguities AMB-27 (PATCH body), AMB-31 (initiator or nobody bound), AMB-32 (re-binding).
#include "conformance/cases/relay_checks.hpp"
#include "conformance/framework/case_context.hpp"

namespace tigress::conformance {
namespace {

// A RWD mailbox with R1 bound and then relinquished (precondition: both steps succeed).
struct Relinquished {
  MailboxRef box;
  std::string r1;
};

Relinquished bound_then_relinquished(CaseContext& ctx) {
  Relinquished out{ctx.create_mailbox(ctx.create_body("RWD")), {}};
  out.r1 = ctx.bind_recipient(out.box);
  auto relinquish = ctx.relinquish(out.box, out.r1);
  if (relinquish.status != 200) ctx.setup_refused("RELINQ by the bound recipient", relinquish);
  return out;
}

// The same, for a case that may pass on a refusal after it: R1's first read and its relinquish
// are the positive controls (the requests the case repeats or varies), so a relay refusing
// either leaves the case BLOCKED.
Relinquished controlled_relinquish(CaseContext& ctx) {
  Relinquished out{ctx.create_mailbox(ctx.create_body("RWD")), ctx.uuid()};
  ctx.control(ctx.read_request(out.box, out.r1), "READ(R1), its first read");
  ctx.control(ctx.relinquish_request(out.box, out.r1), "RELINQ(R1) by the bound recipient");
  return out;
}

// The control of a case varying who relinquishes: RELINQ of another mailbox by its bound
// recipient (the case's own mailbox keeps its bindings).
void control_relinquish_elsewhere(CaseContext& ctx) {
  const MailboxRef spare = ctx.create_mailbox();
  const std::string recipient = ctx.bind_recipient(spare);
  ctx.control(ctx.relinquish_request(spare, recipient), "RELINQ of another mailbox by its bound recipient");
}

// AMB-31: which reading a refused (or no-op) relinquish took.
void record_relinquish_reading(CaseContext& ctx, const harness::HttpResponse& response, const std::string& what) {
  if (response.status == 200) ctx.reading(what + " answered 200 (AMB-31 lenient no-op)");
  if (response.status == 403) ctx.reading(what + " answered 403 (AMB-31 lenient)");
}

}  // namespace

TIGRESS_CASE(kRelay, "6.6/relinquish-200", "6.6", kAntiReplay, kMust, ({"MBX-RELINQ-01"}),
             "the bound recipient relinquishes with 200") {
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.bind_recipient(box);
  ctx.check_status(ctx.relinquish(box, r1), {200}, "RELINQ by the bound recipient");
}

TIGRESS_CASE(kRelay, "6.6/another-recipient-binds", "6.6", kAntiReplay, kMust, ({"MBX-RELINQ-02", "MBX-READ-04"}),
             "after a relinquish a new recipient binds by reading") {
  auto [box, r1] = bound_then_relinquished(ctx);
  const std::string r2 = ctx.uuid();
  ctx.check_status(ctx.read(box, r2), {200}, "READ(R2) after R1 relinquished");
  ctx.check_status(ctx.read(box, r2), {200}, "READ(R2) again: R2 stays bound");
  ctx.check_status(ctx.read(box, ctx.uuid()), checks::refused(ctx), "READ(R3): R2 is the recipient now");
}

TIGRESS_CASE(kRelay, "6.6/former-recipient-loses-access", "6.6", kAntiReplay, kMust, ({"MBX-RELINQ-03", "MBX-READ-05"}),
             "once another recipient has bound, the former one can neither read nor write") {
  auto [box, r1] = bound_then_relinquished(ctx);
  const std::string r2 = ctx.uuid();
  if (!ctx.check_status(ctx.read(box, r2), {200}, "READ(R2) after R1 relinquished")) return;
  const nlohmann::json update = {{"payload", ctx.payload()}};
  ctx.check_status(ctx.read(box, r1), checks::refused(ctx), "READ(R1) after R2 bound");
  ctx.check_status(ctx.update(box, r1, update), checks::refused(ctx), "UPDATE(R1) after R2 bound");
  auto read = ctx.read(box, r2);
  if (ctx.check_status(read, {200}, "READ(R2)")) {
    auto body = ctx.json_body(read, "READ(R2)");
    ctx.check(!body.is_object() || !body.contains("payload") || !checks::same_json(body["payload"], update["payload"]),
              "R1's refused update was stored");
  }
}

TIGRESS_CASE(kRelay, "6.6/stranger-refused", "6.6", kAntiReplay, kMust, ({"MBX-RELINQ-04"}),
             "a claim that is not the bound recipient cannot relinquish") {
  // 401 [S], 403 [L] (AMB-31); R1 stays bound.
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.bind_recipient(box);
  ctx.check_status(ctx.relinquish(box, ctx.uuid()), checks::refused(ctx), "RELINQ by a stranger");
  ctx.check_status(ctx.read(box, r1), {200}, "READ(R1) after the stranger's attempt");
  ctx.check_status(ctx.read(box, ctx.uuid()), checks::refused(ctx), "READ(R2): R1 must still be bound");
}

TIGRESS_CASE(kRelay, "6.6/no-recipient-bound", "6.6", kAntiReplay, kMust, ({"MBX-RELINQ-04"}),
             "relinquish on a mailbox nobody has bound is refused and binds nothing") {
  // AMB-31: 401 [S]; 403 or a 200 no-op [L]. It must not bind R1 either.
  control_relinquish_elsewhere(ctx);
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.uuid();
  auto relinquish = ctx.relinquish(box, r1);
  if (ctx.check_status(relinquish, ctx.accepted_statuses("AMB-31"), "RELINQ(R1) with no recipient bound")) {
    record_relinquish_reading(ctx, relinquish, "RELINQ with nobody bound");
  }
  ctx.check_status(ctx.read(box, ctx.uuid()), {200}, "READ(R2): the slot is still free");
  ctx.check_status(ctx.read(box, r1), checks::refused(ctx), "READ(R1): R2 is bound, R1 never was");
}

TIGRESS_CASE(kRelay, "6.6/unknown-mailbox", "6.6", kMessageFormat, kMust, ({"MBX-RELINQ-05"}),
             "relinquishing an unknown mailbox is 404") {
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.bind_recipient(box);
  ctx.check_status(ctx.relinquish(checks::unknown_like(ctx, box), r1), {404}, "RELINQ of a random UUID");
}

TIGRESS_CASE(kRelay, "6.6/initiator-relinquish", "6.6", kAntiReplay, kMust, ({"MBX-RELINQ-06"}),
             "the initiator cannot relinquish; it and the recipient stay bound") {
  // AMB-31: 401 [S]; 403 or a 200 no-op [L]. Neither binding may change.
  control_relinquish_elsewhere(ctx);
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.bind_recipient(box);
  auto relinquish = ctx.relinquish(box, box.initiator);
  if (ctx.check_status(relinquish, ctx.accepted_statuses("AMB-31"), "RELINQ by the initiator")) {
    record_relinquish_reading(ctx, relinquish, "initiator RELINQ");
  }
  ctx.check_status(ctx.read(box, box.initiator), {200}, "READ(I) after its relinquish attempt");
  ctx.check_status(ctx.read(box, r1), {200}, "READ(R1): still the recipient");
  ctx.check_status(ctx.read(box, ctx.uuid()), checks::refused(ctx), "READ(R2): the slot must not have been freed");
}

TIGRESS_CASE(kRelay, "6.6/content-survives", "6.6", kMessageFormat, kMust, ({"MBX-RELINQ-07"}),
             "payload, display information and expiration survive a relinquish") {
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string r1 = ctx.bind_recipient(box);
  const nlohmann::json update = {{"payload", ctx.payload(80)}};
  ctx.check_status(ctx.update(box, r1, update), {200}, "UPDATE by R1");
  auto before = ctx.json_body(ctx.read(box, r1), "READ(R1) before relinquish");
  if (!ctx.check_status(ctx.relinquish(box, r1), {200}, "RELINQ by R1")) return;
  auto read = ctx.read(box, ctx.uuid());
  if (!ctx.check_status(read, {200}, "READ(R2) after relinquish")) return;
  auto after = ctx.json_body(read, "READ(R2)");
  if (!before.is_object() || !after.is_object()) return;
  ctx.check(after.contains("payload") && checks::same_json(after["payload"], update["payload"]),
            "payload changed across the relinquish");
  ctx.check(checks::same_member(after, before, "displayInformation"),
            "displayInformation changed across the relinquish");
  ctx.check(checks::same_member(after, before, "expiration"), "expiration changed across the relinquish");
}

TIGRESS_CASE(kRelay, "6.6/former-recipient-may-rebind", "6.6", kAntiReplay, kMust, ({"MBX-RELINQ-02", "MBX-READ-05"}),
             "after relinquishing, R1 may bind again or be refused, but never shares the slot") {
  // AMB-32: the freed slot goes to the next reader, R1 included [S]; a relay that refuses R1
  // for good [L] must still let R2 bind. Either way exactly one recipient.
  auto [box, r1] = controlled_relinquish(ctx);
  auto again = ctx.read(box, r1);
  ctx.check_status(again, {200, 401, 403}, "READ(R1) after its own relinquish");
  if (again.status == 200) {
    ctx.check_status(ctx.read(box, ctx.uuid()), checks::refused(ctx), "READ(R2): R1 re-bound");
  } else {
    if (again.status == 401 || again.status == 403) ctx.reading("R1 refused after relinquishing (AMB-32 lenient)");
    ctx.check_status(ctx.read(box, ctx.uuid()), {200}, "READ(R2): the slot is free");
  }
}

TIGRESS_CASE(kRelay, "6.6/body-ignored", "6.6", kMessageFormat, kMust, ({"MBX-RELINQ-01"}),
             "a PATCH body is ignored: relinquish with a JSON body still works") {
  // AMB-27: RFC 5789 expects a patch document but 6.6 defines none; any body is ignored.
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.bind_recipient(box);
  auto relinquish = ctx.send(checks::request("PATCH", box.path,
                                             {{"Mailbox-Device-Claim", r1},
                                              {"Mailbox-Request-ID", ctx.uuid()},
                                              {"Content-Type", "application/merge-patch+json"}},
                                             R"({"recipient":null,"x-ext":1})"));
  ctx.check_status(relinquish, {200}, "RELINQ with a merge-patch body");
  ctx.check_status(ctx.read(box, ctx.uuid()), {200}, "READ(R2) after that relinquish");
}

TIGRESS_CASE(kRelay, "6.6/second-relinquish-refused", "6.6", kAntiReplay, kMust, ({"MBX-RELINQ-04"}),
             "a second relinquish with a new Request-ID finds R1 no longer bound") {
  // A fresh ID makes it a new request (not a duplicate, AMB-42): 401 [S], 403 or 200 no-op [L].
  auto [box, r1] = controlled_relinquish(ctx);
  auto second = ctx.relinquish(box, r1);
  if (ctx.check_status(second, ctx.accepted_statuses("AMB-31"), "second RELINQ(R1) with a new Request-ID")) {
    record_relinquish_reading(ctx, second, "second RELINQ(R1)");
  }
  ctx.check_status(ctx.read(box, ctx.uuid()), {200}, "READ(R2): the slot is free");
}

}  // namespace tigress::conformance
