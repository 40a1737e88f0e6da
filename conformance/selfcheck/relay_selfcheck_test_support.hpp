// What the relay suite's self-validation tests share: a scratch directory per test, the real
// tigress-relay started with chosen options, tigress-conform run against it (its JSON report
// read back), and the listing of a mode's cases.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "conformance/selfcheck/selfcheck_support.hpp"
#include "harness/relay_test_fixture.hpp"

namespace tigress::conformance::relay_selfcheck {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using harness::test_support::RelayProcess;

using harness::test_support::kBin;

class SelfCheck : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(scratch_.ok()); }

  // A relay that does not start ends the test (gtest reports the exception as its failure).
  RelayProcess start_relay(const std::vector<std::string>& extra) {
    return selfcheck::start_relay(dir_ / "ca.pem", extra);
  }

  // Runs tigress-conform and returns its JSON report.
  nlohmann::json conform(const RelayProcess& relay, const std::vector<std::string>& extra, int& exit_status) {
    std::vector<std::string> args = {"--ca", relay.ca};
    args.insert(args.end(), extra.begin(), extra.end());
    return conform(relay.url, args, exit_status);
  }
  nlohmann::json conform(const std::string& url, const std::vector<std::string>& extra, int& exit_status) {
    std::vector<std::string> args = {"relay", "--target", url, "--seed", "20261123", "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    selfcheck::ConformRun run = selfcheck::run_conform(args, dir_ / "report.json", 120s);
    exit_status = run.exit_status;
    return std::move(run.report);
  }

  tigress::ScratchDir scratch_{"tigress-selfcheck"};
  const fs::path dir_ = scratch_.path();
};

}  // namespace tigress::conformance::relay_selfcheck
