// The curl script of a run over two instances of one deployment sends every request, the
// simultaneous ones included, to the instance the run sent it to. Checked against what the
// instances themselves saw: two HTTPS servers in this process in front of one relay core and one
// store (as two relay processes on one Redis), each logging the requests it handled.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "common/scratch_dir.hpp"
#include "conformance/model/model_test_support.hpp"
#include "conformance/model/sequence.hpp"
#include "conformance/model/target.hpp"
#include "reference/relay/clock.hpp"
#include "reference/relay/https_server.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/relay.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::model {
namespace {

// What an instance was asked, in the order both instances handled their requests.
struct Handled {
  std::size_t instance = 0;
  std::string method, claim, request_id;
  friend auto operator<=>(const Handled&, const Handled&) = default;
};

class SharedStoreInstances {
 public:
  static constexpr std::size_t kCount = 2;
  explicit SharedStoreInstances(relay::RelayConfig config) : relay_(std::move(config)) {}

  // Serves both on 127.0.0.1 with one self-signed certificate, its PEM written to `ca_path`.
  Status start(const std::string& ca_path) {
    auto tls = tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
    if (!tls) return tls.error();
    std::ofstream(ca_path) << tls->cert_pem;
    for (std::size_t i = 0; i < kCount; ++i) {
      relay::HttpsServerOptions options;
      options.threads = 4;
      auto server = relay::HttpsServer::listen(
          *tls, options,
          [this, i](const relay::Request& request) {
            record(i, request);
            return relay_.handle(request, clock_, store_);
          },
          [this](relay::HttpRefusal refusal, const relay::Request& seen) { return relay_.refuse(refusal, seen); });
      if (!server) return server.error();
      servers_.push_back(std::move(*server));
      servers_.back()->serve();
    }
    return {};
  }
  ~SharedStoreInstances() {
    for (auto& server : servers_) server->stop();
  }

  std::string url(std::size_t i) const { return "https://127.0.0.1:" + std::to_string(servers_.at(i)->port()); }
  std::vector<Handled> handled() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return handled_;
  }
  void forget() {
    std::lock_guard<std::mutex> lock(mutex_);
    handled_.clear();
  }

 private:
  void record(std::size_t instance, const relay::Request& request) {
    const auto header = [&](const char* name) {
      const std::string* value = request.header(name);
      return value ? *value : std::string();
    };
    std::lock_guard<std::mutex> lock(mutex_);
    handled_.push_back({instance, request.method, header("Mailbox-Device-Claim"), header("Mailbox-Request-ID")});
  }

  relay::Relay relay_;
  relay::SystemClock clock_;
  relay::MemoryStore store_;
  mutable std::mutex mutex_;
  std::vector<Handled> handled_;
  std::vector<std::unique_ptr<relay::HttpsServer>> servers_;
};

// One request line of a script: `[CURL_TLS=$CURL_TLS_N ]step|parallel_step LABEL ARGS [&]`.
struct ScriptRequest {
  std::string label;  // "3" or "9.2"
  bool parallel = false;
  std::size_t instance = 0;  // from $TARGET_N / $ORIGIN_N, checked against $CURL_TLS_N
  std::string method, claim_variable, request_id_variable;
};

std::vector<ScriptRequest> requests_of(const std::string& script) {
  static const std::regex line_form(R"(^CURL_TLS=\$CURL_TLS_([0-9]+) (step|parallel_step) ([0-9.]+) (.*?)( &)?$)");
  static const std::regex url_form(R"re("\$(TARGET|ORIGIN)_([0-9]+))re");
  static const std::regex method_form(R"(^-X ([A-Z]+) )");
  static const std::regex claim_form(R"(Mailbox-Device-Claim: \$([A-Za-z0-9_]+))");
  static const std::regex id_form(R"(Mailbox-Request-ID: \$([A-Za-z0-9_]+))");
  std::vector<ScriptRequest> out;
  std::istringstream lines(script);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch m, part;
    if (!std::regex_match(line, m, line_form)) {
      EXPECT_NE(line.rfind("step ", 0), 0u) << "a request without its instance's TLS flags: " << line;
      EXPECT_NE(line.rfind("parallel_step ", 0), 0u) << "a request without its instance's TLS flags: " << line;
      continue;
    }
    ScriptRequest request;
    request.label = m[3];
    request.parallel = m[2] == "parallel_step";
    const std::string args = m[4];
    EXPECT_TRUE(std::regex_search(args, part, url_form)) << line;
    EXPECT_EQ(part[2], m[1]) << "the URL and the TLS flags of one instance: " << line;
    request.instance = std::stoul(m[1]) - 1;
    request.method = std::regex_search(args, part, method_form) ? part[1].str() : "GET";
    if (std::regex_search(args, part, claim_form)) request.claim_variable = part[1];
    if (std::regex_search(args, part, id_form)) request.request_id_variable = part[1];
    out.push_back(request);
  }
  return out;
}

