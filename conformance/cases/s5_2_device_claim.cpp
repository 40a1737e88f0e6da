// Draft sections 5.2 (Mailbox-Device-Claim) and 5.3 (Mailbox-Device-Attestation). The claim is
// what binds a mailbox to its two devices (4.1, 8.1.1): a request without it MUST fail and must
// never act as, or become, a bound party. Digest rows MBX-CLM-01, MBX-CLM-05, MBX-ATT-01,
// MBX-ATT-03; ambiguities AMB-01 (status for a missing claim), AMB-36 (attestation on Update),
// AMB-39 and AMB-57 (claim syntax).
#include "conformance/cases/exchange_checks.hpp"
#include "conformance/cases/relay_checks.hpp"
#include "conformance/framework/case_context.hpp"

namespace tigress::conformance {
namespace {

using exchange::no_claim;
using exchange::reads_payload;

// AMB-01: the catalogue's strict reading for a missing claim on this endpoint, for the note.
void note_reading(CaseContext& ctx, const harness::HttpResponse& response, const std::string& strict_reading,
                  const std::string& what) {
  const std::vector<int> strict = ctx.accepted_statuses("AMB-01", strict_reading);
  if (std::find(strict.begin(), strict.end(), response.status) == strict.end()) {
    ctx.reading(what + " answered " + std::to_string(response.status) + " (AMB-01 lenient; strict " +
                std::to_string(strict.front()) + ")");
  }
}

}  // namespace

TIGRESS_CASE(kRelay, "5.2/missing-claim-create", "5.2", kAntiReplay, kMust, ({"MBX-CLM-01", "MBX-CREATE-13"}),
             "CreateMailbox without Mailbox-Device-Claim is refused") {
  // AMB-01: [S] 400 (a required field is missing, 6.1.6); [L] 401 or 403. Never a mailbox.
  ctx.control_create();
  auto created = ctx.create(std::nullopt, ctx.create_body());
  ctx.check_status(created, no_claim(ctx), "CreateMailbox without a claim");
  note_reading(ctx, created, "strict-create-update", "CreateMailbox without a claim");
  ctx.check(!checks::contains(created.body, "urlLink"), "CreateMailbox without a claim returned a urlLink");
}

TIGRESS_CASE(kRelay, "5.2/missing-claim-update", "5.2", kAntiReplay, kMust, ({"MBX-CLM-01", "MBX-UPDATE-06"}),
             "UpdateMailbox without Mailbox-Device-Claim is refused and changes nothing") {
  // AMB-01: [S] 400; [L] 401 or 403.
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control_update(box);
  auto updated = ctx.update(box, std::nullopt, {{"payload", ctx.payload()}});
  ctx.check_status(updated, no_claim(ctx), "UPDATE without a claim");
  note_reading(ctx, updated, "strict-create-update", "UPDATE without a claim");
  reads_payload(ctx, box, box.initiator, box.created["payload"], "READ(I): payload unchanged");
}

TIGRESS_CASE(kRelay, "5.2/missing-claim-read-bound", "5.2", kAntiReplay, kMust, ({"MBX-CLM-01", "MBX-BIND-02"}),
             "a read without a claim on a bound mailbox is refused and reveals nothing") {
  // AMB-01: [S] 401; [L] 400 or 403. A relay must not treat "no claim" as the bound recipient
  // (or the initiator); the fresh-mailbox variant is 6.5/read-without-claim.
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.bind_recipient(box);
  ctx.control(ctx.read_request(box, r1), "READ(R1) with its claim");
  auto read = ctx.read(box, std::nullopt);
  ctx.check_status(read, no_claim(ctx), "READ without a claim on a bound mailbox");
  note_reading(ctx, read, "strict-claim-checked", "READ without a claim");
  ctx.check(!checks::contains(read.body, box.created["payload"]["data"].get<std::string>()),
            "the refused read carries the payload");
  ctx.check_status(ctx.read(box, r1), {200}, "READ(R1): still the recipient");
}

TIGRESS_CASE(kRelay, "5.2/missing-claim-delete", "5.2", kAntiReplay, kMust, ({"MBX-CLM-01", "MBX-DELETE-03"}),
             "DeleteMailbox without Mailbox-Device-Claim is refused and the mailbox stays") {
  // AMB-01: [S] 401; [L] 400 or 403.
  auto box = ctx.create_mailbox();
  const MailboxRef spare = ctx.create_mailbox();
  ctx.control(ctx.remove_request(spare, spare.initiator), "DELETE(I) of another mailbox with its claim");
  auto removed = ctx.remove(box, std::nullopt);
  ctx.check_status(removed, no_claim(ctx), "DELETE without a claim");
  note_reading(ctx, removed, "strict-claim-checked", "DELETE without a claim");
  ctx.check_status(ctx.read(box, box.initiator), {200}, "READ(I): the mailbox still exists");
}

TIGRESS_CASE(kRelay, "5.2/missing-claim-relinquish", "5.2", kAntiReplay, kMust, ({"MBX-CLM-01", "MBX-RELINQ-04"}),
             "RelinquishMailbox without Mailbox-Device-Claim is refused and the recipient stays bound") {
  // AMB-01: [S] 401; [L] 400 or 403.
  auto box = ctx.create_mailbox();
  const std::string r1 = ctx.bind_recipient(box);
  const MailboxRef spare = ctx.create_mailbox();
  const std::string spare_recipient = ctx.bind_recipient(spare);
  ctx.control(ctx.relinquish_request(spare, spare_recipient), "RELINQ of another mailbox by its recipient");
  auto relinquished = ctx.relinquish(box, std::nullopt);
  ctx.check_status(relinquished, no_claim(ctx), "RELINQ without a claim");
  note_reading(ctx, relinquished, "strict-claim-checked", "RELINQ without a claim");
  ctx.check_status(ctx.read(box, r1), {200}, "READ(R1): still the recipient");
  ctx.check_status(ctx.read(box, ctx.uuid()), checks::refused(ctx), "READ(R2): the slot must not have been freed");
}

TIGRESS_CASE(kRelay, "5.2/empty-claim", "5.2", kAntiReplay, kMust, ({"MBX-CLM-01"}),
             "an empty Mailbox-Device-Claim counts as missing: refused, and it binds nothing") {
  // An empty field value is no claim at all (AMB-01 outcomes); were it bound, anyone sending an
  // empty header would be the recipient.
  ctx.control_create();
  const harness::HeaderList create_headers = {
      {"Mailbox-Device-Claim", ""}, {"Mailbox-Request-ID", ctx.uuid()}, {"Content-Type", "application/json"}};
  auto created = exchange::create_raw(ctx, create_headers, ctx.create_body().dump());
  ctx.check_status(created, no_claim(ctx), "CreateMailbox with an empty claim");
  auto box = ctx.create_mailbox();
  auto read =
      ctx.send(checks::request("POST", box.path, {{"Mailbox-Device-Claim", ""}, {"Mailbox-Request-ID", ctx.uuid()}}));
  ctx.check_status(read, no_claim(ctx), "READ with an empty claim");
  const std::string r1 = ctx.uuid();
  ctx.check_status(ctx.read(box, r1), {200}, "READ(R1) afterwards: the slot must still be free");
}

TIGRESS_CASE(kRelay, "5.2/malformed-claim-create", "5.2", kAntiReplay, kMust, ({"MBX-CLM-05", "MBX-CLM-02"}),
             "CreateMailbox with a claim that is not a UUID: 401, 400, or accepted consistently") {
  // 6.1.6 names 401 for an invalid claim [S]; AMB-39 lets a relay answer 400 or not check the
  // syntax at all (200) [L]. If it accepted the claim, that claim is the initiator.
  const std::string claim = "not-a-uuid-" + ctx.random_base64(6);
  const auto body = ctx.create_body();
  ctx.control(ctx.create_request(ctx.uuid(), body), "CreateMailbox of the same body with a UUID claim");
  auto created = ctx.create(claim, body);
  if (!ctx.check_status(created, ctx.accepted_statuses("AMB-39"), "CreateMailbox with claim \"" + claim + "\"")) return;
  if (created.status == 400) ctx.reading("malformed claim refused with 400 (AMB-39 lenient)");
  if (created.status != 200) return;
  ctx.reading("malformed claim accepted (AMB-39 lenient: the relay does not check claim syntax)");
  auto box = checks::mailbox_from(ctx, created, claim, body);
  reads_payload(ctx, box, claim, body["payload"], "READ by the accepted claim (the initiator)");
  ctx.check_status(ctx.read(box, ctx.uuid()), {200}, "READ(R1): the initiator's reads took no recipient slot");
}

TIGRESS_CASE(kRelay, "5.2/malformed-claim-read", "5.2", kAntiReplay, kMust, ({"MBX-CLM-05", "MBX-BIND-01"}),
             "a read with a non-UUID claim is refused, or binds that claim exclusively") {
  // AMB-39/AMB-57: a relay may refuse claims that are not UUIDs (401 [S], 400 [L]) or take any
  // token [L]; in the second case the token is then the one recipient. The control: the first
  // READ of another fresh mailbox with a UUID claim.
  const MailboxRef spare = ctx.create_mailbox();
  ctx.control(ctx.read_request(spare, ctx.uuid()), "the first READ of another mailbox with a UUID claim");
  auto box = ctx.create_mailbox();
  const std::string claim = "device-" + ctx.random_base64(6);
  auto read = ctx.read(box, claim);
  const bool accepted = ctx.check_status(read, {401, 400, 403, 200}, "READ with claim \"" + claim + "\"");
  const std::string r1 = ctx.uuid();
  if (accepted && read.status != 200) {
    ctx.reading("a non-UUID claim was refused with " + std::to_string(read.status) + " (AMB-39 reject-non-uuid)");
  }
  if (read.status == 200) {
    ctx.reading("a non-UUID claim was accepted and bound (AMB-39 lenient)");
    ctx.check_status(ctx.read(box, claim), {200}, "READ by the accepted claim again");
    ctx.check_status(ctx.read(box, r1), checks::refused(ctx), "READ(R1): the non-UUID claim is the recipient");
  } else {
    ctx.check_status(ctx.read(box, r1), {200}, "READ(R1): the refused claim bound nothing");
    ctx.check_status(ctx.read(box, claim), {400, 401, 403}, "READ with the non-UUID claim after R1 bound");
  }
}

TIGRESS_CASE(kRelay, "5.2/attestation-optional", "5.2", kMessageFormat, kMust, ({"MBX-ATT-01", "MBX-ATT-02"}),
             "CreateMailbox works without Mailbox-Device-Attestation; an opaque one is accepted or judged") {
  // 5.3: the attestation MAY accompany a Create. Without it → 200 (no "attestation required"
  // profile exists in this suite). With an opaque value → 200, or 401 if the relay verifies
  // attestations and finds this one invalid (MBX-ATT-02), never 400 or 5xx. The Create without
  // an attestation is the control of the one with it.
  const auto plain =
      ctx.control(ctx.create_request(ctx.uuid(), ctx.create_body()), "CreateMailbox without an attestation");
  ctx.check_status(plain, {200}, "CreateMailbox without an attestation");
  const harness::HeaderList headers = {{"Mailbox-Device-Claim", ctx.uuid()},
                                       {"Mailbox-Request-ID", ctx.uuid()},
                                       {"Mailbox-Device-Attestation", ctx.random_base64(48)},
                                       {"Content-Type", "application/json"}};
  auto attested = exchange::create_raw(ctx, headers, ctx.create_body().dump());
  ctx.check_status(attested, {200, 401}, "CreateMailbox with an opaque attestation");
  if (attested.status == 401) ctx.note("the relay verifies attestations and refused the suite's (MBX-ATT-02)");
}

TIGRESS_CASE(kRelay, "5.2/attestation-on-update", "5.2", kMessageFormat, kMust, ({"MBX-ATT-03"}),
             "an attestation header on UpdateMailbox is not a reason to refuse it") {
  // 6.2.2 lists the header as optional on Update; AMB-36: ignored [S], 401 if judged invalid [L].
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control_update(box);
  const nlohmann::json update = {{"payload", ctx.payload()}};
  auto updated = ctx.send(checks::request("PUT", box.path,
                                          {{"Mailbox-Device-Claim", box.initiator},
                                           {"Mailbox-Request-ID", ctx.uuid()},
                                           {"Mailbox-Device-Attestation", ctx.random_base64(48)},
                                           {"Content-Type", "application/json"}},
                                          update.dump()));
  const bool accepted = ctx.check_status(updated, ctx.accepted_statuses("AMB-36"), "UPDATE(I) with an attestation");
  if (updated.status == 401) {
    if (accepted) ctx.reading("attestation on Update judged invalid (AMB-36 lenient)");
    reads_payload(ctx, box, box.initiator, box.created["payload"], "READ(I): payload unchanged");
  } else {
    reads_payload(ctx, box, box.initiator, update["payload"], "READ(I): payload updated");
  }
}

}  // namespace tigress::conformance

