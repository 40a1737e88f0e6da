#include "conformance/model/model_mode.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "conformance/framework/catalogue.hpp"
#include "conformance/framework/expiry_grace.hpp"
#include "conformance/model/commands.hpp"
#include "conformance/reports/run_reports.hpp"
#include "harness/connection_flags.hpp"
#include "common/cli_numbers.hpp"

namespace tigress::conformance {
namespace {

constexpr const char* kUsage = R"(usage: tigress-conform model --target URL [options]

Random sequences of requests (create, read as initiator / recipient / stranger, update, delete,
relinquish, preview, byte-identical repeats, time passing, and 2-4 first reads of fresh mailboxes
sent at the same moment over parallel connections) against the relay, each answer judged by a
model of the draft that accepts every defensible reading. A failing sequence is shrunk and
printed as a curl script (simultaneous requests as background curls and `wait`), with the seed
that reproduces it.

options:
  --target URL         the relay under test, https://host[:port][/prefix]
  --ca FILE            trust this PEM bundle for the target's certificate
  --insecure           do not verify the target's certificate at all
  --runs N             sequences that must pass (default 20)
  --seed N             RapidCheck seed (default: from the clock; printed)
  --max-steps N        longest sequence, in commands (default 20)
  --no-wait            no time-passing steps (otherwise sequences may wait 5 s once, for real)
  --jobs N             sequences run at the same time, each on mailboxes of its own, so their
                       waits overlap (default 8, 1..256); a failure is shrunk one run at a time
                       and the seed reproduces it whatever N
  --max-ttl DURATION   also fail lifetimes longer than this (ADVISORY, off by default); 3600, 30m, 48h, 2d
  --expiry-grace SEC   how long after expiration a mailbox may still be served (default 60, as
                       in relay mode); the 5 s waits demand deletion only under a short grace
                       (0..3), e.g. 0 for a relay that deletes at the instant
  --clock-skew SEC     how far the relay's clock may be from ours (default 1)
  --timeout SECONDS    deadline of one exchange with the target (default 10)
  --shrink-time SEC    stop shrinking a failure after this long (default 120; 0: never); waits are real
  --reproduce STRING   replay the shrunk case of an earlier failure ("reproduce=..."; printed then)
  --script-out FILE    also write the failing sequence's curl script to FILE
  --catalogue FILE     requirement catalogue (default: the suite's conformance/requirements.json)
  --report-json FILE   machine-readable report (schema tigress-report/1)
  --report-html FILE   self-contained HTML report

Exit status: 0 when every sequence passed; 1 when one failed or the run could not complete;
2 for usage errors; 3 when the target could not be tested (the preflight failed; nothing ran).
)";

int usage_error(const std::string& message) {
  std::cerr << "tigress-conform model: " << message << "\n";
  return 2;
}

std::string utc_now() {
  return model::format_utc(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

std::string reproduction(const std::string& target, const harness::TlsOptions& tls, const model::SequenceCheck& check,
                         bool no_wait) {
  std::string out = "tigress-conform model --target " + target +
                    (tls.insecure ? " --insecure" : tls.ca_file.empty() ? "" : " --ca " + tls.ca_file) +
                    " --runs " + std::to_string(check.runs) + " --seed " + std::to_string(check.seed) +
                    " --max-steps " + std::to_string(check.max_steps) + (no_wait ? " --no-wait" : "");
  if (check.options.max_ttl) out += " --max-ttl " + std::to_string(*check.options.max_ttl);
  return out;
}

}  // namespace

const char* model_mode_usage() { return kUsage; }

int run_model_mode(const std::vector<std::string>& args, const std::string& command_line) {
  std::string target_url, report_json, report_html, script_out, catalogue_path = default_catalogue_path();
  harness::TlsOptions tls;
  harness::ClientLimits limits;
  harness::ConnectionOptions connection;
  model::SequenceCheck check;
  check.runs = 20;
  check.max_steps = 20;
  check.shrink_budget_seconds = 120;
  check.strip_waits_when_shrinking = true;
  check.profile = model::SequenceProfile::over_network();
  long long grace = kDefaultExpiryGraceSeconds, skew = 1;
  int jobs = 8;
  bool seed_given = false, no_wait = false;

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage << harness::kConnectionUsage;
      return 0;
    }
    auto connection_flag = harness::take_connection_flag(args, i, connection);
    if (!connection_flag) return usage_error(connection_flag.error().message());
    if (*connection_flag) continue;
    if (flag == "--insecure") { tls.insecure = true; continue; }
    if (flag == "--no-wait") { no_wait = true; continue; }
    if (i + 1 >= args.size()) return usage_error(flag + " needs a value (see --help)");
    const std::string& value = args[++i];
    if (flag == "--target") {
      target_url = value;
    } else if (flag == "--ca") {
      tls.ca_file = value;
    } else if (flag == "--expiry-grace") {
      auto seconds = parse_expiry_grace(value);
      if (!seconds) return usage_error(kExpiryGraceRangeError);
      grace = *seconds;
    } else if (flag == "--runs" || flag == "--max-steps" || flag == "--timeout" || flag == "--clock-skew" ||
               flag == "--shrink-time") {
      auto n = cli::parse_count(value);
      const long long low = flag == "--runs" || flag == "--max-steps" || flag == "--timeout" ? 1 : 0;
      const long long high = flag == "--runs" ? 1000000 : flag == "--max-steps" ? 200 : 3600;
      if (!n || *n < low || *n > high) {
        return usage_error(flag + " takes " + std::to_string(low) + ".." + std::to_string(high));
      }
      if (flag == "--runs") check.runs = static_cast<int>(*n);
      if (flag == "--max-steps") check.max_steps = static_cast<int>(*n);
      if (flag == "--timeout") limits.timeout = std::chrono::seconds(*n);
      if (flag == "--clock-skew") skew = *n;
      if (flag == "--shrink-time") check.shrink_budget_seconds = static_cast<int>(*n);
    } else if (flag == "--jobs") {
      auto n = cli::parse_count(value);
      if (!n || *n < 1 || *n > cli::kMaxJobs) return usage_error("--jobs takes 1.." + std::to_string(cli::kMaxJobs));
      jobs = static_cast<int>(*n);
    } else if (flag == "--seed") {
      auto n = cli::parse_count(value);
      if (!n) return usage_error("--seed takes a non-negative integer");
      check.seed = static_cast<std::uint64_t>(*n);
      seed_given = true;
    } else if (flag == "--max-ttl") {
      auto seconds = cli::parse_duration(value);
      if (!seconds) return usage_error("--max-ttl takes a duration such as 3600, 30m, 48h, 2d");
      check.options.max_ttl = *seconds;
    } else if (flag == "--reproduce") {
      check.reproduce = value;
    } else if (flag == "--script-out") {
      script_out = value;
    } else if (flag == "--catalogue") {
      catalogue_path = value;
    } else if (flag == "--report-json") {
      report_json = value;
    } else if (flag == "--report-html") {
      report_html = value;
    } else {
      return usage_error("unknown option " + flag + " (see --help)");
    }
  }
  if (target_url.empty()) return usage_error("needs --target URL");
  if (auto gateway = harness::check_connection_options(connection); !gateway) return usage_error(gateway.error().message());
  if (!tls.ca_file.empty() && tls.insecure) return usage_error("give --ca or --insecure, not both");
  auto target = harness::parse_target(target_url);
  if (!target) return usage_error("--target: " + target.error().message());
  if (!seed_given) {
    check.seed = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count() & 0x7FFFFFFFFFFFLL);
  }
  if (no_wait) check.profile.max_time_steps = 0;
  std::optional<Catalogue> catalogue;
  if (!report_json.empty() || !report_html.empty()) {
    auto loaded = load_catalogue(catalogue_path);
    if (!loaded) return usage_error("catalogue " + catalogue_path + ": " + loaded.error().message());
    catalogue = std::move(*loaded);
  }

