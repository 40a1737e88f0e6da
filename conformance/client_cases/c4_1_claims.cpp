// Client cases for draft section 4.1 (device claims) and 8.2.2 (nothing links a device's
// shares): what Mailbox-Device-Claim values and notification tokens the client presents.
#include <set>

#include "conformance/client_cases/case_support.hpp"
#include "reference/codec/headers.hpp"
#include "reference/codec/json_in_place.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::conformance::client_suite {
namespace {

// Claims compare as UUIDs: letter case does not make a claim different (AMB-57).
std::string canonical(const std::string& claim) {
  auto uuid = codec::parse_uuid(claim);
  return uuid ? uuid->to_string() : claim;
}

std::string claim_of(const RecordedExchange& exchange) {
  const std::string* claim = exchange.header(kClaim);
  return claim != nullptr ? canonical(*claim) : std::string();
}

// The first claim of `operation` recorded at or after `from`.
std::string first_claim(const std::vector<RecordedExchange>& all, Operation operation, std::size_t from = 0) {
  for (std::size_t i = from; i < all.size(); ++i) {
    if (all[i].operation == operation) return claim_of(all[i]);
  }
  return {};
}

TIGRESS_CASE(kClient, "client/4.1/claims-differ-between-roles", "4.1", kAntiReplay, kMust, ({"MBX-CLM-03"}),
             "the recipient's Read claim differs from the initiator's Create claim") {
  const Share share = ctx.must_share();
  ctx.must_receive(share);
  const auto all = ctx.exchanges();
  const std::string initiator = first_claim(all, Operation::kCreate);
  const std::string recipient = first_claim(all, Operation::kRead);
  if (initiator.empty() || recipient.empty()) ctx.abort_fail("a Create and a Read with claims were expected");
  ctx.check(initiator != recipient, "the recipient presents the initiator's claim (draft 4.1: they MUST differ)");
}

TIGRESS_CASE(kClient, "client/4.1/claim-fresh-per-share", "4.1", kAntiReplay, kMust,
             ({"MBX-CLM-02", "MBX-CLM-04", "TM-21"}), "two shares from one initiator use two different claims") {
  ctx.must_share();
  ctx.must_share();
  const auto creates = requests_of(ctx.exchanges(), Operation::kCreate);
  if (creates.size() < 2) ctx.abort_fail("two Creates were expected");
  ctx.check(claim_of(creates[0]) != claim_of(creates[1]), "the initiator reuses its claim for a new share");
}

TIGRESS_CASE(kClient, "client/4.1/recipient-claim-fresh-per-share", "4.1", kAntiReplay, kMust,
             ({"MBX-CLM-02", "MBX-CLM-04", "TM-21"}),
             "receiving two shares, the recipient binds with two different claims") {
  const Share first = ctx.must_share();
  const Share second = ctx.must_share();
  ctx.must_receive(first);
  const std::size_t mark = ctx.exchanges().size();
  ctx.must_receive(second);
  const auto all = ctx.exchanges();
  const std::string a = first_claim(all, Operation::kRead), b = first_claim(all, Operation::kRead, mark);
  if (a.empty() || b.empty()) ctx.abort_fail("two Reads with claims were expected");
  ctx.check(a != b, "the recipient reuses its claim for another share");
}

TIGRESS_CASE(kClient, "client/4.1/claims-are-uuids", "4.1", kMessageFormat, kMust, ({"MBX-CLM-02"}),
             "every Mailbox-Device-Claim of either role is a UUID") {
  complete_exchange(ctx);
  const auto claims = header_values(ctx.exchanges(), kClaim);
  if (claims.empty()) ctx.abort_fail("no claim recorded");
  for (const auto& claim : claims) ctx.check(codec::parse_uuid(claim).ok(), "a Mailbox-Device-Claim is not a UUID");
}

TIGRESS_CASE(kClient, "client/4.1/claim-on-every-request", "4.1", kMessageFormat, kMust, ({"MBX-CLI-01", "MBX-CLI-02"}),
             "Create, Read, Update, Relinquish and Delete each carry exactly one Mailbox-Device-Claim") {
  const CompleteExchange exchange = complete_exchange(ctx, ShareOptions{"", "", "RWD", false});
  ctx.must(ctx.relinquish(exchange.recipient_state), "relinquish");
  ctx.must(ctx.remove(exchange.share.state), "delete");
  for (const auto& request : ctx.exchanges()) {
    if (request.operation == Operation::kPreview || request.operation == Operation::kUnknown) continue;
    ctx.check(request.header_count(kClaim) == 1, std::string(operation_name(request.operation)) + " carries " +
                                                     std::to_string(request.header_count(kClaim)) + " claim headers");
  }
}

TIGRESS_CASE(kClient, "client/4.1/claim-stable-within-role", "4.1", kAntiReplay, kMust, ({"MBX-CLI-01", "MBX-CLI-02"}),
             "each side keeps the claim it created or bound with for its later requests on the mailbox") {
  complete_exchange(ctx);
  const auto all = ctx.exchanges();
  const std::string initiator = first_claim(all, Operation::kCreate);
  const std::string recipient = first_claim(all, Operation::kRead);
  for (const auto& request : all) {
    if (request.operation == Operation::kCreate || request.operation == Operation::kPreview) continue;
    const std::string claim = claim_of(request);
    ctx.check(claim == initiator || claim == recipient, std::string(operation_name(request.operation)) +
                                                            " uses a claim that neither created nor bound the mailbox");
  }
}

TIGRESS_CASE(kClient, "client/4.1/recipient-reads-first", "4.1", kAntiReplay, kMust, ({"MBX-CLI-02"}),
             "on acceptance the recipient's first mailbox request is a Read with a new UUID claim") {
  const Share share = ctx.must_share();
  const std::size_t mark = ctx.exchanges().size();
  ctx.must_receive(share);
  const auto all = ctx.exchanges();
  const RecordedExchange* first = nullptr;
  for (std::size_t i = mark; i < all.size() && first == nullptr; ++i) {
    if (all[i].operation != Operation::kPreview) first = &all[i];
  }
  if (first == nullptr) ctx.abort_fail("receive made no request");
  ctx.check(first->operation == Operation::kRead,
            "the recipient's first request is " + std::string(operation_name(first->operation)));
  ctx.check(codec::parse_uuid(claim_of(*first)).ok(), "the recipient's first Read has no UUID claim");
  ctx.check(claim_of(*first) != first_claim(all, Operation::kCreate),
            "the recipient's first Read uses the initiator's claim");
}

TIGRESS_CASE(kClient, "client/4.1/claims-unrelated-to-key", "4.1", kConfidentiality, kMust,
             ({"MBX-CLM-02", "TM-08", "TM-11"}),
             "no claim of either role is made from the share secret (its octets or a hash of them)") {
  const CompleteExchange exchange = complete_exchange(ctx, ShareOptions{"AEAD_AES_128_GCM", "", "", false});
  const Share share256 = ctx.must_share(ShareOptions{"AEAD_AES_256_GCM", "", "", false});
  ctx.must_receive(share256);
  int compared = 0;
  for (const auto& claim : header_values(ctx.exchanges(), kClaim)) {
    auto uuid = codec::parse_uuid(claim);
    if (!uuid) continue;  // claims-are-uuids judges the form
    const Bytes octets(uuid->bytes.begin(), uuid->bytes.end());
    for (const Bytes* secret : {&exchange.share.secret, &share256.secret}) {
      ++compared;
      if (auto how = claim_derived_from_key(octets, *secret)) {
        ctx.check(false, "a Mailbox-Device-Claim is " + *how +
                             " (4.1: a fresh random UUID; the relay must learn nothing of the secret, 8.2.1)");
      }
    }
  }
  if (compared == 0) ctx.abort_fail("no UUID claim recorded (MBX-CLM-02)");
}

TIGRESS_CASE(kClient, "client/8.2.2/notification-tokens-not-reused", "8.2.2", kAntiReplay, kMust,
             ({"MBX-PRIV-05", "TM-21"}),
             "notification tokens a client sends for one share never reappear for another share") {
  std::set<std::string> per_share[2];
  for (auto& tokens : per_share) {
    const std::size_t mark = ctx.exchanges().size();
    const Share share = ctx.must_share();
    ctx.must_receive(share);
    const auto all = ctx.exchanges();
    for (std::size_t i = mark; i < all.size(); ++i) {
      NotificationTokens sent = notification_tokens(all[i].body);
      ctx.check(!sent.too_deep, "a notificationToken is nested deeper than " +
                                    std::to_string(codec::json_in_place::kMaxStructuredDepth) +
                                    " levels: it cannot be compared with the other share's tokens");
      tokens.merge(sent.serialised);
    }
  }
  if (per_share[0].empty() && per_share[1].empty()) ctx.note("the client sent no notification tokens (it polls)");
  for (const auto& token : per_share[1])
    ctx.check(per_share[0].count(token) == 0, "a notification token is reused across shares");
}

}  // namespace
}  // namespace tigress::conformance::client_suite
