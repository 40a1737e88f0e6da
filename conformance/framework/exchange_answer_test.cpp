// What a finding quotes of the target's answer, and the scan for other parties' device claims.
#include "conformance/framework/exchange_answer.hpp"

#include <gtest/gtest.h>

#include "conformance/framework/runner.hpp"

namespace tigress::conformance {
namespace {

harness::HttpResponse answer(int status, std::string body, harness::HeaderList headers = {}) {
  harness::HttpResponse response;
  response.status = status;
  response.reason = status == 500 ? "Internal Server Error" : "OK";
  response.headers = std::move(headers);
  response.body = std::move(body);
  return response;
}

harness::HttpRequest request(std::string method, std::string target, std::string claim = {}) {
  harness::HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  if (!claim.empty()) r.headers.push_back({"Mailbox-Device-Claim", claim});
  return r;
}

constexpr const char* kClaimA = "0f2c1b7e-6a1d-4c3e-9b2a-1d2e3f4a5b6c";
constexpr const char* kClaimB = "8a7b6c5d-4e3f-4a1b-8c9d-0e1f2a3b4c5d";

TEST(ExchangeAnswer, NamesTheOperationAndQuotesStatusTellingHeadersAndTheBodyOnOneLine) {
  const std::string id = "/v1/m/0b1c2d3e-4f50-4617-8899-aabbccddeeff";
  EXPECT_EQ(exchange_name(request("POST", "/base" + id), "/base"), "ReadSecureContentFromMailbox");
  EXPECT_EQ(exchange_name(request("POST", "/v1/m"), ""), "CreateMailbox");
  EXPECT_EQ(exchange_name(request("BREW", "/pot?x=1"), ""), "BREW /pot");

  const auto summary = summarize_answer(
      "ReadMailbox", answer(500, "line one\nline\x01two", {{"Content-Type", "text/plain"}, {"X-Other", "kept out"}}));
  EXPECT_EQ(summary.status, 500);
  EXPECT_EQ(summary.exchange, "ReadMailbox");
  EXPECT_EQ(summary.text,
            "HTTP 500 Internal Server Error (Content-Type: text/plain), body \"line one\\nline\\x01two\"");
}

TEST(ExchangeAnswer, TheBodyExcerptIsBoundedAndSaysHowLongTheBodyWas) {
  const auto summary = summarize_answer("CreateMailbox", answer(200, std::string(5000, 'x')));
  EXPECT_LT(summary.text.size(), kAnswerBodyExcerpt + 200);
  EXPECT_NE(summary.text.find("(5000 bytes)"), std::string::npos) << summary.text;
  EXPECT_EQ(summarize_answer("DeleteMailbox", answer(200, "")).text, "HTTP 200 OK, empty body");
}

TEST(ClaimLedger, AnAnswerCarryingAnotherPartysClaimIsFoundWhateverItsCase) {
  ClaimLedger ledger;
  EXPECT_EQ(ledger.sent(request("POST", "/v1/m", kClaimA)), kClaimA);
  const std::string b_upper = [] {
    std::string s = kClaimB;
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }();
  EXPECT_EQ(ledger.sent(request("POST", "/v1/m/x", b_upper)), kClaimB);  // registered lower case
  EXPECT_EQ(ledger.sent(request("GET", "/v1/m/x")), "");
  EXPECT_EQ(ledger.sent(request("POST", "/v1/m/x", "not-a-uuid")), "");  // malformed claims match nothing

  // The requester's own claim is no leak; another party's is, in the body or in a header.
  EXPECT_TRUE(ledger.foreign_claims_in(answer(200, std::string("{\"you\":\"") + kClaimA + "\"}"), kClaimA).empty());
  EXPECT_EQ(ledger.foreign_claims_in(answer(403, std::string("bound to ") + b_upper), kClaimA),
            std::vector<std::string>{kClaimB});
  EXPECT_EQ(ledger.foreign_claims_in(answer(200, "", {{"X-Initiator", kClaimA}}), kClaimB),
            std::vector<std::string>{kClaimA});
  // A preview carries no claim of its own: every claim in it is another party's.
  EXPECT_EQ(ledger.foreign_claims_in(answer(200, std::string(kClaimA) + kClaimB), "").size(), 2u);
}

class AnswerContext : public CaseRecorder {
 public:
  explicit AnswerContext(const CaseDefinition& definition) : CaseRecorder(definition, false, 8) {}
};

TEST(CaseRecorderFindings, ViolationsAndWarningsQuoteTheLastAnswerOrTheOneTheCheckNamed) {
  const CaseDefinition definition{"6.5/answers", "6.5", Category::kAntiReplay, Level::kMust, {"MBX-READ-05"}, "t", {}};
  AnswerContext ctx(definition);
  const CaseResult result = run_one(ctx, [&] {
    ctx.check(false, "before any exchange");
    ctx.set_last_answer({"ReadMailbox", 500, "HTTP 500, body \"boom\""});
    ctx.check(false, "READ(R): got 500, expected 200");
    ctx.warn("slow");
    ctx.check_answer(false, "leak", {"PreviewMailbox", 200, "HTTP 200, body \"x\""}, "MBX-BIND-02");
  });
  EXPECT_EQ(result.verdict, Verdict::kFail);
  ASSERT_EQ(result.findings.size(), 4u);
  EXPECT_EQ(result.findings[0].status, 0);
  EXPECT_EQ(result.findings[0].answer, "");
  EXPECT_EQ(result.findings[1].step, "READ(R): got 500, expected 200");
  EXPECT_EQ(result.findings[1].exchange, "ReadMailbox");
  EXPECT_EQ(result.findings[1].status, 500);
  EXPECT_EQ(result.findings[1].answer, "HTTP 500, body \"boom\"");
  EXPECT_EQ(result.findings[2].kind, Verdict::kFail);
  EXPECT_EQ(result.findings[2].requirement, "MBX-BIND-02");
  EXPECT_EQ(result.findings[2].exchange, "PreviewMailbox");
  EXPECT_EQ(result.findings[3].kind, Verdict::kWarn);  // warnings after violations, as in the detail
  EXPECT_EQ(result.findings[3].step, "slow");
  EXPECT_NE(result.detail.find("READ(R): got 500, expected 200 -- answer to ReadMailbox: HTTP 500, body \"boom\""),
            std::string::npos)
      << result.detail;
}

}  // namespace
}  // namespace tigress::conformance
