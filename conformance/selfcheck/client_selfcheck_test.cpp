// Self-validation of the client suite: the reference tigress-client passes every
// client case, and every planted defect of `tigress-client --list-defects` is caught (FAIL) by
// the case(s) it names. Runs the real binaries, as a third party's CI would.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/relay_test_fixture.hpp"
#include "harness/shim_runner.hpp"

namespace tigress::conformance {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using harness::test_support::kBin;

struct ListedDefect {
  std::string description;
  std::vector<std::string> caught_by;
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, separator);) parts.push_back(part);
  return parts;
}

// NAME \t description \t id[,id...] per line; empty when the client has no defect list.
std::map<std::string, ListedDefect> listed_defects(std::string& problem) {
  std::map<std::string, ListedDefect> defects;
  harness::ShimInvocation invocation;
  invocation.argv = {kBin + "/tigress-client", "--list-defects"};
  invocation.timeout = 20s;
  auto outcome = harness::run_shim(invocation);
  if (!outcome || outcome->exit_code != 0) {
    problem = "tigress-client --list-defects failed";
    return defects;
  }
  for (const auto& line : split(outcome->stdout_text, '\n')) {
    const auto fields = split(line, '\t');
    if (fields.size() != 3) continue;
    defects[fields[0]] = ListedDefect{fields[1], split(fields[2], ',')};
  }
  return defects;
}

class ClientSelfCheck : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(scratch_.ok()); }

  // Runs `tigress-conform client` and returns its JSON report (discarded when missing).
  nlohmann::json conform(const std::string& shim, const std::vector<std::string>& extra, int& exit_status,
                         bool strict = true) {
    const std::string report = (dir_ / "report.json").string();
    harness::ShimInvocation invocation;
    invocation.argv = {kBin + "/tigress-conform", "client", "--shim", shim, "--quiet", "--seed", "20261123",
                       "--report-json",           report};
    if (strict) invocation.argv.push_back("--strict");
    invocation.argv.insert(invocation.argv.end(), extra.begin(), extra.end());
    invocation.timeout = 300s;
    auto outcome = harness::run_shim(invocation);
    EXPECT_TRUE(outcome.ok());
    exit_status = outcome ? outcome->exit_code : -1;
    return harness::test_support::read_json_file(report);
  }

  tigress::ScratchDir scratch_{"tigress-client-selfcheck"};
  const fs::path dir_ = scratch_.path();
};

TEST_F(ClientSelfCheck, ReferenceClientPassesEveryCase) {
  int exit_status = -1;
  auto report = conform(kBin + "/tigress-client", {"--jobs", "4"}, exit_status);
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  EXPECT_EQ(exit_status, 0);
  EXPECT_EQ(report["run"]["mode"], "client");
  const auto& summary = report["summary"];
  EXPECT_GE(summary["total"].get<int>(), 40);
  EXPECT_EQ(summary["fail"], 0);
  EXPECT_EQ(summary["error"], 0);
  EXPECT_EQ(summary["warn"], 0);
  EXPECT_EQ(summary["skip"], 0);  // the reference client implements every command and option
  for (const auto& c : report["cases"]) {
    EXPECT_EQ(c["verdict"], "PASS") << c["id"] << ": " << c["detail"];
  }
}

// The defects the issue fixes by name, each with the case that must catch it.
const std::map<std::string, std::string>& required_defects() {
  static const std::map<std::string, std::string> table{
      {"sends-secret", "client/8.2.1/secret-never-sent"},
      {"keeps-fragment", "client/8.2.1/fragment-stripped-on-read"},
      {"reuses-iv", "client/7.2/iv-never-repeats"},
      {"plaintext-payload", "client/7.2/payload-decrypts-with-secret"},
      {"short-key", "client/7.2/key-length-matches-algorithm"},
      {"same-claim-both-roles", "client/4.1/claims-differ-between-roles"},
      {"reuses-claim-across-shares", "client/4.1/claim-fresh-per-share"},
      {"reuses-request-id", "client/5.1/request-id-fresh"},
      {"ignores-echo-mismatch", "client/5.1/echo-mismatch-rejected"},
      {"new-request-id-on-retry", "client/5.1/retry-keeps-request-id"},
      {"accepts-tampered", "client/8.2.1/tampered-ciphertext-rejected"},
      {"ignores-content-type", "client/robustness/wrong-content-type-rejected"},
      {"no-timeout", "client/robustness/slow-relay-times-out"},
      {"unbounded-response", "client/robustness/oversized-response-rejected"},
      {"secret-in-body", "client/8.2.1/secret-never-sent"},
      {"claim-from-key", "client/4.1/claims-unrelated-to-key"},
      {"follows-redirects", "client/robustness/redirect-307-other-origin-not-followed"},
      {"accepts-http", "client/7.3/http-share-url-refused"},
      {"iv-from-plaintext", "client/7.2/iv-fresh-for-same-plaintext"},
      {"share-url-from-relay-option", "client/7.3/share-url-uses-url-link-origin"},
      {"ignores-refusals", "client/robustness/refused-update-fails"},
      {"no-cert-verification", "client/robustness/untrusted-certificate-refused"},
      {"no-request-id", "client/5.1/request-id-present"},
  };
  return table;
}

