// Self-validation of the relay suite, defect by defect and reading by reading: every deliberate
// defect of the reference relay is caught by the case(s) the catalogue names, a refused setup is
// the cause of a FAIL, and every defensible reading is accepted.
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "conformance/selfcheck/relay_selfcheck_test_support.hpp"
#include "harness/process.hpp"
#include "reference/codec/uuid.hpp"
#include "reference/data/data_dir.hpp"
#include "reference/relay/defects.hpp"
#include "reference/relay/readings.hpp"
#include "reference/relay/redis_test_server.hpp"

namespace tigress::conformance {
namespace {

using namespace relay_selfcheck;

class DefectCaught : public SelfCheck, public ::testing::WithParamInterface<std::string> {};

TEST_P(DefectCaught, ByTheCasesItNames) {
  const relay::DefectInfo* info = nullptr;
  for (const auto& d : relay::relay_defect_catalogue()) {
    if (d.name == GetParam()) info = &d;
  }
  ASSERT_NE(info, nullptr);
  std::vector<std::string> relay_args = {"--defect", std::string(info->name)};
  // A defect of the Redis store needs a relay on one: a private redis-server for this test.
  std::unique_ptr<relay::testing::RedisTestServer> redis;
  if (info->flag == &relay::RelayDefects::store_nonatomic_binding) {
    if (relay::testing::RedisTestServer::program().empty()) GTEST_SKIP() << "redis-server is not installed";
    auto started = relay::testing::RedisTestServer::start();
    ASSERT_TRUE(started.ok()) << started.error().message();
    redis = std::move(*started);
    relay_args.insert(relay_args.end(), {"--store", redis->url()});
  }
  auto relay = start_relay(relay_args);
  std::vector<std::string> filter;
  for (auto id : info->caught_by) {
    filter.push_back("--id");
    filter.push_back(std::string(id));
  }
  // Cases whose positive control the defect refuses: BLOCKED, never PASS.
  const std::set<std::string> blocks(info->blocks.begin(), info->blocks.end());
  for (const auto& id : blocks) filter.insert(filter.end(), {"--id", id});
  // The expiry defects keep serving an expired mailbox, and the cases wait out the grace before
  // they fail it; the reference relay removes a mailbox at its instant, so a few seconds of grace
  // catch the same defects as the default minute.
  filter.insert(filter.end(), {"--expiry-grace", "3"});
  int exit_status = -1;
  auto report = conform(relay, filter, exit_status);
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  ASSERT_EQ(report["cases"].size(), info->caught_by.size() + blocks.size()) << "every named case must exist";
  for (const auto& c : report["cases"]) {
    const std::string verdict = c["verdict"], detail = c["detail"];
    if (blocks.count(c["id"])) {
      EXPECT_EQ(verdict, "BLOCKED") << info->name << ": " << c["id"]
                                    << " must not pass on a refused control: " << detail;
      EXPECT_EQ(detail.find("positive control refused: "), 0u) << c["id"] << ": " << detail;
      const std::string answered = "answered " + std::to_string(info->control_status);
      EXPECT_NE(detail.find(answered), std::string::npos) << c["id"] << ": the control's status: " << detail;
      EXPECT_EQ(detail.find("note: "), std::string::npos) << c["id"] << ": no reading for a BLOCKED case: " << detail;
      continue;
    }
    EXPECT_TRUE(verdict == "FAIL" || verdict == "WARN")
        << info->name << " not caught by " << c["id"] << ": " << verdict << " " << detail;
  }
  // A relay failing one operation with a 5xx still serves the health probe: nothing is blamed
  // on a relay that stopped serving.
  if (info->control_status >= 500) {
    for (const auto& c : report["cases"]) {
      const std::string detail = c["detail"];
      EXPECT_EQ(detail.find("stopped serving"), std::string::npos) << c["id"] << ": " << detail;
    }
  }
}

// A relay refusing the canonical setup of a case FAILs the requirement the setup exercises, with
// the refusal and the relay's own answer as the cause, not an ERROR; and a case that would have
// passed on a refusal shows the refused control, the relay's body included, as BLOCKED.
TEST_F(SelfCheck, ARefusedSetupIsTheCauseOfAFailAndARefusedControlBlocks) {
  auto relay = start_relay({"--defect", "short-description-limit"});
  int exit_status = -1;
  auto report =
      conform(relay, {"--id", "6.1/default-configuration", "--id", "6.1/unknown-members-tolerated"}, exit_status);
  ASSERT_TRUE(report.is_object() && report["cases"].size() == 2u) << "no JSON report";
  EXPECT_EQ(exit_status, 1);
  EXPECT_EQ(report["summary"]["error"], 0);
  for (const auto& c : report["cases"]) {
    const std::string detail = c["detail"];
    const std::string first = detail.substr(0, detail.find('\n'));
    const std::string answer = "longer than 32 characters";  // the relay's own error body
    if (c["id"] == "6.1/default-configuration") {
      EXPECT_EQ(c["verdict"], "FAIL") << detail;
      EXPECT_EQ(first.find("setup: CreateMailbox answered 400"), 0u) << detail;
      EXPECT_NE(first.find(answer), std::string::npos) << detail;
    } else {
      EXPECT_EQ(c["verdict"], "BLOCKED") << detail;
      EXPECT_EQ(first.find("positive control refused: CreateMailbox with a valid body"), 0u) << detail;
      EXPECT_NE(first.find(answer), std::string::npos) << detail;
      EXPECT_EQ(detail.find("AMB-59"), std::string::npos) << "no reading recorded: " << detail;
    }
  }
}

std::vector<std::string> defect_names() {
  std::vector<std::string> names;
  for (const auto& d : relay::relay_defect_catalogue()) names.emplace_back(d.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(RelayDefects, DefectCaught, ::testing::ValuesIn(defect_names()),
                         [](const auto& info) { return harness::test_support::test_param_name(info.param); });

// A relay taking a defensible reading other than the reference's own is not failed for it: the
// cases the reading names give the verdict the catalogue asks for (PASS, or WARN where the
// catalogue flags the reading) and record the reading they saw.
class ReadingAccepted : public SelfCheck, public ::testing::WithParamInterface<std::string> {};

TEST_P(ReadingAccepted, ByTheCasesItNames) {
  const relay::ReadingInfo* info = nullptr;
  for (const auto& r : relay::relay_reading_catalogue()) {
    if (r.name == GetParam()) info = &r;
  }
  ASSERT_NE(info, nullptr);
  auto relay = start_relay({"--reading", std::string(info->name)});
  std::vector<std::string> filter;
  for (auto id : info->cases) {
    filter.push_back("--id");
    filter.push_back(std::string(id));
  }
  int exit_status = -1;
  auto report = conform(relay, filter, exit_status);
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  ASSERT_EQ(report["cases"].size(), info->cases.size()) << "every named case must exist";
  EXPECT_EQ(exit_status, 0) << info->name;
  for (const auto& c : report["cases"]) {
    const std::string detail = c["detail"];
    EXPECT_EQ(c["verdict"], std::string(info->verdict)) << info->name << ": " << c["id"] << " " << detail;
    EXPECT_NE(detail.find(info->recorded), std::string::npos)
        << info->name << ": " << c["id"] << " does not record the reading \"" << info->recorded << "\": " << detail;
  }
}

std::vector<std::string> reading_names() {
  std::vector<std::string> names;
  for (const auto& r : relay::relay_reading_catalogue()) names.emplace_back(r.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(RelayReadings, ReadingAccepted, ::testing::ValuesIn(reading_names()),
                         [](const auto& info) { return harness::test_support::test_param_name(info.param); });

}  // namespace
}  // namespace tigress::conformance
