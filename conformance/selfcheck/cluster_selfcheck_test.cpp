// A relay cluster as real deployments run one: two tigress-relay processes sharing one Redis
// store (--store redis://), tested through both addresses at once (--target A --target B). The
// relay suite passes every case with its requests alternating between the instances, the model
// passes across them, a store whose binding is not atomic is caught by first reads racing across
// instances, and an instance that does not serve is named by the preflight.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "conformance/selfcheck/selfcheck_support.hpp"
#include "reference/relay/redis_test_server.hpp"

namespace tigress::conformance {
namespace {

using selfcheck::RunningRelay;

// The port of "https://127.0.0.1:PORT".
std::string port_of(const std::string& url) { return url.substr(url.rfind(':') + 1); }

class ClusterSelfCheck : public ::testing::Test {
 protected:
  // Two instances on one private redis-server, each with `relay_args` and a self-signed
  // certificate of its own (both CN=localhost, so each is given its own --ca).
  void start_cluster(const std::vector<std::string>& relay_args = {}) {
    if (relay::testing::RedisTestServer::program().empty()) GTEST_SKIP() << "redis-server is not installed";
    auto redis = relay::testing::RedisTestServer::start();
    ASSERT_TRUE(redis.ok()) << redis.error().message();
    redis_ = std::move(*redis);
    std::vector<std::string> args = {"--store", redis_->url()};
    args.insert(args.end(), relay_args.begin(), relay_args.end());
    instances_.push_back(selfcheck::start_relay(dir_.file("ca-a.pem"), args));
    instances_.push_back(selfcheck::start_relay(dir_.file("ca-b.pem"), args));
    for (const auto& instance : instances_) ASSERT_FALSE(instance.url.empty());
    ASSERT_NE(instances_[0].url, instances_[1].url);
    ASSERT_NE(selfcheck::read_text_file(instances_[0].ca), selfcheck::read_text_file(instances_[1].ca));
  }

  // MODE --target A --target B --ca CA-A --ca CA-B --seed ... EXTRA...
  selfcheck::ConformRun conform(const std::string& mode, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {mode};
    for (const auto& instance : instances_) args.insert(args.end(), {"--target", instance.url});
    for (const auto& instance : instances_) args.insert(args.end(), {"--ca", instance.ca});
    args.insert(args.end(), {"--seed", "20261207"});
    args.insert(args.end(), extra.begin(), extra.end());
    return selfcheck::run_conform(args, dir_.file(mode + ".json"));
  }

  std::vector<std::string> urls() const { return {instances_[0].url, instances_[1].url}; }

