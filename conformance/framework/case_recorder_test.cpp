// The one verdict rule of every suite (case_recorder.hpp), the redaction of what a case records
// and the bounds of its wire log, through the run_one guard the runners use.
#include "conformance/framework/case_recorder.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "conformance/framework/runner.hpp"

namespace tigress::conformance {
namespace {

CaseDefinition definition_at(Level level) {
  return CaseDefinition{"6.5/recorder", "6.5", Category::kAntiReplay, level, {"MBX-READ-05"}, "a title", {}};
}

// A context with nothing of its own, and the operator-configured secrets a real one registers.
class TestContext : public CaseRecorder {
 public:
  TestContext(const CaseDefinition& definition, bool strict, std::size_t max_wire_entries = 64)
      : CaseRecorder(definition, strict, max_wire_entries) {}
  void configure_secret(const std::string& secret) { configured_secrets().add(secret, "configured"); }
  void start() override {
    ++starts_seen;
    if (!start_refusal.empty()) abort_error(start_refusal);
  }
  int starts_seen = 0, finishes_seen = 0;
  std::string start_refusal;

 private:
  void before_finish() override { ++finishes_seen; }
};

CaseResult run(Level level, bool strict, const std::function<void(TestContext&)>& body) {
  const CaseDefinition definition = definition_at(level);
  TestContext ctx(definition, strict);
  return run_one(ctx, [&] { body(ctx); });
}

TEST(CaseRecorderVerdict, NothingRecordedPasses) {
  const CaseResult result = run(Level::kMust, false, [](TestContext& ctx) { EXPECT_TRUE(ctx.check(true, "fine")); });
  EXPECT_EQ(result.verdict, Verdict::kPass);
  EXPECT_EQ(result.detail, "");
}

TEST(CaseRecorderVerdict, ViolationFailsAtMustWhateverTheStrictness) {
  for (bool strict : {false, true}) {
    const CaseResult result =
        run(Level::kMust, strict, [](TestContext& ctx) { EXPECT_FALSE(ctx.check(false, "bad")); });
    EXPECT_EQ(result.verdict, Verdict::kFail) << strict;
    EXPECT_EQ(result.detail, "bad");
  }
}

TEST(CaseRecorderVerdict, ViolationBelowMustWarnsUnlessStrict) {
  for (Level level : {Level::kShould, Level::kMay}) {
    EXPECT_EQ(run(level, false, [](TestContext& ctx) { ctx.check(false, "bad"); }).verdict, Verdict::kWarn);
    EXPECT_EQ(run(level, true, [](TestContext& ctx) { ctx.check(false, "bad"); }).verdict, Verdict::kFail);
  }
}

TEST(CaseRecorderVerdict, WarningWarnsAtEveryLevelAndFailsUnderStrict) {
  for (Level level : {Level::kMust, Level::kShould}) {
    const CaseResult lenient = run(level, false, [](TestContext& ctx) { ctx.warn("odd"); });
    EXPECT_EQ(lenient.verdict, Verdict::kWarn);
    EXPECT_EQ(lenient.detail, "odd");
    EXPECT_EQ(run(level, true, [](TestContext& ctx) { ctx.warn("odd"); }).verdict, Verdict::kFail);
  }
}

TEST(CaseRecorderVerdict, StopsEndTheCaseWithTheirVerdictAndReasonFirst) {
  bool after_stop = false;
  const CaseResult skipped = run(Level::kMust, false, [&](TestContext& ctx) {
    ctx.warn("odd");
    ctx.note("context");
    ctx.skip("not supported");
    after_stop = true;
  });
  EXPECT_FALSE(after_stop);
  EXPECT_EQ(skipped.verdict, Verdict::kSkip);  // a stop outranks a warning
  EXPECT_EQ(skipped.detail, "not supported\nodd\nnote: context");

  const CaseResult errored = run(Level::kMust, false, [](TestContext& ctx) { ctx.abort_error("no answer"); });
  EXPECT_EQ(errored.verdict, Verdict::kError);
  EXPECT_EQ(errored.detail, "no answer");
}

TEST(CaseRecorderVerdict, ViolationBeforeAStopIsTheVerdict) {
  const CaseResult result = run(Level::kMust, false, [](TestContext& ctx) {
    ctx.note("took reading A");
    ctx.check(false, "first violation");
    ctx.warn("a warning");
    ctx.check(false, "second violation");
    ctx.abort_error("then no answer");
  });
  EXPECT_EQ(result.verdict, Verdict::kFail);
  EXPECT_EQ(result.detail, "then no answer\nfirst violation\nsecond violation\na warning\nnote: took reading A");
  const CaseResult lenient = run(Level::kShould, false, [](TestContext& ctx) {
    ctx.check(false, "violation");
    ctx.skip("then unsupported");
  });
  EXPECT_EQ(lenient.verdict, Verdict::kWarn);
  EXPECT_EQ(lenient.detail, "then unsupported\nviolation");
}

TEST(CaseRecorderVerdict, FailStopIsTheLastViolation) {
  const CaseResult result = run(Level::kShould, false, [](TestContext& ctx) {
    ctx.warn("a warning");
    ctx.check(false, "violation");
    ctx.abort_fail("cannot go on");
  });
  EXPECT_EQ(result.verdict, Verdict::kWarn);  // still below MUST
  EXPECT_EQ(result.detail, "violation\ncannot go on\na warning");
  EXPECT_EQ(run(Level::kMust, false, [](TestContext& ctx) { ctx.abort_fail("broken"); }).verdict, Verdict::kFail);
}

// A target refusing a canonical request the case builds on FAILs the case whatever its level and
// --strict, with the refusal first in the detail; ERROR stays for a suite that could not complete.
TEST(CaseRecorderVerdict, SetupStopFailsAtEveryLevelWithTheRefusalFirst) {
  for (Level level : {Level::kMust, Level::kShould, Level::kMay, Level::kAdvisory}) {
    for (bool strict : {false, true}) {
      const CaseResult result = run(level, strict, [](TestContext& ctx) {
        ctx.warn("a warning");
        ctx.check(false, "earlier violation");
        ctx.note("context");
        ctx.abort_setup("CreateMailbox answered 400: {}");
      });
      EXPECT_EQ(result.verdict, Verdict::kFail) << level_name(level) << " " << strict;
      EXPECT_EQ(result.detail, "setup: CreateMailbox answered 400: {}\nearlier violation\na warning\nnote: context");
    }
  }
}

// Only the setup stop itself is exempt from the level: a plain FAIL stop whose reason happens to
// read like one still counts as a violation of a SHOULD case.
TEST(CaseRecorderVerdict, AFailStopIsNotASetupStop) {
  const CaseResult result = run(Level::kShould, false, [](TestContext& ctx) { ctx.abort_fail("setup: look-alike"); });
  EXPECT_EQ(result.verdict, Verdict::kWarn);
}

// A refused positive control: BLOCKED with the control's answer first; what the case noted (a
// reading included) was seen on a target that did not take the control and is not reported.
TEST(CaseRecorderVerdict, BlockedStopKeepsTheReasonAndDropsTheNotes) {
  const CaseResult result = run(Level::kMust, false, [](TestContext& ctx) {
    ctx.note("took reading A");
    ctx.warn("a warning");
    ctx.abort_blocked("positive control refused: CreateMailbox answered 400");
  });
  EXPECT_EQ(result.verdict, Verdict::kBlocked);
  EXPECT_EQ(result.detail, "positive control refused: CreateMailbox answered 400\na warning");
  const CaseResult violated = run(Level::kMust, false, [](TestContext& ctx) {
    ctx.check(false, "a 500 seen first");
    ctx.abort_blocked("positive control refused");
  });
  EXPECT_EQ(violated.verdict, Verdict::kFail);  // a violation seen says more than the stop
  EXPECT_EQ(violated.detail, "positive control refused\na 500 seen first");
}

TEST(CaseRecorderVerdict, AReadingNeedsAPassedControl) {
  const CaseResult without =
      run(Level::kMust, false, [](TestContext& ctx) { ctx.reading("refused with 400 (AMB-59 lenient)"); });
  EXPECT_EQ(without.verdict, Verdict::kError);
  EXPECT_NE(without.detail.find("without a positive control"), std::string::npos) << without.detail;
  const CaseResult with = run(Level::kMust, false, [](TestContext& ctx) {
    EXPECT_FALSE(ctx.has_passed_control());
    ctx.control_passed();
    EXPECT_TRUE(ctx.has_passed_control());
    ctx.reading("refused with 400 (AMB-59 lenient)");
  });
  EXPECT_EQ(with.verdict, Verdict::kPass);
  EXPECT_EQ(with.detail, "note: refused with 400 (AMB-59 lenient)");
}

TEST(CaseRecorderVerdict, ExceptionIsAnError) {
  const CaseResult result = run(Level::kMust, false, [](TestContext&) { throw std::runtime_error("parse failure"); });
  EXPECT_EQ(result.verdict, Verdict::kError);
  EXPECT_EQ(result.detail, "case aborted: parse failure");
}

TEST(CaseRecorder, ResultCarriesTheDefinitionAndCallsTheContextHookOnce) {
  const CaseDefinition definition = definition_at(Level::kShould);
  TestContext ctx(definition, false);
  const CaseResult result = run_one(ctx, [] {});
  EXPECT_EQ(ctx.finishes_seen, 1);
  EXPECT_EQ(result.id, "6.5/recorder");
  EXPECT_EQ(result.section, "6.5");
  EXPECT_EQ(result.title, "a title");
  EXPECT_EQ(result.category, Category::kAntiReplay);
  EXPECT_EQ(result.level, Level::kShould);
  EXPECT_EQ(result.requirements, std::vector<std::string>{"MBX-READ-05"});
  EXPECT_GE(result.elapsed_ms, 0);
}

TEST(CaseRecorder, StartRunsInsideTheGuardBeforeTheBody) {
  const CaseDefinition definition = definition_at(Level::kMust);
  TestContext ctx(definition, false);
  ctx.start_refusal = "cannot start the instrumented relay";
  bool body_ran = false;
  const CaseResult result = run_one(ctx, [&] { body_ran = true; });
  EXPECT_FALSE(body_ran);
  EXPECT_EQ(ctx.starts_seen, 1);
  EXPECT_EQ(result.verdict, Verdict::kError);
  EXPECT_EQ(result.detail, "cannot start the instrumented relay");
}

TEST(CaseRecorderRedaction, SecretsFromTrafficNeedTheMinimumLength) {
  const CaseDefinition definition = definition_at(Level::kMust);
  TestContext ctx(definition, false);
  const std::string long_secret(CaseRecorder::kMinSecretLength, 'k');
  const std::string short_secret = "shortie";  // one byte below the minimum
  ASSERT_EQ(short_secret.size() + 1, CaseRecorder::kMinSecretLength);
  ctx.add_secret(long_secret, "share-secret");
  ctx.add_secret(short_secret, "claim");
  ctx.log("GET /" + long_secret + " " + short_secret, "echo " + long_secret, 1);
  ctx.check(false, "leaked " + long_secret);
  ctx.note("saw " + short_secret);
  const CaseResult result = ctx.finish(Verdict::kPass, "", 1);
  ASSERT_EQ(result.wire.size(), 1u);
  EXPECT_EQ(result.wire[0].request, "GET /<redacted:share-secret> shortie");
  EXPECT_EQ(result.wire[0].response, "echo <redacted:share-secret>");
  EXPECT_EQ(result.detail, "leaked <redacted:share-secret>\nnote: saw shortie");
}

TEST(CaseRecorderRedaction, ConfiguredSecretsAreRedactedWhateverTheirLength) {
  const CaseDefinition definition = definition_at(Level::kMust);
  TestContext ctx(definition, false);
  ctx.configure_secret("key");
  ctx.log("X-Api-Key: key", "ok", 0);
  const CaseResult result = run_one(ctx, [&] { ctx.abort_error("the gateway refused key"); });
  ASSERT_EQ(result.wire.size(), 1u);
  EXPECT_EQ(result.wire[0].request, "X-Api-Key: <redacted:configured>");
  EXPECT_EQ(result.detail, "the gateway refused <redacted:configured>");
  EXPECT_EQ(ctx.redacted("a key\x01"), "a <redacted:configured>\\x01");
}

TEST(CaseRecorderWireLog, KeepsAtMostTheBoundAndCutsLongEntries) {
  const CaseDefinition definition = definition_at(Level::kMust);
  TestContext ctx(definition, false, 3);
  for (int i = 0; i < 5; ++i) ctx.log("request " + std::to_string(i), "response", i);
  const std::string huge(CaseRecorder::kWireEntryLimit + 10, 'x');
  TestContext big(definition, false, 3);
  big.log(huge, "bell\a", 2);
  const CaseResult result = ctx.finish(Verdict::kPass, "", 1);
  ASSERT_EQ(result.wire.size(), 3u);
  EXPECT_EQ(result.wire[2].request, "request 2");
  EXPECT_EQ(result.wire[2].elapsed_ms, 2);
  const CaseResult cut = big.finish(Verdict::kPass, "", 1);
  ASSERT_EQ(cut.wire.size(), 1u);
  EXPECT_EQ(cut.wire[0].request, std::string(CaseRecorder::kWireEntryLimit, 'x') + "…[10 more bytes]");
  EXPECT_EQ(cut.wire[0].response, "bell\\x07");
}

}  // namespace
}  // namespace tigress::conformance
