#include "conformance/fuzzclient/client_fuzz_scenario.hpp"

#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "conformance/netfuzz/json_mutation.hpp"
#include "harness/protocol/vocabulary.hpp"
#include "harness/redaction.hpp"

namespace tigress::fuzz::client {

using Json = nlohmann::json;
using harness::adversary::Operation;

namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  return static_cast<bool>(out << text);
}

std::string first_line(const std::string& text) { return text.substr(0, text.find_first_of("\r\n")); }

std::string headers_text(const relay::Headers& headers) {
  std::string out;
  for (const auto& [name, value] : headers) out += name + ": " + harness::printable(value, 120) + "\n";
  return out;
}

}  // namespace

bool drawn_scenario_is_full(std::uint64_t seed) { return mix(seed ^ 0x5eedULL) % 100 < 40; }

struct ScenarioRunner::Plan {
  std::optional<std::uint64_t> seed;    // drawn mutations
  std::vector<PlannedMutation> fixed;   // or exactly these
  std::mutex mutex;                     // the relay calls the rewrite on its connection threads
  std::map<std::string, int> answered;  // operation -> answers so far
  std::vector<PlannedMutation> applied;
  std::vector<SentAnswer> answers;
  std::array<std::uint64_t, kAnswerMutationClassCount>* counts = nullptr;

  std::string rewrite(Operation operation, relay::Response& response) {
    std::lock_guard<std::mutex> lock(mutex);
    const std::string name(protocol::endpoint_name(operation));
    const int ordinal = answered[name]++;
    SentAnswer sent{name, ordinal, 0, "", "", 0, {}};
    std::string changed;
    const auto apply = [&](const PlannedMutation& planned) {
      if (!apply_mutation(planned.mutation, response)) return;
      applied.push_back(planned);
      sent.mutations.push_back(describe(planned.mutation));
      changed += (changed.empty() ? "fuzz: " : "; ") + describe(planned.mutation);
      if (seed) ++(*counts)[static_cast<std::size_t>(class_of(planned.mutation.kind))];  // the stream's only
    };
    if (seed) {
      std::mt19937_64 rng(
          mix(*seed ^ mix(static_cast<std::uint64_t>(operation) * 1000 + static_cast<std::uint64_t>(ordinal))));
      // A mutated Create mostly ends the scenario at share: most draws go to the later answers.
      if (chance(rng, operation == Operation::kCreate ? 30 : 85)) {
        const std::uint64_t roll = rng() % 10;
        const int count = roll < 7 ? 1 : roll < 9 ? 2 : 3;
        for (int i = 0; i < count; ++i) apply(PlannedMutation{name, ordinal, draw_mutation(response, rng)});
      }
    } else {
      for (const auto& planned : fixed) {
        if (planned.operation == name && planned.ordinal == ordinal) apply(planned);
      }
    }
    sent.status = response.status;
    sent.headers = headers_text(response.headers);
    sent.body_bytes = response.body.size();
    sent.body_excerpt = harness::printable(response.body, 600);
    answers.push_back(std::move(sent));
    return changed;
  }
};

ScenarioRunner::ScenarioRunner(harness::adversary::InstrumentedRelay& relay, ScenarioOptions options)
    : relay_(relay), options_(std::move(options)) {
  std::filesystem::create_directories(options_.work_dir);
  ca_file_ = (options_.work_dir / "relay-ca.pem").string();
  write_file(ca_file_, relay_.ca_pem());
}

ScenarioResult ScenarioRunner::run_drawn(std::uint64_t seed) {
  auto plan = std::make_shared<Plan>();
  plan->seed = seed;
  return run(plan, drawn_scenario_is_full(seed));
}

ScenarioResult ScenarioRunner::run_planned(const std::vector<PlannedMutation>& fixed, bool full) {
  auto plan = std::make_shared<Plan>();
  plan->fixed = fixed;
  return run(plan, full);
}

