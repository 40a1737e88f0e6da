// Client robustness cases: a hostile or broken relay (malformed or mislabelled answers, huge or
// slow ones, errors, expiry, silence) must make the client fail cleanly: a non-zero exit within a
// bounded time and no unauthenticated output (draft 8.2.1: the client verifies what it uses).
#include "conformance/client_cases/case_support.hpp"

namespace tigress::conformance::client_suite {
namespace {

TIGRESS_CASE(kClient, "client/robustness/malformed-json-rejected", "robustness", kRobustness, kMust,
             ({"MBX-CLI-06", "MBX-ENC-07"}), "a Read body cut in half: receive exits non-zero and outputs nothing") {
  expect_receive_refused(ctx, "malformed-json", "receive of a malformed JSON body");
}

TIGRESS_CASE(kClient, "client/robustness/wrong-content-type-rejected", "robustness", kRobustness, kMust,
             ({"MBX-CLI-06"}), "a correct Read body labelled text/plain: receive exits non-zero and outputs nothing") {
  expect_receive_refused(ctx, "wrong-content-type", "receive of a JSON body served as text/plain");
}

TIGRESS_CASE(kClient, "client/robustness/oversized-response-rejected", "robustness", kRobustness, kMust,
             ({"MBX-CLI-06"}), "a Read answer of several MiB: receive exits non-zero and outputs nothing") {
  expect_receive_refused(ctx, "oversized-response", "receive of an oversized answer");
}

// It waits in real time for the client's own timeout: started first, beside the others.
TIGRESS_SLOW_CASE(
    kClient, "client/robustness/slow-relay-times-out", "robustness", kRobustness, kMay, ({"MBX-RID-05", "MBX-CLI-05"}),
    "with --timeout 2 and a relay that stalls every answer, receive gives up (non-zero) before the suite's deadline") {
  const Share share = ctx.must_share();
  ctx.arm("slow-response");
  // The relay stalls longer than this deadline: only the client's own timeout can end the call.
  const auto deadline =
      std::chrono::milliseconds(std::min<long long>(10000, ctx.options().tuning.stall.count() - 1000));
  const std::vector<std::string> args{
      "--url", share.url, "--state", ctx.path("recipient.state"), "--out", ctx.path("received.json")};
  const ShimRun run = ctx.run("receive", args, 2, deadline);
  if (!misbehaviour_applied(ctx.exchanges(), "slow-response") && run.finished()) {
    ctx.abort_fail("receive made no request to stall (" + run.describe() + ")");
  }
  ctx.check(!run.outcome.timed_out, "receive still waited for the stalled relay at the suite's deadline (" +
                                        std::to_string(deadline.count()) + " ms)");
  ctx.expect_rejected(run, share.marker, "receive from a stalled relay");
}

TIGRESS_CASE(kClient, "client/robustness/expired-mailbox-rejected", "robustness", kExpiry, kMust,
             ({"MBX-CLI-02", "MBX-CLI-06"}),
             "the mailbox has expired (404): receive exits non-zero and outputs nothing") {
  expect_receive_refused(ctx, "force-404-expired", "receive of an expired mailbox");
}

TIGRESS_CASE(kClient, "client/robustness/unauthorized-rejected", "robustness", kRobustness, kMust,
             ({"MBX-CLI-02", "MBX-CLI-06"}),
             "the relay answers the Read 401: receive exits non-zero and outputs nothing") {
  expect_receive_refused(ctx, "force-401", "receive answered 401");
}

TIGRESS_CASE(kClient, "client/robustness/refused-create-no-share-url", "robustness", kRobustness, kMust,
             ({"MBX-CLI-01"}), "the relay answers the Create 401: share exits non-zero and prints no share URL") {
  ctx.arm("force-401-on-create");
  const Share share = ctx.share();
  if (!misbehaviour_applied(ctx.exchanges(), "force-401-on-create") && !share.run.unsupported()) {
    ctx.abort_fail("share made no Create");
  }
  ctx.expect_rejected(share.run, "", "share answered 401");
  ctx.check(share.run.outcome.stdout_text.find("/v1/m/") == std::string::npos,
            "share printed a share URL without a mailbox");
}

TIGRESS_CASE(kClient, "client/robustness/silent-relay-fails-cleanly", "robustness", kRobustness, kMust,
             ({"MBX-CLI-01", "MBX-RID-05"}),
             "a relay that never answers: share exits non-zero within the deadline and prints no share URL") {
  ctx.arm("drop-every-response");
  const Share share = ctx.share();
  ctx.expect_rejected(share.run, "", "share against a relay that never answers");
  ctx.check(share.run.outcome.stdout_text.find("/v1/m/") == std::string::npos,
            "share printed a share URL without an answer");
  ctx.note(std::to_string(requests_of(ctx.exchanges(), Operation::kCreate).size()) + " Create attempts");
}

}  // namespace
}  // namespace tigress::conformance::client_suite
