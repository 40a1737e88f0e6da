// Self-validation of the relay suite (issue: "prove itself"): the reference relay passes every
// case with no warning, and every deliberate defect of the relay is caught by the case(s) the
// defect catalogue names. Runs the real binaries, as a user's CI would.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/process.hpp"
#include "reference/codec/uuid.hpp"
#include "reference/data/data_dir.hpp"
#include "reference/relay/defects.hpp"
#include "reference/relay/readings.hpp"
#include "reference/relay/redis_test_server.hpp"

namespace tigress::conformance {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kBin = TIGRESS_BIN_DIR;

struct RunningRelay {
  harness::ChildProcess process;
  std::string url;
  std::string ca;
};

class SelfCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tigress-selfcheck-" + codec::generate_uuid_v4()->to_string());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  RunningRelay start_relay(const std::vector<std::string>& extra) {
    const std::string ca = (dir_ / "ca.pem").string();
    std::vector<std::string> argv = {kBin + "/tigress-relay", "--listen", "127.0.0.1:0",
                                     "--self-signed", "--cert-out", ca};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto child = harness::ChildProcess::start(argv, /*quiet_stderr=*/true);
    EXPECT_TRUE(child.ok()) << (child ? "" : child.error().message());
    auto url = child->wait_for_line_prefix("listening on ", 20s);
    EXPECT_TRUE(url.ok()) << (url ? "" : url.error().message());
    return RunningRelay{std::move(*child), url ? *url : "", ca};
  }

  // Runs tigress-conform and returns its JSON report.
  nlohmann::json conform(const RunningRelay& relay, const std::vector<std::string>& extra, int& exit_status) {
    std::vector<std::string> args = {"--ca", relay.ca};
    args.insert(args.end(), extra.begin(), extra.end());
    return conform(relay.url, args, exit_status);
  }
  nlohmann::json conform(const std::string& url, const std::vector<std::string>& extra, int& exit_status) {
    const std::string report = (dir_ / "report.json").string();
    std::vector<std::string> argv = {kBin + "/tigress-conform", "relay", "--target", url,
                                     "--seed", "20261123", "--quiet", "--report-json", report};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto child = harness::ChildProcess::start(argv, /*quiet_stderr=*/false);
    EXPECT_TRUE(child.ok());
    while (child->read_line(120s)) {
    }
    exit_status = child->wait(120s);
    std::ifstream in(report);
    std::stringstream text;
    text << in.rdbuf();
    return nlohmann::json::parse(text.str(), nullptr, false);
  }

  fs::path dir_;
};

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
    EXPECT_NE(text.str().find("redacted:header X-Api-Key"), std::string::npos) << "wire logs show the header in " << file;
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
  auto writer = harness::ChildProcess::start({kBin + "/tigress-conform", "expect", "--from",
                                              (dir_ / "baseline.json").string(), "--out", expectations},
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

// A compound defect set with a poison: one accepted input (a date-only expiration) makes the relay
// answer 500 to everything after it. Without a restart the poisoning case FAILs and is named as
// the cause, every case after it is BLOCKED and none FAILs for the collateral; with --restart-cmd
// every other defect of the set is still caught by the case the catalogue names.
class PoisonedRelay : public SelfCheck {
 protected:
  static constexpr const char* kPoisonCase = "4.3/expiration-not-rfc3339";
  const std::vector<std::string> others_ = {"allow-tls10", "omit-push-flag", "stranger-may-update", "preview-unescaped"};

  void SetUp() override {
    SelfCheck::SetUp();
    std::string defects = "poison-date-only-expiration";
    for (const auto& name : others_) defects += "," + name;
    // A free port the restarted relay takes again (the runner's probe finds it there).
    const int port = free_port();
    ASSERT_GT(port, 0);
    url_ = "https://127.0.0.1:" + std::to_string(port);
    script_ = (dir_ / "restart-relay.sh").string();
    pid_file_ = (dir_ / "relay.pid").string();
    std::ofstream(script_) << "pid=$(cat '" << pid_file_ << "' 2>/dev/null)\n"
                           << "if [ -n \"$pid\" ]; then kill \"$pid\"; n=0; "
                           << "while kill -0 \"$pid\" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n+1)); done; fi\n"
                           << "log='" << (dir_ / "relay.log").string() << "'; : > \"$log\"\n"
                           << "'" << kBin << "/tigress-relay' --listen 127.0.0.1:" << port
                           << " --self-signed --defect " << defects << " >\"$log\" 2>&1 &\n"
                           << "echo $! > '" << pid_file_ << "'\n"
                           << "n=0; while ! grep -q 'listening on' \"$log\" && [ $n -lt 200 ]; do sleep 0.1; n=$((n+1)); done\n"
                           << "grep -q 'listening on' \"$log\"\n";
    ASSERT_EQ(std::system(("sh '" + script_ + "'").c_str()), 0);
  }
  void TearDown() override {
    std::ifstream in(pid_file_);
    pid_t pid = 0;
    if (in >> pid && pid > 0) ::kill(pid, SIGTERM);
    SelfCheck::TearDown();
  }

  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = -1;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port = ntohs(address.sin_port);
    }
    ::close(fd);
    return port;
  }

  // The poisoning case, the cases of the other defects, and the 6.1 cases (which a healthy relay
  // with these defects passes, except the one the push-flag defect names), with --jobs 1.
  nlohmann::json run(const std::vector<std::string>& extra, int& exit_status) {
    std::vector<std::string> args = {"--insecure", "--jobs", "1", "--id", kPoisonCase, "--id", "6.1/*"};
    for (const auto& name : others_) {
      for (const auto& info : relay::relay_defect_catalogue()) {
        if (info.name != name) continue;
        for (auto id : info.caught_by) args.insert(args.end(), {"--id", std::string(id)});
      }
    }
    args.insert(args.end(), extra.begin(), extra.end());
    return conform(url_, args, exit_status);
  }

  std::string url_, script_, pid_file_;
};

