// Self-validation of the relay suite (issue: "prove itself"): the reference relay passes every
// case with no warning, and every deliberate defect of the relay is caught by the case(s) the
// defect catalogue names. Runs the real binaries, as a user's CI would.
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

// `tigress-conform MODE --list` with `extra`; returns the exit status and counts the listed cases.
int list_cases(const std::string& mode, const std::vector<std::string>& extra, int& listed) {
  std::vector<std::string> argv = {kBin + "/tigress-conform", mode, "--list"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto child = harness::ChildProcess::start(argv, /*quiet_stderr=*/true);
  EXPECT_TRUE(child.ok());
  listed = 0;
  while (child->read_line(60s)) ++listed;
  return child->wait(60s);
}

// Both registries agree with the shipped catalogue (ids name their sections, levels are cited
// levels), and a catalogue that disagrees with a case makes the mode refuse to run.
TEST_F(SelfCheck, EveryCaseAgreesWithTheCatalogue) {
  int listed = 0;
  EXPECT_EQ(list_cases("relay", {}, listed), 0);
  EXPECT_GE(listed, 100);
  EXPECT_EQ(list_cases("client", {}, listed), 0);
  EXPECT_GE(listed, 40);

  std::ifstream in(data::data_dir() / "requirements.json");  // the build tree's data folder
  auto catalogue = nlohmann::json::parse(in);
  for (auto& requirement : catalogue["requirements"]) {
    if (requirement["id"] == "MBX-RID-05" || requirement["id"] == "MBX-CREATE-01") requirement["level"] = "ADVISORY";
  }
  const std::string edited = (dir_ / "requirements.json").string();
  std::ofstream(edited) << catalogue.dump();
  EXPECT_EQ(list_cases("relay", {"--catalogue", edited}, listed), 2);   // 6.1/create-200 is MUST
  EXPECT_EQ(list_cases("client", {"--catalogue", edited}, listed), 2);  // client/5.1/retry-on-read-... is MAY
}

TEST_F(SelfCheck, ReferenceRelayPassesEveryCaseWithoutWarnings) {
  auto relay = start_relay({});
  int exit_status = -1;
  auto report = conform(relay, {}, exit_status);
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  EXPECT_EQ(exit_status, 0);
  const auto& summary = report["summary"];
  EXPECT_GE(summary["total"].get<int>(), 120);
  EXPECT_EQ(summary["fail"], 0);
  EXPECT_EQ(summary["error"], 0);
  EXPECT_EQ(summary["warn"], 0);
  EXPECT_EQ(summary["skip"], 0);
  for (const auto& c : report["cases"]) {
    EXPECT_EQ(c["verdict"], "PASS") << c["id"] << ": " << c["detail"];
  }
}

// Two relay processes on one Redis store (--store redis://): the suite against one of them
// passes every case while the other shares, and sweeps, the same mailboxes.
TEST_F(SelfCheck, RelaysSharingARedisStorePassEveryCase) {
  if (relay::testing::RedisTestServer::program().empty()) GTEST_SKIP() << "redis-server is not installed";
  auto redis = relay::testing::RedisTestServer::start();
  ASSERT_TRUE(redis.ok()) << redis.error().message();
  auto first = start_relay({"--store", (*redis)->url()});
  auto second = start_relay({"--store", (*redis)->url(), "--cert-out", (dir_ / "ca-second.pem").string()});
  ASSERT_FALSE(second.url.empty());
  int exit_status = -1;
  auto report = conform(first, {}, exit_status);
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  EXPECT_EQ(exit_status, 0);
  EXPECT_GE(report["summary"]["total"].get<int>(), 120);
  for (const auto& c : report["cases"]) {
    EXPECT_EQ(c["verdict"], "PASS") << c["id"] << ": " << c["detail"];
  }
}

// Behind a gateway: an API key on every request and a shared request rate change no verdict,
// and the key appears in no report (the command line in the reports included).
TEST_F(SelfCheck, GatewayOptionsPassAndTheHeaderValueIsInNoReport) {
  auto relay = start_relay({});
  const std::string html = (dir_ / "report.html").string();
  int exit_status = -1;
  auto report = conform(relay, {"--header", "X-Api-Key: s3cret", "--rate", "200", "--report-html", html}, exit_status);
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  EXPECT_EQ(exit_status, 0);
  EXPECT_EQ(report["summary"]["fail"], 0);
  EXPECT_EQ(report["summary"]["error"], 0);
  EXPECT_EQ(report["summary"]["warn"], 0);
  for (const fs::path& file : {dir_ / "report.json", fs::path(html)}) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_GT(text.str().size(), 1000u) << file;
    EXPECT_EQ(text.str().find("s3cret"), std::string::npos) << "the header value leaked into " << file;
    EXPECT_NE(text.str().find("redacted:header X-Api-Key"), std::string::npos)
        << "wire logs show the header in " << file;
  }
}

