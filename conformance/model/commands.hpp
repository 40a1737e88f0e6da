// RapidCheck drives the model: random command sequences (rc::state) over every endpoint and
// actor, each run against a ModelTarget through a SequenceRunner, shrunk to a minimal failing
// sequence when the relay breaks the model. This header keeps RapidCheck out of its users: only
// commands.cpp includes it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "conformance/model/model.hpp"
#include "conformance/model/script.hpp"
#include "conformance/model/sequence.hpp"
#include "conformance/model/target.hpp"

namespace tigress::model {

// What sequences may contain; differs between the in-process relay (time is free) and a relay
// over the network (time passes for real, so few and short waits).
struct SequenceProfile {
  int max_mailboxes = 3;
  // ConcurrentFirstReads commands per sequence; each makes mailboxes of its own besides. A
  // drawn one is kept only one time in race_rarity: a race costs a dozen requests and threads,
  // and one sequence in a few with a race suffices to catch a racy relay.
  int max_races = 1;
  int race_rarity = 3;
  int max_time_steps = 6;
  std::vector<Seconds> time_steps{2, 5};
  // A drawn time step is kept only one time in this many (real waits are expensive).
  int time_step_rarity = 1;
  // Lifetimes a Create asks for (expiration = now + this). The first is what shrinking prefers.
  std::vector<Seconds> lifetimes{3600, 3, 8, 47 * 3600, 365 * 86400, -3600};

  static SequenceProfile in_process() { return {}; }
  static SequenceProfile over_network();
};

struct SequenceCheck {
  std::uint64_t seed = 0;
  int runs = 100;      // sequences that must pass
  int max_steps = 30;  // RapidCheck's maximum size: sequences have 1..max_steps+1 commands
  SequenceProfile profile;
  ModelOptions options;  // clock tolerance, max-ttl (see model.hpp)
  // RapidCheck's reproduce string from an earlier failure ("reproduce=..."); empty: search.
  std::string reproduce;
  // Wall-clock budget for shrinking, in seconds (0: none). Over the network each candidate
  // costs its real waits; past the budget the smallest failing sequence so far is reported.
  int shrink_budget_seconds = 0;
  // While shrinking, try each candidate without its time steps first (see commands.cpp).
  bool strip_waits_when_shrinking = false;
};

struct SequenceFailure {
  std::string description;                  // the violation, citing requirement IDs
  std::vector<std::string> counterexample;  // the shrunk commands, as RapidCheck shows them
  Script script;                            // the shrunk sequence as executed last
  std::vector<RecordedExchange> exchanges;  // its HTTP exchanges
  int steps = 0;                            // commands executed up to the violation
  int passed_before = 0;                    // sequences that passed before the first failure
  bool no_answer = false;                   // the relay gave no HTTP answer: an ERROR, not a FAIL
  bool shrinking_cut = false;               // the shrink budget ran out: maybe not minimal
  std::string reproduce;                    // RapidCheck's reproduce string
};

struct SequenceResult {
  bool passed = false;
  int runs = 0;       // sequences that passed
  std::string error;  // RapidCheck gave up or could not run (no failure, no pass)
  std::optional<SequenceFailure> failure;
};

// Runs check.runs random sequences; on the first failing one shrinks it and returns it.
SequenceResult check_sequences(ModelTarget& target, const SequenceCheck& check);

// The same search with one worker per target, each running whole sequences on its own target
// (its own mailboxes and claims, its own waits), so time-passing steps overlap. RapidCheck itself
// is not thread-safe, so it generates every sequence up front in one thread, the workers run
// them in order of generation, and RapidCheck then searches again with that seed: it skips the
// sequences that passed and runs the first failing one for real and shrinks it sequentially.
// The result, the shrunk case and its reproduce string are those of the one-target search with
// the same seed. A --reproduce replay runs on the first target only.
SequenceResult check_sequences(const std::vector<ModelTarget*>& targets, const SequenceCheck& check);

}  // namespace tigress::model
