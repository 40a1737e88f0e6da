// `tigress-conform replay` against the real reference relay: every transcript of
// vectors/transcripts/ passes on the clean relay, and a relay with a deliberate defect fails the
// transcript that exercises it. Plus the placeholder substitution on its own.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "conformance/framework/expiry_grace.hpp"
#include "conformance/replay/placeholders.hpp"
#include "conformance/replay/replay_mode.hpp"
#include "harness/process.hpp"
#include "harness/relay_test_fixture.hpp"
#include "reference/codec/timestamp.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::conformance {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using harness::test_support::kBin;
const std::string kTranscripts = std::string(TIGRESS_SOURCE_DIR) + "/vectors/transcripts";

class ReplayAgainstRelay : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(scratch_.ok()); }

  // Starts tigress-relay on 127.0.0.1 (free port), replays `paths`, returns the JSON report.
  // The reference relay deletes a mailbox at its expiration instant, so the replays give it no
  // expiry grace unless a test says otherwise (the default, a minute, would only slow them).
  nlohmann::json replay(const std::vector<std::string>& relay_extra, const std::vector<std::string>& paths,
                        int& exit_status, const std::string& expiry_grace = "0") {
    auto relay = harness::test_support::start_relay_process(kBin, dir_ / "ca.pem", relay_extra);
    EXPECT_TRUE(relay.ok()) << (relay ? "" : relay.error().message());
    if (!relay) return nullptr;
    const std::string report = (dir_ / "replay.json").string();
    std::vector<std::string> conform = {
        kBin + "/tigress-conform", "replay", "--target",       relay->url,  "--ca", relay->ca,
        "--report-json",           report,   "--expiry-grace", expiry_grace};
    conform.insert(conform.end(), paths.begin(), paths.end());
    auto child = harness::ChildProcess::start(conform);
    EXPECT_TRUE(child.ok());
    if (!child) return nullptr;
    while (auto line = child->read_line(120s)) std::cout << *line << "\n";
    exit_status = child->wait(120s);
    relay->process.stop();
    return harness::test_support::read_json_file(report);
  }

  tigress::ScratchDir scratch_{"tigress-replay"};
  const fs::path dir_ = scratch_.path();
};

TEST_F(ReplayAgainstRelay, EveryTranscriptPassesOnTheReferenceRelay) {
  int exit_status = -1;
  const auto report = replay({}, {kTranscripts}, exit_status);
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  EXPECT_EQ(exit_status, 0);
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(kTranscripts)) files += entry.path().extension() == ".json";
  EXPECT_GE(files, 7u);
  EXPECT_EQ(report["summary"]["total"].get<std::size_t>(), files);
  for (const auto& t : report["transcripts"]) {
    EXPECT_EQ(t["verdict"], "PASS") << t["name"] << ": " << t["detail"];
    EXPECT_EQ(t["stepsRun"], t["stepsTotal"]) << t["name"];
  }
}

// The expiry transcript counts from the expiration its create step marks and the replay's
// --expiry-grace: a mailbox still served just after the expiration passes while the grace lasts
// and fails once it is over; without a grace it fails at once.
TEST_F(ReplayAgainstRelay, AMailboxServedAfterItsExpiryFailsOnceTheGraceIsOver) {
  int exit_status = -1;
  const auto at_once = replay({"--defect", "never-expire"}, {kTranscripts + "/expiry.json"}, exit_status, "0");
  ASSERT_TRUE(at_once.is_object()) << "no JSON report";
  EXPECT_EQ(exit_status, 1);
  EXPECT_EQ(at_once["expiryGraceSeconds"], 0);
  ASSERT_EQ(at_once["transcripts"].size(), 1u);
  const std::string early = at_once["transcripts"][0]["detail"];
  EXPECT_NE(early.find("step 4 (Read after the expiration, inside the expiry grace): status 200"), std::string::npos)
      << early;
  EXPECT_NE(early.find("after its beforeInstant instant, expiration + 1 s + expiry grace 0 s"), std::string::npos)
      << early;

  const auto graced = replay({"--defect", "never-expire"}, {kTranscripts + "/expiry.json"}, exit_status, "2");
  ASSERT_TRUE(graced.is_object()) << "no JSON report";
  EXPECT_EQ(exit_status, 1);
  ASSERT_EQ(graced["transcripts"].size(), 1u);
  const auto& t = graced["transcripts"][0];
  const std::string late = t["detail"];
  EXPECT_NE(late.find("step 7 (Read after expiry and grace): status 200"), std::string::npos) << late;
  EXPECT_EQ(t["stepsRun"], 6);
  // The expiration lies more than 3 s after the start (${time+4}, truncated to the second); the
  // failing Read waited for it plus 1 s of skew plus the 2 s grace.
  EXPECT_GT(t["elapsedMs"].get<double>(), 6000.0);
}

