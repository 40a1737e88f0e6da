// The runner's health watch against a fake target: one case poisons it (every later probe
// fails until a restart), the others pass while it serves and fail once it does not.
#include "conformance/framework/target_health.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

namespace tigress::conformance {
namespace {

struct FakeTarget {
  std::atomic<bool> poisoned{false};
  std::atomic<int> restarts{0};
  std::mutex mutex;
  std::map<std::string, int> runs;
  std::string poison_id;
  int delay_ms = 0;
  bool judge_after_delay = false;  // the other cases look at the target after the poison's start

  CaseResult run(const CaseDefinition& definition) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++runs[definition.id];
    }
    if (auto* stamp = current_exchange_stamp())
      stamp->store(std::chrono::steady_clock::now().time_since_epoch().count());
    CaseResult result;
    result.id = definition.id;
    if (definition.id == poison_id) {
      poisoned = true;
      result.verdict = Verdict::kFail;
      result.detail = "date-only expiration accepted";
      result.findings.push_back({Verdict::kFail, "", "date-only expiration accepted", "CreateMailbox", 200, ""});
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      return result;
    }
    if (judge_after_delay) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    result.verdict = poisoned ? Verdict::kFail : Verdict::kPass;
    if (poisoned) {
      result.detail = "got 500, expected 200";
      result.findings.push_back({Verdict::kFail, "", "got 500, expected 200", "ReadMailbox", 500, ""});
    }
    if (!judge_after_delay) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    return result;
  }
  TargetHealth health(bool can_restart) {
    TargetHealth h;
    h.probe = [this]() -> Status { return poisoned ? Status(make_error("CreateMailbox answered 500")) : Status(); };
    if (can_restart) {
      h.restart = [this] {
        ++restarts;
        poisoned = false;
        return Status();
      };
    }
    return h;
  }
};

struct Cases {
  std::vector<CaseDefinition> definitions;
  std::vector<const CaseDefinition*> pointers;
  explicit Cases(int n) {
    for (int i = 0; i < n; ++i) {
      definitions.push_back(
          CaseDefinition{"9.9/c" + std::to_string(i), "9.9", Category::kRobustness, Level::kMust, {}, "t", {}, false});
    }
    for (const auto& d : definitions) pointers.push_back(&d);
  }
};

RunSummary run(FakeTarget& target, const Cases& cases, int jobs, bool can_restart) {
  return run_cases(
      cases.pointers, jobs, [&](const CaseDefinition& d) { return target.run(d); }, nullptr,
      target.health(can_restart));
}

// Four cases, one job, the second poisoning the relay.
RunSummary run_with_second_case_poisoning(FakeTarget& target, bool can_restart) {
  target.poison_id = "9.9/c1";
  return run(target, Cases(4), 1, can_restart);
}

TEST(TargetHealth, OneJobNamesThePoisoningCaseAndBlocksTheRestUnrun) {
  FakeTarget target;
  const RunSummary summary = run_with_second_case_poisoning(target, false);
  EXPECT_EQ(summary.results[0].verdict, Verdict::kPass);
  EXPECT_EQ(summary.results[1].verdict, Verdict::kFail);
  EXPECT_NE(summary.results[1].detail.find("cause: after this case the relay stopped serving (health probe: "
                                           "CreateMailbox answered 500)"),
            std::string::npos)
      << summary.results[1].detail;
  for (int i = 2; i < 4; ++i) {
    EXPECT_EQ(summary.results[i].verdict, Verdict::kBlocked);
    EXPECT_EQ(summary.results[i].id, "9.9/c" + std::to_string(i));
    EXPECT_NE(summary.results[i].detail.find("stopped serving after 9.9/c1"), std::string::npos)
        << summary.results[i].detail;
    EXPECT_EQ(target.runs["9.9/c" + std::to_string(i)], 0) << "not run on a broken relay";
  }
  EXPECT_EQ(summary.blocked, 2);
  EXPECT_EQ(summary.fail, 1);
  EXPECT_FALSE(summary.success()) << "anything BLOCKED fails the run";
  ASSERT_EQ(summary.health_events.size(), 1u);
}

