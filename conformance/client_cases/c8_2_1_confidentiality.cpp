// Client cases for draft section 8.2.1 (and its share-URL side in 7.3): the secret never reaches
// the relay, the fragment is stripped (Read and preview alike), and content that does not
// authenticate is refused without output.
#include <initializer_list>
#include <regex>

#include "conformance/client_cases/case_support.hpp"

namespace tigress::conformance::client_suite {
namespace {

// Every endpoint a client uses, both roles: the widest net for the secret.
void secret_search_flow(ClientCaseContext& ctx, const ShareOptions& options) {
  const CompleteExchange exchange = complete_exchange(ctx, options);
  std::string text, marker;
  ctx.must(ctx.send(exchange.share.state, text, marker), "send (initiator)");
  ctx.must(ctx.read(exchange.recipient_state, ctx.path("recipient-read.json")), "read (recipient)");
  const auto all = ctx.exchanges();
  const std::size_t searched = check_secret_never_sent(ctx, exchange.share.secret, all);
  ctx.note(std::to_string(searched) + " requests searched for " +
           std::to_string(secret_spellings(exchange.share.secret).size()) + " spellings of the secret");
}

// Targets of requests made for a share URL: the bare mailbox address (with at most ?v=), never
// the fragment, raw, percent-encoded or as the secret in any spelling.
void check_mailbox_targets(ClientCaseContext& ctx, const Share& share, bool vertical_allowed,
                           std::initializer_list<const std::vector<RecordedExchange>*> lists) {
  const std::string path = mailbox_path_of(share.url);
  const std::regex allowed(vertical_allowed ? "(\\?v=[ahc])?" : "");
  const auto spellings = secret_spellings(share.secret);
  for (const auto* list : lists) {
    for (const auto& request : *list) {
      const std::string& target = request.target;
      ctx.check(target.find('#') == std::string::npos, "a request target contains '#' (the fragment)");
      std::string lower = target;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      ctx.check(lower.find("%23") == std::string::npos, "a request target contains %23, a percent-encoded fragment");
      if (auto found = find_spelling(target, spellings))
        ctx.check(false, "a request target carries the secret as " + *found);
      ctx.check(
          target.rfind(path, 0) == 0 && std::regex_match(target.substr(std::min(path.size(), target.size())), allowed),
          "request target \"" + target + "\" is not the mailbox address " + path +
              (vertical_allowed ? " (optionally with ?v=)" : ""));
    }
  }
}

// The Read requests of a receive (and any preview it fetched) go to the bare mailbox address.
void check_read_targets(ClientCaseContext& ctx, const Share& share, bool vertical_allowed) {
  const auto reads = requests_of(ctx.exchanges(), Operation::kRead);
  const auto previews = requests_of(ctx.exchanges(), Operation::kPreview);
  if (reads.empty()) ctx.abort_fail("the recipient made no Read request");
  check_mailbox_targets(ctx, share, vertical_allowed, {&reads, &previews});
}

TIGRESS_CASE(kClient, "client/8.2.1/secret-never-sent", "8.2.1", kConfidentiality, kMust,
             ({"MBX-URL-04", "MBX-URL-05", "TM-08"}),
             "no request of either role carries the share secret: raw, base64, base64url, hex or percent-encoded") {
  secret_search_flow(ctx, {});
}

TIGRESS_CASE(kClient, "client/8.2.1/secret-never-sent-aes-256", "8.2.1", kConfidentiality, kMust,
             ({"MBX-URL-04", "MBX-URL-05", "TM-08"}),
             "with a 256-bit secret too, no request of either role carries it in any encoding") {
  secret_search_flow(ctx, ShareOptions{"AEAD_AES_256_GCM", "", "", false});
}

TIGRESS_CASE(kClient, "client/8.2.1/fragment-stripped-on-read", "8.2.1", kConfidentiality, kMust,
             ({"MBX-URL-05", "TM-08"}),
             "the recipient's Read goes to the mailbox address only: no fragment, raw or percent-encoded") {
  const Share share = ctx.must_share();
  const ShimRun run = ctx.receive(share, ctx.path("recipient.state"), ctx.path("received.json"));
  check_read_targets(ctx, share, true);
  ctx.must(run, "receive");
}

// A messaging app (or the client on its behalf) fetches the OpenGraph card of the pasted share
// URL (6.4): that GET is as exposed as any API call, so the fragment is stripped there too.
TIGRESS_CASE(
    kClient, "client/8.2.1/fragment-stripped-on-preview", "8.2.1", kConfidentiality, kMust, ({"MBX-URL-05", "TM-08"}),
    "the preview GET of a share URL goes to the mailbox address only: no fragment, no secret in any encoding") {
  const Share share = ctx.must_share();
  const ShimRun run = ctx.run("preview", {"--url", share.url, "--out", ctx.path("preview.html")});
  // The command is optional in the shim contract: without it there is nothing to judge.
  if (run.unsupported()) ctx.skip("the client has no preview command (exit 89)");
  const auto previews = requests_of(ctx.exchanges(), Operation::kPreview);
  if (previews.empty()) ctx.abort_fail("the client made no preview GET (" + run.describe() + ")");
  check_mailbox_targets(ctx, share, true, {&previews});
  // Headers and body too: raw holds the whole request as it arrived.
  check_secret_never_sent(ctx, share.secret, previews);
  ctx.must(run, "preview");
  ctx.check(run.out_written, "preview exited 0 but wrote no page to --out");
}

TIGRESS_CASE(
    kClient, "client/8.2.1/fragment-stripped-with-vertical", "8.2.1", kConfidentiality, kMust,
    ({"MBX-URL-05", "MBX-URL-03"}),
    "a share URL with ?v=c: the Read target is the mailbox address (with at most the query), never the fragment") {
  const Share share = ctx.must_share(ShareOptions{"", "c", "", false});
  const ShimRun run = ctx.receive(share, ctx.path("recipient.state"), ctx.path("received.json"));
  check_read_targets(ctx, share, true);
  ctx.must(run, "receive of a share URL with ?v=c");
}

TIGRESS_CASE(kClient, "client/8.2.1/tampered-ciphertext-rejected", "8.2.1", kConfidentiality, kMust,
             ({"MBX-ENC-07", "MBX-CLI-06"}), "one flipped ciphertext bit: receive exits non-zero and outputs nothing") {
  expect_receive_refused(ctx, "tamper-ciphertext", "receive of a payload with a flipped ciphertext bit");
}

TIGRESS_CASE(kClient, "client/8.2.1/tampered-tag-rejected", "8.2.1", kConfidentiality, kMust,
             ({"MBX-ENC-07", "MBX-CLI-06", "MBX-ENC-04"}),
             "one flipped tag bit: receive exits non-zero and outputs nothing") {
  expect_receive_refused(ctx, "tamper-tag", "receive of a payload with a flipped tag bit");
}

TIGRESS_CASE(kClient, "client/8.2.1/tampered-iv-rejected", "8.2.1", kConfidentiality, kMust,
             ({"MBX-ENC-07", "MBX-CLI-06", "MBX-ENC-04"}),
             "one flipped IV bit: receive exits non-zero and outputs nothing") {
  expect_receive_refused(ctx, "tamper-iv", "receive of a payload with a flipped IV bit");
}

TIGRESS_CASE(kClient, "client/8.2.1/truncated-payload-rejected", "8.2.1", kConfidentiality, kMust,
             ({"MBX-ENC-07", "MBX-ENC-03"}),
             "payload.data of 20 bytes (shorter than IV and tag): receive exits non-zero and outputs nothing") {
  expect_receive_refused(ctx, "truncate-payload", "receive of a truncated payload");
}

TIGRESS_CASE(kClient, "client/8.2.1/wrong-algorithm-rejected", "8.2.1", kConfidentiality, kMust,
             ({"MBX-ENC-06", "MBX-ENC-07"}),
             "payload.type names the other key size than the secret: receive exits non-zero and outputs nothing") {
  expect_receive_refused(ctx, "wrong-algorithm", "receive of a payload whose type does not match the secret");
}

TIGRESS_CASE(
    kClient, "client/8.2.1/tampered-reply-rejected-by-initiator", "8.2.1", kConfidentiality, kMust,
    ({"MBX-ENC-07", "MBX-CLI-06"}),
    "the initiator reading the recipient's reply with a flipped ciphertext bit exits non-zero, outputs nothing") {
  const Share share = ctx.must_share();
  const std::string recipient = ctx.must_receive(share);
  std::string reply, marker;
  ctx.must(ctx.send(recipient, reply, marker), "send (recipient)");
  ctx.arm("tamper-ciphertext");
  const ShimRun run = ctx.read(share.state, ctx.path("initiator-read.json"));
  if (!misbehaviour_applied(ctx.exchanges(), "tamper-ciphertext")) ctx.abort_fail("the initiator made no Read");
  ctx.expect_rejected(run, marker, "read of a tampered reply");
}

}  // namespace
}  // namespace tigress::conformance::client_suite
