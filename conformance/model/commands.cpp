#include "conformance/model/commands.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ostream>
#include <sstream>
#include <thread>

#include <rapidcheck.h>
#include <rapidcheck/state.h>

namespace tigress::model {
namespace {

// What generation guesses about a mailbox, assuming the strict reading. Only a bias for choosing
// actors (so that sequences often reach a recipient that updates, relinquishes or deletes): the
// RelayModel inside the runner judges the real answers, whatever reading the relay takes.
struct SlotGuess {
  bool read = true, remove = true;
  std::optional<Actor> recipient;
  bool gone = false;
};

// The state RapidCheck generates commands from. Deliberately coarse: the answers of a relay
// under test are not known at generation time, so it counts what makes a command well-formed and
// guesses the bindings for the actor bias above.
struct GenState {
  const SequenceProfile* profile = nullptr;
  int mailboxes = 0;  // Create commands so far: valid slots are 0..mailboxes-1
  int races = 0;      // ConcurrentFirstReads commands so far
  int requests = 0;   // requests that carried a Mailbox-Request-ID: candidates for a repeat
  int time_steps = 0;
  std::vector<SlotGuess> slots;
};

using Command = rc::state::Command<GenState, SequenceRunner>;

void expect_ok(const Outcome& outcome) {
  if (!outcome.ok) RC_FAIL(outcome.violation + "\n    the model accepts: " + outcome.expected);
}

// An integer drawn uniformly from [low, high) that shrinks toward low. RapidCheck scales
// inRange by the current size (here: the sequence length), which would confine short sequences
// to the first values, so the size is fixed at its maximum for these draws.
int uniform(int low, int high) { return *rc::gen::resize(100, rc::gen::inRange(low, high)); }

// A weighted choice that shrinks toward the first option (gen::weightedElement does not shrink):
// options are listed simplest first.
template <class T>
T pick(std::initializer_list<std::pair<int, T>> options) {
  int total = 0;
  for (const auto& option : options) total += option.first;
  int draw = uniform(0, total);
  for (const auto& option : options) {
    if (draw < option.first) return option.second;
    draw -= option.first;
  }
  return options.begin()->second;
}

int slot_gen(const GenState& s) {
  RC_PRE(s.mailboxes > 0);
  return uniform(0, s.mailboxes);
}

Actor actor_gen() {
  return pick<Actor>(
      {{4, Actor::kInitiator}, {4, Actor::kR1}, {3, Actor::kR2}, {2, Actor::kStranger}, {1, Actor::kNobody}});
}

// Every other time the guessed recipient (when there is one), otherwise anybody.
Actor actor_gen(const GenState& s, int slot) {
  const auto& guess = s.slots.at(slot);
  if (guess.recipient && uniform(0, 2) == 1) return *guess.recipient;
  return actor_gen();
}

void guess_effect(GenState& s, Op op, int slot, Actor actor) {
  if (slot >= static_cast<int>(s.slots.size())) return;
  SlotGuess& g = s.slots[slot];
  const bool other = actor != Actor::kInitiator && actor != Actor::kNobody;
  if (op == Op::kRead && !g.gone && g.read && other && !g.recipient) g.recipient = actor;
  if (op == Op::kRelinquish && g.recipient == actor) g.recipient.reset();
  if (op == Op::kDelete && g.remove && (actor == Actor::kInitiator || (other && g.recipient == actor))) g.gone = true;
}

struct CreateMailbox final : Command {
  CreateSpec spec;
  explicit CreateMailbox(const GenState& s) {
    RC_PRE(s.mailboxes < s.profile->max_mailboxes);
    spec.configuration = pick<bool>({{5, true}, {1, false}});
    spec.rights = pick<std::optional<std::string>>(
        {{2, std::nullopt}, {2, "RWD"}, {1, "RD"}, {1, "RW"}, {1, "WD"}, {1, "R"}, {1, "W"}, {1, "D"}, {1, "DWR"}});
    spec.expires_in = s.profile->lifetimes.at(uniform(0, static_cast<int>(s.profile->lifetimes.size())));
    spec.payload_bytes = uniform(0, 48);
    spec.aes256 = uniform(0, 2) == 1;
    spec.display = uniform(0, 3);
    spec.token = uniform(0, 2) == 1;
  }
  void checkPreconditions(const GenState& s) const override { RC_PRE(s.mailboxes < s.profile->max_mailboxes); }
  void apply(GenState& s) const override {
    ++s.mailboxes;
    ++s.requests;
    s.slots.push_back({rights_has(spec.configuration ? spec.rights : std::nullopt, 'R'),
                       rights_has(spec.configuration ? spec.rights : std::nullopt, 'D'), std::nullopt, false});
  }
  void run(const GenState&, SequenceRunner& runner) const override { expect_ok(runner.create(spec)); }
  // Shows every generated value: the shrink budget tells sequences apart by what they show.
  void show(std::ostream& os) const override {
    os << "Create("
       << (spec.configuration
               ? "rights " + spec.rights.value_or("absent") + ", expires in " + std::to_string(spec.expires_in) + " s"
               : std::string("no configuration"))
       << ", " << spec.payload_bytes << "-byte " << (spec.aes256 ? "AES-256" : "AES-128") << " payload, display "
       << spec.display << (spec.token ? ", token" : "") << ")";
  }
};

// Read, Update, Delete and Relinquish: one mailbox, one actor.
template <Op kOp>
struct MailboxCommand final : Command {
  int slot = 0;
  Actor actor = Actor::kInitiator;
  int payload_bytes = 0;
  explicit MailboxCommand(const GenState& s) : slot(slot_gen(s)), actor(actor_gen(s, slot)) {
    if (kOp == Op::kUpdate) payload_bytes = uniform(0, 48);
  }
  void checkPreconditions(const GenState& s) const override { RC_PRE(slot < s.mailboxes); }
  void apply(GenState& s) const override {
    if (kOp != Op::kRead) ++s.requests;
    guess_effect(s, kOp, slot, actor);
  }
  void run(const GenState&, SequenceRunner& runner) const override {
    switch (kOp) {
      case Op::kRead:
        return expect_ok(runner.read(slot, actor));
      case Op::kUpdate:
        return expect_ok(runner.update(slot, actor, payload_bytes, payload_bytes % 3 == 1));
      case Op::kDelete:
        return expect_ok(runner.remove(slot, actor));
      default:
        return expect_ok(runner.relinquish(slot, actor));
    }
  }
  void show(std::ostream& os) const override {
    os << protocol::endpoint_name(kOp) << "(mailbox " << slot + 1 << ", as " << actor_name(actor);
    if (kOp == Op::kUpdate) os << ", " << payload_bytes << "-byte payload" << (payload_bytes % 3 == 1 ? ", token" : "");
    os << ")";
  }
};

// Several claims read fresh mailboxes at the same moment (8.1.1, MBX-READ-06): exactly one may
// win each, and afterwards only the winner reads (MBX-READ-05). A check-then-bind relay fails
// only when the race is hit, so each command races on kRaceRounds mailboxes of its own (which
// no other command addresses, so shrinking can drop the command whenever a failure does not
// need it), all created before the first race: a race hit in any round is then at most the
// sixth step of a sequence holding only this command.
constexpr int kRaceRounds = 3;

struct ConcurrentFirstReads final : Command {
  int readers = 2;
  explicit ConcurrentFirstReads(const GenState& s) {
    RC_PRE(s.races < s.profile->max_races);
    RC_PRE(uniform(0, s.profile->race_rarity) == 0);  // discarded: another command is drawn
    readers = uniform(2, 5);
  }
  void checkPreconditions(const GenState& s) const override { RC_PRE(s.races < s.profile->max_races); }
  void apply(GenState& s) const override { ++s.races; }
  void run(const GenState&, SequenceRunner& runner) const override {
    expect_ok(runner.concurrent_first_reads(readers, kRaceRounds));
  }
  void show(std::ostream& os) const override {
    os << "ConcurrentFirstReads(" << readers << " readers at once, on each of " << kRaceRounds << " fresh mailboxes)";
  }
};

struct PreviewMailbox final : Command {
  int slot = 0;
  bool vertical = false;
  explicit PreviewMailbox(const GenState& s) : slot(slot_gen(s)), vertical(uniform(0, 2) == 1) {}
  void checkPreconditions(const GenState& s) const override { RC_PRE(slot < s.mailboxes); }
  void run(const GenState&, SequenceRunner& runner) const override { expect_ok(runner.preview(slot, vertical)); }
  void show(std::ostream& os) const override { os << "Preview(mailbox " << slot + 1 << (vertical ? ", ?v=c)" : ")"); }
};

// A byte-identical repeat of an earlier request with a Request-ID: the lost-response retry of
// 5.1 when it repeats the claim's last request, an older duplicate (AMB-41) otherwise.
struct RepeatRequest final : Command {
  int index = 0;
  explicit RepeatRequest(const GenState& s) {
    RC_PRE(s.requests > 0);
    // Favour the most recent request: the retry the draft describes.
    index = s.requests - 1 - uniform(0, s.requests);
  }
  void checkPreconditions(const GenState& s) const override { RC_PRE(index < s.requests); }
  void run(const GenState&, SequenceRunner& runner) const override { expect_ok(runner.repeat(index)); }
  void show(std::ostream& os) const override { os << "Repeat(request " << index + 1 << ")"; }
};

struct PassTime final : Command {
  Seconds seconds = 0;
  explicit PassTime(const GenState& s) {
    RC_PRE(s.time_steps < s.profile->max_time_steps && !s.profile->time_steps.empty());
    RC_PRE(uniform(0, s.profile->time_step_rarity) == 0);  // discarded: another command is drawn
    seconds = s.profile->time_steps.at(uniform(0, static_cast<int>(s.profile->time_steps.size())));
  }
  void checkPreconditions(const GenState& s) const override { RC_PRE(s.time_steps < s.profile->max_time_steps); }
  void apply(GenState& s) const override { ++s.time_steps; }
  void run(const GenState&, SequenceRunner& runner) const override { expect_ok(runner.pass_time(seconds)); }
  void show(std::ostream& os) const override { os << "PassTime(" << seconds << " s)"; }
};

using Read = MailboxCommand<Op::kRead>;
using Update = MailboxCommand<Op::kUpdate>;
using Delete = MailboxCommand<Op::kDelete>;
using Relinquish = MailboxCommand<Op::kRelinquish>;

// The caller prints what matters; RapidCheck's own progress output would only interleave.
class QuietListener final : public rc::detail::TestListener {
 public:
  void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

struct Captured {
  Script script;
  std::vector<RecordedExchange> exchanges;
  int steps = 0;
  std::string signature;  // the commands as shown, one per line
};

}  // namespace

SequenceProfile SequenceProfile::over_network() {
  SequenceProfile profile;
  // Real time: at most one wait per sequence, and lifetimes short enough to end in it.
  profile.max_mailboxes = 2;
  profile.max_time_steps = 1;
  profile.time_step_rarity = 3;
  // A one-second lifetime is certainly over after one 5 s wait, even with the default clock
  // skew (1 s) and an expiry grace of up to 3 s (--expiry-grace; its default, a sweep a minute,
  // leaves both outcomes open); shorter waits would prove nothing, so there are none.
  profile.time_steps = {5};
  profile.lifetimes = {3600, 1, 1, 47 * 3600, 365 * 86400, -3600};
  return profile;
}

namespace {

using Commands = rc::state::Commands<Command>;

Commands draw_commands(const GenState& initial) {
  // Weights by repetition: reads, updates, relinquishes and repeats are where the semantics
  // live; creates and deletes bound the interesting part of a sequence.
  return *rc::state::gen::commands(
      initial, rc::state::gen::execOneOfWithArgs<CreateMailbox, Read, Read, Read, Update, Update, Delete, Relinquish,
                                                 Relinquish, PreviewMailbox, RepeatRequest, RepeatRequest, PassTime,
                                                 ConcurrentFirstReads>());
}

std::string signature_of(const Commands& commands) {
  std::string signature;
  for (const auto& command : commands) {
    std::ostringstream shown;
    command->show(shown);
    signature += shown.str() + "\n";
  }
  return signature;
}

// A generated sequence and what running it on a worker's target showed.
struct Drawn {
  Commands commands;
  std::string signature;
  bool ran = false, passed = false;
};

// Runs `drawn` in order on one worker per target until one fails: every sequence before the
// first failure has then run (workers take them in order and finish what they took).
void run_in_parallel(std::vector<Drawn>& drawn, const std::vector<ModelTarget*>& targets, const GenState& initial,
                     const ModelOptions& options) {
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> first_failure{drawn.size()};
  const auto work = [&](ModelTarget& target) {
    for (std::size_t i = next++; i < drawn.size() && i < first_failure.load(); i = next++) {
      target.reset();
      SequenceRunner runner(target, options);
      bool passed = false;
      try {
        rc::state::runAll(drawn[i].commands, initial, runner);
        passed = true;
      } catch (...) {
        // A failing command throws (RC_FAIL); anything else fails the sequence as well, and the
        // sequential search below runs it again and reports it.
      }
      drawn[i].ran = true;
      drawn[i].passed = passed;
      if (!passed) {
        std::size_t seen = first_failure.load();
        while (i < seen && !first_failure.compare_exchange_weak(seen, i)) {
        }
      }
    }
  };
  std::vector<std::thread> workers;
  for (std::size_t w = 1; w < targets.size(); ++w) workers.emplace_back(work, std::ref(*targets[w]));
  work(*targets[0]);
  for (auto& worker : workers) worker.join();
}

}  // namespace

SequenceResult check_sequences(ModelTarget& target, const SequenceCheck& check) {
  return check_sequences(std::vector<ModelTarget*>{&target}, check);
}

SequenceResult check_sequences(const std::vector<ModelTarget*>& targets, const SequenceCheck& check) {
  ModelTarget& target = *targets.at(0);
  ModelOptions options = target.timing();
  options.min_lifetime = check.options.min_lifetime;
  options.max_ttl = check.options.max_ttl;
  options.clock_skew = std::max(options.clock_skew, check.options.clock_skew);
  options.expiry_grace = std::max(options.expiry_grace, check.options.expiry_grace);
  const SequenceProfile profile = check.profile;
  std::optional<Captured> last_failure;
  std::optional<std::chrono::steady_clock::time_point> first_failure;
  bool shrink_cut = false;
  bool time_free = false;  // a failing run without any waits has been seen while shrinking

  GenState initial;
  initial.profile = &profile;
  std::vector<Drawn> drawn;        // with several targets: every sequence of the search, in order
  std::size_t property_calls = 0;  // before the first failure: the index of the sequence drawn

  auto property = [&] {
    const Commands commands = draw_commands(initial);
    const std::string signature = signature_of(commands);
    // Ran already on a worker and passed: RapidCheck only counts it.
    if (!first_failure && property_calls < drawn.size()) {
      const Drawn& known = drawn[property_calls++];
      if (known.ran && known.passed && known.signature == signature) return;
    }
    // Over the network every candidate shrink costs its real waits. Past the budget, candidates
    // count as passing without being sent, except the current smallest failing sequence, which
    // RapidCheck runs once more at the end: shrinking stops where it is.
    if (first_failure && check.shrink_budget_seconds > 0 && last_failure && signature != last_failure->signature &&
        std::chrono::steady_clock::now() - *first_failure > std::chrono::seconds(check.shrink_budget_seconds)) {
      shrink_cut = true;
      return;
    }
    auto run = [&](const Commands& sequence) {
      target.reset();
      SequenceRunner runner(target, options);
      auto keep = [&] {
        last_failure = Captured{runner.script(), runner.exchanges(), runner.steps(), signature};
        if (!first_failure) first_failure = std::chrono::steady_clock::now();
      };
      try {
        rc::state::runAll(sequence, initial, runner);
      } catch (const rc::detail::CaseResult& result) {
        // RapidCheck reports a failing command by throwing. Shrinking only ever continues from a
        // failing run and the minimal case runs last, so the last failing run is the shrunk one.
        if (result.type == rc::detail::CaseResult::Type::Failure) keep();
        throw;
      } catch (...) {
        keep();
        throw;
      }
    };
    // While shrinking with real time, a candidate is first tried without its waits: most
    // failures do not need them, and a failing run without waits is itself a counterexample (its
    // script is what gets reported). Only when it passes do the waits get spent.
    if (first_failure && check.strip_waits_when_shrinking) {
      Commands without_waits;
      for (const auto& command : commands) {
        if (!dynamic_cast<const PassTime*>(command.get())) without_waits.push_back(command);
      }
      if (without_waits.size() != commands.size()) {
        try {
          run(without_waits);
        } catch (...) {
          time_free = true;  // this failure needs no waits: later candidates need not spend them
          throw;
        }
        if (time_free) return;  // passes without waits, so it is not a smaller time-free failure
      }
    }
    run(commands);
  };

  rc::detail::TestParams params;
  params.seed = check.seed;
  params.maxSuccess = check.runs;
  params.maxSize = check.max_steps;
  rc::detail::TestMetadata metadata;
  metadata.id = "tigress-model";
  metadata.description = "relay state model";

  rc::detail::Configuration config;
  if (!check.reproduce.empty()) {
    try {
      config = rc::detail::configFromString(check.reproduce);
    } catch (const std::exception& ex) {
      return {false, 0, std::string("invalid reproduce string: ") + ex.what(), std::nullopt};
    }
  }
  // With an empty reproduce map RapidCheck searches; with one it replays exactly that case.
  QuietListener listener;
  if (targets.size() > 1 && check.reproduce.empty()) {
    const auto generate = [&] {
      Commands commands = draw_commands(initial);
      std::string signature = signature_of(commands);
      drawn.push_back({std::move(commands), std::move(signature)});
    };
    rc::detail::checkProperty(rc::detail::toProperty(generate), metadata, params, listener, config.reproduce);
    run_in_parallel(drawn, targets, initial, options);
  }
  const rc::detail::TestResult result =
      rc::detail::checkProperty(rc::detail::toProperty(property), metadata, params, listener, config.reproduce);

  SequenceResult out;
  if (result.is<rc::detail::SuccessResult>()) {
    out.passed = true;
    out.runs = result.get<rc::detail::SuccessResult>().numSuccess;
    return out;
  }
  if (result.is<rc::detail::FailureResult>()) {
    const auto& failure = result.get<rc::detail::FailureResult>();
    SequenceFailure f;
    f.description = failure.description;
    for (const auto& [type, value] : failure.counterExample) f.counterexample.push_back(value);
    if (last_failure) {
      // The model's own words (step, violation, citations) rather than RapidCheck's, which
      // prefix them with the source line of the RC_FAIL.
      for (const auto& step : last_failure->script.steps) {
        if (step.violation.empty()) continue;
        f.no_answer = step.observed_status == 0;
        f.description = "step " + std::to_string(step.number) + " (" + step.label + "): " + step.violation +
                        "\n    the model accepts: " + step.expected;
      }
      f.script = last_failure->script;
      f.exchanges = last_failure->exchanges;
      f.steps = last_failure->steps;
    }
    f.passed_before = failure.numSuccess;
    f.shrinking_cut = shrink_cut;
    rc::detail::Configuration replay;
    replay.reproduce[metadata.id] = failure.reproduce;
    // Only the reproduce key: the rest of RapidCheck's configuration string (e.g. its seed) is
    // not needed to replay, and --seed is given separately.
    const std::string minimal = rc::detail::configToMinimalString(replay);
    const std::size_t at = minimal.find("reproduce=");
    f.reproduce = at == std::string::npos ? minimal : minimal.substr(at, minimal.find(' ', at) - at);
    out.runs = failure.numSuccess;
    out.failure = std::move(f);
    return out;
  }
  if (result.is<rc::detail::GaveUpResult>()) {
    out.error = "RapidCheck gave up: " + result.get<rc::detail::GaveUpResult>().description;
  } else {
    out.error = "RapidCheck error: " + result.get<rc::detail::Error>().description;
  }
  return out;
}

}  // namespace tigress::model