TEST(ReplayOptions, ExpiryGraceTakesTheRelayModesRangeAndDefault) {
  EXPECT_EQ(run_replay_mode({"--target", "https://127.0.0.1:1", "--insecure", "--expiry-grace", "3601", kTranscripts}),
            2);
  EXPECT_EQ(run_replay_mode({"--target", "https://127.0.0.1:1", "--insecure", "--expiry-grace", "-1", kTranscripts}),
            2);
  const std::string usage = replay_mode_usage();
  EXPECT_NE(usage.find("--expiry-grace SEC   how long after expiration a mailbox may still be served (default " +
                       std::to_string(kDefaultExpiryGraceSeconds) + ","),
            std::string::npos)
      << usage;
}

TEST_F(ReplayAgainstRelay, ARelayThatBindsEveryReaderFails) {
  int exit_status = -1;
  const auto report = replay({"--defect", "bind-every-reader"}, {kTranscripts + "/create_read_bind.json"}, exit_status);
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  EXPECT_EQ(exit_status, 1);
  ASSERT_EQ(report["transcripts"].size(), 1u);
  const auto& t = report["transcripts"][0];
  EXPECT_EQ(t["verdict"], "FAIL");
  // The third claim's Read (step 5) must be what fails, with the status it got.
  EXPECT_NE(t["detail"].get<std::string>().find("step 5"), std::string::npos) << t["detail"];
  EXPECT_NE(t["detail"].get<std::string>().find("status 200"), std::string::npos) << t["detail"];
}

TEST_F(ReplayAgainstRelay, ARelayThatReexecutesDuplicatesFails) {
  int exit_status = -1;
  const auto report =
      replay({"--defect", "reexecute-duplicates"}, {kTranscripts + "/duplicate_requests.json"}, exit_status);
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  EXPECT_EQ(exit_status, 1);
  ASSERT_EQ(report["transcripts"].size(), 1u);
  EXPECT_EQ(report["transcripts"][0]["verdict"], "FAIL");
}

// A header expectation is checked on every status headersFor names, 4xx included, and only there.
TEST_F(ReplayAgainstRelay, HeaderChecksApplyToTheStatusesTheyAreStatedFor) {
  auto transcript = [&](const std::string& name, int header_status) {
    nlohmann::json t = {{"schema", "transcript_schema_v1.json"},
                        {"generatorVersion", "1.0.0"},
                        {"name", name},
                        {"description", "header checks on a 404"},
                        {"requirements", {"MBX-PREVIEW-03"}},
                        {"fresh", {{"nobody", "uuid"}}}};
    t["steps"] = {
        {{"comment", "preview of an unknown mailbox"},
         {"requirements", {"MBX-PREVIEW-03"}},
         {"request", {{"method", "GET"}, {"path", "/v1/m/${nobody}"}, {"headers", nlohmann::json::object()}}},
         {"expect",
          {{"status", {404}}, {"headers", {{"X-Tigress-Never-Sent", "x"}}}, {"headersFor", {header_status}}}}}};
    const std::string path = (dir_ / (name + ".json")).string();
    std::ofstream(path) << t.dump();
    return path;
  };
  int exit_status = -1;
  const auto report =
      replay({}, {transcript("checked_on_404", 404), transcript("not_checked_on_404", 200)}, exit_status);
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  EXPECT_EQ(exit_status, 1);
  ASSERT_EQ(report["transcripts"].size(), 2u);
  for (const auto& t : report["transcripts"]) {
    if (t["name"] == "checked_on_404") {
      EXPECT_EQ(t["verdict"], "FAIL");
      EXPECT_NE(t["detail"].get<std::string>().find("header X-Tigress-Never-Sent is absent"), std::string::npos)
          << t["detail"];
    } else {
      EXPECT_EQ(t["verdict"], "PASS") << t["detail"];
    }
  }
}

TEST(ReplayPlaceholders, SubstitutesKnownNamesAndTimes) {
  const Bindings bindings = {{"a", "1"}, {"mailbox", "/v1/m/x"}};
  EXPECT_EQ(*substitute("${mailbox}?q=${a}", bindings), "/v1/m/x?q=1");
  EXPECT_FALSE(substitute("${nope}", bindings).ok());
  EXPECT_FALSE(substitute("${a", bindings).ok());
  EXPECT_FALSE(substitute("${time+x}", bindings).ok());
  auto later = substitute("${time+60}", bindings);
  ASSERT_TRUE(later.ok());
  auto parsed = codec::parse_timestamp_strict(*later);
  ASSERT_TRUE(parsed.ok()) << *later;
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_NEAR(static_cast<double>(*parsed - now), 60.0, 2.0);
  auto json = substitute_json(nlohmann::json{{"k", "${a}"}, {"n", 5}, {"l", {"${mailbox}"}}}, bindings);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ((*json)["k"], "1");
  EXPECT_EQ((*json)["n"], 5);
  EXPECT_EQ((*json)["l"][0], "/v1/m/x");
}

}  // namespace
}  // namespace tigress::conformance
