#include "conformance/fuzzclient/client_fuzz_mode.hpp"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>

#include "conformance/cli/shared_flags.hpp"
#include "conformance/framework/catalogue.hpp"
#include "conformance/framework/target_health.hpp"
#include "conformance/fuzzclient/client_fuzz_reproducer.hpp"
#include "conformance/fuzzclient/client_fuzz_scenario.hpp"
#include "conformance/netfuzz/net_fuzz_minimise.hpp"
#include "conformance/preflight/preflight.hpp"
#include "conformance/reports/run_reports.hpp"

namespace tigress::fuzz::client {
namespace {

using Clock = std::chrono::steady_clock;
namespace conf = tigress::conformance;

struct Options {
  std::string shim;
  std::uint64_t seed = 0;
  long long duration_s = 0;  // 0: no time bound (only with --scenarios)
  long long scenarios = 0;   // 0: no cap
  int deadline_s = 10;       // the kill deadline of one shim call
  int client_timeout_s = 2;  // --timeout handed to the shim
  std::string out_dir = "reports/fuzz-client";
  std::string replay_file;
  int replay_budget = 16;
  int max_findings = 0;
  int progress_s = 5;
  std::string catalogue = conf::default_catalogue_path();
  conf::RequestedReports reports;
};

// The finding classes, each one result in the reports, and what it breaks.
struct FindingClass {
  const char* name;
  const char* title;
  std::vector<std::string> requirements;
};
const std::vector<FindingClass>& finding_classes() {
  static const std::vector<FindingClass> classes = {
      {"crash",
       "mutated relay answers: the shim never dies by a signal or exits other than 0, 1 or 89",
       {"MBX-CLI-06"}},
      {"hang", "mutated relay answers: every shim call ends before the kill deadline", {"MBX-CLI-06"}},
      {"wrong-output",
       "mutated relay answers: exit 0 from receive or read only with the authentic plaintext",
       {"MBX-ENC-07", "MBX-CLI-06"}},
  };
  return classes;
}

constexpr const char* kProgram = "tigress-conform fuzz-client";

struct ClientFuzzFlags {
  Options options;
  std::optional<std::uint64_t> seed;
};

cli::FlagTable client_fuzz_flag_table(ClientFuzzFlags& f) {
  Options& o = f.options;
  cli::FlagTable table;
  table.group("Options:");
  table.add(
      cli::text_flag("--shim", "\"CMD ...\"", "the client under test, e.g. \"build/bin/tigress-client\"", o.shim));
  table.add(cli::duration_flag("--duration", "D", "fuzz for D (600, 90s, 30m, 2h); default 60 s unless --scenarios",
                               o.duration_s));
  table.add(cli::count_flag("--scenarios", "N", "stop after N scenarios (with --duration: whichever comes first)",
                            cli::Range{1, 100000000, ""}, o.scenarios));
  conf::add_seed_flag(table, f.seed, "seed of the mutations (default: from the clock; printed)");
  conf::add_timeout_flag(table, o.deadline_s, "kill deadline of one shim call; longer is a hang (default 10)");
  table.add(cli::count_flag("--client-timeout", "S", "--timeout handed to the shim, below --timeout (default 2)",
                            cli::Range{1, 60, "seconds"}, o.client_timeout_s));
  table.add(cli::text_flag("--out", "DIR", "where reproducers go (default reports/fuzz-client)", o.out_dir));
  table.add(cli::count_flag("--replay-budget", "N",
                            "replays per finding while minimising (default 16; 0: save as found)",
                            cli::Range{0, 10000, ""}, o.replay_budget));
  table.add(cli::count_flag("--max-findings", "N", "stop after N distinct findings (default: no limit)",
                            cli::Range{0, 10000, ""}, o.max_findings));
  table.add(cli::count_flag("--progress", "S", "seconds between live lines (default 5; 0: none)",
                            cli::Range{0, 3600, "seconds"}, o.progress_s));
  table.add(
      cli::text_flag("--replay", "FILE", "run one saved reproducer and say whether it reproduces", o.replay_file));
  conf::add_catalogue_flag(table, o.catalogue);
  conf::add_report_flags(table, o.reports, /*with_expectations=*/true);
  return table;
}

const cli::CommandHelp kHelp{
    "usage: tigress-conform fuzz-client --shim \"CMD [ARGS...]\" [options]",
    "The client response fuzzer: the instrumented relay answers the shim (harness/SHIM.md) with\n"
    "structure-aware mutations (JSON members removed, retyped, duplicated, huge or deeply nested;\n"
    "headers and statuses changed; bodies truncated, padded, re-encoded; AEAD fields bit-flipped)\n"
    "through share, receive and sometimes send and read. A finding is a shim call killed by a signal\n"
    "or exiting other than 0, 1 or 89 (crash), one still running at the kill deadline (hang), or a\n"
    "receive or read exiting 0 without the authentic plaintext in --out (wrong-output). Each is\n"
    "minimised and saved as a JSON reproducer in --out.\n",
    "Exit status: 0 nothing found, 1 findings (with --replay: reproduced), 2 usage errors, 3 the shim\n"
    "could not be tested (an unmutated share and receive failed).\n"};

// The constraints between flags, after the table applied them.
Status check_options(Options& o, const std::optional<std::uint64_t>& seed) {
  if (o.shim.empty()) return make_error("fuzz-client needs --shim \"CMD ...\"");
  if (o.client_timeout_s >= o.deadline_s) return make_error("--client-timeout must be below --timeout");
  if (o.duration_s == 0 && o.scenarios == 0) o.duration_s = 60;
  o.seed = conf::seed_or_clock(seed);
  return {};
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string describe_plan(const std::vector<PlannedMutation>& plan) {
  std::string text;
  for (const auto& p : plan) {
    text += (text.empty() ? "" : "; ") + p.operation + "#" + std::to_string(p.ordinal) + " " + describe(p.mutation);
  }
  return text.empty() ? "(none)" : text;
}

std::string describe_answers(const std::vector<SentAnswer>& answers) {
  std::string text;
  for (const auto& a : answers) {
    text += a.operation + "#" + std::to_string(a.ordinal) + ": " + std::to_string(a.status) + ", " +
            std::to_string(a.body_bytes) + " bytes";
    for (const auto& m : a.mutations) text += "\n  mutated: " + m;
    text += "\n" + a.headers + "\n" + a.body_excerpt + "\n\n";
  }
  return text;
}

struct Reported {
  ClientReproducer reproducer;
  std::string path;  // empty when it could not be saved
  std::uint64_t occurrences = 1;
};

class Campaign {
 public:
  Campaign(const Options& options, ScenarioRunner& runner) : options_(options), runner_(runner) {}

  void run() {
    std::printf("fuzz-client: shim \"%s\", seed %llu, %s, kill deadline %d s, reproducers in %s\n",
                options_.shim.c_str(), static_cast<unsigned long long>(options_.seed), limits().c_str(),
                options_.deadline_s, options_.out_dir.c_str());
    std::fflush(stdout);
    start_ = Clock::now();
    auto next_progress = start_ + std::chrono::seconds(options_.progress_s);
    while (true) {
      if (options_.scenarios > 0 && scenarios_ >= static_cast<std::uint64_t>(options_.scenarios)) break;
      if (options_.duration_s > 0 && seconds_since(start_) >= static_cast<double>(options_.duration_s)) break;
      if (options_.max_findings > 0 && found_.size() >= static_cast<std::size_t>(options_.max_findings)) break;
      ++scenarios_;
      const std::uint64_t seed = scenario_seed(scenarios_);
      ScenarioResult result = runner_.run_drawn(seed);
      if (!result.error.empty()) {
        error_ = result.error;
        break;
      }
      if (result.finding) record(std::move(result), drawn_scenario_is_full(seed));
      if (options_.progress_s > 0 && Clock::now() >= next_progress) {
        std::printf("fuzz-client: %.0f s, %llu scenarios, %llu shim calls, %zu findings\n", seconds_since(start_),
                    static_cast<unsigned long long>(scenarios_), static_cast<unsigned long long>(runner_.shim_calls()),
                    found_.size());
        std::fflush(stdout);
        next_progress += std::chrono::seconds(options_.progress_s);
      }
    }
    elapsed_s_ = seconds_since(start_);
  }

  conf::RunSummary summary(const std::string& started_at) const {
    conf::RunSummary summary;
    for (const auto& c : finding_classes()) {
      conf::CaseResult r;
      r.id = std::string("fuzz-client/") + c.name;
      r.title = c.title;
      r.section = "8.2.1";
      r.category = conf::Category::kRobustness;
      r.level = conf::Level::kMust;
      r.requirements = c.requirements;
      r.elapsed_ms = elapsed_s_ * 1000;
      std::string findings;
      for (const auto& f : found_) {
        if (f.reproducer.finding.finding_class != c.name) continue;
        const auto& rep = f.reproducer;
        findings += c.name + std::string(" at ") + rep.finding.command + ": " + rep.finding.detail + " [scenario " +
                    std::to_string(rep.scenario) + ", " + std::to_string(f.occurrences) +
                    " occurrences]\n  mutations: " + describe_plan(rep.mutations) +
                    "\n  reproducer: " + (f.path.empty() ? "(not saved)" : f.path) + " (" + rep.note + ")\n";
        if (!rep.finding.stderr_excerpt.empty()) findings += "  shim stderr: " + rep.finding.stderr_excerpt + "\n";
        std::string commands;
        for (const auto& command : rep.commands) commands += (commands.empty() ? "" : ", ") + command;
        r.wire.push_back({"shim calls: " + commands + "\nmutations: " + describe_plan(rep.mutations),
                          describe_answers(rep.answers), 0});
      }
      r.verdict = findings.empty() ? conf::Verdict::kPass : conf::Verdict::kFail;
      if (!error_.empty()) r.verdict = conf::Verdict::kError;
      r.detail = (findings.empty() ? std::string() : findings + "\n") + totals();
      if (!error_.empty()) r.detail = "the fuzzer stopped: " + error_ + "\n" + r.detail;
      summary.results.push_back(std::move(r));
    }
    summary.recount();
    summary.started_at = started_at;
    summary.finished_at = conf::utc_now();
    summary.elapsed_ms = elapsed_s_ * 1000;
    return summary;
  }

  std::string totals() const {
    std::string mutations;
    for (std::size_t i = 0; i < kAnswerMutationClassCount; ++i) {
      mutations += (i == 0 ? "" : ", ") + std::string(answer_mutation_class_name(static_cast<AnswerMutationClass>(i))) +
                   " " + std::to_string(runner_.mutation_counts()[i]);
    }
    char line[200];
    std::snprintf(line, sizeof line, "%llu scenarios, %llu shim calls in %.1f s (%.1f scenarios/s); seed %llu",
                  static_cast<unsigned long long>(scenarios_), static_cast<unsigned long long>(runner_.shim_calls()),
                  elapsed_s_, elapsed_s_ > 0 ? static_cast<double>(scenarios_) / elapsed_s_ : 0.0,
                  static_cast<unsigned long long>(options_.seed));
    return std::string(line) + "\nmutations applied: " + mutations;
  }

 private:
  std::string limits() const {
    std::string text;
    if (options_.duration_s > 0) text += "duration " + std::to_string(options_.duration_s) + " s";
    if (options_.scenarios > 0)
      text += (text.empty() ? "" : ", ") + std::to_string(options_.scenarios) + " scenarios at most";
    return text;
  }

  std::uint64_t scenario_seed(std::uint64_t scenario) const { return options_.seed * 0x100000001b3ULL + scenario; }

  void record(ScenarioResult result, bool full) {
    const std::string key = result.finding->key();
    for (auto& f : found_) {
      if (f.reproducer.finding.key() == key) {
        ++f.occurrences;
        return;
      }
    }
    std::printf("FINDING %s at %s: %s [scenario %llu]\n  mutations: %s\n", result.finding->finding_class.c_str(),
                result.finding->command.c_str(), result.finding->detail.c_str(),
                static_cast<unsigned long long>(scenarios_), describe_plan(result.applied).c_str());
    std::fflush(stdout);
    Reported reported;
    ClientReproducer& rep = reported.reproducer;
    rep.finding = *result.finding;
    rep.seed = options_.seed;
    rep.scenario = scenarios_;
    rep.full = full;
    rep.commands = result.commands;
    rep.mutations = result.applied;
    rep.answers = result.answers;
    rep.original_mutations = result.applied.size();
    minimise(rep);
    auto saved = save_client_reproducer(rep, options_.out_dir);
    if (saved) {
      reported.path = *saved;
      std::printf("  reproducer: %s (%zu of %zu mutations; %s)\n", saved->c_str(), rep.mutations.size(),
                  rep.original_mutations, rep.note.c_str());
    } else {
      std::printf("  reproducer not saved: %s\n", saved.error().message().c_str());
    }
    std::fflush(stdout);
    found_.push_back(std::move(reported));
  }

  // Delta debugging over the mutations (netfuzz's search): a subset reproduces when a replay of
  // the same commands with only those mutations gives a finding with the same key.
  void minimise(ClientReproducer& rep) {
    const std::vector<PlannedMutation> all = rep.mutations;
    const std::string key = rep.finding.key();
    std::optional<ScenarioResult> last;
    const auto subset = [&all](const std::vector<std::size_t>& kept) {
      std::vector<PlannedMutation> plan;
      for (std::size_t i : kept) plan.push_back(all[i]);
      return plan;
    };
    const MinimisedSubset found = minimise_subset(
        all.size(),
        [&](const std::vector<std::size_t>& kept) {
          ScenarioResult again = runner_.run_planned(subset(kept), rep.full);
          if (!again.finding || again.finding->key() != key) return false;
          last = std::move(again);
          return true;
        },
        options_.replay_budget);
    rep.minimised = found.confirmed;
    if (options_.replay_budget == 0) {
      rep.note = "not minimised (--replay-budget 0)";
    } else if (!found.confirmed || !last) {
      rep.note = "did not reproduce on replay (flaky or timing-dependent): saved as found";
    } else {
      rep.mutations = last->applied;
      rep.commands = last->commands;
      rep.answers = last->answers;
      rep.finding = *last->finding;
      rep.note = "minimised with " + std::to_string(found.replays) + " replays";
    }
  }

  const Options& options_;
  ScenarioRunner& runner_;
  Clock::time_point start_;
  double elapsed_s_ = 0;
  std::uint64_t scenarios_ = 0;
  std::vector<Reported> found_;
  std::string error_;
};

int replay(const Options& options, ScenarioRunner& runner) {
  auto reproducer = load_client_reproducer(options.replay_file);
  if (!reproducer) return cli::usage_error(kProgram, reproducer.error().message());
  std::printf("replay: %s: %zu mutations, expecting %s\n", options.replay_file.c_str(), reproducer->mutations.size(),
              reproducer->finding.key().c_str());
  const ScenarioResult result = runner.run_planned(reproducer->mutations, reproducer->full);
  if (!result.error.empty()) {
    std::fprintf(stderr, "tigress-conform fuzz-client: %s\n", result.error.c_str());
    return conf::kExitUntestable;
  }
  if (!result.finding) {
    std::printf("replay: not reproduced (%zu of %zu mutations applied)\n", result.applied.size(),
                reproducer->mutations.size());
    return 0;
  }
  const bool same = result.finding->key() == reproducer->finding.key();
  std::printf("replay: %s %s: %s\n", same ? "reproduced" : "a different finding:", result.finding->key().c_str(),
              result.finding->detail.c_str());
  return 1;
}

}  // namespace

std::string client_fuzz_usage() {
  ClientFuzzFlags flags;
  return cli::render_help(kHelp, client_fuzz_flag_table(flags));
}

int run_client_fuzz_mode(const std::vector<std::string>& args, const std::string& command_line) {
  std::signal(SIGPIPE, SIG_IGN);  // the relay writes to clients that may hang up at any moment
  ClientFuzzFlags flags;
  const cli::FlagTable table = client_fuzz_flag_table(flags);
  if (auto exit_status = cli::parse_or_exit(table, args, kHelp, kProgram)) return *exit_status;
  if (auto checked = check_options(flags.options, flags.seed); !checked) {
    return cli::usage_error(kProgram, checked.error().message());
  }
  Options* options = &flags.options;
  auto catalogue = conf::load_catalogue(options->catalogue);
  if (!catalogue)
    return cli::usage_error(kProgram, "catalogue " + options->catalogue + ": " + catalogue.error().message());
  std::vector<std::string> ids;
  for (const auto& c : finding_classes()) ids.push_back(std::string("fuzz-client/") + c.name);
  auto expectations = conf::load_requested_expectations(options->reports, "fuzz-client", ids);
  if (!expectations) return cli::usage_error(kProgram, expectations.error().message());

  auto relay = harness::adversary::InstrumentedRelay::start();
  if (!relay) {
    std::cerr << "tigress-conform fuzz-client: cannot start the relay: " << relay.error().message() << "\n";
    return conf::kExitUntestable;
  }
  ScenarioOptions scenario;
  scenario.shim = harness::split_shim_command(options->shim);
  scenario.deadline = std::chrono::seconds(options->deadline_s);
  scenario.client_timeout_s = options->client_timeout_s;
  scenario.work_dir = std::filesystem::temp_directory_path() / ("tigress-fuzz-client-" + std::to_string(::getpid()));
  struct RemoveOnExit {
    std::filesystem::path dir;
    ~RemoveOnExit() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{scenario.work_dir};
  ScenarioRunner runner(**relay, scenario);
  if (!options->replay_file.empty()) return replay(*options, runner);

  // The shim must get through an exchange nobody tampered with, or no finding would mean anything.
  const ScenarioResult baseline = runner.run_planned({}, /*full=*/true);
  if (!baseline.error.empty() || baseline.finding || baseline.commands.size() != 4) {
    std::string why = baseline.error;
    if (baseline.finding) why = baseline.finding->key() + ": " + baseline.finding->detail;
    if (why.empty()) {
      why = baseline.commands.empty() ? "no shim call ran" : baseline.commands.back() + " failed (exit 1 or 89)";
    }
    std::cerr << "tigress-conform fuzz-client: the shim could not be tested: with unmutated answers, " << why << "\n";
    return conf::kExitUntestable;
  }

  const std::string started_at = conf::utc_now();
  Campaign campaign(*options, runner);
  campaign.run();
  conf::RunSummary summary = campaign.summary(started_at);
  options->reports.catalogue = options->catalogue;
  std::printf("fuzz-client: %s\n", campaign.totals().c_str());
  return conf::finish_case_run(summary, *expectations, options->reports, *catalogue,
                               conf::describe_run(summary, *catalogue, "fuzz-client", "shim:" + options->shim,
                                                  command_line, std::to_string(options->seed), false),
                               "tigress-conform fuzz-client");
}

}  // namespace tigress::fuzz::client
