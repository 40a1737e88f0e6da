// The case-selection flags shared by the relay and client runners, the one registry both
// suites register in, and the parallel executor both run their cases with.
#include "conformance/framework/runner.hpp"

#include <gtest/gtest.h>

#include "conformance/framework/case_metadata.hpp"

#include <atomic>
#include <thread>
#include <tuple>

namespace tigress::conformance {
namespace {

// Registered in this test binary only (the suites' cases are compiled into tigress-conform).
TIGRESS_CASE(kRelay, "9.9/relay-b", "9.9", kRobustness, kMust, ({"MBX-TEST-01"}), "second relay case") {}
TIGRESS_SLOW_CASE(kRelay, "9.9/relay-a", "9.9", kExpiry, kShould, ({"MBX-TEST-02"}), "first relay case") {}
TIGRESS_CASE(kClient, "client/9.9/client-a", "9.9", kConfidentiality, kMay, ({"MBX-TEST-03"}), "a client case") {}

std::vector<std::string> ids(const std::vector<const CaseDefinition*>& cases) {
  std::vector<std::string> out;
  for (const CaseDefinition* c : cases) out.push_back(c->id);
  return out;
}

TEST(CaseRegistry, OneRegistryServesEachSuiteOnlyItsOwnCases) {
  CaseFilter filter;
  filter.sections = {"9.9"};
  const auto relay = select_cases(filter, CaseSuite::kRelay);
  EXPECT_EQ(ids(relay), (std::vector<std::string>{"9.9/relay-a", "9.9/relay-b"}));
  EXPECT_EQ(ids(select_cases(filter, CaseSuite::kClient)), std::vector<std::string>{"client/9.9/client-a"});
  ASSERT_EQ(relay.size(), 2u);
  EXPECT_TRUE(relay[0]->slow);
  EXPECT_FALSE(relay[1]->slow);
  EXPECT_EQ(relay[1]->requirements, std::vector<std::string>{"MBX-TEST-01"});
  EXPECT_EQ(relay[1]->category, Category::kRobustness);
  for (const CaseDefinition* c : suite_cases(CaseSuite::kClient)) EXPECT_EQ(c->suite(), CaseSuite::kClient) << c->id;
  for (const CaseDefinition* c : suite_cases(CaseSuite::kRelay)) EXPECT_EQ(c->suite(), CaseSuite::kRelay) << c->id;
  EXPECT_EQ(suite_cases(CaseSuite::kRelay).size() + suite_cases(CaseSuite::kClient).size(), case_registry().size());
}

TEST(CaseRegistry, CheckedCaseIdsAreEverySuiteCaseOrTheFirstProblem) {
  Catalogue catalogue;
  for (const auto& [id, level, binds] :
       std::vector<std::tuple<std::string, Level, std::string>>{{"MBX-TEST-01", Level::kMust, "relay"},
                                                                {"MBX-TEST-02", Level::kShould, "relay"},
                                                                {"MBX-TEST-03", Level::kMay, "client"}}) {
    Requirement r;
    r.id = id;
    r.section = "9.9";
    r.level = level;
    r.binds = binds;
    catalogue.index.emplace(r.id, catalogue.requirements.size());
    catalogue.requirements.push_back(std::move(r));
  }
  auto relay = checked_case_ids(CaseSuite::kRelay, catalogue);
  ASSERT_TRUE(relay.ok()) << relay.error().message();
  EXPECT_EQ(*relay, (std::vector<std::string>{"9.9/relay-b", "9.9/relay-a"}));  // registration order
  auto client = checked_case_ids(CaseSuite::kClient, catalogue);
  ASSERT_TRUE(client.ok()) << client.error().message();
  EXPECT_EQ(*client, std::vector<std::string>{"client/9.9/client-a"});
  auto refused = checked_case_ids(CaseSuite::kRelay, Catalogue{});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message(), "case 9.9/relay-b cites MBX-TEST-01, which the catalogue lacks");
}

CaseDefinition plain_case(std::string id, bool slow) {
  return CaseDefinition{std::move(id), "9.9", Category::kRobustness, Level::kMust, {}, "t", {}, slow};
}

TEST(RunCases, ResultsFollowTheCasesAndSlowCasesRunAtOnce) {
  std::vector<CaseDefinition> definitions;
  for (int i = 0; i < 6; ++i) definitions.push_back(plain_case("9.9/case-" + std::to_string(i), i % 2 == 1));
  std::vector<const CaseDefinition*> cases;
  for (const auto& d : definitions) cases.push_back(&d);
  // Each slow case waits until all three slow ones are running: with one worker that only
  // happens when the slow cases do not queue behind each other.
  std::atomic<int> slow_running{0};
  std::atomic<bool> all_met{true};
  std::vector<int> progress_done;
  const RunSummary summary = run_cases(
      cases, 1,
      [&](const CaseDefinition& d) {
        CaseResult result;
        result.id = d.id;
        if (d.slow) {
          ++slow_running;
          const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
          while (slow_running.load() < 3 && std::chrono::steady_clock::now() < give_up) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
          if (slow_running.load() < 3) all_met = false;
          result.verdict = Verdict::kWarn;
        }
        return result;
      },
      [&](const CaseResult&, int done, int total) {
        EXPECT_EQ(total, 6);
        progress_done.push_back(done);
      });
  EXPECT_TRUE(all_met.load());
  ASSERT_EQ(summary.results.size(), 6u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(summary.results[i].id, "9.9/case-" + std::to_string(i));
  EXPECT_EQ(progress_done, (std::vector<int>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(summary.pass, 3);
  EXPECT_EQ(summary.warn, 3);
  EXPECT_TRUE(summary.success());
}

TEST(TakeFilterFlag, AppliesEachSelectionFlag) {
  CaseFilter filter;
  for (const auto& [flag, value] : std::vector<std::pair<std::string, std::string>>{
           {"--id", "6.5/*"}, {"--section", "6.1"}, {"--category", "anti-replay"}, {"--level", "SHOULD"}}) {
    auto taken = take_filter_flag(flag, value, filter);
    ASSERT_TRUE(taken.ok()) << flag;
    EXPECT_TRUE(*taken) << flag;
  }
  EXPECT_EQ(filter.id_globs, std::vector<std::string>{"6.5/*"});
  EXPECT_EQ(filter.sections, std::vector<std::string>{"6.1"});
  ASSERT_EQ(filter.categories.size(), 1u);
  EXPECT_EQ(filter.categories[0], Category::kAntiReplay);
  ASSERT_EQ(filter.levels.size(), 1u);
  EXPECT_EQ(filter.levels[0], Level::kShould);
}

TEST(TakeFilterFlag, LeavesOtherFlagsAndRefusesBadValues) {
  CaseFilter filter;
  auto other = take_filter_flag("--target", "https://x", filter);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(*other);
  auto category = take_filter_flag("--category", "speed", filter);
  ASSERT_FALSE(category.ok());
  EXPECT_NE(category.error().message().find("unknown category speed"), std::string::npos);
  auto level = take_filter_flag("--level", "must", filter);
  ASSERT_FALSE(level.ok());
  EXPECT_NE(level.error().message().find("unknown level must"), std::string::npos);
  EXPECT_TRUE(filter.categories.empty());
  EXPECT_TRUE(filter.levels.empty());
}

}  // namespace
}  // namespace tigress::conformance
