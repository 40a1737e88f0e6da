// The client response fuzzer end to end, on the real binaries: within one small budget (a fixed
// seed, a few dozen scenarios) the reference tigress-client yields no finding, and every client
// defect `tigress-client --list-defects` names as caught by fuzz-client/CLASS is found as that
// class, saved as a reproducer that replays on the defective client and not on the clean one.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/shim_runner.hpp"

namespace tigress::fuzz::client {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Json = nlohmann::json;

const std::string kBin = TIGRESS_BIN_DIR;
const std::string kClient = kBin + "/tigress-client";
// The smoke budget: a fixed seed and scenario count; the kill deadline is short so a hang costs
// little, the client's own timeout below it.
const std::vector<std::string> kBudget = {"--seed",    "1", "--scenarios",      "60", "--duration", "120",
                                          "--timeout", "4", "--client-timeout", "1",  "--progress", "0"};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, separator);) parts.push_back(part);
  return parts;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Outcome {
  int exit_code = -1;
  std::string out, err;
};

Outcome conform(std::vector<std::string> args) {
  harness::ShimInvocation invocation;
  invocation.argv = {kBin + "/tigress-conform", "fuzz-client"};
  invocation.argv.insert(invocation.argv.end(), args.begin(), args.end());
  invocation.timeout = 400s;
  auto outcome = harness::run_shim(invocation);
  EXPECT_TRUE(outcome.ok());
  if (!outcome) return {};
  EXPECT_FALSE(outcome->timed_out);
  return {outcome->exit_code, outcome->stdout_text, outcome->stderr_text};
}

// NAME -> finding class, for every listed defect caught by fuzz-client/CLASS.
std::map<std::string, std::string> fuzzer_defects() {
  harness::ShimInvocation invocation;
  invocation.argv = {kClient, "--list-defects"};
  invocation.timeout = 20s;
  auto outcome = harness::run_shim(invocation);
  EXPECT_TRUE(outcome.ok() && outcome->exit_code == 0);
  std::map<std::string, std::string> found;
  if (!outcome) return found;
  for (const auto& line : split(outcome->stdout_text, '\n')) {
    const auto fields = split(line, '\t');
    if (fields.size() != 3) continue;
    for (const auto& id : split(fields[2], ',')) {
      if (id.rfind("fuzz-client/", 0) == 0) found[fields[0]] = id.substr(12);
    }
  }
  return found;
}

class ClientFuzzSelfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "tigress-fuzz-client-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  Outcome fuzz(const std::string& shim, const std::string& name, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--shim",         shim,
                                     "--out",          (dir_ / name).string(),
                                     "--report-json",  (dir_ / (name + ".json")).string(),
                                     "--report-junit", (dir_ / (name + ".xml")).string()};
    args.insert(args.end(), kBudget.begin(), kBudget.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return conform(args);
  }

  Json report(const std::string& name) { return Json::parse(read_text(dir_ / (name + ".json")), nullptr, false); }

  std::vector<fs::path> reproducers(const std::string& name) {
    std::vector<fs::path> files;
    if (!fs::exists(dir_ / name)) return files;
    for (const auto& entry : fs::directory_iterator(dir_ / name)) files.push_back(entry.path());
    return files;
  }

  fs::path dir_;
};

std::map<std::string, std::string> verdicts(const Json& report) {
  std::map<std::string, std::string> out;
  if (!report.is_object() || !report.contains("cases")) return out;
  for (const auto& c : report["cases"]) out[c["id"]] = c["verdict"];
  return out;
}

TEST_F(ClientFuzzSelfTest, CleanReferenceClientYieldsNoFinding) {
  const Outcome run = fuzz(kClient, "clean");
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("60 scenarios"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("FINDING"), std::string::npos) << run.out;
  EXPECT_TRUE(reproducers("clean").empty());
  const Json r = report("clean");
  EXPECT_EQ(r.value("schema", ""), "tigress-report/1");
  EXPECT_EQ(verdicts(r),
            (std::map<std::string, std::string>{
                {"fuzz-client/crash", "PASS"}, {"fuzz-client/hang", "PASS"}, {"fuzz-client/wrong-output", "PASS"}}));
  const std::string junit = read_text(dir_ / "clean.xml");
  EXPECT_NE(junit.find("fuzz-client/wrong-output"), std::string::npos);
  EXPECT_EQ(junit.find("<failure"), std::string::npos);
}