// NAME=$(new_uuid)  # in the recorded run: VALUE
std::map<std::string, std::string> recorded_values(const std::string& script) {
  static const std::regex form(R"(^([A-Za-z0-9_]+)=\$\(new_uuid\)  # in the recorded run: (.*)$)");
  std::map<std::string, std::string> out;
  std::istringstream lines(script);
  std::string line;
  std::smatch m;
  while (std::getline(lines, line)) {
    if (std::regex_match(line, m, form)) out[m[1]] = m[2];
  }
  return out;
}

// The script's requests in order, parallel ones of one step as one group (their order at the
// instances is the threads' business).
std::vector<std::vector<ScriptRequest>> grouped(const std::vector<ScriptRequest>& requests) {
  std::vector<std::vector<ScriptRequest>> out;
  for (const auto& request : requests) {
    const std::string step = request.label.substr(0, request.label.find('.'));
    const bool same_step = !out.empty() && request.parallel && out.back().front().parallel &&
                           out.back().front().label.substr(0, out.back().front().label.find('.')) == step;
    if (same_step) {
      out.back().push_back(request);
    } else {
      out.push_back({request});
    }
  }
  return out;
}

class ScriptOverInstances : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dir_.ok()); }
  void start(const std::string& defect = {}) {
    // urlLink names the deployment's public address, which is neither instance.
    relay::RelayConfig config = test_support::config_with(defect);
    instances_ = std::make_unique<SharedStoreInstances>(config);
    const Status started = instances_->start(dir_.file("ca.pem"));
    ASSERT_TRUE(started.ok()) << started.error().message();
  }
  std::unique_ptr<HttpsTarget> target() {
    harness::TlsOptions tls;
    tls.ca_file = dir_.file("ca.pem");
    std::vector<harness::TargetInstance> both;
    for (std::size_t i = 0; i < SharedStoreInstances::kCount; ++i) {
      both.push_back({*harness::parse_target(instances_->url(i)), tls});
    }
    return std::make_unique<HttpsTarget>(both, harness::ClientLimits{}, 1, 3);
  }
  ScriptHeader header() const {
    const std::string tls = "--cacert " + dir_.file("ca.pem");
    return {instances_->url(0), tls, "two instances", {}, {{instances_->url(1), tls}}};
  }

  tigress::ScratchDir dir_{"tigress-model-script-instances"};
  std::unique_ptr<SharedStoreInstances> instances_;
};