  const PreflightResult preflight = run_preflight(*target, tls, limits, connection);
  std::cerr << "tigress-conform model: " << describe_preflight(preflight);
  if (!preflight.passed) {
    if (!catalogue) return kExitUntestable;
    RunMetadata metadata = describe_run(RunSummary{}, *catalogue, "model", target->url(), command_line,
                                        std::to_string(check.seed), false);
    metadata.preflight = preflight;
    RequestedReports requested;
    requested.json = report_json;
    requested.html = report_html;
    return finish_untestable_run(requested, *catalogue, std::move(metadata), "tigress-conform model");
  }

  std::cerr << "tigress-conform model: " << check.runs << " sequences of up to " << check.max_steps + 1
            << " commands against " << target->url() << ", " << jobs << " at a time (seed " << check.seed << ")\n";
  // One target per job: HttpsTarget keeps no state between requests, but each worker owns one.
  std::vector<std::unique_ptr<model::HttpsTarget>> targets;
  std::vector<model::ModelTarget*> workers;
  for (int j = 0; j < jobs; ++j) {
    targets.push_back(std::make_unique<model::HttpsTarget>(*target, tls, limits, skew, grace, connection));
    workers.push_back(targets.back().get());
  }
  model::HttpsTarget& https = *targets.front();
  const std::string started_at = utc_now();
  const auto start = std::chrono::steady_clock::now();
  const model::SequenceResult result = model::check_sequences(workers, check);
  const double elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  CaseResult record;
  record.id = "model/sequences";
  record.title = "Stateful model: random request sequences judged by a model of the draft";
  record.section = "4.1";
  record.category = Category::kAntiReplay;
  record.level = Level::kMust;
  record.requirements = model::RelayModel::enforced_requirements();
  record.elapsed_ms = elapsed_ms;
  const std::string again = reproduction(target->url(), tls, check, no_wait);
  std::string script_text;
  if (result.failure) {
    const model::SequenceFailure& failure = *result.failure;
    model::ScriptHeader header{target->url(), https.tls_flags(),
                               "tigress-conform model: shrunk failing sequence (" + std::to_string(failure.steps) +
                                   " steps) against " + target->url(),
                               {"seed " + std::to_string(check.seed) + "; rerun the search: " + again,
                                "replay exactly this case: " + again + " --reproduce '" + failure.reproduce + "'",
                                "violation: " + failure.description.substr(0, failure.description.find('\n'))}};
    script_text = model::render_script(failure.script, header);
    // No HTTP answer at all is the relay runner's ERROR (the exchange could not complete).
    record.verdict = failure.no_answer ? Verdict::kError : Verdict::kFail;
    record.detail = failure.description + "\n\nseed " + std::to_string(check.seed) + " (" +
                    std::to_string(failure.passed_before) + " sequences passed first)\nreproduce: " + again +
                    " --reproduce '" + failure.reproduce + "'\n\n" + script_text;
    for (const auto& exchange : failure.exchanges) record.wire.push_back({exchange.request, exchange.response, 0});
    if (failure.shrinking_cut) {
      record.detail += "\nshrinking stopped at --shrink-time " + std::to_string(check.shrink_budget_seconds) +
                       " s: the sequence may not be minimal";
    }
    std::cout << verdict_name(record.verdict) << " model/sequences after " << failure.passed_before
              << " passing sequences\n\n"
              << failure.description << "\n\nshrunk sequence (" << failure.steps << " steps):\n";
    for (const auto& command : failure.counterexample) {
      // RapidCheck shows the sequence as one value with a command per line.
      std::size_t start = 0;
      while (start < command.size()) {
        const std::size_t end = command.find('\n', start);
        std::cout << "  " << command.substr(start, end - start) << "\n";
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
    std::cout << "\n" << script_text << "\nseed: " << check.seed << "\nreproduce: " << again << " --reproduce '"
              << failure.reproduce << "'\n";
    if (failure.shrinking_cut) {
      std::cout << "(shrinking stopped after " << check.shrink_budget_seconds << " s; the sequence may not be minimal)\n";
    }
    if (!script_out.empty()) {
      std::ofstream file(script_out);
      file << script_text;
      if (!file) std::cerr << "tigress-conform model: cannot write " << script_out << "\n";
    }
  } else if (!result.error.empty()) {
    record.verdict = Verdict::kError;
    record.detail = result.error + "\nseed " + std::to_string(check.seed);
    std::cout << "ERROR model/sequences: " << result.error << "\n";
  } else {
    record.verdict = Verdict::kPass;
    record.detail = std::to_string(result.runs) + " sequences passed; seed " + std::to_string(check.seed);
  }

  RunSummary summary;
  summary.results.push_back(record);
  summary.pass = record.verdict == Verdict::kPass;
  summary.fail = record.verdict == Verdict::kFail;
  summary.error = record.verdict == Verdict::kError;
  summary.started_at = started_at;
  summary.finished_at = utc_now();
  summary.elapsed_ms = elapsed_ms;
  int status = summary.success() ? 0 : 1;
  if (catalogue) {
    RunMetadata metadata = describe_run(summary, *catalogue, "model", target->url(), command_line,
                                        std::to_string(check.seed), false);
    metadata.preflight = preflight;
    RequestedReports requested;
    requested.json = report_json;
    requested.html = report_html;
    if (!write_requested_reports(requested, summary, *catalogue, metadata, "tigress-conform model")) status = 1;
  }
  std::printf("summary: model: %d sequences passed, %s in %.1f s (seed %llu)\n", result.runs,
              result.failure ? "1 FAILED" : result.error.empty() ? "none failed" : "run ERROR", elapsed_ms / 1000.0,
              static_cast<unsigned long long>(check.seed));
  return status;
}

}  // namespace tigress::conformance