// Adoption with an expectations file: a baseline taken from a relay with a known defect turns
// the failures the defect causes into XFAIL (the run passes), and the same file against the fixed
// relay reports XPASS and fails the run unless --allow-xpass.
TEST_F(SelfCheck, ExpectationsTurnAKnownFailureIntoXfailAndAFixedOneIntoXpass) {
  const relay::DefectInfo& defect = relay::relay_defect_catalogue().front();
  std::vector<std::string> filter;
  for (auto id : defect.caught_by) {
    filter.push_back("--id");
    filter.push_back(std::string(id));
  }
  filter.insert(filter.end(), {"--id", "6.1/create-200"});  // and a case the defect leaves alone
  int exit_status = -1;
  auto broken = start_relay({"--defect", std::string(defect.name)});
  auto baseline_report = conform(broken, filter, exit_status);
  ASSERT_TRUE(baseline_report.is_object());
  ASSERT_EQ(exit_status, 1) << defect.name << " must fail the plain run";
  fs::copy_file(dir_ / "report.json", dir_ / "baseline.json");

  const std::string expectations = (dir_ / "expectations.json").string();
  auto writer = harness::ChildProcess::start(
      {kBin + "/tigress-conform", "expect", "--from", (dir_ / "baseline.json").string(), "--out", expectations},
      /*quiet_stderr=*/true);
  ASSERT_TRUE(writer.ok());
  ASSERT_EQ(writer->wait(60s), 0);
  std::ifstream in(expectations);
  std::stringstream text;
  text << in.rdbuf();
  const auto file = nlohmann::json::parse(text.str(), nullptr, false);
  ASSERT_TRUE(file.is_object()) << text.str();
  ASSERT_EQ(file["expectations"].size(), defect.caught_by.size()) << text.str();

  std::vector<std::string> with_file = filter;
  with_file.insert(with_file.end(), {"--expect", expectations});
  auto judged = conform(broken, with_file, exit_status);
  ASSERT_TRUE(judged.is_object());
  EXPECT_EQ(exit_status, 0) << "known failures do not fail the run";
  EXPECT_EQ(judged["summary"]["xfail"], static_cast<int>(defect.caught_by.size()));
  EXPECT_EQ(judged["summary"]["fail"], 0);
  EXPECT_EQ(judged["summary"]["pass"], 1);
  EXPECT_EQ(judged["run"]["expectations"]["entries"], static_cast<int>(defect.caught_by.size()));
  for (const auto& c : judged["cases"]) {
    if (c["id"] == "6.1/create-200") continue;
    EXPECT_EQ(c["outcome"], "XFAIL") << c["id"];
    EXPECT_NE(c["verdict"], "PASS") << c["id"];
  }

  auto fixed = start_relay({});
  auto xpass = conform(fixed, with_file, exit_status);
  ASSERT_TRUE(xpass.is_object());
  EXPECT_EQ(exit_status, 1) << "a listed case that passes fails the run";
  EXPECT_EQ(xpass["summary"]["xpass"], static_cast<int>(defect.caught_by.size()));
  with_file.push_back("--allow-xpass");
  conform(fixed, with_file, exit_status);
  EXPECT_EQ(exit_status, 0) << "--allow-xpass";
}

TEST_F(SelfCheck, AnExpectationMatchingNoCaseIsAUsageError) {
  const fs::path file = dir_ / "typo.json";
  std::ofstream(file) << R"({"schema": "tigress-expectations/1", "expectations": [
      {"case": "6.5/no-such-case", "verdict": "FAIL", "reason": "typo"}]})";
  auto relay = start_relay({});
  int exit_status = -1;
  conform(relay, {"--expect", file.string()}, exit_status);
  EXPECT_EQ(exit_status, 2);
}

// AMB-24: the catalogue reports a first Create answered 201 with the full body as an interop
// risk, not a failure: WARN in a plain run, FAIL under --strict.
TEST_F(SelfCheck, AFirstCreateAnswered201IsAWarningAndUnderStrictAFailure) {
  auto relay = start_relay({"--defect", "create-answers-201"});
  int exit_status = -1;
  auto plain = conform(relay, {"--id", "6.1/create-200"}, exit_status);
  ASSERT_TRUE(plain.is_object() && plain["cases"].size() == 1u);
  EXPECT_EQ(plain["cases"][0]["verdict"], "WARN") << plain["cases"][0]["detail"];
  EXPECT_NE(plain["cases"][0]["detail"].get<std::string>().find("AMB-24 lenient"), std::string::npos);
  auto strict = conform(relay, {"--id", "6.1/create-200", "--strict"}, exit_status);
  ASSERT_TRUE(strict.is_object() && strict["cases"].size() == 1u);
  EXPECT_EQ(strict["cases"][0]["verdict"], "FAIL") << strict["cases"][0]["detail"];
  EXPECT_EQ(exit_status, 1);
}

}  // namespace
}  // namespace tigress::conformance