TEST_F(ClientFuzzSelfTest, EveryFuzzerDefectIsFoundAndItsReproducerReplays) {
  const auto defects = fuzzer_defects();
  std::set<std::string> classes;
  for (const auto& [name, finding_class] : defects) classes.insert(finding_class);
  // One planted defect per finding class at least, or the classes are unproven.
  EXPECT_EQ(classes, (std::set<std::string>{"crash", "hang", "wrong-output"}));
  for (const auto& [name, finding_class] : defects) {
    SCOPED_TRACE(name);
    const std::string shim = kClient + " --defect " + name;
    const Outcome run = fuzz(shim, name, {"--max-findings", "1"});
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    EXPECT_NE(run.out.find("FINDING " + finding_class + " at "), std::string::npos) << run.out;
    const auto v = verdicts(report(name));
    EXPECT_EQ(v.at("fuzz-client/" + finding_class), "FAIL") << run.out;
    for (const auto& [id, verdict] : v) {
      if (id != "fuzz-client/" + finding_class) {
        EXPECT_EQ(verdict, "PASS") << id;
      }
    }
    const auto files = reproducers(name);
    ASSERT_EQ(files.size(), 1u) << run.out;
    EXPECT_EQ(files[0].filename().string().rfind(finding_class + "-", 0), 0u) << files[0];
    const Json saved = Json::parse(read_text(files[0]), nullptr, false);
    ASSERT_TRUE(saved.is_object());
    EXPECT_EQ(saved["format"], "tigress-fuzz-client-reproducer/1");
    EXPECT_EQ(saved["finding"]["class"], finding_class);
    EXPECT_TRUE(saved["minimised"].get<bool>()) << saved.dump(2);
    ASSERT_FALSE(saved["mutations"].empty());
    EXPECT_LE(saved["mutations"].size(), saved["original_mutations"].get<std::size_t>());
    ASSERT_FALSE(saved["answers"].empty());

    const std::vector<std::string> replay_flags = {"--timeout", "4",        "--client-timeout",
                                                   "1",         "--replay", files[0].string()};
    std::vector<std::string> on_defective = {"--shim", shim};
    on_defective.insert(on_defective.end(), replay_flags.begin(), replay_flags.end());
    const Outcome again = conform(on_defective);
    EXPECT_EQ(again.exit_code, 1) << again.out << again.err;
    EXPECT_NE(again.out.find("replay: reproduced " + finding_class), std::string::npos) << again.out;
    std::vector<std::string> on_clean = {"--shim", kClient};
    on_clean.insert(on_clean.end(), replay_flags.begin(), replay_flags.end());
    const Outcome clean = conform(on_clean);
    EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
    EXPECT_NE(clean.out.find("replay: not reproduced"), std::string::npos) << clean.out;
  }
}

TEST_F(ClientFuzzSelfTest, UsageErrorsAndAnUntestableShim) {
  EXPECT_EQ(conform({"--duration", "1"}).exit_code, 2);
  EXPECT_EQ(conform({"--shim", kClient, "--timeout", "2", "--client-timeout", "2"}).exit_code, 2);
  EXPECT_EQ(conform({"--shim", kClient, "--no-such-flag", "1"}).exit_code, 2);
  // A shim that refuses everything cannot be fuzzed: the unmutated exchange fails first.
  const Outcome refusing = conform({"--shim", "/bin/false", "--scenarios", "1"});
  EXPECT_EQ(refusing.exit_code, 3) << refusing.err;
  EXPECT_NE(refusing.err.find("could not be tested"), std::string::npos) << refusing.err;
}

}  // namespace
}  // namespace tigress::fuzz::client
