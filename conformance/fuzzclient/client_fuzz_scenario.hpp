// One scenario of the client response fuzzer: the shim shares a fresh plaintext through the
// instrumented relay, receives it as the recipient and, in some scenarios, the recipient sends a
// new one that the initiator reads, while the relay mutates its answers (answer_mutation.hpp).
// Each shim call is judged (harness/SHIM.md's contract):
//   crash         killed by a signal, or an exit status other than 0, 1 and 89;
//   hang          still running at the fuzzer's kill deadline;
//   wrong-output  receive or read exited 0 but --out is not the plaintext that was sent (missing,
//                 empty or a different JSON value): output that was not authenticated.
// A refusal (exit 1 or 89) ends the scenario without a finding.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conformance/fuzzclient/answer_mutation.hpp"
#include "harness/adversary/instrumented_relay.hpp"
#include "harness/shim_runner.hpp"

namespace tigress::fuzz::client {

// A mutation of the `ordinal`-th answer (0-based, counted per operation within the scenario) to
// `operation` ("Create", "Read", "Update", ... as protocol::endpoint_name says).
struct PlannedMutation {
  std::string operation;
  int ordinal = 0;
  AnswerMutation mutation;
  friend bool operator==(const PlannedMutation&, const PlannedMutation&) = default;
};

// One answer as the shim got it, for reproducers and reports (bounded, escaped).
struct SentAnswer {
  std::string operation;
  int ordinal = 0;
  int status = 0;
  std::string headers;       // "Name: value" lines
  std::string body_excerpt;  // harness::printable, cut
  std::size_t body_bytes = 0;
  std::vector<std::string> mutations;  // describe() of each mutation applied to it
};

struct ClientFinding {
  std::string finding_class;   // crash, hang, wrong-output
  std::string command;         // share, receive, send, read
  std::string detail;          // one line, bounded and escaped
  std::string stderr_excerpt;  // of the offending call, bounded and escaped

  // Findings with the same key are one bug: only the first is saved.
  std::string key() const { return finding_class + " " + command; }
};

struct ScenarioResult {
  std::vector<std::string> commands;     // shim commands run, in order
  std::vector<PlannedMutation> applied;  // mutations that changed an answer, in order
  std::vector<SentAnswer> answers;
  std::optional<ClientFinding> finding;
  std::string error;  // the fuzzer's own failure (a shim that cannot start, ...)
};

struct ScenarioOptions {
  std::vector<std::string> shim;              // the --shim words
  std::chrono::milliseconds deadline{10000};  // the fuzzer kills a shim call after this
  int client_timeout_s = 2;                   // --timeout handed to the shim
  std::filesystem::path work_dir;             // files of the scenarios (plaintexts, states, outputs)
};

// Plaintexts, states and outputs live in work_dir; the relay is shared by every scenario (each
// creates its own mailbox) and must outlive the runner.
class ScenarioRunner {
 public:
  ScenarioRunner(harness::adversary::InstrumentedRelay& relay, ScenarioOptions options);

  // Mutations drawn from `seed` (one generator per answer, seeded from it, the operation and
  // the ordinal, so a scenario's draws depend neither on timing nor on earlier scenarios).
  // `full` adds the send and the initiator's read after the receive.
  ScenarioResult run_drawn(std::uint64_t seed);
  // Exactly these mutations, for replays and minimising.
  ScenarioResult run_planned(const std::vector<PlannedMutation>& plan, bool full);

  std::uint64_t shim_calls() const { return shim_calls_; }
  // Mutations applied by run_drawn, per class (replays not counted).
  const std::array<std::uint64_t, kAnswerMutationClassCount>& mutation_counts() const { return counts_; }

 private:
  struct Plan;
  ScenarioResult run(const std::shared_ptr<Plan>& plan, bool full);

  harness::adversary::InstrumentedRelay& relay_;
  ScenarioOptions options_;
  std::string ca_file_;
  std::uint64_t scenario_ = 0;
  std::uint64_t shim_calls_ = 0;
  std::array<std::uint64_t, kAnswerMutationClassCount> counts_{};
};

// Whether a drawn scenario with this seed runs the send and the initiator's read too.
bool drawn_scenario_is_full(std::uint64_t seed);

}  // namespace tigress::fuzz::client
