// Client cases for draft section 5.1 (Mailbox-Request-ID): present and fresh on every request,
// the echo checked, and a lost response retried with the same ID and claim.
#include <map>
#include <set>

#include "conformance/client_cases/case_support.hpp"
#include "reference/codec/headers.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::conformance::client_suite {
namespace {

const std::string kRequestId(codec::kRequestIdHeader);
// A flow over every endpoint that carries a Request-ID.
void every_endpoint(ClientCaseContext& ctx) {
  const CompleteExchange exchange = complete_exchange(ctx, ShareOptions{"", "", "RWD", false});
  std::string text, marker;
  ctx.must(ctx.send(exchange.share.state, text, marker), "send (initiator)");
  ctx.must(ctx.relinquish(exchange.recipient_state), "relinquish");
  ctx.must(ctx.remove(exchange.share.state), "delete");
}

TIGRESS_CASE(kClient, "client/5.1/request-id-present", "5.1", kAntiReplay, kMust, ({"MBX-RID-01"}),
             "Create, Update, Delete and Relinquish each carry exactly one Mailbox-Request-ID") {
  // Judged on whatever was sent, even when a step fails (e.g. the relay refuses a Create
  // without the header): the missing header is the finding, not the failed step.
  try {
    every_endpoint(ctx);
  } catch (const CaseStop&) {
    for (const auto& request : ctx.exchanges()) {
      const Operation op = request.operation;
      if (op != Operation::kCreate && op != Operation::kUpdate && op != Operation::kDelete &&
          op != Operation::kRelinquish)
        continue;
      ctx.check(request.header_count(kRequestId) == 1, std::string(operation_name(op)) + " carries " +
                                                           std::to_string(request.header_count(kRequestId)) +
                                                           " Mailbox-Request-ID headers");
    }
    throw;
  }
  int checked = 0;
  for (const auto& request : ctx.exchanges()) {
    const Operation op = request.operation;
    if (op != Operation::kCreate && op != Operation::kUpdate && op != Operation::kDelete &&
        op != Operation::kRelinquish)
      continue;
    ++checked;
    ctx.check(request.header_count(kRequestId) == 1, std::string(operation_name(op)) + " carries " +
                                                         std::to_string(request.header_count(kRequestId)) +
                                                         " Mailbox-Request-ID headers");
  }
  if (checked < 5) ctx.abort_fail("expected at least 5 mutating requests, saw " + std::to_string(checked));
  const auto reads = requests_of(ctx.exchanges(), Operation::kRead);
  int with_id = 0;
  for (const auto& read : reads) with_id += read.header(kRequestId) != nullptr ? 1 : 0;
  ctx.note(std::to_string(with_id) + " of " + std::to_string(reads.size()) +
           " Reads carried a Request-ID (not required)");
}

TIGRESS_CASE(kClient, "client/5.1/request-id-is-uuid", "5.1", kMessageFormat, kShould, ({"MBX-RID-02"}),
             "every Mailbox-Request-ID value is a UUID") {
  every_endpoint(ctx);
  const auto ids = header_values(ctx.exchanges(), kRequestId);
  if (ids.empty()) ctx.abort_fail("no Request-ID recorded");
  for (const auto& id : ids)
    ctx.check(codec::parse_uuid(id).ok(), "Mailbox-Request-ID \"" + id.substr(0, 80) + "\" is not a UUID");
}

TIGRESS_CASE(kClient, "client/5.1/request-id-fresh", "5.1", kAntiReplay, kMust, ({"MBX-RID-01", "MBX-RID-02"}),
             "no two requests of a run without lost responses share a Mailbox-Request-ID") {
  every_endpoint(ctx);
  ctx.must_share();  // a second share: IDs must not repeat across shares either
  std::map<std::string, int> seen;
  for (const auto& id : header_values(ctx.exchanges(), kRequestId)) ++seen[id];
  if (seen.empty()) ctx.abort_fail("no Request-ID recorded");
  for (const auto& [id, count] : seen) {
    ctx.check(count == 1, "one Mailbox-Request-ID is used by " + std::to_string(count) +
                              " requests (5.1: a new request gets a new ID)");
  }
}

// The echo is judged only on a Read that carried a Mailbox-Request-ID: draft 6.5 lists none
// for Read (MBX-RID-01, AMB-06), and a Read without one gets an authentic answer with nothing
// to mismatch, which the client may use.
void expect_echo_refused(ClientCaseContext& ctx, const std::string& misbehaviour, const std::string& what) {
  const Share share = ctx.must_share();
  ctx.arm(misbehaviour);
  const ShimRun run = ctx.receive(share, ctx.path("recipient.state"), ctx.path("received.json"));
  const auto reads = requests_of(ctx.exchanges(), Operation::kRead);
  if (reads.empty()) ctx.abort_fail("receive made no Read (MBX-CLI-02; " + run.describe() + ")");
  if (!misbehaviour_applied(reads, misbehaviour)) {
    for (const auto& read : reads) {
      if (read.header(kRequestId) != nullptr)
        ctx.abort_error("'" + misbehaviour + "' found nothing to rewrite in a Read answer");
    }
    ctx.note(
        "the client's Reads carry no Mailbox-Request-ID (not listed for Read: MBX-RID-01, AMB-06); "
        "no echo to check, the authentic answer was used");
    ctx.must(run, "receive");
    return;
  }
  ctx.expect_rejected(run, share.marker, what);
}

TIGRESS_CASE(kClient, "client/5.1/echo-mismatch-rejected", "5.1", kAntiReplay, kMust, ({"MBX-RID-04", "MBX-CLI-05"}),
             "a Read answered with another Mailbox-Request-ID is not used: receive fails and outputs nothing") {
  expect_echo_refused(ctx, "mismatched-request-id", "receive answered with a mismatched Request-ID echo");
}

TIGRESS_CASE(kClient, "client/5.1/echo-mismatch-on-create-rejected", "5.1", kAntiReplay, kMust,
             ({"MBX-RID-04", "MBX-CLI-05", "MBX-CLI-01"}),
             "a Create answered with another Mailbox-Request-ID: share fails and prints no share URL") {
  ctx.arm("mismatched-request-id-on-create");
  const Share share = ctx.share();
  if (share.run.unsupported()) ctx.skip("share unsupported");
  if (!misbehaviour_applied(ctx.exchanges(), "mismatched-request-id-on-create")) {
    ctx.abort_fail(requests_of(ctx.exchanges(), Operation::kCreate).empty()
                       ? "share made no Create (MBX-CLI-01)"
                       : "the Create carried no Mailbox-Request-ID (MBX-RID-01), so it has no echo to check");
  }
  ctx.expect_rejected(share.run, "", "share answered with a mismatched Request-ID echo");
  ctx.check(share.run.outcome.stdout_text.find("/v1/m/") == std::string::npos,
            "share printed a share URL built on the unverified answer");
}

TIGRESS_CASE(kClient, "client/5.1/missing-echo-rejected", "5.1", kAntiReplay, kMust, ({"MBX-RID-04", "MBX-CLI-05"}),
             "a 200 Read without the Mailbox-Request-ID echo is not used: receive fails and outputs nothing") {
  expect_echo_refused(ctx, "missing-echo", "receive answered without a Request-ID echo");
}

// After `misbehaviour` dropped the first response to `operation`, a retry (if any) repeats the
// request's ID and claim. Returns true when the client retried.
bool check_retry(ClientCaseContext& ctx, Operation operation, const std::string& misbehaviour) {
  const auto requests = requests_of(ctx.exchanges(), operation);
  if (requests.empty() || !misbehaviour_applied(requests, misbehaviour)) {
    ctx.abort_fail("no " + std::string(operation_name(operation)) + " response was dropped");
  }
  std::size_t dropped = 0;
  while (dropped < requests.size() && requests[dropped].misbehaviour.empty()) ++dropped;
  if (dropped + 1 >= requests.size()) {
    ctx.note("the client did not retry after the lost response (5.1 MAY)");
    return false;
  }
  const auto& lost = requests[dropped];
  const auto& retry = requests[dropped + 1];
  const std::string* lost_id = lost.header(kRequestId);
  const std::string* retry_id = retry.header(kRequestId);
  if (lost_id != nullptr) {
    ctx.check(retry_id != nullptr && *retry_id == *lost_id,
              "the retry of " + std::string(operation_name(operation)) +
                  " carries a new Mailbox-Request-ID (5.1: the same one)");
  }
  const std::string* lost_claim = lost.header(kClaim);
  const std::string* retry_claim = retry.header(kClaim);
  ctx.check(lost_claim != nullptr && retry_claim != nullptr && *lost_claim == *retry_claim,
            "the retry of " + std::string(operation_name(operation)) + " carries another claim");
  return true;
}

TIGRESS_CASE(kClient, "client/5.1/retry-keeps-request-id", "5.1", kAntiReplay, kMust, ({"MBX-RID-05", "MBX-RID-01"}),
             "the Create response is lost: a retry repeats its Mailbox-Request-ID and claim") {
  ctx.arm("drop-create-response-once");
  const Share share = ctx.share();
  if (share.run.unsupported()) ctx.skip("share unsupported");
  if (check_retry(ctx, Operation::kCreate, "drop-create-response-once")) {
    ctx.check(share.run.succeeded(), "share failed after its retry was answered: " + share.run.describe());
  } else {
    ctx.expect_rejected(share.run, "", "share without any answer to its Create");
  }
}

TIGRESS_CASE(kClient, "client/5.1/retry-on-read-keeps-request-id", "5.1", kAntiReplay, kMay, ({"MBX-RID-05"}),
             "the first Read response is lost: a retry repeats its Mailbox-Request-ID (when it had one) and claim") {
  const Share share = ctx.must_share();
  ctx.arm("drop-read-response-once");
  const ShimRun run = ctx.receive(share, ctx.path("recipient.state"), ctx.path("received.json"));
  if (check_retry(ctx, Operation::kRead, "drop-read-response-once")) {
    ctx.check(run.succeeded(), "receive failed after its retry was answered: " + run.describe());
  } else {
    ctx.expect_rejected(run, share.marker, "receive without an answer to its Read");
  }
}

TIGRESS_CASE(kClient, "client/5.1/retry-on-update-keeps-request-id", "5.1", kAntiReplay, kMay, ({"MBX-RID-05"}),
             "the Update response is lost: a retry repeats its Mailbox-Request-ID and claim") {
  const Share share = ctx.must_share();
  ctx.arm("drop-update-response-once");
  std::string text, marker;
  const ShimRun run = ctx.send(share.state, text, marker);
  if (check_retry(ctx, Operation::kUpdate, "drop-update-response-once")) {
    ctx.check(run.succeeded(), "send failed although the relay acknowledged the retry (201): " + run.describe());
  }
}

TIGRESS_CASE(kClient, "client/5.1/lost-create-makes-one-mailbox", "5.1", kAntiReplay, kMust,
             ({"MBX-RID-05", "MBX-CLI-01"}),
             "after a lost Create response the share URL names the one mailbox the relay created") {
  ctx.arm("drop-create-response-once");
  const Share share = ctx.share();
  if (share.run.unsupported()) ctx.skip("share unsupported");
  int created = 0;
  std::string path;
  for (const auto& request : requests_of(ctx.exchanges(), Operation::kCreate)) {
    const auto body = nlohmann::json::parse(request.response_body, nullptr, false);
    if (request.status == 200 || (!request.misbehaviour.empty() && body.is_object() && body.contains("urlLink"))) {
      ++created;
      if (path.empty() && body.contains("urlLink") && body["urlLink"].is_string())
        path = mailbox_path_of(body["urlLink"].get<std::string>());
    }
  }
  ctx.check(created == 1, std::to_string(created) + " mailboxes were created for one share");
  if (share.run.succeeded()) {
    ctx.check(!path.empty() && mailbox_path_of(share.url) == path,
              "the share URL does not name the mailbox the first Create made");
  } else {
    ctx.note("share gave up after the lost response: " + share.run.describe());
  }
}

}  // namespace
}  // namespace tigress::conformance::client_suite