namespace tigress::conformance {

TIGRESS_CASE(kRelay, "5.2/claim-case-insensitive", "5.2", kAntiReplay, kMust, ({"MBX-BIND-03", "MBX-BIND-01"}),
             "the initiator's claim in upper case acts as the initiator or is refused, never binds as a recipient") {
  // A claim is a UUID (4.1), and UUIDs compare without regard to case (RFC 9562 4): a relay that
  // compares the strings takes the initiator's own device for a new party and gives it the
  // recipient slot, which then refuses the real recipient. The control: a new claim's READ
  // binds where no upper-case claim came first (a relay binding nobody says nothing here).
  const MailboxRef twin = ctx.create_mailbox();
  ctx.control(ctx.read_request(twin, ctx.uuid()), "READ(R) by a new claim on a mailbox nobody has read");
  auto box = ctx.create_mailbox();
  std::string upper = box.initiator;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto read = ctx.read(box, upper);
  ctx.check_status(read, {200, 400, 401, 403}, "READ with the initiator's claim in upper case");
  if (read.status == 200) ctx.note("READ with the upper-case claim answered 200");
  const std::string recipient = ctx.uuid();
  ctx.check_status(ctx.read(box, recipient), {200},
                   "READ(R) after the upper-case initiator claim: the recipient slot must still be free");
  ctx.check_status(ctx.read(box, box.initiator), {200}, "READ(I) with the claim as created");
}

}  // namespace tigress::conformance