// Every endpoint, a repeat and a race of first reads, one request after another across both
// instances; then the script's requests against the instances' own logs.
TEST_F(ScriptOverInstances, EachRequestOfTheScriptNamesTheInstanceItReached) {
  start();
  auto https = target();
  https->reset();
  SequenceRunner runner(*https, https->timing());
  CreateSpec spec;
  spec.rights = "RWD";
  for (const Outcome& outcome :
       {runner.create(spec), runner.read(0, Actor::kR1), runner.update(0, Actor::kR1, 8, false),
        runner.preview(0, true), runner.repeat(0), runner.relinquish(0, Actor::kR1), runner.read(0, Actor::kR2),
        runner.concurrent_first_reads(3, 1), runner.remove(0, Actor::kInitiator)}) {
    EXPECT_TRUE(outcome.ok) << outcome.violation;
  }
  const std::string script = render_script(runner.script(), header());
  test_support::expect_valid_shell(script);
  EXPECT_NE(script.find("TARGET_2=${TARGET_2:-'" + instances_->url(1) + "'}"), std::string::npos) << script;
  EXPECT_EQ(script.find("$RELAY"), std::string::npos) << "one base URL per instance, none shared:\n" << script;

  const std::vector<Handled> handled = instances_->handled();
  const std::map<std::string, std::string> values = recorded_values(script);
  const auto value_of = [&](const std::string& variable) {
    if (variable.empty()) return std::string();
    const auto found = values.find(variable);
    EXPECT_NE(found, values.end()) << variable;
    return found == values.end() ? std::string() : found->second;
  };
  std::size_t at = 0;
  std::set<std::size_t> used, used_by_race;
  for (const auto& group : grouped(requests_of(script))) {
    ASSERT_LE(at + group.size(), handled.size()) << "more requests in the script than the instances saw:\n" << script;
    std::vector<Handled> expected, seen(handled.begin() + at, handled.begin() + at + group.size());
    for (const auto& request : group) {
      expected.push_back(
          {request.instance, request.method, value_of(request.claim_variable), value_of(request.request_id_variable)});
      used.insert(request.instance);
      if (group.size() > 1) used_by_race.insert(request.instance);
    }
    std::sort(expected.begin(), expected.end());
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(seen, expected) << "step " << group.front().label << " of\n" << script;
    at += group.size();
  }
  EXPECT_EQ(at, handled.size()) << "requests the instances saw and the script does not send:\n" << script;
  EXPECT_EQ(used.size(), 2u) << script;
  EXPECT_EQ(used_by_race.size(), 2u) << "the simultaneous first reads reached both instances:\n" << script;
}