ScenarioResult ScenarioRunner::run(const std::shared_ptr<Plan>& shared_plan, bool full) {
  Plan& plan = *shared_plan;
  plan.counts = &counts_;
  ScenarioResult result;
  const std::filesystem::path dir = options_.work_dir / ("scenario-" + std::to_string(++scenario_));
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir, ec);
  harness::Redactor redactor;
  std::string last_errors;  // stderr of the last call, redacted and bounded
  const std::size_t records_before = relay_.exchanges().size();

  // Runs one shim command; a finding or a refusal ends the scenario (returns false).
  const auto call = [&](const std::string& command, std::vector<std::string> args, harness::ShimOutcome& outcome) {
    harness::ShimInvocation invocation;
    invocation.argv = options_.shim;
    invocation.argv.push_back(command);
    invocation.argv.insert(invocation.argv.end(), args.begin(), args.end());
    invocation.argv.insert(invocation.argv.end(),
                           {"--ca", ca_file_, "--timeout", std::to_string(options_.client_timeout_s)});
    invocation.timeout = options_.deadline;
    invocation.max_output_bytes = 64 << 10;
    result.commands.push_back(command);
    ++shim_calls_;
    auto ran = harness::run_shim(invocation);
    if (!ran) {
      result.error = "cannot start the shim: " + ran.error().message();
      return false;
    }
    outcome = std::move(*ran);
    last_errors = harness::printable(redactor.apply(outcome.stderr_text), 600);
    const auto found = [&](const char* finding_class, const std::string& detail) {
      result.finding = ClientFinding{finding_class, command, detail, last_errors};
      return false;
    };
    if (outcome.signalled) return found("crash", "killed by signal " + std::to_string(outcome.signal));
    if (outcome.timed_out) {
      return found("hang", "still running at the kill deadline (" + std::to_string(options_.deadline.count()) + " ms)");
    }
    if (outcome.exit_code != 0 && outcome.exit_code != 1 && outcome.exit_code != harness::kShimUnsupported) {
      return found("crash", "exit status " + std::to_string(outcome.exit_code) + " (the contract allows 0, 1 and 89)");
    }
    return outcome.exit_code == 0;
  };
  // receive and read: exit 0 must mean the plaintext that was sent is in --out.
  const auto check_output = [&](const std::string& command, const std::filesystem::path& out,
                                const std::string& plaintext) {
    const std::string written = std::filesystem::exists(out, ec) ? read_file(out) : std::string();
    const Json got = Json::parse(written, nullptr, false);
    if (!written.empty() && !got.is_discarded() && got == Json::parse(plaintext)) return true;
    result.finding = ClientFinding{
        "wrong-output", command,
        written.empty() ? "exit 0 without writing --out"
                        : "exit 0 and --out is not the plaintext that was sent: " + harness::printable(written, 200),
        last_errors};
    return false;
  };
  const auto plaintext_file = [&](const std::string& name, std::string& plaintext) {
    const Json info{
        {"format", "digitalwallet.generic.authorizationToken"},
        {"content", {{"token", "fuzz-client-" + std::to_string(scenario_) + "-" + name}, {"n", scenario_}}}};
    plaintext = info.dump();
    const auto path = dir / (name + ".json");
    write_file(path, plaintext);
    return path.string();
  };

  // The relay's connection threads hold their own reference: an answer still being rewritten
  // when a killed shim's scenario ends never sees the plan destroyed.
  relay_.set_answer_rewrite([shared_plan](Operation operation, relay::Response& response) {
    return shared_plan->rewrite(operation, response);
  });
  [&] {
    std::string shared;
    const std::string input = plaintext_file("shared", shared);
    const std::string initiator = (dir / "initiator.state").string(), recipient = (dir / "recipient.state").string();
    harness::ShimOutcome outcome;
    if (!call("share", {"--relay", relay_.base_url(), "--in", input, "--state", initiator}, outcome)) return;
    const std::string url = first_line(outcome.stdout_text);
    if (const auto hash = url.find('#'); hash != std::string::npos) redactor.add(url.substr(hash + 1), "share-secret");
    // Only a share URL of the mailbox really created is worth receiving: the relay's own
    // urlLink, before any mutation (a changed urlLink the client printed is no finding).
    std::string link;
    const auto records = relay_.exchanges();
    for (std::size_t i = records_before; i < records.size(); ++i) {
      if (records[i].operation != Operation::kCreate || records[i].status != 200) continue;
      const Json reply = Json::parse(records[i].response_body, nullptr, false);
      if (reply.is_object() && reply.contains("urlLink") && reply["urlLink"].is_string()) link = reply["urlLink"];
    }
    if (link.empty() || url.rfind(link, 0) != 0 || url.find('#') == std::string::npos) return;
    const auto received = dir / "received.json";
    if (!call("receive", {"--url", url, "--state", recipient, "--out", received.string()}, outcome)) return;
    if (!check_output("receive", received, shared)) return;
    if (!full) return;
    std::string reply;
    const std::string reply_file = plaintext_file("reply", reply);
    if (!call("send", {"--state", recipient, "--in", reply_file}, outcome)) return;
    const auto read = dir / "read.json";
    if (!call("read", {"--state", initiator, "--out", read.string()}, outcome)) return;
    check_output("read", read, reply);
  }();
  relay_.set_answer_rewrite({});
  {
    std::lock_guard<std::mutex> lock(plan.mutex);
    result.applied = plan.applied;
    result.answers = plan.answers;
  }
  std::filesystem::remove_all(dir, ec);
  return result;
}

}  // namespace tigress::fuzz::client
