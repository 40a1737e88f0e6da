// What the relay suite's self-validation tests share: a scratch directory per test, the real
// tigress-relay started with chosen options, tigress-conform run against it (its JSON report
// read back), and the listing of a mode's cases.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/process.hpp"
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
    auto relay = harness::test_support::start_relay_process(kBin, dir_ / "ca.pem", extra);
    if (!relay) throw std::runtime_error("tigress-relay did not start: " + relay.error().message());
    return std::move(*relay);
  }

  // Runs tigress-conform and returns its JSON report.
  nlohmann::json conform(const RelayProcess& relay, const std::vector<std::string>& extra, int& exit_status) {
    std::vector<std::string> args = {"--ca", relay.ca};
    args.insert(args.end(), extra.begin(), extra.end());
    return conform(relay.url, args, exit_status);
  }
  nlohmann::json conform(const std::string& url, const std::vector<std::string>& extra, int& exit_status) {
    const std::string report = (dir_ / "report.json").string();
    std::vector<std::string> argv = {
        kBin + "/tigress-conform", "relay", "--target", url, "--seed", "20261123", "--quiet", "--report-json", report};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto child = harness::ChildProcess::start(argv, /*quiet_stderr=*/false);
    EXPECT_TRUE(child.ok());
    while (child->read_line(120s)) {
    }
    exit_status = child->wait(120s);
    return harness::test_support::read_json_file(report);
  }

  tigress::ScratchDir scratch_{"tigress-selfcheck"};
  const fs::path dir_ = scratch_.path();
};

}  // namespace tigress::conformance::relay_selfcheck
