// Client cases on whom the client trusts with its requests (draft 4.2: the API is HTTPS to the
// relay the share URL names; 8.2.1 and TM-18: the claim and the payload go to that relay only):
// redirects to another origin are not followed, a certificate --ca did not issue is refused, and
// a refusal of send, delete or relinquish is reported as a failure.
#include "conformance/client_cases/case_support.hpp"
#include "harness/adversary/tricks.hpp"

namespace tigress::conformance::client_suite {
namespace {

using harness::adversary::kRedirectedPrefix;

// Requests that arrived at the redirect's target, i.e. the client followed it.
std::vector<RecordedExchange> followed(const std::vector<RecordedExchange>& all) {
  std::vector<RecordedExchange> out;
  for (const auto& exchange : all) {
    if (exchange.target.rfind(kRedirectedPrefix, 0) == 0) out.push_back(exchange);
  }
  return out;
}

void redirect_to_other_origin(ClientCaseContext& ctx, const std::string& misbehaviour) {
  const Share share = ctx.must_share();
  ctx.arm(misbehaviour);
  const ShimRun run = ctx.receive(share, ctx.path("recipient.state"), ctx.path("received.json"));
  if (!misbehaviour_applied(ctx.exchanges(), misbehaviour))
    ctx.abort_fail("receive made no Read (MBX-CLI-02; " + run.describe() + ")");
  for (const auto& request : followed(ctx.exchanges())) {
    ctx.check(false, "the client followed the redirect to https://" +
                         std::string(harness::adversary::kOtherOriginHost) + " (another origin)" +
                         (request.header(kClaim) != nullptr ? ", device claim included" : "") +
                         " (4.2, TM-18: the API is the relay the share URL names)");
  }
  ctx.expect_rejected(run, share.marker, "receive answered with a redirect to another origin");
}

TIGRESS_CASE(kClient, "client/robustness/redirect-307-other-origin-not-followed", "robustness", kRobustness, kMust,
             ({"MBX-CLI-02", "TM-18"}),
             "a Read answered 307 to another origin: the client does not follow it, exits non-zero, outputs nothing") {
  redirect_to_other_origin(ctx, "redirect-307-other-origin");
}

TIGRESS_CASE(kClient, "client/robustness/redirect-308-other-origin-not-followed", "robustness", kRobustness, kMust,
             ({"MBX-CLI-02", "TM-18"}),
             "a Read answered 308 to another origin: the client does not follow it, exits non-zero, outputs nothing") {
  redirect_to_other_origin(ctx, "redirect-308-other-origin");
}

TIGRESS_CASE(
    kClient, "client/robustness/redirect-same-origin-handled", "robustness", kRobustness, kMust,
    ({"MBX-CLI-02", "MBX-CLI-06"}),
    "a Read answered 307 to another path on the same origin: refused cleanly, or followed to the authentic answer") {
  const Share share = ctx.must_share();
  ctx.arm("redirect-307-same-origin");
  const ShimRun run = ctx.receive(share, ctx.path("recipient.state"), ctx.path("received.json"));
  if (!misbehaviour_applied(ctx.exchanges(), "redirect-307-same-origin"))
    ctx.abort_fail("receive made no Read (MBX-CLI-02)");
  const auto follows = followed(ctx.exchanges());
  if (follows.empty()) {
    ctx.note("the client did not follow the same-origin redirect");
    ctx.expect_rejected(run, share.marker, "receive answered with a same-origin redirect");
    return;
  }
  ctx.note("the client followed the same-origin redirect");
  for (const auto& request : follows) {
    ctx.check(request.method == "POST",
              "the redirected Read was re-sent as " + request.method + " (307 keeps the method)");
  }
  check_secret_never_sent(ctx, share.secret, follows);
  if (run.succeeded()) {
    const auto got = nlohmann::json::parse(run.out_text, nullptr, false);
    ctx.check(!got.is_discarded() && got == nlohmann::json::parse(share.plaintext),
              "after following the redirect, receive wrote something other than the shared plaintext");
  } else {
    ctx.expect_rejected(run, share.marker, "receive after following a same-origin redirect");
  }
}

TIGRESS_CASE(
    kClient, "client/robustness/untrusted-certificate-refused", "robustness", kConfidentiality, kMust,
    ({"MBX-CLI-02", "MBX-CLI-01"}),
    "--ca names a certificate that did not issue the relay's: share and receive fail without sending anything") {
  const Share share = ctx.must_share();
  const std::size_t before = ctx.exchanges().size();
  ctx.trust_unrelated_ca();
  const ShimRun receive = ctx.receive(share, ctx.path("recipient.state"), ctx.path("received.json"));
  ctx.expect_rejected(receive, share.marker, "receive from a relay whose certificate --ca did not issue");
  const Share second = ctx.share();
  ctx.expect_rejected(second.run, "", "share to a relay whose certificate --ca did not issue");
  ctx.check(second.run.outcome.stdout_text.find("/v1/m/") == std::string::npos, "share printed a share URL");
  const std::size_t sent = ctx.exchanges().size() - before;
  ctx.check(sent == 0, std::to_string(sent) + " requests reached a relay the client cannot have verified (4.2)");
}

// A mutating call the relay refuses (401) is a failure the user must see: exit non-zero.
void expect_refusal_reported(ClientCaseContext& ctx, const std::string& misbehaviour, const std::string& command) {
  const CompleteExchange exchange = complete_exchange(ctx, ShareOptions{"", "", "RWD", false});
  ctx.arm(misbehaviour);
  ShimRun run;
  if (command == "send") {
    std::string text, marker;
    run = ctx.send(exchange.share.state, text, marker);
  } else if (command == "delete") {
    run = ctx.remove(exchange.share.state);
  } else {
    run = ctx.relinquish(exchange.recipient_state);
  }
  if (run.unsupported()) ctx.skip(command + " unsupported (exit 89)");
  if (!misbehaviour_applied(ctx.exchanges(), misbehaviour))
    ctx.abort_fail(command + " made no request (" + run.describe() + ")");
  if (!ctx.check(run.finished(), command + " refused by the relay: " + run.describe())) return;
  ctx.check(run.outcome.exit_code != 0,
            command + " exited 0 although the relay answered 401 (the refusal is not reported)");
}

TIGRESS_CASE(kClient, "client/robustness/refused-update-fails", "robustness", kRobustness, kMust,
             ({"MBX-CLI-06", "MBX-ENC-07"}), "the relay answers the Update 401: send exits non-zero") {
  expect_refusal_reported(ctx, "force-401-on-update", "send");
}

TIGRESS_CASE(kClient, "client/robustness/refused-delete-fails", "robustness", kRobustness, kShould, ({"MBX-CLI-04"}),
             "the relay answers the Delete 401: delete exits non-zero") {
  expect_refusal_reported(ctx, "force-401-on-delete", "delete");
}

TIGRESS_CASE(kClient, "client/robustness/refused-relinquish-fails", "robustness", kRobustness, kMust, ({"MBX-CLI-02"}),
             "the relay answers the Relinquish 401: relinquish exits non-zero") {
  expect_refusal_reported(ctx, "force-401-on-relinquish", "relinquish");
}

}  // namespace
}  // namespace tigress::conformance::client_suite