  tigress::ScratchDir dir_{"tigress-cluster"};
  std::unique_ptr<relay::testing::RedisTestServer> redis_;
  std::vector<RunningRelay> instances_;
};

TEST_F(ClusterSelfCheck, TheRelaySuiteAcrossTwoInstancesPassesEveryCase) {
  start_cluster();
  const selfcheck::ConformRun run = conform("relay", {"--quiet"});
  ASSERT_TRUE(run.report.is_object()) << "no JSON report";
  EXPECT_EQ(run.exit_status, 0);
  const auto& summary = run.report["summary"];
  EXPECT_GE(summary["total"].get<int>(), 120);
  for (const char* verdict : {"fail", "warn", "error", "blocked", "skip"}) EXPECT_EQ(summary[verdict], 0) << verdict;
  EXPECT_EQ(run.report["run"]["target"], instances_[0].url);
  EXPECT_EQ(run.report["run"]["targets"], nlohmann::json(urls()));
  EXPECT_EQ(run.report["preflight"]["target"], instances_[0].url + ", " + instances_[1].url);
  std::cout << "two-instance relay suite: " << summary["total"] << " cases, " << summary["pass"] << " PASS in "
            << run.seconds << " s\n";

  // Every request whose instance the wire log shows (its Host header, or the label of a raw
  // exchange) went to the instance its turn names: the first, the second, the first, ...
  const std::vector<std::string> hosts = {"Host: 127.0.0.1:" + port_of(instances_[0].url),
                                          "Host: 127.0.0.1:" + port_of(instances_[1].url)};
  const std::vector<std::string> labels = {" to " + instances_[0].url + "]", " to " + instances_[1].url + "]"};
  int on_turn = 0, off_turn = 0, cases_on_both = 0;
  std::string first_off;
  for (const auto& c : run.report["cases"]) {
    EXPECT_EQ(c["verdict"], "PASS") << c["id"] << ": " << c["detail"];
    std::set<std::size_t> instances_seen;
    const auto& wire = c["wire"];
    for (std::size_t i = 0; i < wire.size(); ++i) {
      const std::string request = wire[i]["request"];
      const std::string first_line = request.substr(0, request.find('\n'));
      // A raw exchange's bytes carry whatever Host the case wrote: its label names the instance.
      const bool raw = first_line.rfind("[", 0) == 0;
      for (std::size_t instance = 0; instance < 2; ++instance) {
        const bool names = raw ? first_line.find(labels[instance]) != std::string::npos
                               : request.find(hosts[instance] + "\r\n") != std::string::npos ||
                                     request.find(hosts[instance] + "\n") != std::string::npos;
        if (!names) continue;
        instances_seen.insert(instance);
        if (instance == i % 2) {
          ++on_turn;
        } else if (++off_turn == 1) {
          first_off = std::string(c["id"]) + " exchange " + std::to_string(i) + ": " + first_line;
        }
      }
    }
    if (instances_seen.size() == 2) ++cases_on_both;
    if (c["id"] == "6.5/concurrent-first-readers") {
      EXPECT_NE(std::string(c["detail"]).find("20 parallel READs over 2 instances"), std::string::npos) << c["detail"];
    }
  }
  std::cout << "requests on their instance's turn: " << on_turn << ", off it: " << off_turn
            << "; cases on both: " << cases_on_both << "\n";
  EXPECT_EQ(off_turn, 0) << "first request off its turn: " << first_off;
  EXPECT_GE(on_turn, 300);
  EXPECT_GE(cases_on_both, 80) << "cases whose requests reached both instances";
}

TEST_F(ClusterSelfCheck, TheModelAcrossTwoInstancesPasses) {
  start_cluster();
  // With time passing for real (5 s waits): expiry too is judged across the instances.
  const selfcheck::ConformRun run = conform("model", {"--runs", "20"});
  ASSERT_TRUE(run.report.is_object()) << "no JSON report";
  EXPECT_EQ(run.exit_status, 0);
  ASSERT_EQ(run.report["cases"].size(), 1u);
  EXPECT_EQ(run.report["cases"][0]["verdict"], "PASS") << run.report["cases"][0]["detail"];
  EXPECT_EQ(run.report["run"]["targets"], nlohmann::json(urls()));
  std::cout << "two-instance model: " << run.seconds << " s\n";
}

// Each instance alone may bind atomically enough for its own readers; across instances the store
// decides. With the store's check-then-write binding, readers racing over both instances win twice.
TEST_F(ClusterSelfCheck, ANonAtomicStoreBindingIsCaughtByReadersRacingAcrossInstances) {
  start_cluster({"--defect", "store-nonatomic-binding"});
  const selfcheck::ConformRun run = conform("relay", {"--quiet", "--id", "6.5/concurrent-first-readers"});
  ASSERT_TRUE(run.report.is_object()) << "no JSON report";
  EXPECT_EQ(run.exit_status, 1);
  ASSERT_EQ(run.report["cases"].size(), 1u);
  const auto& race = run.report["cases"][0];
  EXPECT_EQ(race["verdict"], "FAIL") << race["detail"];
  EXPECT_NE(std::string(race["detail"]).find("binding is not atomic"), std::string::npos) << race["detail"];
  EXPECT_NE(std::string(race["detail"]).find("over 2 instances"), std::string::npos) << race["detail"];
}

// One deployment is testable only when every instance serves: the preflight checks each and
// names the one that does not, and nothing runs.
TEST_F(ClusterSelfCheck, ThePreflightNamesTheInstanceThatDoesNotServe) {
  start_cluster();
  instances_[1].process.stop();
  const selfcheck::ConformRun run = conform("relay", {"--quiet"});
  ASSERT_TRUE(run.report.is_object()) << "no JSON report";
  EXPECT_EQ(run.exit_status, 3);
  EXPECT_EQ(run.report["preflight"]["passed"], false);
  EXPECT_EQ(run.report["preflight"]["target"], instances_[1].url);
  EXPECT_EQ(run.report["preflight"]["step"], "connect");
  EXPECT_TRUE(run.report["cases"].empty());
}

}  // namespace
}  // namespace tigress::conformance
