// The model over HTTPS against the reference relay served in process: a clean run, expiry in
// real time, the check-then-bind race over parallel connections, a defect caught and scripted.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include <unistd.h>

#include <gtest/gtest.h>

#include "conformance/model/commands.hpp"
#include "reference/relay/defects.hpp"
#include "harness/in_process_relay_test_fixture.hpp"
#include "harness/relay_test_fixture.hpp"

#include "conformance/model/model_test_support.hpp"

namespace tigress::model {
namespace {

using namespace tigress::model::test_support;

class ModelOverHttps : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dir_.ok()); }
  void start(const std::string& defect) {
    relay::RelayConfig config = config_with(defect);
    config.public_base_url = "";  // urlLink names the server itself
    const Status started = relay_.start(config, dir_.file("ca.pem"));
    ASSERT_TRUE(started.ok()) << started.error().message();
  }
  // Sequences over the network; no real waits, which are slow (ExpiryInRealTime covers them).
  static SequenceCheck network_check(std::uint64_t seed, int runs, int max_steps) {
    SequenceCheck check;
    check.seed = seed;
    check.runs = runs;
    check.max_steps = max_steps;
    check.profile = SequenceProfile::over_network();
    check.profile.max_time_steps = 0;
    return check;
  }
  HttpsTarget target() {
    harness::TlsOptions tls;
    tls.ca_file = relay_.ca().string();
    return HttpsTarget(*harness::parse_target(relay_.url()), tls, harness::ClientLimits{}, 1, 3);
  }

  tigress::ScratchDir dir_{"tigress-model-https"};
  harness::test_support::InProcessRelay relay_;
};

TEST_F(ModelOverHttps, ReferenceRelayPasses) {
  start("");
  HttpsTarget https = target();
  const SequenceResult result = check_sequences(https, network_check(5, 10, 12));
  ASSERT_FALSE(result.failure) << describe(*result.failure);
  EXPECT_TRUE(result.passed) << result.error;
}

// Time passing for real: a 2-second mailbox must be gone 3 s later. Same machine, so no clock
// skew, and the reference sweeps before every request, so a grace of 1 s suffices.
TEST_F(ModelOverHttps, ExpiryInRealTime) {
  start("");
  harness::TlsOptions tls;
  tls.ca_file = relay_.ca().string();
  HttpsTarget https(*harness::parse_target(relay_.url()), tls, harness::ClientLimits{}, 0, 1);
  SequenceRunner runner(https, https.timing());
  CreateSpec spec;
  spec.expires_in = 2;
  for (const Outcome& o : {runner.create(spec), runner.read(0, Actor::kR1), runner.pass_time(3),
                           runner.read(0, Actor::kR1), runner.preview(0, false)}) {
    EXPECT_TRUE(o.ok) << o.violation;
  }
  ASSERT_EQ(runner.script().steps.size(), 5u);
  EXPECT_EQ(runner.script().steps[3].observed_status, 404);
}

// The check-then-bind race over real parallel connections: the shrunk sequence is the race
// alone, and its script sends the reads in the background and waits for them.
TEST_F(ModelOverHttps, RacyBindingIsCaughtOverParallelConnections) {
  start("racy-binding");
  HttpsTarget https = target();
  const SequenceResult result = check_sequences(https, network_check(5, 100, 8));
  ASSERT_TRUE(result.failure) << result.error;
  EXPECT_LE(result.failure->steps, 6) << describe(*result.failure);
  EXPECT_NE(result.failure->description.find("MBX-READ-06"), std::string::npos) << result.failure->description;
  const std::string script = render_script(result.failure->script, {relay_.url(), "-k", "t", {}});
  const std::regex background("parallel_step [0-9]+\\.2 -X POST [^\n]* &\n(parallel_step [^\n]* &\n)*wait\n");
  EXPECT_TRUE(std::regex_search(script, background)) << script;
}

TEST_F(ModelOverHttps, DefectIsCaughtAndScripted) {
  start("bind-every-reader");
  HttpsTarget https = target();
  const SequenceResult result = check_sequences(https, network_check(5, 100, 10));
  ASSERT_TRUE(result.failure);
  EXPECT_LE(result.failure->steps, 6) << describe(*result.failure);
  EXPECT_TRUE(std::regex_search(result.failure->description, std::regex("MBX-(READ|BIND|DELETE|UPDATE|RELINQ)-")))
      << result.failure->description;
  ASSERT_FALSE(result.failure->exchanges.empty());
  EXPECT_NE(result.failure->exchanges.front().request.find("POST /v1/m HTTP/1.1"), std::string::npos);
}

}  // namespace
}  // namespace tigress::model