TEST(TargetHealth, ARestartRunsTheBlockedCasesAgainButNotTheCause) {
  FakeTarget target;
  const RunSummary summary = run_with_second_case_poisoning(target, true);
  EXPECT_EQ(summary.results[1].verdict, Verdict::kFail);
  EXPECT_EQ(summary.results[2].verdict, Verdict::kPass);
  EXPECT_EQ(summary.results[3].verdict, Verdict::kPass);
  EXPECT_EQ(summary.blocked, 0);
  EXPECT_EQ(target.restarts, 1);
  EXPECT_EQ(target.runs["9.9/c1"], 1);
  EXPECT_EQ(target.runs["9.9/c2"], 1);
}

TEST(TargetHealth, ParallelCandidatesAreRunOneAtATimeToFindTheCause) {
  FakeTarget target;
  target.poison_id = "9.9/c2";
  target.delay_ms = 100;  // every case of the first batch is in flight when the probe fails
  const Cases cases(6);
  const RunSummary summary = run(target, cases, 6, true);
  for (int i = 0; i < 6; ++i) {
    const CaseResult& result = summary.results[i];
    if (i == 2) {
      EXPECT_EQ(result.verdict, Verdict::kFail);
      EXPECT_NE(result.detail.find("cause: after this case"), std::string::npos) << result.detail;
    } else {
      EXPECT_EQ(result.verdict, Verdict::kPass) << result.id << ": " << result.detail;
    }
  }
  EXPECT_EQ(summary.blocked, 0);
  EXPECT_GE(target.restarts, 2);  // once to isolate, once after the cause broke it again
}

TEST(TargetHealth, WithoutARestartParallelCandidatesAreAllNamed) {
  FakeTarget target;
  target.poison_id = "9.9/c2";
  target.delay_ms = 100;
  const Cases cases(6);
  const RunSummary summary = run(target, cases, 6, false);
  EXPECT_EQ(summary.results[2].verdict, Verdict::kFail);
  EXPECT_NE(summary.results[2].detail.find("possible cause: one of the"), std::string::npos)
      << summary.results[2].detail;
  EXPECT_NE(summary.results[2].detail.find("9.9/c2"), std::string::npos);
  EXPECT_FALSE(summary.success());
}

// Without a restart the in-flight cases cannot be told apart by running them again: one that saw
// only 5xx answers is BLOCKED (it may have met another's breakage), one that saw the relay do
// something else wrong keeps its FAIL.
TEST(TargetHealth, WithoutARestartInFlightCasesThatSawOnlyServerErrorsAreBlocked) {
  FakeTarget target;
  target.poison_id = "9.9/c0";
  target.delay_ms = 100;
  target.judge_after_delay = true;  // the others answer their checks after c0 broke the target
  const Cases cases(4);
  const RunSummary summary = run(target, cases, 4, false);
  EXPECT_EQ(summary.results[0].verdict, Verdict::kFail);
  EXPECT_NE(summary.results[0].detail.find("possible cause: one of the 4"), std::string::npos)
      << summary.results[0].detail;
  for (int i = 1; i < 4; ++i) {
    const CaseResult& result = summary.results[i];
    EXPECT_EQ(result.verdict, Verdict::kBlocked) << result.id << ": " << result.detail;
    EXPECT_NE(result.detail.find("while these cases were in flight"), std::string::npos) << result.detail;
    EXPECT_NE(result.detail.find("its own outcome on the broken relay (FAIL: got 500"), std::string::npos)
        << result.detail;
  }
  EXPECT_EQ(summary.fail, 1);
  EXPECT_EQ(summary.blocked, 3);
}

TEST(TargetHealth, ATargetBrokenBeforeTheFirstCaseBlocksEveryCaseAndBlamesNone) {
  FakeTarget target;
  target.poisoned = true;
  const Cases cases(3);
  const RunSummary summary = run(target, cases, 1, false);
  EXPECT_EQ(summary.blocked, 3);
  for (const auto& result : summary.results) {
    EXPECT_NE(result.detail.find("did not serve before the first case"), std::string::npos) << result.detail;
  }
  EXPECT_TRUE(target.runs.empty());
}

TEST(TargetHealth, ARestartCommandMustExitZeroAndThenTheProbeMustPass) {
  EXPECT_TRUE(restart_target("true", [] { return Status(); }).ok());
  auto failed = restart_target("exit 3", [] { return Status(); });
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message().find("status 3"), std::string::npos) << failed.error().message();
  auto slow = restart_target(
      "sleep 5", [] { return Status(); }, std::chrono::seconds(1));
  ASSERT_FALSE(slow.ok());
  EXPECT_NE(slow.error().message().find("did not exit within 1 s"), std::string::npos);
}

}  // namespace
}  // namespace tigress::conformance