TEST_F(PoisonedRelay, ThePoisoningCaseIsTheCauseAndTheRestAreBlocked) {
  int exit_status = -1;
  const auto report = run({}, exit_status);
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  EXPECT_EQ(exit_status, 1) << "anything BLOCKED fails the run";
  const auto& summary = report["summary"];
  std::cout << "compound defects without --restart-cmd: " << summary.dump() << "\n";
  bool after_poison = false;
  int blocked = 0;
  for (const auto& c : report["cases"]) {
    const std::string id = c["id"], verdict = c["verdict"], detail = c["detail"];
    if (id == kPoisonCase) {
      after_poison = true;
      EXPECT_EQ(verdict, "FAIL") << detail;
      EXPECT_NE(detail.find("cause: after this case the relay stopped serving"), std::string::npos) << detail;
      EXPECT_NE(detail.find("500"), std::string::npos) << detail;
    } else if (after_poison) {
      ++blocked;
      EXPECT_EQ(verdict, "BLOCKED") << id << ": " << detail;
      EXPECT_NE(detail.find(std::string("after ") + kPoisonCase), std::string::npos) << id << ": " << detail;
    } else {
      // 4.2/tls-below-1.2-refused runs first, on a healthy relay: its own defect is caught.
      EXPECT_EQ(verdict, "FAIL") << id << ": " << detail;
    }
  }
  EXPECT_TRUE(after_poison);
  EXPECT_GE(blocked, 10);
  EXPECT_EQ(summary["blocked"], blocked);
  EXPECT_EQ(summary["fail"], 2) << "nothing FAILs for the poison's collateral";
  EXPECT_EQ(summary["error"], 0);
}

TEST_F(PoisonedRelay, WithARestartEveryOtherDefectIsStillCaught) {
  int exit_status = -1;
  const auto report = run({"--restart-cmd", "sh '" + script_ + "'"}, exit_status);
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  EXPECT_EQ(exit_status, 1);
  const auto& summary = report["summary"];
  std::cout << "compound defects with --restart-cmd: " << summary.dump() << "\n";
  EXPECT_EQ(summary["blocked"], 0);
  EXPECT_EQ(summary["error"], 0);
  std::set<std::string> caught_by = {kPoisonCase};
  for (const auto& name : others_) {
    for (const auto& info : relay::relay_defect_catalogue()) {
      if (info.name == name) caught_by.insert(info.caught_by.begin(), info.caught_by.end());
    }
  }
  for (const auto& c : report["cases"]) {
    const std::string id = c["id"], verdict = c["verdict"], detail = c["detail"];
    if (caught_by.count(id)) {
      EXPECT_EQ(verdict, "FAIL") << id << " must still catch its defect: " << detail;
    } else if (verdict != "PASS") {
      // Other cases may notice a defect of the set on their own (a date-only expiration form in
      // 6.1/expiration-forms is a second poison; the missing push flag is WARNed), never the
      // collateral 500s of a poisoned relay.
      EXPECT_EQ(detail.substr(0, detail.find('\n')).find("500"), std::string::npos) << id << ": " << verdict << " " << detail;
    }
  }
}

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
  int exit_status = -1;
  auto report = conform(relay, filter, exit_status);
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  ASSERT_EQ(report["cases"].size(), info->caught_by.size() + blocks.size()) << "every named case must exist";
  for (const auto& c : report["cases"]) {
    const std::string verdict = c["verdict"], detail = c["detail"];
    if (blocks.count(c["id"])) {
      EXPECT_EQ(verdict, "BLOCKED") << info->name << ": " << c["id"] << " must not pass on a refused control: " << detail;
      EXPECT_EQ(detail.find("positive control refused: "), 0u) << c["id"] << ": " << detail;
      EXPECT_NE(detail.find("answered 400"), std::string::npos) << c["id"] << ": the control's status: " << detail;
      EXPECT_EQ(detail.find("note: "), std::string::npos) << c["id"] << ": no reading for a BLOCKED case: " << detail;
      continue;
    }
    EXPECT_TRUE(verdict == "FAIL" || verdict == "WARN")
        << info->name << " not caught by " << c["id"] << ": " << verdict << " " << detail;
  }
}

// A relay refusing the canonical setup of a case FAILs the requirement the setup exercises, with
// the refusal and the relay's own answer as the cause, not an ERROR; and a case that would have
// passed on a refusal shows the refused control, the relay's body included, as BLOCKED.
TEST_F(SelfCheck, ARefusedSetupIsTheCauseOfAFailAndARefusedControlBlocks) {
  auto relay = start_relay({"--defect", "short-description-limit"});
  int exit_status = -1;
  auto report = conform(relay, {"--id", "6.1/default-configuration", "--id", "6.1/unknown-members-tolerated"}, exit_status);
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
                         [](const auto& info) {
                           std::string name = info.param;
                           for (auto& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

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
                         [](const auto& info) {
                           std::string name = info.param;
                           for (auto& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

}  // namespace
}  // namespace tigress::conformance
