// Each benchmark program runs at tiny sizes and writes a JSON report with the members README.md
// documents. No figure is asserted on (the machine is shared); counts the programs control are.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "bench/relay_operations.hpp"
#include "reference/relay/redis_test_server.hpp"

namespace {

const std::string kBin = TIGRESS_BIN_DIR;

class BenchProgramTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tigress-bench-test-" + tigress::bench::fresh_uuid());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs `program args --out DIR/report.json`; the parsed report (null when absent or not JSON).
  nlohmann::json run(const std::string& program, const std::string& args) {
    const std::string report = (dir_ / "report.json").string();
    const std::string command =
        kBin + "/" + program + " " + args + " --out '" + report + "' >'" + (dir_ / "stdout").string() + "' 2>&1";
    const int status = std::system(command.c_str());
    EXPECT_EQ(status, 0) << command << "\n" << slurp(dir_ / "stdout");
    return nlohmann::json::parse(slurp(report), nullptr, false);
  }

  static std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  std::filesystem::path dir_;
};

void expect_load_result(const nlohmann::json& result, const std::string& what) {
  ASSERT_TRUE(result.is_object()) << what;
  for (const char* member : {"requests", "failures", "seconds", "requests_per_second", "p50_ms", "p99_ms",
                             "client_cpu_seconds", "process_cpu_seconds"}) {
    EXPECT_TRUE(result.contains(member)) << what << " lacks " << member;
  }
  EXPECT_GT(result.value("requests", 0), 0) << what;
  // TLS handshakes and requests cost the clients CPU; the process spent at least some too.
  EXPECT_GT(result.value("client_cpu_seconds", 0.0), 0.0) << what;
  EXPECT_GT(result.value("process_cpu_seconds", 0.0), 0.0) << what;
  EXPECT_EQ(result.value("failures", -1), 0) << what;
}

TEST_F(BenchProgramTest, RelayBenchWritesEveryPhase) {
  const auto report = run("tigress-bench", "--clients 2 --seconds 0.3");
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["schema"], "tigress-bench/1");
  for (const char* phase : {"baseline_constant_post", "create", "read", "update"}) {
    expect_load_result(report["results"][phase], phase);
  }
}

TEST_F(BenchProgramTest, HttpLayerBenchWritesBothLayers) {
  const auto report = run("tigress-bench-http", "--clients 2 --seconds 0.2 --rounds 1 --core-requests 200");
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["schema"], "tigress-bench-http/1");
  for (const char* layer : {"beast", "cpp_httplib"}) {
    for (const char* phase : {"bare_create", "bare_read", "bare_update", "create", "read", "update"}) {
      const auto& figures = report["results"][layer][phase];
      EXPECT_GT(figures.value("requests_per_second", 0.0), 0.0) << layer << " " << phase;
      // The servers decrypt, parse and answer every request: never free.
      EXPECT_GT(figures.value("server_cpu_microseconds_per_request", 0.0), 0.0) << layer << " " << phase;
    }
  }
  for (const char* operation : {"create", "read", "update"}) {
    EXPECT_GT(report["core_cpu_microseconds_per_request"].value(operation, 0.0), 0.0) << operation;
  }
}

// bench/netfuzz_bench.sh, as `make bench` runs it, at its smallest: one round of a second each.
TEST_F(BenchProgramTest, NetfuzzBenchWritesEveryRoundAndTheRatio) {
  if (std::system("command -v wrk >/dev/null 2>&1") != 0) GTEST_SKIP() << "wrk is not installed";
  const std::string report = (dir_ / "netfuzz.json").string();
  const std::string command = std::string("bash '") + TIGRESS_SOURCE_DIR + "/bench/netfuzz_bench.sh' '" + kBin + "' '" +
                              report + "' 1 2 2 >'" + (dir_ / "stdout").string() + "' 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command << "\n" << slurp(dir_ / "stdout");
  const auto parsed = nlohmann::json::parse(slurp(report), nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << slurp(report);
  EXPECT_EQ(parsed["schema"], "tigress-bench-netfuzz/2");
  ASSERT_EQ(parsed["rounds_load_generator"].size(), 2u);
  ASSERT_EQ(parsed["rounds_netfuzz"].size(), 2u);
  double best_wrk = 0, best_fuzz = 0;
  for (const auto& round : parsed["rounds_load_generator"]) {
    EXPECT_GT(round.value("requests", 0), 0);
    EXPECT_EQ(round.value("non_2xx", -1), 0);  // valid Creates, all taken
    best_wrk = std::max(best_wrk, round.value("requests_per_second", 0.0));
  }
  for (const auto& round : parsed["rounds_netfuzz"]) {
    EXPECT_GT(round.value("requests", 0), 0);
    EXPECT_EQ(round.value("findings", -1), 0);  // the reference relay
    best_fuzz = std::max(best_fuzz, round.value("requests_per_second", 0.0));
  }
  EXPECT_EQ(parsed["load_generator"].value("requests_per_second", 0.0), best_wrk);
  EXPECT_EQ(parsed["netfuzz"].value("requests_per_second", 0.0), best_fuzz);
  EXPECT_DOUBLE_EQ(parsed.value("ratio", 0.0), best_fuzz / best_wrk);
}

TEST_F(BenchProgramTest, ScaleBenchWritesThroughputMemoryAndSweep) {
  if (tigress::relay::testing::RedisTestServer::program().empty()) GTEST_SKIP() << "redis-server is not installed";
  const auto report = run("tigress-bench-scale",
                          "--clients 2 --seconds 0.3 --memory-store-mailboxes 100,300 --redis-store-mailboxes 100,300 "
                          "--sweep-live 0,50 --sweep-expired 0,20");
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["schema"], "tigress-bench-scale/1");
  for (const char* member :
       {"generated_at", "command", "nproc", "load_average_at_start", "load_average_at_end", "parameters"}) {
    EXPECT_TRUE(report.contains(member)) << member;
  }
  for (const char* deployment : {"memory_store_1_relay", "redis_store_1_relay", "redis_store_2_relays"}) {
    const auto& operations = report["throughput"][deployment]["operations"];
    for (const char* operation : {"create", "read", "update", "preview", "delete"}) {
      expect_load_result(operations[operation], std::string(deployment) + " " + operation);
    }
  }
  EXPECT_EQ(report["throughput"]["redis_store_2_relays"]["relays"], 2);
  for (const char* store : {"memory_store", "redis_store"}) {
    const auto& rows = report["memory"][store]["rows"];
    ASSERT_EQ(rows.size(), 2u) << store;
    EXPECT_EQ(rows[0]["mailboxes"], 100) << store;
    EXPECT_EQ(rows[1]["mailboxes"], 300) << store;
    EXPECT_TRUE(rows[1].contains("bytes_per_mailbox")) << store;
    // live x expired: every expired mailbox is swept, every live one stays.
    const auto& sweeps = report["sweep"][store];
    ASSERT_EQ(sweeps.size(), 4u) << store;
    for (const auto& row : sweeps) {
      EXPECT_EQ(row["removed"], row["expired"]) << store << " " << row.dump();
      EXPECT_EQ(row["left"], row["live"]) << store << " " << row.dump();
      EXPECT_TRUE(row.contains("sweep_ms")) << store;
    }
  }
}

TEST_F(BenchProgramTest, ScaleBenchRefusesDescendingSizes) {
  const std::string command = kBin + "/tigress-bench-scale --sweep-live 10,5 >/dev/null 2>&1";
  EXPECT_EQ(WEXITSTATUS(std::system(command.c_str())), 2);
}

}  // namespace
