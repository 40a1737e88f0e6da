// The preflight as a user meets it, through the real binary: against a port nothing listens on
// and against a TLS server that never answers, every relay-facing mode ends with exit status 3
// well under 30 s and tests nothing (the JSON report has the diagnosis and no case); against the
// reference relay the preflight passes and the run goes on.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/process.hpp"
#include "harness/raw_server_test_support.hpp"
#include "harness/relay_test_fixture.hpp"
#include "reference/codec/uuid.hpp"
#include "reference/data/data_dir.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::conformance {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using harness::testing::Connection;
using harness::testing::RawServer;
using harness::testing::TempFile;

const std::string kBin = TIGRESS_BIN_DIR;

const tls::TlsMaterial& material() {
  static const tls::TlsMaterial value = *tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
  return value;
}

struct Outcome {
  int exit_status = -1;
  double seconds = 0;
};

Outcome run(std::vector<std::string> argv) {
  argv.insert(argv.begin(), kBin + "/tigress-conform");
  const auto start = std::chrono::steady_clock::now();
  auto child = harness::ChildProcess::start(argv, /*quiet_stderr=*/false);
  EXPECT_TRUE(child.ok());
  Outcome outcome;
  if (!child) return outcome;
  while (child->read_line(120s)) {
  }
  outcome.exit_status = child->wait(120s);
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return outcome;
}

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str(), nullptr, false);
}

class PreflightSelfCheck : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tigress-preflight-" + codec::generate_uuid_v4()->to_string());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The mode's command line against `url` (TLS verified against `ca`).
  std::vector<std::string> command(const std::string& url, const std::string& ca) const {
    const std::string mode = GetParam();
    std::vector<std::string> argv = {mode, "--target", url, "--ca", ca};
    if (mode == "relay") argv.insert(argv.end(), {"--quiet", "--report-json", (dir_ / "report.json").string()});
    if (mode == "model") argv.insert(argv.end(), {"--runs", "5", "--report-json", (dir_ / "report.json").string()});
    if (mode == "fuzz") argv.insert(argv.end(), {"--sequences", "20", "--out", (dir_ / "fuzz").string()});
    // The reference relay deletes at the expiration instant: no expiry grace to wait out.
    if (mode == "replay") {
      argv.insert(argv.end(),
                  {"--expiry-grace", "0", (fs::path(TIGRESS_SOURCE_DIR) / "vectors" / "transcripts").string()});
    }
    return argv;
  }

  // The JSON report (relay and model): the preflight failed at `step`, nothing was tested.
  void expect_untestable_report(const std::string& step) const {
    if (GetParam() != "relay" && GetParam() != "model") return;
    auto report = read_json(dir_ / "report.json");
    ASSERT_TRUE(report.is_object()) << "no JSON report";
    EXPECT_EQ(report["preflight"]["passed"], false);
    EXPECT_EQ(report["preflight"]["step"], step);
    EXPECT_TRUE(report["cases"].empty());
    EXPECT_EQ(report["summary"]["fail"], 0);
    EXPECT_EQ(report["summary"]["total"], 0);
    EXPECT_FALSE(report["preflight"]["hints"].empty());
  }

  fs::path dir_;
};

TEST_P(PreflightSelfCheck, DeadPortExitsThreeWellUnderThirtySeconds) {
  const int port = harness::test_support::unused_loopback_port();  // nothing listens there
  ASSERT_NE(port, 0);
  TempFile ca(material().cert_pem);
  const Outcome outcome = run(command("https://127.0.0.1:" + std::to_string(port), ca.path()));
  EXPECT_EQ(outcome.exit_status, 3);
  EXPECT_LT(outcome.seconds, 30);
  std::cerr << GetParam() << " against a dead port: exit " << outcome.exit_status << " in " << outcome.seconds
            << " s\n";
  expect_untestable_report("connect");
}

TEST_P(PreflightSelfCheck, SilentTlsRelayExitsThreeWellUnderThirtySeconds) {
  RawServer silent(&material(), [](Connection& connection) { connection.idle(); });
  ASSERT_NE(silent.port(), 0);
  TempFile ca(material().cert_pem);
  const Outcome outcome = run(command("https://127.0.0.1:" + std::to_string(silent.port()), ca.path()));
  EXPECT_EQ(outcome.exit_status, 3);
  EXPECT_LT(outcome.seconds, 30);
  std::cerr << GetParam() << " against a silent TLS relay: exit " << outcome.exit_status << " in " << outcome.seconds
            << " s\n";
  expect_untestable_report("create");
}

TEST_P(PreflightSelfCheck, ReferenceRelayPassesThePreflight) {
  const std::string ca = (dir_ / "relay-ca.pem").string();
  auto relay = harness::ChildProcess::start(
      {kBin + "/tigress-relay", "--listen", "127.0.0.1:0", "--self-signed", "--cert-out", ca}, true);
  ASSERT_TRUE(relay.ok());
  auto url = relay->wait_for_line_prefix("listening on ", 20s);
  ASSERT_TRUE(url.ok()) << url.error().message();
  std::vector<std::string> argv = command(*url, ca);
  if (GetParam() == "relay") argv.insert(argv.end(), {"--id", "6.1/create-200"});
  const Outcome outcome = run(argv);
  EXPECT_NE(outcome.exit_status, 3);
  if (GetParam() == "relay" || GetParam() == "model") {
    auto report = read_json(dir_ / "report.json");
    ASSERT_TRUE(report.is_object()) << "no JSON report";
    EXPECT_EQ(report["preflight"]["passed"], true) << report["preflight"].dump();
    EXPECT_FALSE(report["cases"].empty());
  }
}

// interop checks every https:// relay before its first cell; the suite's own relay needs none.
TEST(PreflightInterop, DeadUrlRelayExitsThreeBeforeAnyCell) {
  const int port = harness::test_support::unused_loopback_port();  // nothing listens there
  ASSERT_NE(port, 0);
  TempFile ca(material().cert_pem);
  const Outcome outcome = run({"interop", "--clients", kBin + "/tigress-client", "--relays",
                               "reference,https://127.0.0.1:" + std::to_string(port), "--ca", ca.path()});
  EXPECT_EQ(outcome.exit_status, 3);
  EXPECT_LT(outcome.seconds, 30);
}

INSTANTIATE_TEST_SUITE_P(Modes, PreflightSelfCheck, ::testing::Values("relay", "model", "fuzz", "replay"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tigress::conformance
