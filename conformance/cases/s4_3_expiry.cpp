// Draft section 4.3 (and 6.1.5, 8.1.2): a mailbox has an expiration fixed at creation; once it
// passes the relay deletes the mailbox, checking periodically. Digest rows MBX-EXP-01..06,
// MBX-CREATE-09, MBX-READ-03, TM-02/TM-03; ambiguities AMB-13 (past), AMB-14 (too far ahead),
// AMB-15 (formats), AMB-16/AMB-17/AMB-53 (what "expired" looks like, and when).
//
// The real-time cases create a mailbox that expires two seconds later, check it is served,
// sleep past the expiration (and, when the relay still serves it, until expiration +
// --expiry-grace), and then expect 404 [S] or 410 [L]. They are slow cases: the runner starts
// them all at once, so together they cost one wait.
#include <algorithm>

#include "conformance/cases/relay_checks.hpp"
#include "conformance/framework/case_context.hpp"

namespace tigress::conformance {
namespace {

constexpr codec::UnixSeconds kShortLife = 2;

struct Expiring {
  MailboxRef box;
  codec::UnixSeconds expiration = 0;
};

// Creates a mailbox expiring kShortLife seconds later and runs `before` on it, which must be
// served (200). When the suite itself was too slow (the create or the check reached the relay
// only after the expiration, as on a loaded machine) it starts over, up to three times, and then
// could not complete (ERROR). A refusal in time is the relay's setup FAIL, with a hint: a relay
// whose clock is ahead of the suite's refuses it too.
constexpr const char* kClockHint = "is the relay's clock ahead of this machine's?";

template <class Before>
Expiring short_lived(CaseContext& ctx, Before before, const std::string& what) {
  for (int attempt = 1;; ++attempt) {
    const auto body = ctx.create_body("RWD", kShortLife);
    const auto requested = codec::parse_timestamp_strict(body["mailboxConfiguration"]["expiration"].get<std::string>());
    if (!requested) ctx.abort_error("suite defect: unparseable expiration in its own create body");
    const std::string initiator = ctx.uuid();
    auto created = ctx.create(initiator, body);
    const bool late = ctx.now() >= *requested - 1;
    if (created.status == 200 || created.status == 201) {
      Expiring out{checks::mailbox_from(ctx, created, initiator, body), *requested};
      auto response = before(out.box);
      if (response.status == 200) return out;
      if (ctx.now() < *requested) ctx.setup_refused(what + " before expiry", response, kClockHint);
    } else if (!late) {
      ctx.setup_refused("CreateMailbox expiring in " + std::to_string(kShortLife) + " s", created, kClockHint);
    }
    if (attempt == 3) {
      ctx.abort_error("three attempts reached the relay too late for a " + std::to_string(kShortLife) +
                      " s lifetime (is this machine overloaded?)");
    }
    ctx.note("attempt " + std::to_string(attempt) + " reached the relay too late for a " + std::to_string(kShortLife) +
             " s lifetime; starting over");
  }
}

// 4.3 deletes expired mailboxes when the relay checks, periodically; AMB-16 leaves the period
// open. So the expiration instant is when a mailbox may go, and expiration + --expiry-grace
// (default 60 s, one sweep a minute) is when it must be gone. `probe` is a request without side
// effects on the mailbox; sent kClockTolerance after the instant, a 200 records the lenient
// reading (served after the instant, before the sweep) and the case waits out the grace, so
// only a relay that serves stale mailboxes pays for the wait.
constexpr codec::UnixSeconds kClockTolerance = 1;

template <class Probe>
void wait_until_expired(CaseContext& ctx, const MailboxRef& box, codec::UnixSeconds expiration, Probe probe) {
  const codec::UnixSeconds grace = ctx.options().expiry_grace_seconds;
  const codec::UnixSeconds first = expiration + std::min(kClockTolerance, grace);
  checks::sleep_until_unix(first);
  const auto early = probe(box);
  if (early.status != 200) return;
  const codec::UnixSeconds until = expiration + grace;
  ctx.note("still served at " + codec::format_timestamp(first) + ", after the expiration " +
           codec::format_timestamp(expiration) +
           " (AMB-16 lenient: deleted by a periodic sweep); checked again after " + codec::format_timestamp(until) +
           " (--expiry-grace " + std::to_string(grace) + " s)");
  checks::sleep_until_unix(until);
}

void check_gone_after_expiry(CaseContext& ctx, const harness::HttpResponse& response, const std::string& what) {
  if (ctx.check_status(response, checks::gone(ctx), what + " after expiry") && response.status == 410) {
    ctx.note(what + " answered 410 (AMB-16 lenient)");
  }
}

nlohmann::json body_expiring(CaseContext& ctx, const nlohmann::json& expiration) {
  auto body = ctx.create_body();
  body["mailboxConfiguration"] = {{"accessRights", "RWD"}, {"expiration", expiration}};
  return body;
}

// Year of the malformed expirations: always in the future, so only the form is at fault.
std::string next_year(CaseContext& ctx) {
  return std::to_string(std::stoi(codec::format_timestamp(ctx.now()).substr(0, 4)) + 1);
}

}  // namespace

TIGRESS_SLOW_CASE(kRelay, "4.3/expired-read", "4.3", kExpiry, kMust, ({"MBX-EXP-01", "MBX-EXP-02", "TM-03"}),
                  "the initiator's read of an expired mailbox is 404") {
  auto [box, expiration] = short_lived(
      ctx, [&](const MailboxRef& b) { return ctx.read(b, b.initiator); }, "READ(I)");
  wait_until_expired(ctx, box, expiration, [&](const MailboxRef& b) { return ctx.read(b, b.initiator); });
  check_gone_after_expiry(ctx, ctx.read(box, box.initiator), "READ(I)");
}

TIGRESS_SLOW_CASE(kRelay, "4.3/expired-preview", "4.3", kExpiry, kMust, ({"MBX-EXP-01", "MBX-PREVIEW-03"}),
                  "the preview of an expired mailbox is 404") {
  // AMB-17: the preview's only error is "not found"; a stale preview keeps a dead share alive.
  auto [box, expiration] = short_lived(
      ctx, [&](const MailboxRef& b) { return ctx.preview(b); }, "PREVIEW");
  wait_until_expired(ctx, box, expiration, [&](const MailboxRef& b) { return ctx.preview(b); });
  check_gone_after_expiry(ctx, ctx.preview(box), "PREVIEW");
}

TIGRESS_SLOW_CASE(kRelay, "4.3/expired-update", "4.3", kExpiry, kMust, ({"MBX-EXP-01"}),
                  "an update of an expired mailbox is 404 and stores nothing") {
  auto [box, expiration] = short_lived(
      ctx,
      [&](const MailboxRef& b) {
        return ctx.update(b, b.initiator, {{"payload", ctx.payload()}});
      },
      "UPDATE(I)");
  wait_until_expired(ctx, box, expiration, [&](const MailboxRef& b) { return ctx.read(b, b.initiator); });
  check_gone_after_expiry(ctx, ctx.update(box, box.initiator, {{"payload", ctx.payload()}}), "UPDATE(I)");
  check_gone_after_expiry(ctx, ctx.read(box, box.initiator), "READ(I) after that update");
}

TIGRESS_SLOW_CASE(kRelay, "4.3/expired-delete", "4.3", kExpiry, kMust, ({"MBX-EXP-01"}),
                  "deleting an expired mailbox is 404") {
  auto [box, expiration] = short_lived(
      ctx, [&](const MailboxRef& b) { return ctx.read(b, b.initiator); }, "READ(I)");
  wait_until_expired(ctx, box, expiration, [&](const MailboxRef& b) { return ctx.read(b, b.initiator); });
  check_gone_after_expiry(ctx, ctx.remove(box, box.initiator), "DELETE(I)");
}

TIGRESS_SLOW_CASE(kRelay, "4.3/expired-relinquish", "4.3", kExpiry, kMust, ({"MBX-EXP-01"}),
                  "relinquishing an expired mailbox is 404") {
  // AMB-53: an expired mailbox not yet swept behaves as deleted for every endpoint.
  const std::string r1 = ctx.uuid();
  auto [box, expiration] = short_lived(
      ctx, [&](const MailboxRef& b) { return ctx.read(b, r1); }, "READ(R1)");
  wait_until_expired(ctx, box, expiration, [&](const MailboxRef& b) { return ctx.read(b, b.initiator); });
  check_gone_after_expiry(ctx, ctx.relinquish(box, r1), "RELINQ(R1)");
}

TIGRESS_SLOW_CASE(kRelay, "4.3/expired-recipient-read", "4.3", kExpiry, kMust, ({"MBX-EXP-01", "TM-03"}),
                  "neither the bound recipient nor a new claim reads an expired mailbox") {
  const std::string r1 = ctx.uuid();
  auto [box, expiration] = short_lived(
      ctx, [&](const MailboxRef& b) { return ctx.read(b, r1); }, "READ(R1)");
  wait_until_expired(ctx, box, expiration, [&](const MailboxRef& b) { return ctx.read(b, b.initiator); });
  check_gone_after_expiry(ctx, ctx.read(box, r1), "READ(R1)");
  check_gone_after_expiry(ctx, ctx.read(box, ctx.uuid()), "READ(R2) with a new claim");
}

TIGRESS_SLOW_CASE(kRelay, "4.3/past-expiration", "4.3", kExpiry, kMust, ({"MBX-EXP-04", "MBX-EXP-01"}),
                  "an expiration one hour in the past is refused, or the mailbox is never served") {
  // AMB-13: 400 [S]; [L] 200 after which the mailbox is treated as expired: gone at once, or
  // by the next sweep (within --expiry-grace, AMB-16). A relay that keeps serving it fails.
  ctx.control_create();
  const std::string initiator = ctx.uuid();
  const auto body = body_expiring(ctx, codec::format_timestamp(ctx.now() - 3600));
  auto created = ctx.create(initiator, body);
  if (!ctx.check_status(created, ctx.accepted_statuses("AMB-13"), "CreateMailbox with expiration now-1h")) return;
  if (created.status == 400) return ctx.reading("past expiration refused with 400 (AMB-13 strict)");
  ctx.reading("past expiration accepted with 200 (AMB-13 lenient): the mailbox must not be served");
  // A 200 for a mailbox that is dead on arrival tells the initiator a share exists that no
  // recipient can ever read: an interop risk even when it is never served (AMB-13 lenient).
  ctx.warn(
      "CreateMailbox with expiration now-1h answered 200: the mailbox is dead on arrival (AMB-13 lenient; 400 tells "
      "the initiator)");
  auto box = checks::mailbox_from(ctx, created, initiator, body);
  auto read = ctx.read(box, initiator);
  if (read.status == 200) {
    ctx.note("served once right after creation; checking again after the grace");
    std::this_thread::sleep_for(std::chrono::seconds(ctx.options().expiry_grace_seconds) +
                                std::chrono::milliseconds(300));
    read = ctx.read(box, initiator);
  }
  ctx.check_status(read, checks::gone(ctx), "READ(I) of a mailbox created already expired");
}

TIGRESS_CASE(kRelay, "4.3/expiration-not-rfc3339", "4.3", kExpiry, kMust, ({"MBX-CREATE-09"}),
             "expirations that are not RFC 3339 date-times are refused with 400") {
  const std::string year = next_year(ctx);
  const nlohmann::json values[] = {year + "-01-01",       year + "-01-01T00:00:00", "tomorrow", "", 1893456000,
                                   year + "0101T000000Z", nlohmann::json::object()};
  ctx.control_create();
  for (const auto& value : values) {
    ctx.check_status(ctx.create(ctx.uuid(), body_expiring(ctx, value)), {400},
                     "CreateMailbox with expiration " + value.dump());
  }
}

TIGRESS_CASE(kRelay, "4.3/expiration-impossible-date", "4.3", kExpiry, kMust, ({"MBX-CREATE-09"}),
             "date-times that name no real instant are refused with 400") {
  const std::string year = next_year(ctx);
  ctx.control_create();
  for (const std::string& value :
       {year + "-01-01T24:00:00Z", year + "-02-30T00:00:00Z", year + "-04-31T12:00:00Z", year + "-13-01T00:00:00Z",
        year + "-00-10T00:00:00Z", year + "-01-00T00:00:00Z", year + "-01-01T00:60:00Z"}) {
    ctx.check_status(ctx.create(ctx.uuid(), body_expiring(ctx, value)), {400},
                     "CreateMailbox with expiration " + value);
  }
}

TIGRESS_CASE(kRelay, "4.3/lifetime-capped", "4.3", kExpiry, kAdvisory, ({"MBX-EXP-05", "TM-02"}),
             "a year-long lifetime is refused or capped to the maximum lifetime") {
  // AMB-14/TM-02: 400, or 200 with Read reporting at most now + --max-ttl (default 48 h).
  // Longer lifetimes are reported (WARN), not failed: the draft sets no maximum.
  ctx.control_create();
  const codec::UnixSeconds start = ctx.now();
  const std::string initiator = ctx.uuid();
  const auto body = body_expiring(ctx, codec::format_timestamp(start + 365 * 86400));
  auto created = ctx.create(initiator, body);
  if (!ctx.check_status(created, ctx.accepted_statuses("AMB-14"), "CreateMailbox with expiration now+365d")) return;
  if (created.status == 400) return ctx.reading("year-long lifetime refused with 400 (AMB-14)");
  auto box = checks::mailbox_from(ctx, created, initiator, body);
  auto read = ctx.read(box, initiator);
  if (!ctx.check_status(read, {200}, "READ(I)")) return;
  auto reported = checks::read_expiration(ctx.json_body(read, "READ(I)"));
  if (!ctx.check(reported.has_value(), "READ has no strict expiration")) return;
  const codec::UnixSeconds limit = start + ctx.options().max_ttl + 60;
  ctx.check(*reported <= limit, "lifetime not capped: READ reports " + codec::format_timestamp(*reported) +
                                    ", beyond now + max-ttl " + codec::format_timestamp(limit - 60));
}

TIGRESS_CASE(kRelay, "4.3/reported-expiration-effective", "4.3", kExpiry, kMust, ({"MBX-READ-03", "MBX-EXP-05"}),
             "Read reports the effective expiration: not later than requested, the same to both parties") {
  ctx.control_create();
  const std::string initiator = ctx.uuid();
  const codec::UnixSeconds requested = ctx.now() + 365 * 86400;
  const auto body = body_expiring(ctx, codec::format_timestamp(requested));
  auto created = ctx.create(initiator, body);
  if (!ctx.check_status(created, ctx.accepted_statuses("AMB-14"), "CreateMailbox with expiration now+365d")) return;
  if (created.status == 400) return ctx.reading("year-long lifetime refused with 400 (AMB-14); nothing to report");
  auto box = checks::mailbox_from(ctx, created, initiator, body);
  auto by_initiator = checks::read_expiration(ctx.json_body(ctx.read(box, initiator), "READ(I)"));
  auto by_recipient = checks::read_expiration(ctx.json_body(ctx.read(box, ctx.uuid()), "READ(R1)"));
  if (!ctx.check(by_initiator && by_recipient, "READ responses lack a strict expiration")) return;
  ctx.check(*by_initiator <= requested,
            "READ reports " + codec::format_timestamp(*by_initiator) + ", after the requested time");
  ctx.check(*by_initiator > ctx.now(), "READ reports an expiration in the past for a served mailbox");
  ctx.check(*by_initiator == *by_recipient, "initiator and recipient are told different expirations");
}

TIGRESS_CASE(kRelay, "4.3/expiration-immutable", "4.3", kExpiry, kMust, ({"MBX-EXP-06", "MBX-UPDATE-10"}),
             "an update carrying mailboxConfiguration.expiration leaves the expiration unchanged") {
  // 6.2.5 has no configuration: [S] 200 with the member ignored, [L] 400 (AMB-58). Display
  // information and rights in an update are 6.2/outside-schema-ignored.
  auto box = ctx.create_mailbox(ctx.create_body("RWD"));
  ctx.control_update(box);
  auto before = checks::read_expiration(ctx.json_body(ctx.read(box, box.initiator), "READ(I) before"));
  nlohmann::json update = {
      {"payload", ctx.payload()},
      {"mailboxConfiguration", {{"accessRights", "RWD"}, {"expiration", codec::format_timestamp(ctx.now() + 600)}}}};
  auto updated = ctx.update(box, box.initiator, update);
  ctx.check_status(updated, ctx.accepted_statuses("AMB-58"), "UPDATE with mailboxConfiguration");
  if (updated.status == 400) ctx.reading("UPDATE with configuration refused (AMB-58 lenient)");
  auto after = checks::read_expiration(ctx.json_body(ctx.read(box, box.initiator), "READ(I) after"));
  if (ctx.check(before && after, "READ responses lack a strict expiration")) {
    ctx.check(*before == *after, "expiration changed from " + codec::format_timestamp(*before) + " to " +
                                     codec::format_timestamp(*after) + " through UpdateMailbox");
  }
}

}  // namespace tigress::conformance
