// Draft section 6.3, DeleteMailbox: DELETE /v1/m/{id} by a bound party with the D right closes
// the mailbox (200); 401 for any other claim, 404 for an unknown or already deleted mailbox
// (6.3.3). Digest rows MBX-DELETE-01..06, MBX-ACL-03, MBX-BIND-02, MBX-ID-05; ambiguities
// AMB-10 (status for a missing right), AMB-16/AMB-17 (what "gone" looks like), AMB-26
// (malformed identifiers), AMB-34 (no binding through Delete).
#include "conformance/cases/exchange_checks.hpp"
#include "conformance/cases/relay_checks.hpp"
#include "conformance/framework/case_context.hpp"

namespace tigress::conformance {
namespace {

// Gone: 404 [S]; 410 [L] (AMB-16/AMB-17 accept it for expired and deleted mailboxes alike). The
// case's positive control (read_before_delete) has shown the mailbox served before its delete, so
// the refusal is the delete's doing.
void check_gone_after_delete(CaseContext& ctx, const harness::HttpResponse& response, const std::string& what) {
  ctx.check_status(response, checks::gone(ctx), what);
  if (response.status == 410) ctx.reading(what + " answered 410 (AMB-17 lenient)");
}

// The positive control of a gone-after-delete check: the same READ(I), before the delete, is served.
void read_before_delete(CaseContext& ctx, const MailboxRef& box) {
  ctx.control(ctx.read_request(box, box.initiator), "READ(I) before the delete");
}

}  // namespace

TIGRESS_CASE(kRelay, "6.3/initiator-deletes", "6.3", kMessageFormat, kMust, ({"MBX-DELETE-01"}),
             "the initiator deletes its mailbox with 200") {
  auto box = ctx.create_mailbox();
  read_before_delete(ctx, box);
  ctx.check_status(ctx.remove(box, box.initiator), {200}, "DELETE(I)");
  check_gone_after_delete(ctx, ctx.read(box, box.initiator), "READ(I) after the delete");
}

TIGRESS_CASE(kRelay, "6.3/initiator-cancels-share", "6.3", kAntiReplay, kMust, ({"MBX-DELETE-01", "TM-17"}),
             "the initiator can withdraw a share before and after the recipient has bound") {
  // TM-17 (transfer control, draft 8.3.1): a share sent to the wrong person must be revocable
  // whether or not that person has read it yet; afterwards the recipient gets nothing.
  auto before = ctx.create_mailbox();
  read_before_delete(ctx, before);
  ctx.check_status(ctx.remove(before, before.initiator), {200}, "DELETE(I) before any recipient read");
  check_gone_after_delete(ctx, ctx.read(before, ctx.uuid()), "first recipient READ after the withdrawal");
  auto after = ctx.create_mailbox();
  const std::string r1 = ctx.bind_recipient(after);
  ctx.check_status(ctx.remove(after, after.initiator), {200}, "DELETE(I) after R1 bound");
  check_gone_after_delete(ctx, ctx.read(after, r1), "READ(R1) after the withdrawal");
}

TIGRESS_CASE(kRelay, "6.3/recipient-deletes", "6.3", kMessageFormat, kMust, ({"MBX-DELETE-02"}),
             "the bound recipient deletes the mailbox with 200") {
  // 4.3: whichever party finishes closes the mailbox.
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.bind_recipient(box);
  read_before_delete(ctx, box);
  ctx.check_status(ctx.remove(box, r1), {200}, "DELETE(R1)");
  check_gone_after_delete(ctx, ctx.read(box, box.initiator), "READ(I) after the recipient's delete");
}

TIGRESS_CASE(kRelay, "6.3/stranger-refused", "6.3", kAntiReplay, kMust, ({"MBX-DELETE-03", "MBX-BIND-02"}),
             "a claim bound to nothing cannot delete; the mailbox and its binding stay") {
  // 401 [S]; 403 [L] (AMB-25).
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.bind_recipient(box);
  ctx.check_status(ctx.remove(box, ctx.uuid()), checks::refused(ctx), "DELETE by a stranger");
  exchange::reads_payload(ctx, box, box.initiator, box.created["payload"], "READ(I): the mailbox stays");
  ctx.check_status(ctx.read(box, r1), {200}, "READ(R1): still the recipient");
}

TIGRESS_CASE(kRelay, "6.3/unbound-claim-before-binding", "6.3", kAntiReplay, kMust, ({"MBX-DELETE-03", "MBX-BIND-02"}),
             "before anyone read, a new claim cannot delete, and can still bind afterwards") {
  // AMB-34: Delete never binds; an unbound claim → 401 [S], 403 [L].
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.uuid();
  ctx.check_status(ctx.remove(box, r1), checks::refused(ctx), "DELETE(R1) before any read");
  exchange::reads_payload(ctx, box, r1, box.created["payload"], "READ(R1) afterwards: the mailbox stays and R1 binds");
}

TIGRESS_CASE(kRelay, "6.3/former-recipient-refused", "6.3", kAntiReplay, kMust, ({"MBX-DELETE-03", "MBX-RELINQ-03"}),
             "a recipient that relinquished, once another has bound, cannot delete") {
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.bind_recipient(box);
  if (!ctx.check_status(ctx.relinquish(box, r1), {200}, "RELINQ(R1)")) return;
  const std::string r2 = ctx.uuid();
  if (!ctx.check_status(ctx.read(box, r2), {200}, "READ(R2) after R1 relinquished")) return;
  ctx.check_status(ctx.remove(box, r1), checks::refused(ctx), "DELETE by the former recipient R1");
  ctx.check_status(ctx.read(box, r2), {200}, "READ(R2): the mailbox stays");
}

TIGRESS_CASE(kRelay, "6.3/unknown-mailbox", "6.3", kMessageFormat, kMust, ({"MBX-DELETE-04"}),
             "deleting an unknown mailbox is 404, whoever asks") {
  // AMB-26: 404 whatever the claim (there is nothing to authorise against).
  auto box = ctx.create_mailbox();
  const auto unknown = checks::unknown_like(ctx, box);
  ctx.check_status(ctx.remove(unknown, box.initiator), {404}, "DELETE of a random UUID by a real initiator");
  ctx.check_status(ctx.remove(unknown, ctx.uuid()), {404}, "DELETE of a random UUID by a fresh claim");
  ctx.check_status(ctx.read(box, box.initiator), {200}, "READ(I) of the real mailbox");
}

TIGRESS_CASE(kRelay, "6.3/malformed-id", "6.3", kMessageFormat, kMust, ({"MBX-DELETE-04", "MBX-ID-05"}),
             "deleting a malformed mailbox identifier is 404 (or 400)") {
  // 6.3.3 says 404 for an invalid ID [S]; AMB-26 [L] 400. Never 2xx, never 5xx.
  auto box = ctx.create_mailbox();
  const MailboxRef spare = ctx.create_mailbox();
  ctx.control(ctx.remove_request(spare, spare.initiator), "DELETE(I) of a well-formed mailbox identifier");
  for (const std::string& segment :
       {std::string("zzz"), std::string("not-a-uuid"), box.id + "0", box.id.substr(0, 35)}) {
    MailboxRef malformed = box;
    malformed.id = segment;
    malformed.path = box.path.substr(0, box.path.rfind('/') + 1) + segment;
    auto response = ctx.remove(malformed, box.initiator);
    const bool accepted = ctx.check_status(response, ctx.accepted_statuses("AMB-26"), "DELETE of /m/" + segment);
    if (accepted && response.status == 400)
      ctx.reading("malformed identifier \"" + segment + "\" answered 400 (AMB-26 lenient)");
  }
  ctx.check_status(ctx.read(box, box.initiator), {200}, "READ(I): the real mailbox is untouched");
}

TIGRESS_CASE(kRelay, "6.3/gone-after-delete", "6.3", kMessageFormat, kMust, ({"MBX-DELETE-05", "MBX-PREVIEW-03"}),
             "after a delete, preview, reads, update and relinquish all find nothing") {
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string r1 = ctx.bind_recipient(box);
  read_before_delete(ctx, box);
  if (!ctx.check_status(ctx.remove(box, box.initiator), {200}, "DELETE(I)")) return;
  check_gone_after_delete(ctx, ctx.preview(box), "PREVIEW after the delete");
  check_gone_after_delete(ctx, ctx.read(box, box.initiator), "READ(I) after the delete");
  check_gone_after_delete(ctx, ctx.read(box, r1), "READ(R1) after the delete");
  check_gone_after_delete(ctx, ctx.read(box, ctx.uuid()), "READ by a new claim after the delete");
  check_gone_after_delete(ctx, ctx.update(box, box.initiator, {{"payload", ctx.payload()}}),
                          "UPDATE(I) after the delete");
  check_gone_after_delete(ctx, ctx.relinquish(box, r1), "RELINQ(R1) after the delete");
  check_gone_after_delete(ctx, ctx.remove(box, r1), "DELETE(R1) after the delete");
}

TIGRESS_CASE(kRelay, "6.3/without-delete-right", "6.3", kAntiReplay, kMust,
             ({"MBX-DELETE-06", "MBX-ACL-03", "MBX-ACL-05"}),
             "on an \"RW\" mailbox neither the initiator nor the bound recipient can delete") {
  // AMB-10: 401 [S]; 403 or 405 [L]. The control: the same deletes where D is granted.
  const MailboxRef deletable = ctx.create_mailbox(ctx.create_body("RWD"));
  const std::string deletable_recipient = ctx.bind_recipient(deletable);
  ctx.control(ctx.remove_request(deletable, deletable_recipient), "DELETE(R1) where D is granted");
  const MailboxRef deletable_by_initiator = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control(ctx.remove_request(deletable_by_initiator, deletable_by_initiator.initiator),
              "DELETE(I) where D is granted");
  auto box = ctx.create_mailbox(ctx.create_body("RW"));
  const std::string r1 = ctx.bind_recipient(box);
  for (const auto& [claim, what] :
       {std::pair<std::string, std::string>{box.initiator, "DELETE(I) without D"}, {r1, "DELETE(R1) without D"}}) {
    auto removed = ctx.remove(box, claim);
    if (ctx.check_status(removed, exchange::right_missing(ctx), what)) {
      ctx.reading(what + " answered " + std::to_string(removed.status) + " (AMB-10)");
    }
  }
  exchange::reads_payload(ctx, box, box.initiator, box.created["payload"], "READ(I): the mailbox stays");
  ctx.check_status(ctx.read(box, r1), {200}, "READ(R1): still the recipient");
}

TIGRESS_CASE(kRelay, "6.3/delete-right-alone", "6.3", kAntiReplay, kMust, ({"MBX-ACL-03", "MBX-DELETE-01"}),
             "on a \"D\" mailbox the initiator can delete although it can neither read nor write") {
  // D does not depend on R: an initiator must be able to withdraw a share it cannot read back.
  // The control: READ(I) where R is granted beside D, and nothing else changes.
  const MailboxRef readable = ctx.create_mailbox(ctx.create_body("RD"));
  ctx.control(ctx.read_request(readable, readable.initiator), "READ(I) on an \"RD\" mailbox");
  auto box = ctx.create_mailbox(ctx.create_body("D"));
  auto read = ctx.read(box, box.initiator);
  if (ctx.check_status(read, exchange::right_missing(ctx), "READ(I) without R")) {
    ctx.reading("READ(I) without R answered " + std::to_string(read.status) + " (AMB-10)");
  }
  ctx.check_status(ctx.remove(box, box.initiator), {200}, "DELETE(I) with D only");
  check_gone_after_delete(ctx, ctx.preview(box), "PREVIEW after the delete");
}

}  // namespace tigress::conformance