// The strongest check: bash and curl run the script, and each of its requests reaches the
// instance its recorded counterpart reached, answered as that one was (the instances share the
// store, so a mailbox created on one is read on the other).
TEST_F(ScriptOverInstances, ReplayReachesTheSameInstancesWithTheSameAnswers) {
  if (!std::filesystem::exists("/bin/bash") || !std::filesystem::exists("/usr/bin/curl")) {
    GTEST_SKIP() << "needs bash and curl";
  }
  start();
  auto https = target();
  https->reset();
  SequenceRunner runner(*https, https->timing());
  CreateSpec spec;
  spec.rights = "RWD";
  for (const Outcome& outcome :
       {runner.create(spec), runner.read(0, Actor::kR1), runner.update(0, Actor::kR1, 8, false),
        runner.read(0, Actor::kInitiator), runner.concurrent_first_reads(2, 1), runner.remove(0, Actor::kR1),
        runner.preview(0, false)}) {
    EXPECT_TRUE(outcome.ok) << outcome.violation;
  }
  const std::vector<Handled> recorded = instances_->handled();
  instances_->forget();
  const std::string script = render_script(runner.script(), header());
  std::ofstream(dir_.file("replay.sh")) << script;
  const std::string command = "/bin/bash " + dir_.file("replay.sh") + " > " + dir_.file("out.txt") + " 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0);
  std::ifstream file(dir_.file("out.txt"));
  const std::string output((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());

  // The instance and method of every request, the parallel ones of a step as a set.
  const std::vector<Handled> replayed = instances_->handled();
  ASSERT_EQ(replayed.size(), recorded.size()) << output << "\n" << script;
  std::size_t at = 0;
  for (const auto& group : grouped(requests_of(script))) {
    std::vector<std::pair<std::size_t, std::string>> then, now;
    for (std::size_t i = at; i < at + group.size(); ++i) {
      then.emplace_back(recorded[i].instance, recorded[i].method);
      now.emplace_back(replayed[i].instance, replayed[i].method);
    }
    std::sort(then.begin(), then.end());
    std::sort(now.begin(), now.end());
    EXPECT_EQ(now, then) << "step " << group.front().label << "\n" << output << "\n" << script;
    at += group.size();
  }

  // What each step got ("step 3: HTTP 200 ...") against the recorded run's statuses. Which reader
  // wins a race is the race's business, so the race mailbox's steps count as one set.
  std::map<std::string, std::vector<std::string>> statuses;
  static const std::regex status_form(R"(^step ([0-9]+)(\.[0-9]+)?: HTTP ([0-9]+) )");
  std::istringstream lines(output);
  std::string line;
  std::smatch m;
  while (std::getline(lines, line)) {
    if (std::regex_search(line, m, status_form)) statuses[m[1]].push_back(m[3]);
  }
  std::vector<std::string> race_expected, race_got;
  for (const auto& step : runner.script().steps) {
    std::vector<std::string> expected;
    if (step.parallel_statuses.empty()) {
      expected.push_back(std::to_string(step.observed_status));
    } else {
      for (int status : step.parallel_statuses) expected.push_back(std::to_string(status));
    }
    std::vector<std::string> got = statuses[std::to_string(step.number)];
    if (step.label.find("race mailbox") != std::string::npos) {
      race_expected.insert(race_expected.end(), expected.begin(), expected.end());
      race_got.insert(race_got.end(), got.begin(), got.end());
      continue;
    }
    EXPECT_EQ(got, expected) << "step " << step.number << " (" << step.label << ")\n" << output;
  }
  std::sort(race_expected.begin(), race_expected.end());
  std::sort(race_got.begin(), race_got.end());
  EXPECT_FALSE(race_expected.empty());
  EXPECT_EQ(race_got, race_expected) << output;
}

// Where each step of the shrunk case goes follows from the seed alone: the search with one worker,
// with several (--jobs) and the --reproduce replay of its case send every step of it to the same
// instance, so the printed script and seed replay what the run did.
TEST_F(ScriptOverInstances, TheInstanceOfEveryShrunkStepFollowsFromTheSeedWhateverTheWorkers) {
  start("relinquish-keeps-binding");
  SequenceCheck check;
  check.seed = 9;
  check.runs = 200;
  check.max_steps = 20;
  check.profile = SequenceProfile::over_network();
  check.profile.max_time_steps = 0;
  // Without one-second lifetimes, whose outcome depends on the timing over the network.
  check.profile.lifetimes = {3600, 47 * 3600, 365 * 86400, -3600};
  const auto instances_of = [](const Script& script) {
    std::vector<std::vector<std::size_t>> out;
    for (const auto& step : script.steps) {
      out.push_back(step.parallel_instances.empty() ? std::vector<std::size_t>{step.instance}
                                                    : step.parallel_instances);
    }
    return out;
  };

  auto alone = target();
  const SequenceResult sequential = check_sequences(*alone, check);
  ASSERT_TRUE(sequential.failure) << sequential.error;
  const auto expected = instances_of(sequential.failure->script);
  std::set<std::size_t> used;
  for (const auto& step : expected) used.insert(step.begin(), step.end());
  EXPECT_EQ(used.size(), 2u) << test_support::describe(*sequential.failure);

  std::vector<std::unique_ptr<HttpsTarget>> owned;
  std::vector<ModelTarget*> workers;
  for (int i = 0; i < 4; ++i) {
    owned.push_back(target());
    workers.push_back(owned.back().get());
  }
  const SequenceResult parallel = check_sequences(workers, check);
  ASSERT_TRUE(parallel.failure) << parallel.error;
  EXPECT_EQ(parallel.failure->counterexample, sequential.failure->counterexample);
  EXPECT_EQ(instances_of(parallel.failure->script), expected) << test_support::describe(*parallel.failure);

  // The replay runs on a target that has sent nothing yet, and the parallel search's first worker
  // has sent many requests before: neither shows in where the steps go.
  SequenceCheck replay = check;
  replay.reproduce = sequential.failure->reproduce;
  auto fresh = target();
  const SequenceResult replayed = check_sequences(*fresh, replay);
  ASSERT_TRUE(replayed.failure) << replayed.error;
  EXPECT_EQ(instances_of(replayed.failure->script), expected) << test_support::describe(*replayed.failure);
  const SequenceResult again = check_sequences(*owned.front(), replay);
  ASSERT_TRUE(again.failure) << again.error;
  EXPECT_EQ(instances_of(again.failure->script), expected) << test_support::describe(*again.failure);
}

}  // namespace
}  // namespace tigress::model
