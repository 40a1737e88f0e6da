// The network fuzzer's campaign (net_fuzz.hpp): one fuzz loop per connection, de-duplication,
// minimising and saving of findings, the live lines, the summary and the --replay mode.
#include "conformance/netfuzz/net_fuzz.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
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

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Connection k's stream: the seed's own for k = 0 (so a seed finds what it found with one
// connection), a splitmix64 mix of seed and k otherwise.
std::uint64_t stream_seed(std::uint64_t seed, int connection) {
  if (connection == 0) return seed;
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(connection);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// One connection of the campaign: its own keep-alive connection, stream and mailboxes.
struct Worker {
  Worker(int index, const NetFuzzOptions& options, std::uint64_t claim_seed, const harness::WireClient& client,
         harness::FramingCalibration& calibration)
      : index(index),
        seed(stream_seed(options.seed, index)),
        runner(client, calibration, oracle_options(options)),
        generator(seed, stream_seed(claim_seed, index)),
        replay_rng(stream_seed(claim_seed, index) ^ 0x9e3779b97f4a7c15ULL) {
    if (options.sequences > 0) {
      // Each connection runs its share, so the sequences sent do not depend on timing.
      const auto n = static_cast<std::uint64_t>(options.connections);
      const auto total = static_cast<std::uint64_t>(options.sequences);
      quota = total / n + (static_cast<std::uint64_t>(index) < total % n ? 1 : 0);
    }
  }

  int index;
  std::uint64_t seed;
  std::uint64_t quota = 0;  // 0: no cap
  SequenceRunner runner;
  RequestGenerator generator;
  std::mt19937_64 replay_rng;               // claims of replays, fresh per run like the others
  std::atomic<std::uint64_t> sequences{0};  // read by the progress lines
  std::uint64_t fuzz_requests = 0;          // these two under the campaign's mutex
  double fuzz_seconds = 0;
};

class Campaign {
 public:
  Campaign(const NetFuzzOptions& options, const harness::WireClient& client) : options_(options), calibration_(client) {
    // Claims fresh on every run, whatever the seed (RequestGenerator).
    std::random_device entropy;
    const std::uint64_t claim_seed = (static_cast<std::uint64_t>(entropy()) << 32) ^ entropy();
    for (int k = 0; k < options.connections; ++k)
      workers_.push_back(std::make_unique<Worker>(k, options, claim_seed, client, calibration_));
    summary_.target = client.target().url();
    summary_.seed = options.seed;
    summary_.duration_limit_s = options.duration_s;
    summary_.sequence_limit = options.sequences;
  }

  int run() {
    std::printf("netfuzz: target %s, seed %llu, %s, %d connection(s), timeout %d ms, reproducers in %s\n",
                harness::printable(summary_.target, 200).c_str(), static_cast<unsigned long long>(options_.seed),
                limits_text().c_str(), options_.connections, options_.timeout_ms, options_.out_dir.c_str());
    std::fflush(stdout);
    start_ = Clock::now();
    started_at_ = conformance::utc_now();
    std::vector<std::thread> threads;
    for (auto& worker : workers_) threads.emplace_back([this, &worker] { fuzz(*worker); });
    auto next_progress = start_ + std::chrono::seconds(options_.progress_s);
    std::unique_lock<std::mutex> lock(mutex_);
    while (running_ > 0) {
      if (options_.progress_s > 0 && Clock::now() >= next_progress) {
        progress_line();
        next_progress += std::chrono::seconds(options_.progress_s);
      }
      finished_.wait_for(lock, std::chrono::milliseconds(200));
    }
    lock.unlock();
    for (auto& thread : threads) thread.join();
    return finish();
  }

 private:
  std::string limits_text() const {
    std::string text;
    if (options_.duration_s > 0) text += "duration " + std::to_string(options_.duration_s) + " s";
    if (options_.sequences > 0)
      text += (text.empty() ? "" : ", ") + std::to_string(options_.sequences) + " sequences at most";
    return text;
  }

  void fuzz(Worker& w) {
    while (!stop_.load()) {
      if (w.quota > 0 && w.sequences >= w.quota) break;
      if (options_.duration_s > 0 && seconds_since(start_) >= static_cast<double>(options_.duration_s)) break;
      Bindings bindings;
      const NetSequence steps = w.generator.next_sequence(options_.steps, bindings);
      ++w.sequences;
      const auto sent_before = w.runner.requests();
      const auto fuzz_start = Clock::now();
      auto finding = w.runner.run(steps, bindings);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        w.fuzz_seconds += seconds_since(fuzz_start);
        w.fuzz_requests += w.runner.requests() - sent_before;
      }
      if (finding) record(w, *finding, steps, bindings);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    --running_;
    finished_.notify_all();
  }

  // Under mutex_.
  void gather() {
    summary_.sequences = summary_.requests = summary_.fuzz_requests = summary_.connections_opened =
        summary_.sessions_resumed = 0;
    summary_.fuzz_seconds = 0;
    for (const auto& w : workers_) {
      summary_.sequences += w->sequences;
      summary_.requests += w->runner.requests();
      summary_.connections_opened += w->runner.connections_opened();
      summary_.sessions_resumed += w->runner.sessions_resumed();
      summary_.fuzz_requests += w->fuzz_requests;
      summary_.fuzz_seconds += w->fuzz_seconds;
    }
    summary_.connections = options_.connections;
    summary_.elapsed_s = seconds_since(start_);
  }

  // Under mutex_.
  void progress_line() {
    gather();
    std::printf("netfuzz: %.0f s, %llu sequences, %llu requests (%.1f requests/s), %zu findings\n", summary_.elapsed_s,
                static_cast<unsigned long long>(summary_.sequences), static_cast<unsigned long long>(summary_.requests),
                summary_.requests_per_second(), summary_.findings.size());
    std::fflush(stdout);
  }

  // One bug, one report: later findings with the same key only count. Minimising runs on the
  // finder's own connection while the others go on fuzzing.
  void record(Worker& w, const Finding& finding, const NetSequence& steps, const Bindings& bindings) {
    std::size_t slot = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      // Once the relay is down every connection fails: which of their sequences crashed it is
      // unknown, so the others are kept beside the crash as candidates.
      if (summary_.target_down) {
        if (finding.finding_class == "crash" && crash_slot_) save_candidate(w, finding, steps, bindings);
        return;
      }
      auto seen = index_.find(finding.key());
      if (seen != index_.end()) {
        ++summary_.findings[seen->second].occurrences;
        return;
      }
      const auto limit = static_cast<std::size_t>(options_.max_findings);
      if (limit > 0 && summary_.findings.size() >= limit) return;  // found past the limit by another connection
      slot = summary_.findings.size();
      index_[finding.key()] = slot;
      ReportedFinding placeholder;
      placeholder.finding = finding;
      placeholder.occurrences = 1;
      summary_.findings.push_back(std::move(placeholder));
      if (finding.finding_class == "crash") {
        summary_.target_down = true;
        crash_slot_ = slot;
      }
      if (summary_.target_down || (limit > 0 && summary_.findings.size() >= limit)) stop_ = true;
      std::printf("FINDING %s at %s (%s): %s [connection %d, sequence %llu, request %d]\n",
                  finding.finding_class.c_str(), finding.endpoint.c_str(), finding.what.c_str(), finding.detail.c_str(),
                  w.index, static_cast<unsigned long long>(w.sequences.load()), finding.step + 1);
      std::fflush(stdout);
    }
    Reproducer reproducer = reproducer_of(w, finding, steps, bindings);
    if (finding.finding_class == "crash") {
      reproducer.note = "the relay was down after this sequence: saved as found, not minimised";
    } else {
      minimise(w, reproducer);
    }
    auto saved = save_reproducer(reproducer, options_.out_dir);
    std::lock_guard<std::mutex> lock(mutex_);
    ReportedFinding& reported = summary_.findings[slot];
    reported.finding = reproducer.finding;
    reported.steps = reproducer.steps.size();
    reported.original_steps = reproducer.original_steps;
    reported.minimised = reproducer.minimised;
    reported.note = reproducer.note;
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
  }

  // The sequence up to the finding's request, as found.
  Reproducer reproducer_of(const Worker& w, const Finding& finding, const NetSequence& steps,
                           const Bindings& bindings) const {
    Reproducer reproducer;
    reproducer.finding = finding;
    reproducer.steps.assign(steps.begin(), steps.begin() + finding.step + 1);
    reproducer.bindings = bindings;
    reproducer.seed = options_.seed;
    reproducer.connection = w.index;
    reproducer.sequence = w.sequences.load();
    reproducer.original_steps = reproducer.steps.size();
    return reproducer;
  }

  // Under mutex_.
  void save_candidate(const Worker& w, const Finding& finding, const NetSequence& steps, const Bindings& bindings) {
    Reproducer candidate = reproducer_of(w, finding, steps, bindings);
    candidate.note = "in flight on connection " + std::to_string(w.index) +
                     " when the relay went down: a candidate for the crash, not minimised";
    auto saved = save_reproducer(candidate, options_.out_dir);
    if (!saved) return;
    summary_.findings[*crash_slot_].candidates.push_back(saved->json_path);
    std::printf("  crash candidate (connection %d): %s\n", w.index, saved->json_path.c_str());
    std::fflush(stdout);
  }

  void minimise(Worker& w, Reproducer& reproducer) {
    const std::string key = reproducer.finding.key();
    bool crashed = false;
    const auto reproduces = [&](const NetSequence& candidate) {
      if (crashed) return false;
      auto again = w.runner.run(candidate, fresh_bindings(w.replay_rng));
      crashed = again && again->finding_class == "crash";
      return again && again->key() == key;
    };
    const Minimised result = minimise_sequence(reproducer.steps, reproduces, options_.replay_budget);
    reproducer.steps = result.steps;
    reproducer.finding.step = static_cast<int>(result.steps.size()) - 1;
    reproducer.minimised = result.confirmed;
    if (crashed) {
      std::lock_guard<std::mutex> lock(mutex_);
      summary_.target_down = true;
      stop_ = true;
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
    std::lock_guard<std::mutex> lock(mutex_);
    gather();
    summary_.mutations = {};
    for (const auto& w : workers_) {
      const auto& counts = w->generator.mutation_counts();
      for (std::size_t c = 0; c < counts.size(); ++c) summary_.mutations[c] += counts[c];
    }
    const auto classes = summary_.by_class();
    std::printf(
        "netfuzz: %llu sequences, %llu requests in %.1f s (%.1f requests/s, %d connection(s), %llu opened, %llu "
        "resumed), "
        "%zu findings (5xx %llu, crash %llu, hang %llu, invariant %llu)%s; seed %llu\n",
        static_cast<unsigned long long>(summary_.sequences), static_cast<unsigned long long>(summary_.requests),
        summary_.elapsed_s, summary_.requests_per_second(), options_.connections,
        static_cast<unsigned long long>(summary_.connections_opened),
        static_cast<unsigned long long>(summary_.sessions_resumed), summary_.findings.size(),
        static_cast<unsigned long long>(classes.at("5xx")), static_cast<unsigned long long>(classes.at("crash")),
        static_cast<unsigned long long>(classes.at("hang")), static_cast<unsigned long long>(classes.at("invariant")),
        summary_.target_down ? "; the relay went down, fuzzing stopped" : "",
        static_cast<unsigned long long>(options_.seed));
    std::string framing;
    for (const auto& [name, shares] : calibration_.verdicts())
      framing += (framing.empty() ? "" : ", ") + harness::printable(name, 60) + (shares ? " kept" : " closed");
    if (!framing.empty())
      std::printf("netfuzz: connections after requests not framed alike everywhere: %s\n", framing.c_str());
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
  harness::FramingCalibration calibration_;  // shared by the workers: one probe per request class
  std::string started_at_;
  std::vector<std::unique_ptr<Worker>> workers_;
  Clock::time_point start_;
  std::atomic<bool> stop_{false};  // a crash, or --max-findings reached
  std::mutex mutex_;               // guards summary_, index_, running_ and the workers' counters
  std::condition_variable finished_;
  int running_ = static_cast<int>(options_.connections);
  RunSummary summary_;
  std::map<std::string, std::size_t> index_;  // finding key -> summary_.findings index
  std::optional<std::size_t> crash_slot_;     // the crash finding, once there is one
};

int replay(const NetFuzzOptions& options, const harness::WireClient& client) {
  auto reproducer = load_reproducer(options.replay_file);
  if (!reproducer) {
    std::fprintf(stderr, "tigress-netfuzz: %s\n", reproducer.error().message().c_str());
    return 2;
  }
  std::printf("replay: %s: %zu requests, expecting %s\n", options.replay_file.c_str(), reproducer->steps.size(),
              harness::printable(reproducer->finding.key(), 200).c_str());
  harness::FramingCalibration calibration(client);
  SequenceRunner runner(client, calibration, oracle_options(options));
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
  const conformance::PreflightResult preflight =
      conformance::run_preflight(*target, options->tls, limits, options->connection);
  std::fprintf(stderr, "tigress-netfuzz: %s", conformance::describe_preflight(preflight).c_str());
  options->preflight = preflight;
  if (!preflight.passed) {
    if (!options->reports.any()) return conformance::kExitUntestable;
    auto catalogue = conformance::load_catalogue(options->catalogue_path);
    if (!catalogue) return conformance::kExitUntestable;
    conformance::RunMetadata metadata =
        conformance::describe_run(conformance::RunSummary{}, *catalogue, "fuzz", target->url(), command_line,
                                  std::to_string(options->seed), false);
    metadata.preflight = preflight;
    return conformance::finish_untestable_run(options->reports, *catalogue, std::move(metadata), "tigress-netfuzz");
  }
  const harness::WireClient client(*target, options->tls, limits, options->connection);
  if (!options->replay_file.empty()) return replay(*options, client);
  return Campaign(*options, client).run();
}

}  // namespace tigress::fuzz
