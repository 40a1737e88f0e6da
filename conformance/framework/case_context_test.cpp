// What a case records when the run goes through a gateway: the extra headers are on the wire
// and in the wire log, but their values are redacted everywhere the report shows them, even
// when the target echoes them back.
#include "conformance/framework/case_context.hpp"

#include <functional>
#include <thread>

#include <gtest/gtest.h>

#include "conformance/framework/answering_target_test_support.hpp"
#include "conformance/framework/runner.hpp"
#include "harness/raw_server_test_support.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::conformance {
namespace {

using harness::testing::Connection;
using harness::testing::RawServer;
using testing::AnsweringTarget;

TEST(CaseContextGateway, HeaderValuesReachTheTargetButNeverTheReport) {
  auto material = tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
  ASSERT_TRUE(material.ok());
  harness::testing::TempFile ca(material->cert_pem);
  std::atomic<bool> saw_key{false};
  RawServer server(&*material, [&](Connection& c) {
    const std::string head = c.read_head();
    if (head.find("\r\nX-Api-Key: s3cret\r\n") != std::string::npos) saw_key = true;
    const std::string body = "{\"echo\":\"s3cret\"}";  // a hostile target repeats the secret
    c.write("HTTP/1.1 200 OK\r\nX-Echo: s3cret\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  });

  RunOptions options;
  options.target = harness::Target{"127.0.0.1", server.port(), ""};
  options.tls.ca_file = ca.path();
  options.connection.extra_headers = {{"X-Api-Key", "s3cret"}};
  const CaseDefinition definition{"gateway/redaction", "4", Category::kRobustness, Level::kMust, {}, "t", {}};
  CaseContext ctx(definition, options);
  harness::HttpRequest request;
  request.target = "/v1/m";
  auto response = ctx.try_send(request);
  ASSERT_TRUE(response.ok()) << response.error().message();
  auto raw = ctx.try_send_raw("GET /v1/m HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", "raw");
  ASSERT_TRUE(raw.ok()) << raw.error().message();
  ctx.note("the target said " + response->body);
  const CaseResult result = ctx.finish(Verdict::kPass, "", 1);

  EXPECT_TRUE(saw_key.load()) << "the header reached the target";
  ASSERT_EQ(result.wire.size(), 2u);
  for (const auto& exchange : result.wire) {
    EXPECT_EQ(exchange.request.find("s3cret"), std::string::npos) << exchange.request;
    EXPECT_EQ(exchange.response.find("s3cret"), std::string::npos) << exchange.response;
    EXPECT_NE(exchange.request.find("X-Api-Key: <redacted:header X-Api-Key>"), std::string::npos) << exchange.request;
  }
  EXPECT_EQ(result.detail.find("s3cret"), std::string::npos) << result.detail;
}

const CaseDefinition kControlled{"6.1/controlled", "6.1", Category::kMessageFormat, Level::kAdvisory, {}, "t", {}};

// A case against `target` that sends its positive control (`control`) and then, had the control
// passed, its varied request with the reading it would record.
struct ControlledRun {
  CaseResult result;
  bool varied_sent = false;
};
ControlledRun run_controlled(const AnsweringTarget& target, const std::function<void(CaseContext&)>& control) {
  CaseContext ctx(kControlled, target.options);
  ControlledRun run;
  run.result = run_one(ctx, [&] {
    control(ctx);
    run.varied_sent = true;
    ctx.reading("unknown members refused with 400 (AMB-59 lenient)");
  });
  return run;
}

// The case ended BLOCKED without sending its varied request, its detail opening with `opening`.
void expect_blocked_opening(const ControlledRun& run, const std::string& opening) {
  EXPECT_FALSE(run.varied_sent);
  EXPECT_EQ(run.result.verdict, Verdict::kBlocked) << run.result.detail;
  EXPECT_EQ(run.result.detail.find(opening), 0u) << run.result.detail;
}

// No PASS on a refusal without a positive control: a target refusing the control gives BLOCKED
// with its answer (status, its body escaped and bounded), and the reading the case would have
// recorded is not recorded.
TEST(CaseContextControl, ARefusedControlBlocksTheCaseWithTheAnswer) {
  const std::string body = "{\"error\":\"bad\\u0001\x01" + std::string(400, 'z') + "\"}";
  AnsweringTarget target(400, body);
  const ControlledRun run = run_controlled(target, [](CaseContext& ctx) { ctx.control_create(); });
  expect_blocked_opening(run,
                         "positive control refused: CreateMailbox with a valid body (the request without the "
                         "varied element) answered 400 Answer: {\"error\":\"bad\\u0001\\x01zzz");
  const std::string& detail = run.result.detail;
  EXPECT_NE(detail.find("more bytes]"), std::string::npos) << "the body is bounded: " << detail;
  EXPECT_EQ(detail.find(std::string(300, 'z')), std::string::npos) << detail;
  EXPECT_EQ(detail.find("AMB-59"), std::string::npos) << "no reading for a BLOCKED case: " << detail;
  EXPECT_EQ(detail.find('\n'), std::string::npos) << detail;
}

TEST(CaseContextControl, AControlTakenLetsTheCaseRecordItsReading) {
  AnsweringTarget target(200, R"({"urlLink":"https://127.0.0.1/v1/m/0b7f7ac4-3c5e-4d71-9c39-8a8f7ec5d3b1"})");
  CaseContext ctx(kControlled, target.options);
  const CaseResult result = run_one(ctx, [&] {
    const auto control = ctx.control_create();
    EXPECT_EQ(control.status, 200);
    ctx.reading("unknown members refused with 400 (AMB-59 lenient)");
  });
  EXPECT_EQ(result.verdict, Verdict::kPass) << result.detail;
  EXPECT_EQ(result.detail, "note: unknown members refused with 400 (AMB-59 lenient)");
}

// A control answered with a server error is BLOCKED just the same, with the 5xx: a relay failing
// the request without the varied element says nothing about the varied one either.
TEST(CaseContextControl, AControlAnsweredWithAServerErrorBlocksTheCase) {
  AnsweringTarget target(503, R"({"error":"overloaded"})");
  const ControlledRun run = run_controlled(target, [](CaseContext& ctx) {
    ctx.control(ctx.read_request(MailboxRef{"id", "/v1/m/id", "", "", {}}, ctx.uuid()), "READ with a claim");
  });
  expect_blocked_opening(run,
                         "positive control refused: READ with a claim (the request without the varied element) "
                         "answered 503 Answer: {\"error\":\"overloaded\"}");
  EXPECT_EQ(run.result.detail.find("note: "), std::string::npos) << run.result.detail;
}

// ---- the claim scan on every path an answer comes back by -------------------------------------

constexpr const char* kLeakedClaim = "0b7f7ac4-3c5e-4d71-9c39-8a8f7ec5d3b1";
const CaseDefinition kScanned{"8.1/scanned", "8.1", Category::kAntiReplay, Level::kMust, {}, "t", {}};

harness::HttpRequest request_with_claim(const std::string& claim) {
  harness::HttpRequest request;
  request.method = "POST";
  request.target = "/v1/m/0e2b8d7a-51a4-4c3e-9a35-6d2b1f0c9e47";
  request.headers = {{"Mailbox-Device-Claim", claim}};
  return request;
}

std::string raw_with_claim(const std::string& claim) {
  return "POST /v1/m/0e2b8d7a-51a4-4c3e-9a35-6d2b1f0c9e47 HTTP/1.1\r\nHost: 127.0.0.1\r\nMailbox-Device-Claim: " +
         claim + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
}

// The violations the claim scan recorded (MBX-BIND-02), each with the exchange it quotes.
std::vector<Finding> leaks_in(const CaseResult& result) {
  std::vector<Finding> leaks;
  for (const Finding& finding : result.findings) {
    if (finding.requirement == "MBX-BIND-02") leaks.push_back(finding);
  }
  return leaks;
}

// The owner of the claim sees it in the answer (no finding); another party seeing it, through
// the case's own thread with its own client, is a violation recorded on the case's thread.
TEST(CaseContextClaimScan, AnswersOnTheCasesOwnThreadsAreScanned) {
  AnsweringTarget target(200, std::string("{\"holder\":\"") + kLeakedClaim + "\"}");
  CaseContext ctx(kScanned, target.options);
  const CaseResult result = run_one(ctx, [&] {
    ASSERT_TRUE(ctx.try_send(request_with_claim(kLeakedClaim)).ok());
    Result<harness::HttpResponse> other = make_error("not sent");
    std::thread thread([&] {
      harness::WireClient client(target.options.target, target.options.tls, target.options.limits,
                                 target.options.connection);
      other = ctx.send_from_thread(client, request_with_claim(ctx.uuid()));
    });
    thread.join();
    ASSERT_TRUE(other.ok()) << other.error().message();
  });
  EXPECT_EQ(result.verdict, Verdict::kFail) << result.detail;
  const auto leaks = leaks_in(result);
  ASSERT_EQ(leaks.size(), 1u) << result.detail;
  EXPECT_NE(leaks[0].step.find("of another party than the requester"), std::string::npos) << leaks[0].step;
  EXPECT_EQ(leaks[0].exchange, "ReadSecureContentFromMailbox") << result.detail;
}

TEST(CaseContextClaimScan, ThreadsSeeingOnlyTheirOwnClaimLeakNothing) {
  AnsweringTarget target(200, std::string("{\"holder\":\"") + kLeakedClaim + "\"}");
  CaseContext ctx(kScanned, target.options);
  const CaseResult result = run_one(ctx, [&] {
    std::thread thread([&] {
      harness::WireClient client(target.options.target, target.options.tls, target.options.limits,
                                 target.options.connection);
      EXPECT_TRUE(ctx.send_from_thread(client, request_with_claim(kLeakedClaim)).ok());
    });
    thread.join();
  });
  EXPECT_EQ(result.verdict, Verdict::kPass) << result.detail;
}

TEST(CaseContextClaimScan, RawRequestsAreScannedWithTheClaimTheirBytesCarry) {
  AnsweringTarget target(200, std::string("{\"holder\":\"") + kLeakedClaim + "\"}");
  CaseContext ctx(kScanned, target.options);
  const CaseResult result = run_one(ctx, [&] {
    ASSERT_TRUE(ctx.try_send_raw(raw_with_claim(kLeakedClaim), "owner").ok());  // its own claim: no leak
    ASSERT_TRUE(ctx.try_send_raw(raw_with_claim(ctx.uuid()), "other party").ok());
  });
  EXPECT_EQ(result.verdict, Verdict::kFail) << result.detail;
  const auto leaks = leaks_in(result);
  ASSERT_EQ(leaks.size(), 1u) << result.detail;
  EXPECT_EQ(leaks[0].exchange, "raw other party") << result.detail;
}

TEST(CaseContextClaimScan, CleartextAnswersAreScanned) {
  const std::string body = std::string("{\"holder\":\"") + kLeakedClaim + "\"}";
  RawServer plain(nullptr, [&](Connection& c) {
    while (!c.read_head().empty()) {
      c.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
              "\r\n\r\n" + body);
    }
  });
  RunOptions options;
  options.target = harness::Target{"127.0.0.1", plain.port(), ""};
  CaseContext ctx(kScanned, options);
  const CaseResult result = run_one(ctx, [&] {
    ASSERT_TRUE(ctx.try_send_cleartext(raw_with_claim(kLeakedClaim)).ok());
    ASSERT_TRUE(ctx.try_send_cleartext(raw_with_claim(ctx.uuid())).ok());
  });
  EXPECT_EQ(result.verdict, Verdict::kFail) << result.detail;
  const auto leaks = leaks_in(result);
  ASSERT_EQ(leaks.size(), 1u) << result.detail;
  EXPECT_EQ(leaks[0].exchange, "cleartext TCP") << result.detail;
}

// A canonical setup request refused is the target's FAIL (here of an ADVISORY case), with the
// refusal as the cause; not an ERROR "precondition".
TEST(CaseContextSetup, ARefusedSetupRequestFailsTheCaseWithTheAnswer) {
  AnsweringTarget target(400, R"({"error":"mailboxConfiguration is required"})");
  CaseContext ctx(kControlled, target.options);
  const CaseResult result = run_one(ctx, [&] { ctx.create_mailbox(); });
  EXPECT_EQ(result.verdict, Verdict::kFail) << result.detail;
  EXPECT_EQ(result.detail, R"(setup: CreateMailbox answered 400 Answer: {"error":"mailboxConfiguration is required"})");
}

TEST(CaseContextSetup, ACreateAnsweredWithoutAUrlLinkFailsTheSetup) {
  AnsweringTarget target(200, R"({"isPushNotificationSupported":false})");
  CaseContext ctx(kControlled, target.options);
  const CaseResult result = run_one(ctx, [&] { ctx.create_mailbox(); });
  EXPECT_EQ(result.verdict, Verdict::kFail) << result.detail;
  EXPECT_EQ(result.detail,
            R"(setup: CreateMailbox answered 200 without a urlLink: {"isPushNotificationSupported":false})");
}

// Only a missing answer is an ERROR: the suite could not complete the exchange.
TEST(CaseContextSetup, NoAnswerAtAllIsAnError) {
  RunOptions options;
  options.target = harness::Target{"127.0.0.1", 1, ""};
  options.limits.timeout = std::chrono::milliseconds(2000);
  CaseContext ctx(kControlled, options);
  const CaseResult result = run_one(ctx, [&] { ctx.create_mailbox(); });
  EXPECT_EQ(result.verdict, Verdict::kError) << result.detail;
  EXPECT_EQ(result.detail.find("no HTTP response"), 0u) << result.detail;
}
}  // namespace
}  // namespace tigress::conformance
