// The network fuzzer's campaign (net_fuzz.hpp): the fuzz loop, de-duplication, minimising and
// saving of findings, the live lines, the summary and the --replay mode.
#include "conformance/netfuzz/net_fuzz.hpp"

#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "conformance/netfuzz/net_fuzz_minimise.hpp"
#include "conformance/netfuzz/net_fuzz_mutators.hpp"
#include "conformance/netfuzz/net_fuzz_options.hpp"
#include "conformance/netfuzz/net_fuzz_report.hpp"
#include "conformance/netfuzz/net_fuzz_reproducer.hpp"
#include "conformance/netfuzz/net_fuzz_runner.hpp"
#include "conformance/framework/catalogue.hpp"
#include "conformance/preflight/preflight.hpp"
#include "conformance/framework/target_health.hpp"
#include "conformance/reports/run_reports.hpp"
#include "harness/connection_flags.hpp"
#include "harness/redaction.hpp"

namespace tigress::fuzz {
namespace {

using Clock = std::chrono::steady_clock;

// The oracle's configuration: the target's request-ID limit, and the strict reading of AMB-05
// (every answer of the mailbox API echoes the ID), which the reference relay takes.
model::ModelOptions oracle_options(const NetFuzzOptions& options) {
  model::ModelOptions oracle;
  oracle.max_request_id_bytes = options.max_request_id_bytes;
  oracle.strict_echo = true;
  return oracle;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

class Campaign {
 public:
  Campaign(const NetFuzzOptions& options, const harness::WireClient& client)
      : options_(options), runner_(client, oracle_options(options)), generator_(options.seed),
        replay_rng_(options.seed ^ 0x9e3779b97f4a7c15ULL) {
    summary_.target = client.target().url();
    summary_.seed = options.seed;
    summary_.duration_limit_s = options.duration_s;
    summary_.sequence_limit = options.sequences;
  }

  int run() {
    std::printf("netfuzz: target %s, seed %llu, %s, timeout %d ms, reproducers in %s\n",
                harness::printable(summary_.target, 200).c_str(), static_cast<unsigned long long>(options_.seed),
                limits_text().c_str(), options_.timeout_ms, options_.out_dir.c_str());
    std::fflush(stdout);
    start_ = Clock::now();
    started_at_ = conformance::utc_now();
    auto next_progress = start_ + std::chrono::seconds(options_.progress_s);
    while (!summary_.target_down) {
      if (options_.sequences > 0 && summary_.sequences >= static_cast<std::uint64_t>(options_.sequences)) break;
      if (options_.duration_s > 0 && seconds_since(start_) >= static_cast<double>(options_.duration_s)) break;
      if (options_.max_findings > 0 && summary_.findings.size() >= static_cast<std::size_t>(options_.max_findings)) break;
      Bindings bindings;
      const NetSequence steps = generator_.next_sequence(options_.steps, bindings);
      ++summary_.sequences;
      const auto sent_before = runner_.requests();
      const auto fuzz_start = Clock::now();
      auto finding = runner_.run(steps, bindings);
      summary_.fuzz_seconds += seconds_since(fuzz_start);
      summary_.fuzz_requests += runner_.requests() - sent_before;
      if (finding) record(*finding, steps, bindings);
      if (options_.progress_s > 0 && Clock::now() >= next_progress) {
        progress_line();
        next_progress += std::chrono::seconds(options_.progress_s);
      }
    }
    return finish();
  }

 private:
  std::string limits_text() const {
    std::string text;
    if (options_.duration_s > 0) text += "duration " + std::to_string(options_.duration_s) + " s";
    if (options_.sequences > 0) text += (text.empty() ? "" : ", ") + std::to_string(options_.sequences) + " sequences at most";
    return text;
  }

  void progress_line() {
    summary_.requests = runner_.requests();
    summary_.elapsed_s = seconds_since(start_);
    std::printf("netfuzz: %.0f s, %llu sequences, %llu requests (%.1f requests/s), %zu findings\n",
                summary_.elapsed_s, static_cast<unsigned long long>(summary_.sequences),
                static_cast<unsigned long long>(summary_.requests), summary_.requests_per_second(),
                summary_.findings.size());
    std::fflush(stdout);
  }

  // One bug, one report: later findings with the same key only count.
  void record(const Finding& finding, const NetSequence& steps, const Bindings& bindings) {
    auto seen = index_.find(finding.key());
    if (seen != index_.end()) {
      ++summary_.findings[seen->second].occurrences;
      return;
    }
    index_[finding.key()] = summary_.findings.size();
    std::printf("FINDING %s at %s (%s): %s [sequence %llu, request %d]\n", finding.finding_class.c_str(),
                finding.endpoint.c_str(), finding.what.c_str(), finding.detail.c_str(),
                static_cast<unsigned long long>(summary_.sequences), finding.step + 1);
    std::fflush(stdout);
    Reproducer reproducer;
    reproducer.finding = finding;
    reproducer.steps.assign(steps.begin(), steps.begin() + finding.step + 1);
    reproducer.bindings = bindings;
    reproducer.seed = options_.seed;
    reproducer.sequence = summary_.sequences;
    reproducer.original_steps = reproducer.steps.size();
    if (finding.finding_class == "crash") {
      summary_.target_down = true;
      reproducer.note = "the relay was down after this sequence: saved as found, not minimised";
    } else {
      minimise(reproducer);
    }
    ReportedFinding reported{finding, 1, "", "", reproducer.steps.size(), reproducer.original_steps,
                             reproducer.minimised, reproducer.note};
    auto saved = save_reproducer(reproducer, options_.out_dir);
    if (saved) {
      reported.reproducer_json = saved->json_path;
      reported.reproducer_script = saved->script_path;
      std::printf("  reproducer: %s and %s (%zu of %zu requests; %s)\n", saved->json_path.c_str(),
                  saved->script_path.c_str(), reproducer.steps.size(), reproducer.original_steps,
                  reproducer.note.c_str());
    } else {
      std::printf("  reproducer not saved: %s\n", saved.error().message().c_str());
    }
    std::fflush(stdout);
    summary_.findings.push_back(std::move(reported));
  }

  void minimise(Reproducer& reproducer) {
    const std::string key = reproducer.finding.key();
    bool crashed = false;
    const auto reproduces = [&](const NetSequence& candidate) {
      if (crashed) return false;
      auto again = runner_.run(candidate, fresh_bindings(replay_rng_));
      crashed = again && again->finding_class == "crash";
      return again && again->key() == key;
    };
    const Minimised result = minimise_sequence(reproducer.steps, reproduces, options_.replay_budget);
    reproducer.steps = result.steps;
    reproducer.finding.step = static_cast<int>(result.steps.size()) - 1;
    reproducer.minimised = result.confirmed;
    if (crashed) {
      summary_.target_down = true;
      reproducer.note = "the relay went down while minimising (a crash): kept as far as minimised";
    } else if (options_.replay_budget == 0) {
      reproducer.note = "not minimised (--replay-budget 0)";
    } else if (!result.confirmed) {
      reproducer.note = "did not reproduce on replay (flaky or state-dependent): saved as found";
    } else {
      reproducer.note = "minimised with " + std::to_string(result.replays) + " replays";
    }
  }

  int finish() {
    summary_.requests = runner_.requests();
    summary_.elapsed_s = seconds_since(start_);
    summary_.mutations = generator_.mutation_counts();
    const auto classes = summary_.by_class();
    std::printf("netfuzz: %llu sequences, %llu requests in %.1f s (%.1f requests/s), %zu findings "
                "(5xx %llu, crash %llu, hang %llu, invariant %llu)%s; seed %llu\n",
                static_cast<unsigned long long>(summary_.sequences), static_cast<unsigned long long>(summary_.requests),
                summary_.elapsed_s, summary_.requests_per_second(), summary_.findings.size(),
                static_cast<unsigned long long>(classes.at("5xx")), static_cast<unsigned long long>(classes.at("crash")),
                static_cast<unsigned long long>(classes.at("hang")),
                static_cast<unsigned long long>(classes.at("invariant")),
                summary_.target_down ? "; the relay went down, fuzzing stopped" : "",
                static_cast<unsigned long long>(options_.seed));
    int status = summary_.findings.empty() ? 0 : 1;
    if (options_.reports.any()) {
      auto catalogue = conformance::load_catalogue(options_.catalogue_path);
      if (!catalogue) {
        std::fprintf(stderr, "netfuzz: catalogue %s: %s\n", options_.catalogue_path.c_str(),
                     catalogue.error().message().c_str());
        return 1;
      }
      conformance::RunSummary run = report_cases(summary_);
      run.started_at = started_at_;
      conformance::RunMetadata metadata = conformance::describe_run(
          run, *catalogue, "fuzz", summary_.target, options_.command_line, std::to_string(options_.seed), false);
      metadata.preflight = options_.preflight;
      metadata.mode_members = report_members(summary_);
      if (!conformance::write_requested_reports(options_.reports, run, *catalogue, metadata, "netfuzz")) status = 1;
    }
    return status;
  }

  const NetFuzzOptions& options_;
  std::string started_at_;
  SequenceRunner runner_;
  RequestGenerator generator_;
  std::mt19937_64 replay_rng_;  // claims of replays: separate, so the stream stays the seed's
  Clock::time_point start_;
  RunSummary summary_;
  std::map<std::string, std::size_t> index_;  // finding key -> summary_.findings index
};

int replay(const NetFuzzOptions& options, const harness::WireClient& client) {
  auto reproducer = load_reproducer(options.replay_file);
  if (!reproducer) {
    std::fprintf(stderr, "tigress-netfuzz: %s\n", reproducer.error().message().c_str());
    return 2;
  }
  std::printf("replay: %s: %zu requests, expecting %s\n", options.replay_file.c_str(), reproducer->steps.size(),
              harness::printable(reproducer->finding.key(), 200).c_str());
  SequenceRunner runner(client, oracle_options(options));
  std::mt19937_64 rng(std::random_device{}());
  const auto finding = runner.run(reproducer->steps, fresh_bindings(rng));
  if (!finding) {
    std::printf("replay: not reproduced\n");
    return 0;
  }
  const bool same = finding->key() == reproducer->finding.key();
  std::printf("replay: %s %s: %s\n", same ? "reproduced" : "a different finding:", finding->key().c_str(),
              finding->detail.c_str());
  return 1;
}

}  // namespace

int run_network_fuzz(const std::vector<std::string>& args, const std::string& command_line) {
  auto line = parse_netfuzz_command_line(args);
  if (!line) return cli::usage_error("tigress-netfuzz", line.error().message());
  if (line->help) {
    std::fputs(netfuzz_help().c_str(), stdout);
    return 0;
  }
  NetFuzzOptions* options = &line->options;
  options->command_line = command_line;
  auto target = harness::parse_target(options->target);
  if (!target) return cli::usage_error("tigress-netfuzz", "--target: " + target.error().message());
  harness::ClientLimits limits;
  limits.timeout = std::chrono::milliseconds(options->timeout_ms);
  const conformance::PreflightResult preflight = conformance::run_preflight(*target, options->tls, limits, options->connection);
  std::fprintf(stderr, "tigress-netfuzz: %s", conformance::describe_preflight(preflight).c_str());
  options->preflight = preflight;
  if (!preflight.passed) {
    if (!options->reports.any()) return conformance::kExitUntestable;
    auto catalogue = conformance::load_catalogue(options->catalogue_path);
    if (!catalogue) return conformance::kExitUntestable;
    conformance::RunMetadata metadata = conformance::describe_run(conformance::RunSummary{}, *catalogue, "fuzz",
                                                                  target->url(), command_line,
                                                                  std::to_string(options->seed), false);
    metadata.preflight = preflight;
    return conformance::finish_untestable_run(options->reports, *catalogue, std::move(metadata), "tigress-netfuzz");
  }
  const harness::WireClient client(*target, options->tls, limits, options->connection);
  if (!options->replay_file.empty()) return replay(*options, client);
  return Campaign(*options, client).run();
}

}  // namespace tigress::fuzz