TEST(ClientDefectList, ListsEveryRequiredDefectWithItsCase) {
  std::string problem;
  const auto listed = listed_defects(problem);
  ASSERT_TRUE(problem.empty()) << problem;
  EXPECT_GE(listed.size(), 10u);
  for (const auto& [name, id] : required_defects()) {
    auto found = listed.find(name);
    ASSERT_NE(found, listed.end()) << name << " missing from --list-defects";
    EXPECT_NE(std::find(found->second.caught_by.begin(), found->second.caught_by.end(), id),
              found->second.caught_by.end())
        << name << " should name " << id;
  }
}

class ClientDefectCaught : public ClientSelfCheck, public ::testing::WithParamInterface<std::string> {};

TEST_P(ClientDefectCaught, ByTheCasesItNames) {
  std::string problem;
  const auto listed = listed_defects(problem);
  ASSERT_TRUE(problem.empty()) << problem;
  auto found = listed.find(GetParam());
  ASSERT_NE(found, listed.end()) << GetParam() << " missing from --list-defects";
  std::vector<std::string> filter{"--jobs", "4"};
  for (const auto& id : found->second.caught_by) filter.insert(filter.end(), {"--id", id});
  int exit_status = -1;
  auto report = conform(kBin + "/tigress-client --defect " + GetParam(), filter, exit_status);
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  EXPECT_EQ(exit_status, 1);
  ASSERT_EQ(report["cases"].size(), found->second.caught_by.size()) << "every named case must exist";
  for (const auto& c : report["cases"]) {
    EXPECT_EQ(c["verdict"], "FAIL") << GetParam() << " not caught by " << c["id"] << ": " << c["detail"];
  }
}

// Defects the client lists beyond the required table are held to the same rule.
TEST_F(ClientSelfCheck, EveryFurtherListedDefectIsCaught) {
  std::string problem;
  const auto listed = listed_defects(problem);
  ASSERT_TRUE(problem.empty()) << problem;
  for (const auto& [name, defect] : listed) {
    if (required_defects().count(name) != 0) continue;
    // Defects caught by fuzz-client/* are the client response fuzzer's to find; its self-test
    // (conformance/fuzzclient, fuzz_client_selftest) holds every one of them to that.
    if (!defect.caught_by.empty() && defect.caught_by[0].rfind("fuzz-client/", 0) == 0) continue;
    std::vector<std::string> filter{"--jobs", "4"};
    for (const auto& id : defect.caught_by) filter.insert(filter.end(), {"--id", id});
    int exit_status = -1;
    auto report = conform(kBin + "/tigress-client --defect " + name, filter, exit_status);
    ASSERT_TRUE(report.is_object()) << "no JSON report for " << name;
    ASSERT_EQ(report["cases"].size(), defect.caught_by.size()) << name << ": every named case must exist";
    for (const auto& c : report["cases"]) {
      EXPECT_EQ(c["verdict"], "FAIL") << name << " not caught by " << c["id"] << ": " << c["detail"];
    }
  }
}

// NAME \t description \t [case_id,...] per line of --list-variants: the cases allowed to WARN.
std::map<std::string, std::vector<std::string>> listed_variants() {
  std::map<std::string, std::vector<std::string>> variants;
  harness::ShimInvocation invocation;
  invocation.argv = {kBin + "/tigress-client", "--list-variants"};
  invocation.timeout = 20s;
  auto outcome = harness::run_shim(invocation);
  if (!outcome || outcome->exit_code != 0) return variants;
  for (const auto& line : split(outcome->stdout_text, '\n')) {
    const auto fields = split(line, '\t');
    if (fields.size() < 2) continue;
    variants[fields[0]] = fields.size() > 2 ? split(fields[2], ',') : std::vector<std::string>{};
  }
  return variants;
}

