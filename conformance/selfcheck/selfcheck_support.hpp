// What the cluster self-check adds to the shared relay fixture (harness/relay_test_fixture.hpp):
// a tigress-conform run of any mode with its wall time, read back through its JSON report.
#pragma once

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/scratch_dir.hpp"
#include "harness/process.hpp"
#include "harness/relay_test_fixture.hpp"

namespace tigress::conformance::selfcheck {

using harness::test_support::kBin;
using harness::test_support::read_json_file;
using harness::test_support::read_text_file;
using RunningRelay = harness::test_support::RelayProcess;

// A relay that does not start ends the test (gtest reports the exception as its failure).
inline RunningRelay start_relay(const std::filesystem::path& ca_file, const std::vector<std::string>& extra) {
  auto relay = harness::test_support::start_relay_process(kBin, ca_file, extra);
  if (!relay) throw std::runtime_error("tigress-relay did not start: " + relay.error().message());
  return std::move(*relay);
}

struct ConformRun {
  int exit_status = -1;
  nlohmann::json report;  // discarded when none was written
  double seconds = 0;     // wall time of the whole run
};

// `tigress-conform ARGS... --report-json REPORT`, waited for (at most `deadline`), its report read back.
inline ConformRun run_conform(std::vector<std::string> args, const std::filesystem::path& report,
                              std::chrono::seconds deadline = std::chrono::seconds(300)) {
  args.insert(args.begin(), kBin + "/tigress-conform");
  args.insert(args.end(), {"--report-json", report.string()});
  const auto start = std::chrono::steady_clock::now();
  auto child = harness::ChildProcess::start(args, /*quiet_stderr=*/false);
  EXPECT_TRUE(child.ok());
  ConformRun run;
  if (!child) return run;
  while (child->read_line(deadline)) {
  }
  run.exit_status = child->wait(deadline);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.report = read_json_file(report);
  return run;
}

}  // namespace tigress::conformance::selfcheck
