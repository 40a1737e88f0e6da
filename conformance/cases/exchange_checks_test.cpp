// A relay's answer is untrusted: a Read answer with a member nested as deep as an answer may be
// long (the wire client reads up to 1 MiB) is judged by the cases' readers, not copied or
// compared level by level until the stack runs out; an ordinary answer is judged as always.
#include "conformance/cases/exchange_checks.hpp"

#include <gtest/gtest.h>

#include <string>

#include "conformance/framework/answering_target_test_support.hpp"
#include "conformance/framework/runner.hpp"
#include "harness/raw_server_test_support.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::conformance {
namespace {

constexpr std::size_t kDeep = 400000;
const std::string kDeepArray = std::string(kDeep, '[') + std::string(kDeep, ']');
const std::string kDisplay = R"({"title":"Car","description":"Key","imageURL":""})";
const std::string kPayload = R"({"type":"AEAD_AES_128_GCM","data":"AAAA"})";

const CaseDefinition kReading{"6.5/reading", "6.5", Category::kMessageFormat, Level::kMust, {}, "t", {}};

const MailboxRef kBox{"0b7f7ac4-3c5e-4d71-9c39-8a8f7ec5d3b1", "/v1/m/0b7f7ac4-3c5e-4d71-9c39-8a8f7ec5d3b1", "", "", {}};

// `judge` run on the Read answer `body` as a case would: its verdict.
CaseResult judged(const std::string& body, const std::function<void(CaseContext&, const nlohmann::json&)>& judge) {
  testing::AnsweringTarget relay(200, body);
  CaseContext ctx(kReading, relay.options);
  return run_one(ctx, [&] { judge(ctx, exchange::read_body(ctx, kBox, ctx.uuid(), "READ(R1)")); });
}

void judge_display_and_payload(CaseContext& ctx, const nlohmann::json& read) {
  exchange::payload_is(ctx, read, nlohmann::json::parse(kPayload), "READ(R1)");
  const auto display = exchange::display_of(read);
  ctx.check(display && (*display).value("title", std::string()) == "Car", "READ(R1): displayInformation title");
}

TEST(ExchangeChecks, AnOrdinaryReadAnswerIsJudgedOnItsMembers) {
  const CaseResult same =
      judged("{\"payload\":" + kPayload + ",\"displayInformation\":" + kDisplay + "}", judge_display_and_payload);
  EXPECT_EQ(same.verdict, Verdict::kPass) << same.detail;
  const CaseResult other =
      judged(R"({"payload":{"type":"AEAD_AES_128_GCM","data":"BBBB"},"displayInformation":)" + kDisplay + "}",
             judge_display_and_payload);
  EXPECT_EQ(other.verdict, Verdict::kFail) << other.detail;
  EXPECT_NE(other.detail.find("payload is not the one expected"), std::string::npos) << other.detail;
}

// Unknown members are ignored (AMB-58), however deep: the answer passes on its known members.
TEST(ExchangeChecks, AReadAnswerWithMembersNestedAsDeepAsItsSizeAllowsIsJudged) {
  const std::string display = R"({"title":"Car","description":"Key","imageURL":"","extra":)" + kDeepArray + "}";
  const CaseResult deep =
      judged("{\"payload\":" + kPayload + ",\"displayInformation\":" + display + "}", judge_display_and_payload);
  EXPECT_EQ(deep.verdict, Verdict::kPass) << deep.detail;
  const CaseResult deep_payload =
      judged("{\"payload\":" + kDeepArray + ",\"displayInformation\":" + kDisplay + "}", judge_display_and_payload);
  EXPECT_EQ(deep_payload.verdict, Verdict::kFail) << deep_payload.detail;
  EXPECT_NE(deep_payload.detail.find("payload is not the one expected"), std::string::npos) << deep_payload.detail;
}

// Two answers compared member by member (6.6/content-survives): equal and unequal members are
// told apart however deep both nest, and an absent member only equals an absent one.
TEST(ExchangeChecks, MembersOfTwoAnswersAreComparedAsDeepAsTheyNest) {
  const auto before = nlohmann::json::parse("{\"displayInformation\":{\"title\":\"Car\",\"deep\":" + kDeepArray + "}}");
  const auto same = nlohmann::json::parse("{\"displayInformation\":{\"title\":\"Car\",\"deep\":" + kDeepArray + "}}");
  const std::string other_bottom = std::string(kDeep, '[') + "1" + std::string(kDeep, ']');
  const auto other =
      nlohmann::json::parse("{\"displayInformation\":{\"title\":\"Car\",\"deep\":" + other_bottom + "}}");
  EXPECT_TRUE(checks::same_member(same, before, "displayInformation"));
  EXPECT_FALSE(checks::same_member(other, before, "displayInformation"));
  EXPECT_TRUE(checks::same_member(same, before, "expiration"));
  const auto ordinary = nlohmann::json::parse(R"({"displayInformation":)" + kDisplay + R"(,"expiration":"x"})");
  const auto changed = nlohmann::json::parse(R"({"displayInformation":{"title":"Car","description":"Key"}})");
  EXPECT_TRUE(checks::same_member(ordinary, nlohmann::json::parse(ordinary.dump()), "displayInformation"));
  EXPECT_FALSE(checks::same_member(changed, ordinary, "displayInformation"));
  EXPECT_FALSE(checks::same_member(changed, ordinary, "expiration"));
}

}  // namespace
}  // namespace tigress::conformance