// A defensible client (a reading the catalogue accepts) gets no FAIL and no ERROR from a whole
// run; only the cases its variant names may WARN, and under --strict exactly those FAIL.
TEST_F(ClientSelfCheck, DefensibleVariantsGetNoFail) {
  const auto variants = listed_variants();
  for (const char* required :
       {"read-without-request-id", "payload-base64url", "secret-base64url", "notification-token"}) {
    ASSERT_EQ(variants.count(required), 1u) << required << " missing from --list-variants";
  }
  for (const auto& [name, warned_by] : variants) {
    int exit_status = -1;
    auto report = conform(kBin + "/tigress-client --variant " + name, {"--jobs", "4"}, exit_status, false);
    ASSERT_TRUE(report.is_object()) << "no JSON report for " << name;
    EXPECT_EQ(exit_status, 0) << name;
    EXPECT_GE(report["summary"]["total"].get<int>(), 40);
    for (const auto& c : report["cases"]) {
      const std::string id = c["id"];
      const bool may_warn = std::find(warned_by.begin(), warned_by.end(), id) != warned_by.end();
      EXPECT_EQ(c["verdict"], may_warn ? "WARN" : "PASS") << name << ": " << id << ": " << c["detail"];
    }
    if (warned_by.empty()) continue;
    std::vector<std::string> filter{"--jobs", "4"};
    for (const auto& id : warned_by) filter.insert(filter.end(), {"--id", id});
    auto strict = conform(kBin + "/tigress-client --variant " + name, filter, exit_status, true);
    ASSERT_TRUE(strict.is_object()) << "no strict JSON report for " << name;
    ASSERT_EQ(strict["cases"].size(), warned_by.size()) << name;
    for (const auto& c : strict["cases"]) {
      EXPECT_EQ(c["verdict"], "FAIL") << name << " under --strict: " << c["id"] << ": " << c["detail"];
    }
  }
}

// A client defect that breaks a setup step (no Request-ID: the relay refuses every Create) is
// that client's FAIL in every case the step stops, never the suite's ERROR.
TEST_F(ClientSelfCheck, ClientCausedSetupFailuresAreFailsNotErrors) {
  int exit_status = -1;
  auto report = conform(kBin + "/tigress-client --defect no-request-id", {"--jobs", "4"}, exit_status);
  ASSERT_TRUE(report.is_object()) << "no JSON report";
  EXPECT_EQ(exit_status, 1);
  EXPECT_EQ(report["summary"]["error"], 0);
  EXPECT_GE(report["summary"]["fail"].get<int>(), 30);
  for (const auto& c : report["cases"]) {
    EXPECT_NE(c["verdict"], "ERROR") << c["id"] << ": " << c["detail"];
    if (c["id"] == "client/5.1/request-id-present") {
      EXPECT_EQ(c["verdict"], "FAIL");
    }
  }
}

// Every secret the suite learns reaches no report: a wrapper shim tees the client's stdout
// (share URLs with their secret) and stderr (the notification tokens it registered) to files the
// test reads afterwards, then every report format is searched for each of them.
TEST_F(ClientSelfCheck, NoSecretReachesAnyReport) {
  const fs::path seen = dir_ / "seen";
  const fs::path wrapper = dir_ / "teeing-shim.sh";
  {
    std::ofstream script(wrapper);
    script << "#!/bin/bash\nset -o pipefail\n"
           << "{ " << kBin << "/tigress-client --variant notification-token \"$@\" 2>&1 1>&3 | tee -a " << seen.string()
           << ".err >&2; } 3>&1 | tee -a " << seen.string() << ".out\n";
  }
  fs::permissions(wrapper, fs::perms::owner_all);
  const fs::path bundle = dir_ / "bundle";
  int exit_status = -1;
  auto report = conform(wrapper.string(),
                        {"--jobs", "4", "--id", "client/8.2.1/*", "--id", "client/8.2.2/*", "--id", "client/4.1/*",
                         "--report-html", (dir_ / "r.html").string(), "--report-junit", (dir_ / "r.xml").string(),
                         "--report-markdown", (dir_ / "r.md").string(), "--bundle", bundle.string()},
                        exit_status, false);
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["summary"]["fail"], 0);
  std::vector<std::string> secrets;
  for (const auto& line : split(harness::test_support::read_text_file(seen.string() + ".out"), '\n')) {
    if (const auto hash = line.find('#'); line.rfind("https://", 0) == 0 && hash != std::string::npos) {
      secrets.push_back(line.substr(hash + 1));
    }
  }
  const std::string marker = "registered notification token ";
  for (const auto& line : split(harness::test_support::read_text_file(seen.string() + ".err"), '\n')) {
    if (const auto at = line.find(marker); at != std::string::npos) secrets.push_back(line.substr(at + marker.size()));
  }
  ASSERT_GE(secrets.size(), 10u) << "the wrapper saw too few share URLs and tokens";
  std::vector<fs::path> reports{dir_ / "report.json", dir_ / "r.html", dir_ / "r.xml", dir_ / "r.md"};
  for (const auto& entry : fs::recursive_directory_iterator(bundle)) {
    if (entry.is_regular_file()) reports.push_back(entry.path());
  }
  for (const auto& path : reports) {
    const std::string text = harness::test_support::read_text_file(path);
    EXPECT_FALSE(text.empty()) << path;
    for (const auto& secret : secrets) EXPECT_EQ(text.find(secret), std::string::npos) << path << " shows a secret";
  }
}

std::vector<std::string> defect_names() {
  std::vector<std::string> names;
  for (const auto& entry : required_defects()) names.push_back(entry.first);
  return names;
}

INSTANTIATE_TEST_SUITE_P(ClientDefects, ClientDefectCaught, ::testing::ValuesIn(defect_names()),
                         [](const auto& info) { return harness::test_support::test_param_name(info.param); });

}  // namespace
}  // namespace tigress::conformance
