// The stateful model: its unit behaviour, 1,000+ random sequences against the reference relay
// in-process (injected clock), the same over HTTPS, and self-validation: every deliberate relay
// defect that changes observable semantics must make a sequence fail, shrunk to at most 6 steps.
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
#include "reference/relay/server.hpp"
#include "reference/tls/tls_material.hpp"

namespace tigress::model {
namespace {

constexpr Seconds kMaxTtl = 48 * 3600;  // the reference relay's default cap

relay::RelayConfig config_with(const std::string& defect = {}) {
  relay::RelayConfig config;
  config.public_base_url = "https://relay.test";
  if (!defect.empty()) {
    const Status enabled = relay::enable_relay_defect(config.defects, defect);
    EXPECT_TRUE(enabled.ok()) << defect;
  }
  return config;
}

SequenceCheck in_process_check(std::uint64_t seed, int runs) {
  SequenceCheck check;
  check.seed = seed;
  check.runs = runs;
  check.max_steps = 50;  // RapidCheck ramps the size up over the runs: lengths 1..51, 13 on average
  check.options.max_ttl = kMaxTtl;  // the reference caps lifetimes; check it (MBX-EXP-05)
  return check;
}

std::string describe(const SequenceFailure& failure) {
  ScriptHeader header{"https://127.0.0.1:8443", "-k", "model failure", {failure.description}};
  return failure.description + "\n" + render_script(failure.script, header);
}

// ---- the model on its own ---------------------------------------------------------------

TEST(ModelUnit, TimestampsRoundTrip) {
  for (Seconds t : {Seconds{0}, Seconds{951782400}, Seconds{1'900'000'000}, Seconds{4102444799}, Seconds{-86400}}) {
    EXPECT_EQ(parse_expiration(format_utc(t)), t) << format_utc(t);
  }
  EXPECT_EQ(format_utc(1'900'000'000), "2030-03-17T17:46:40Z");
  EXPECT_EQ(parse_expiration("2030-03-17T18:46:40+01:00"), 1'900'000'000);  // AMB-15 lenient output
  for (const char* bad : {"2030-03-17T17:46:40", "2030-03-17 17:46:40Z", "2030-3-17T17:46:40Z", "2030-03-17T17:46:40.5Z",
                          "2030-13-17T17:46:40Z", "2030-03-17T17:46:40+0100", ""}) {
    EXPECT_FALSE(parse_expiration(bad)) << bad;
  }
}

// Feeds the model hand-written answers: a relay that lets a second reader in is caught and the
// violation names the requirement.
TEST(ModelUnit, SecondReaderMustBeRefused) {
  RelayModel model({});
  Request create;
  create.op = Op::kCreate;
  create.claim = "11111111-1111-4111-8111-111111111111";
  create.request_id = "r1";
  create.has_configuration = true;
  create.access_rights = "RWD";
  create.expiration = 1000 + 3600;
  create.sent = create.answered = 1000;
  create.payload = {"AEAD_AES_128_GCM", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
  const std::string link = "https://relay.test/v1/m/0b7e6a8c-3f1d-4e2a-9c4b-8d6f0a1b2c3d";
  Outcome created = model.step(create, {200, "application/json", "r1",
                                        "{\"urlLink\":\"" + link + "\",\"isPushNotificationSupported\":false}"});
  ASSERT_TRUE(created.ok) << created.violation;
  EXPECT_EQ(model.mailbox_target(0), "/v1/m/0b7e6a8c-3f1d-4e2a-9c4b-8d6f0a1b2c3d");

  const std::string content = "{\"payload\":{\"type\":\"AEAD_AES_128_GCM\",\"data\":\"" + create.payload.data +
                              "\"},\"displayInformation\":{\"title\":\"\",\"description\":\"\",\"imageURL\":\"\"},"
                              "\"expiration\":\"" + format_utc(4600) + "\"}";
  Request read;
  read.op = Op::kRead;
  read.slot = 0;
  read.claim = "22222222-2222-4222-8222-222222222222";
  read.sent = read.answered = 1001;
  Outcome first = model.step(read, {200, "application/json", std::nullopt, content});
  ASSERT_TRUE(first.ok) << first.violation;
  read.claim = "33333333-3333-4333-8333-333333333333";
  Outcome second = model.step(read, {200, "application/json", std::nullopt, content});
  EXPECT_FALSE(second.ok);
  EXPECT_NE(second.violation.find("MBX-READ-05"), std::string::npos) << second.violation;
  Outcome refused = model.step(read, {403, "application/json", std::nullopt, "{}"});  // AMB-25
  EXPECT_TRUE(refused.ok) << refused.violation;
}

// Simultaneous first reads: whichever claim the relay let win, one 200 and the rest refused is
// accepted and binds the winner; two 200s fit no serial order (MBX-READ-06).
TEST(ModelUnit, ConcurrentFirstReadsNeedOneSerialOrder) {
  const std::string link = "https://relay.test/v1/m/0b7e6a8c-3f1d-4e2a-9c4b-8d6f0a1b2c3d";
  const Payload payload{"AEAD_AES_128_GCM", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
  auto created_model = [&] {
    RelayModel model({});
    Request create;
    create.op = Op::kCreate;
    create.claim = "11111111-1111-4111-8111-111111111111";
    create.request_id = "r1";
    create.has_configuration = true;
    create.access_rights = "RWD";
    create.expiration = 1000 + 3600;
    create.sent = create.answered = 1000;
    create.payload = payload;
    const std::string body = "{\"urlLink\":\"" + link + "\",\"isPushNotificationSupported\":false}";
    const Outcome created = model.step(create, {200, "application/json", "r1", body});
    EXPECT_TRUE(created.ok) << created.violation;
    return model;
  };
  const Response content{200, "application/json", std::nullopt,
                         "{\"payload\":{\"type\":\"AEAD_AES_128_GCM\",\"data\":\"" + payload.data +
                             "\"},\"displayInformation\":{\"title\":\"\",\"description\":\"\",\"imageURL\":\"\"},"
                             "\"expiration\":\"" + format_utc(4600) + "\"}"};
  const Response refused{401, "application/json", std::nullopt, "{}"};
  std::vector<Request> reads(3);
  for (int i = 0; i < 3; ++i) {
    reads[i].op = Op::kRead;
    reads[i].slot = 0;
    reads[i].claim = std::string(8, static_cast<char>('2' + i)) + "-2222-4222-8222-222222222222";
    reads[i].sent = reads[i].answered = 1001;
  }
  // The last of the three won: a serial order exists (3 first), and 3 is the recipient now.
  RelayModel model = created_model();
  const Outcome fair = model.step_concurrent(reads, {refused, refused, content});
  ASSERT_TRUE(fair.ok) << fair.violation;
  EXPECT_NE(fair.chosen.find("order 3"), std::string::npos) << fair.chosen;
  EXPECT_TRUE(model.step(reads[2], content).ok);
  EXPECT_FALSE(model.step(reads[0], content).ok);
  // Two winners: no order explains it; the violation names atomic binding.
  RelayModel racy = created_model();
  const Outcome doubled = racy.step_concurrent(reads, {content, refused, content});
  EXPECT_FALSE(doubled.ok);
  EXPECT_NE(doubled.violation.find("MBX-READ-06"), std::string::npos) << doubled.violation;
  EXPECT_NE(doubled.violation.find("MBX-READ-05"), std::string::npos) << doubled.violation;
  // Nobody won although the slot was free: the first in any order had to bind (MBX-READ-04).
  RelayModel shut = created_model();
  const Outcome none = shut.step_concurrent(reads, {refused, refused, refused});
  EXPECT_FALSE(none.ok);
  EXPECT_NE(none.violation.find("MBX-READ-04"), std::string::npos) << none.violation;
}

TEST(ModelUnit, ShellQuotingSurvivesQuotesAndExpirations) {
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_json_word("{\"e\":\"@@EXPIRATION@@\"}", 5), "'{\"e\":\"'\"$(expires_in 5)\"'\"}'");
}

// A real sequence against the in-process reference relay, step by step: the reading of binding
// and relinquish (AMB-66's states OPEN -> BOUND -> OPEN) agrees with the relay.
TEST(ModelUnit, BindRelinquishRebindAgainstTheReference) {
  InProcessTarget target(config_with());
  SequenceRunner runner(target, {});
  CreateSpec spec;
  spec.rights = "RWD";
  for (const Outcome& o : {runner.create(spec), runner.read(0, Actor::kR1), runner.read(0, Actor::kR2),
                           runner.update(0, Actor::kR1, 8, false), runner.read(0, Actor::kInitiator),
                           runner.relinquish(0, Actor::kR1), runner.repeat(2), runner.read(0, Actor::kR2),
                           runner.read(0, Actor::kR1), runner.remove(0, Actor::kR2), runner.repeat(3),
                           runner.preview(0, true)}) {
    EXPECT_TRUE(o.ok) << o.violation;
  }
  EXPECT_EQ(runner.steps(), 12);
}

// Concurrent first reads against the in-process reference, where handle() runs on several
// threads at once: exactly one of four wins, every time, and afterwards only it reads.
TEST(ModelUnit, ConcurrentFirstReadsAgainstTheReference) {
  InProcessTarget target(config_with());
  SequenceRunner runner(target, {});
  CreateSpec spec;
  ASSERT_TRUE(runner.create(spec).ok);
  const Outcome races = runner.concurrent_first_reads(4, 20);
  ASSERT_TRUE(races.ok) << races.violation;
  EXPECT_EQ(runner.slots(), 1);  // the race mailboxes are the command's own
  const auto& steps = runner.script().steps;
  ASSERT_EQ(steps.size(), 1u + 20 + 20 + 40);  // creates, races, winner and loser reads
  for (int round = 0; round < 20; ++round) {
    const ScriptStep& race = steps.at(21 + round);
    ASSERT_EQ(race.parallel_statuses.size(), 4u) << race.label;
    EXPECT_EQ(std::count(race.parallel_statuses.begin(), race.parallel_statuses.end(), 200), 1) << race.label;
    EXPECT_EQ(steps.at(41 + 2 * round).observed_status, 200) << steps.at(41 + 2 * round).label;
    EXPECT_NE(steps.at(42 + 2 * round).observed_status, 200) << steps.at(42 + 2 * round).label;
  }
  // Rendered: four background curls and a wait, valid shell.
  const std::string text = render_script(runner.script(), {"https://127.0.0.1:8443", "-k", "t", {}});
  EXPECT_NE(text.find("parallel_step 22.4 -X POST \"$C1_URL\" -H \"Mailbox-Device-Claim: $C1_X2\" "
                      "-H 'Content-Length: 0' &\nwait\n"),
            std::string::npos)
      << text;
  const auto path = std::filesystem::temp_directory_path() / ("model_race_" + std::to_string(::getpid()) + ".sh");
  std::ofstream(path) << text;
  if (std::filesystem::exists("/bin/bash")) {
    EXPECT_EQ(std::system(("/bin/bash -n " + path.string()).c_str()), 0) << text;
  }
  std::filesystem::remove(path);
}

// ---- many sequences against the reference relay ----------------------------------------

TEST(ModelSequences, ReferenceRelayPassesAThousandSequencesInProcess) {
  InProcessTarget target(config_with());
  const auto start = std::chrono::steady_clock::now();
  // Soak testing: TIGRESS_MODEL_SEED and TIGRESS_MODEL_RUNS override the fixed seed and count.
  const char* seed = std::getenv("TIGRESS_MODEL_SEED");
  const char* runs = std::getenv("TIGRESS_MODEL_RUNS");
  const SequenceResult result = check_sequences(
      target, in_process_check(seed ? std::strtoull(seed, nullptr, 10) : 42, runs ? std::atoi(runs) : 1000));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(result.error.empty()) << result.error;
  ASSERT_FALSE(result.failure) << describe(*result.failure);
  EXPECT_TRUE(result.passed);
  EXPECT_GE(result.runs, 1000);
  std::printf("%d sequences in %.1f s\n", result.runs, seconds);
}

// Counts what the sequences provoke, to show they reach every state and reading: a generator
// that never gets past "create, then 404" would pass any relay.
class CountingTarget final : public ModelTarget {
 public:
  explicit CountingTarget(ModelTarget& inner) : inner_(inner) {}
  WireAnswer send(const WireCall& call) override {
    WireAnswer answer = inner_.send(call);
    const bool collection = call.target.size() >= 5 && call.target.compare(call.target.size() - 5, 5, "/v1/m") == 0;
    ++seen[call.method + (collection ? " collection " : " mailbox ") + std::to_string(answer.status)];
    ++requests;
    return answer;
  }
  // Counted after the fact: the inner target's threads never touch the counters.
  std::vector<WireAnswer> send_concurrently(const std::vector<WireCall>& calls) override {
    std::vector<WireAnswer> answers = inner_.send_concurrently(calls);
    for (const auto& answer : answers) ++seen["concurrent POST mailbox " + std::to_string(answer.status)];
    requests += static_cast<int>(answers.size());
    ++races;
    return answers;
  }
  Seconds now() const override { return inner_.now(); }
  void pass_time(Seconds seconds) override { inner_.pass_time(seconds); }
  void reset() override { inner_.reset(); }
  std::string url() const override { return inner_.url(); }
  std::string tls_flags() const override { return inner_.tls_flags(); }
  ModelOptions timing() const override { return inner_.timing(); }

  std::map<std::string, int> seen;
  int requests = 0;
  int races = 0;

 private:
  ModelTarget& inner_;
};

TEST(ModelSequences, SequencesReachEveryStateAndAnswer) {
  InProcessTarget inner(config_with());
  CountingTarget target(inner);
  const SequenceResult result = check_sequences(target, in_process_check(42, 1000));
  ASSERT_TRUE(result.passed);
  std::string histogram;
  for (const auto& [key, count] : target.seen) histogram += key + ": " + std::to_string(count) + "\n";
  std::printf("%d requests in 1000 sequences\n%s", target.requests, histogram.c_str());
  for (const char* expected :
       {"POST collection 200", "POST collection 201", "POST collection 400", "POST mailbox 200", "POST mailbox 401",
        "POST mailbox 404", "PUT mailbox 200", "PUT mailbox 201", "PUT mailbox 401", "DELETE mailbox 200",
        "DELETE mailbox 401", "DELETE mailbox 404", "PATCH mailbox 200", "PATCH mailbox 201", "PATCH mailbox 401",
        "GET mailbox 200", "GET mailbox 404", "concurrent POST mailbox 200", "concurrent POST mailbox 401"}) {
    EXPECT_GT(target.seen[expected], 0) << expected << "\n" << histogram;
  }
}

// ---- self-validation: deliberate defects ------------------------------------------------

// Defects that change what the draft makes observable in a sequential exchange or in concurrent
// first reads. Each must be caught, and the shrunk sequence must be short enough to read (at most 6 steps).
const std::vector<std::string>& caught_defects() {
  static const std::vector<std::string> list = {
      // state semantics (binding, duplicates, rights, expiry, delete, relinquish)
      "bind-every-reader", "reexecute-duplicates", "stranger-may-update", "relinquish-keeps-binding",
      "ignore-access-rights", "never-expire", "preview-ignores-expiry", "accept-past-expiration", "no-ttl-cap",
      // needs concurrency: ConcurrentFirstReads races 2-4 first reads on each of 3 fresh mailboxes
      "racy-binding",
      // message format and confidentiality checks the model makes on the way
      "omit-request-id-echo", "omit-push-flag", "preview-as-json", "expiration-without-zone",
      "preview-leaks-payload", "error-leaks-payload",
      // a valid Create refused: the model's Creates without a configuration, and its display samples
      "require-configuration", "short-description-limit",
      // an operation refused: the model's binding Reads, Deletes of bound mailboxes, Relinquishes
      "refuse-binding-reads", "refuse-bound-deletes", "refuse-relinquish"};
  return list;
}

// Defects outside what the model of the mailbox API can see, and why.
const std::map<std::string, std::string>& uncaught_defects() {
  static const std::map<std::string, std::string> list = {
      {"create-answers-201", "AMB-24 lets a first Create answer 201 with the full body; the model accepts it"},
      {"predictable-ids", "a statistical property of many identifiers (8.1.2), not of one sequence"},
      {"preview-unescaped", "HTML escaping is checked by the conformance cases, not modelled"},
      {"allow-tls10", "transport; the model's requests use the default TLS versions"},
      {"server-error-on-bad-json", "the model sends only well-formed bodies"},
      {"server-error-on-unknown-method", "the model sends only the draft's methods"},
      {"poison-date-only-expiration", "the model sends only RFC 3339 date-times; the relay runner's health "
                                      "watch is proved against it (PoisonedRelay in the relay self-check)"},
      {"store-nonatomic-binding", "a defect of the Redis store; the in-process model runs on the memory store "
                                  "(reference/relay/redis_store_test.cpp races it)"},
      {"past-expiration-dead-on-arrival", "AMB-13 lets a past expiration answer 200 if it is never served; the "
                                          "conformance case reports it as WARN, the model accepts it"},
      {"sweep-races-requests", "needs many concurrent requests while mailboxes expire (robustness/concurrent-load)"},
      {"error-names-bound-claims", "the device-claim scan of every answer is the conformance framework's"},
      {"claims-compared-as-strings", "the model sends claims in canonical lower case"},
      {"preview-ampersand-unescaped", "preview text fidelity is checked by the conformance cases, not modelled"},
      {"display-types-unchecked", "the model sends only well-typed bodies"},
  };
  return list;
}

TEST(ModelSelfValidation, EveryCatalogueDefectIsClassified) {
  for (const auto& info : relay::relay_defect_catalogue()) {
    const std::string name(info.name);
    const bool caught = std::count(caught_defects().begin(), caught_defects().end(), name) == 1;
    EXPECT_NE(caught, uncaught_defects().count(name) == 1) << name << " must be in exactly one list";
  }
}

class DefectCaught : public ::testing::TestWithParam<std::string> {};

TEST_P(DefectCaught, ShrunkToAtMostSixSteps) {
  InProcessTarget target(config_with(GetParam()));
  const SequenceResult result = check_sequences(target, in_process_check(7, 2000));
  ASSERT_TRUE(result.error.empty()) << result.error;
  ASSERT_TRUE(result.failure) << GetParam() << " passed " << result.runs << " sequences unnoticed";
  const SequenceFailure& failure = *result.failure;
  EXPECT_LE(failure.steps, 6) << describe(failure);
  EXPECT_GE(failure.steps, 1);
  EXPECT_TRUE(std::regex_search(failure.description, std::regex("MBX-[A-Z]+-[0-9]+|TM-[0-9]+")))
      << "the violation cites no requirement: " << failure.description;
  EXPECT_FALSE(failure.reproduce.empty());
  std::printf("%s: %d steps: %s\n", GetParam().c_str(), failure.steps,
              failure.description.substr(0, failure.description.find('\n')).c_str());
  // TIGRESS_MODEL_VERBOSE=1 shows each shrunk sequence as the curl script a relay owner gets.
  if (std::getenv("TIGRESS_MODEL_VERBOSE")) std::printf("%s\n", describe(failure).c_str());
}

INSTANTIATE_TEST_SUITE_P(Reference, DefectCaught, ::testing::ValuesIn(caught_defects()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

TEST(ModelSelfValidation, ReproduceStringReplaysTheShrunkSequence) {
  InProcessTarget target(config_with("relinquish-keeps-binding"));
  SequenceCheck check = in_process_check(11, 2000);
  const SequenceResult first = check_sequences(target, check);
  ASSERT_TRUE(first.failure);
  check.reproduce = first.failure->reproduce;
  const SequenceResult again = check_sequences(target, check);
  ASSERT_TRUE(again.failure) << again.error;
  EXPECT_EQ(again.failure->steps, first.failure->steps);
  EXPECT_EQ(again.failure->counterexample, first.failure->counterexample);
}

// Several workers, each on an in-process relay of its own: the same first failure of the seed's
// search, shrunk to the same case as one worker finds, and a clean relay passes every sequence.
TEST(ModelSelfValidation, ParallelWorkersFindAndShrinkTheSequentialCase) {
  const SequenceCheck check = in_process_check(11, 2000);
  InProcessTarget sequential_target(config_with("relinquish-keeps-binding"));
  const SequenceResult sequential = check_sequences(sequential_target, check);
  ASSERT_TRUE(sequential.failure);
  std::vector<std::unique_ptr<InProcessTarget>> owned;
  std::vector<ModelTarget*> targets;
  for (int i = 0; i < 4; ++i) {
    owned.push_back(std::make_unique<InProcessTarget>(config_with("relinquish-keeps-binding")));
    targets.push_back(owned.back().get());
  }
  const SequenceResult parallel = check_sequences(targets, check);
  ASSERT_TRUE(parallel.failure) << parallel.error;
  EXPECT_EQ(parallel.failure->reproduce, sequential.failure->reproduce);
  EXPECT_EQ(parallel.failure->counterexample, sequential.failure->counterexample);
  EXPECT_EQ(parallel.failure->steps, sequential.failure->steps);
  EXPECT_EQ(parallel.failure->passed_before, sequential.failure->passed_before);

  std::vector<std::unique_ptr<InProcessTarget>> clean_owned;
  std::vector<ModelTarget*> clean;
  for (int i = 0; i < 3; ++i) {
    clean_owned.push_back(std::make_unique<InProcessTarget>(config_with()));
    clean.push_back(clean_owned.back().get());
  }
  SequenceCheck clean_check = in_process_check(5, 300);
  const SequenceResult passed = check_sequences(clean, clean_check);
  EXPECT_TRUE(passed.passed) << passed.error << (passed.failure ? passed.failure->description : "");
  EXPECT_EQ(passed.runs, 300);
}

// The rendered script is valid shell (bash -n), names every step, and never uses the recorded
// claims directly (they are only comments): a replay must not collide with the recorded run.
TEST(ModelSelfValidation, FailureScriptIsValidShell) {
  InProcessTarget target(config_with("relinquish-keeps-binding"));
  const SequenceResult result = check_sequences(target, in_process_check(3, 2000));
  ASSERT_TRUE(result.failure);
  const std::string text = render_script(result.failure->script, {"https://127.0.0.1:8443", "-k", "t", {"n"}});
  EXPECT_NE(text.find("VIOLATION: "), std::string::npos);
  EXPECT_NE(text.find("step 1 -X POST \"$RELAY/v1/m\""), std::string::npos) << text;
  const auto path = std::filesystem::temp_directory_path() / ("model_script_" + std::to_string(::getpid()) + ".sh");
  std::ofstream(path) << text;
  if (std::filesystem::exists("/bin/bash")) {
    EXPECT_EQ(std::system(("/bin/bash -n " + path.string()).c_str()), 0) << text;
  }
  std::filesystem::remove(path);
}

// ---- over HTTPS -------------------------------------------------------------------------

class ModelOverHttps : public ::testing::Test {
 protected:
  void start(const std::string& defect) {
    auto tls = tls::generate_self_signed({"localhost"}, {"127.0.0.1"}, 1);
    ASSERT_TRUE(tls.ok());
    ca_ = std::filesystem::temp_directory_path() / ("model_ca_" + std::to_string(::getpid()) + ".pem");
    std::ofstream(ca_) << tls->cert_pem;
    relay::RelayConfig config = config_with(defect);
    config.public_base_url = "";  // urlLink names the server itself
    relay::ServerOptions options;
    options.worker_threads = 4;
    auto server = relay::RelayServer::start(relay::Relay(config), clock_, store_, *tls, options);
    ASSERT_TRUE(server.ok()) << server.error().message();
    server_ = std::move(*server);
  }
  void TearDown() override {
    if (server_) server_->stop();
    std::filesystem::remove(ca_);
  }
  HttpsTarget target() {
    harness::TlsOptions tls;
    tls.ca_file = ca_.string();
    return HttpsTarget(*harness::parse_target(server_->url()), tls, harness::ClientLimits{}, 1, 3);
  }

  relay::SystemClock clock_;
  relay::MemoryStore store_;
  std::unique_ptr<relay::RelayServer> server_;
  std::filesystem::path ca_;
};

TEST_F(ModelOverHttps, ReferenceRelayPasses) {
  start("");
  HttpsTarget https = target();
  SequenceCheck check;
  check.seed = 5;
  check.runs = 10;
  check.max_steps = 12;
  check.profile = SequenceProfile::over_network();
  check.profile.max_time_steps = 0;  // real waits are slow: ExpiryInRealTime covers them
  const SequenceResult result = check_sequences(https, check);
  ASSERT_FALSE(result.failure) << describe(*result.failure);
  EXPECT_TRUE(result.passed) << result.error;
}

// Time passing for real: a 2-second mailbox must be gone 3 s later. Same machine, so no clock
// skew, and the reference sweeps before every request, so a grace of 1 s suffices.
TEST_F(ModelOverHttps, ExpiryInRealTime) {
  start("");
  harness::TlsOptions tls;
  tls.ca_file = ca_.string();
  HttpsTarget https(*harness::parse_target(server_->url()), tls, harness::ClientLimits{}, 0, 1);
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
  SequenceCheck check;
  check.seed = 5;
  check.runs = 100;
  check.max_steps = 8;
  check.profile = SequenceProfile::over_network();
  check.profile.max_time_steps = 0;
  const SequenceResult result = check_sequences(https, check);
  ASSERT_TRUE(result.failure) << result.error;
  EXPECT_LE(result.failure->steps, 6) << describe(*result.failure);
  EXPECT_NE(result.failure->description.find("MBX-READ-06"), std::string::npos) << result.failure->description;
  const std::string script = render_script(result.failure->script, {server_->url(), "-k", "t", {}});
  const std::regex background("parallel_step [0-9]+\\.2 -X POST [^\n]* &\n(parallel_step [^\n]* &\n)*wait\n");
  EXPECT_TRUE(std::regex_search(script, background)) << script;
}

TEST_F(ModelOverHttps, DefectIsCaughtAndScripted) {
  start("bind-every-reader");
  HttpsTarget https = target();
  SequenceCheck check;
  check.seed = 5;
  check.runs = 100;
  check.max_steps = 10;
  check.profile = SequenceProfile::over_network();
  check.profile.max_time_steps = 0;
  const SequenceResult result = check_sequences(https, check);
  ASSERT_TRUE(result.failure);
  EXPECT_LE(result.failure->steps, 6) << describe(*result.failure);
  EXPECT_TRUE(std::regex_search(result.failure->description, std::regex("MBX-(READ|BIND|DELETE|UPDATE|RELINQ)-")))
      << result.failure->description;
  ASSERT_FALSE(result.failure->exchanges.empty());
  EXPECT_NE(result.failure->exchanges.front().request.find("POST /v1/m HTTP/1.1"), std::string::npos);
}

}  // namespace
}  // namespace tigress::model
