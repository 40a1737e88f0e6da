#include "conformance/model/model_mode.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "conformance/framework/catalogue.hpp"
#include "conformance/model/commands.hpp"
#include "conformance/reports/run_reports.hpp"
#include "harness/connection_flags.hpp"
#include "conformance/cli/shared_flags.hpp"

namespace tigress::conformance {
namespace {

constexpr const char* kProgram = "tigress-conform model";

const cli::CommandHelp kHelp{
    "usage: tigress-conform model --target URL [--target URL...] [options]",
    "Random sequences of requests (create, read as initiator / recipient / stranger, update, delete,\n"
    "relinquish, preview, byte-identical repeats, time passing, and 2-4 first reads of fresh mailboxes\n"
    "sent at the same moment over parallel connections) against the relay, each answer judged by a\n"
    "model of the draft that accepts every defensible reading. A failing sequence is shrunk and\n"
    "printed as a curl script (simultaneous requests as background curls and `wait`), with the seed\n"
    "that reproduces it. Several --target URLs are instances of one deployment: the steps go to them\n"
    "in turn and the simultaneous first reads to different instances (--ca once, or once per --target),\n"
    "and the script sends each request to the instance it went to ($TARGET_1, $TARGET_2, ...).\n",
    std::string(harness::kConnectionEnvironmentUsage) +
        "\nExit status: 0 when every sequence passed; 1 when one failed or the run could not complete;\n"
        "2 for usage errors; 3 when the target could not be tested (the preflight failed; nothing ran).\n"};

struct ModelFlags {
  std::vector<std::string> target_urls, ca_files;
  std::string script_out, catalogue_path = default_catalogue_path();
  RequestedReports requested;
  harness::TlsOptions tls;
  harness::ConnectionOptions connection;
  model::SequenceCheck check;
  std::optional<std::uint64_t> seed;
  int timeout_seconds = 10, grace = kDefaultExpiryGraceSeconds, skew = 1, jobs = 8;
  long long max_ttl = 0;
  bool no_wait = false;
  ModelFlags() {
    check.runs = 20;
    check.max_steps = 20;
    check.shrink_budget_seconds = 120;
    check.strip_waits_when_shrinking = true;
    check.profile = model::SequenceProfile::over_network();
  }
};

cli::FlagTable model_flag_table(ModelFlags& f) {
  cli::FlagTable table;
  table.group("options:");
  add_target_flags(table, f.target_urls, f.ca_files, f.tls);
  table.add(cli::count_flag("--runs", "N", "sequences that must pass (default 20)", {1, 1000000, ""}, f.check.runs));
  add_seed_flag(table, f.seed, "RapidCheck seed (default: from the clock; printed)");
  table.add(cli::count_flag("--max-steps", "N", "longest sequence, in commands (default 20)", {1, 200, ""},
                            f.check.max_steps));
  table.add(cli::switch_flag("--no-wait", "no time-passing steps (otherwise sequences may wait 5 s once, for real)",
                             f.no_wait));
  add_jobs_flag(table, f.jobs,
                "sequences run at the same time, each on mailboxes of its own, so their\n"
                "waits overlap (default 8); a failure is shrunk one run at a time and the\n"
                "seed reproduces it whatever N");
  add_max_ttl_flag(table, f.max_ttl,
                   "also fail lifetimes longer than this (ADVISORY, off by default); 3600, 30m,\n48h, 2d");
  add_expiry_grace_flag(table, f.grace,
                        "how long after expiration a mailbox may still be served (default " +
                            std::to_string(kDefaultExpiryGraceSeconds) +
                            ", as\nin relay mode); the 5 s waits demand deletion only under a short grace\n"
                            "(0..3), e.g. 0 for a relay that deletes at the instant");
  table.add(cli::count_flag("--clock-skew", "SEC", "how far the relay's clock may be from ours (default 1)",
                            {0, 3600, "seconds"}, f.skew));
  add_timeout_flag(table, f.timeout_seconds, "deadline of one exchange with the target (default 10)");
  table.add(cli::count_flag("--shrink-time", "SEC",
                            "stop shrinking a failure after this long (default 120; 0: never);\nwaits are real",
                            {0, 3600, "seconds"}, f.check.shrink_budget_seconds));
  table.add(cli::text_flag("--reproduce", "STRING",
                           "replay the shrunk case of an earlier failure (\"reproduce=...\"; printed then)",
                           f.check.reproduce));
  table.add(
      cli::text_flag("--script-out", "FILE", "also write the failing sequence's curl script to FILE", f.script_out));
  add_catalogue_flag(table, f.catalogue_path);
  add_report_flags(table, f.requested, /*with_expectations=*/false);
  harness::add_connection_flags(table, f.connection);
  return table;
}

std::string utc_now() {
  return model::format_utc(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

std::string reproduction(const std::vector<harness::TargetInstance>& instances,
                         const std::vector<std::string>& ca_files, bool insecure, const model::SequenceCheck& check,
                         bool no_wait) {
  std::string out = "tigress-conform model";
  for (const auto& instance : instances) out += " --target " + instance.target.url();
  for (const auto& ca : ca_files) out += " --ca " + ca;
  if (insecure) out += " --insecure";
  out += " --runs " + std::to_string(check.runs) + " --seed " + std::to_string(check.seed) + " --max-steps " +
         std::to_string(check.max_steps) + (no_wait ? " --no-wait" : "");
  if (check.options.max_ttl) out += " --max-ttl " + std::to_string(*check.options.max_ttl);
  return out;
}

}  // namespace

std::string model_mode_usage() {
  ModelFlags flags;
  return cli::render_help(kHelp, model_flag_table(flags));
}

int run_model_mode(const std::vector<std::string>& args, const std::string& command_line) {
  ModelFlags f;
  const cli::FlagTable table = model_flag_table(f);
  if (auto exit_status = cli::parse_or_exit(table, args, kHelp, kProgram)) return *exit_status;
  const std::string& script_out = f.script_out;
  const std::string& catalogue_path = f.catalogue_path;
  RequestedReports& requested = f.requested;
  const harness::TlsOptions& tls = f.tls;
  const harness::ConnectionOptions& connection = f.connection;
  model::SequenceCheck& check = f.check;
  harness::ClientLimits limits;
  limits.timeout = std::chrono::seconds(f.timeout_seconds);
  if (f.max_ttl > 0) check.options.max_ttl = f.max_ttl;
  const long long grace = f.grace, skew = f.skew;
  const bool no_wait = f.no_wait;
  if (f.target_urls.empty()) return cli::usage_error(kProgram, "needs --target URL");
  if (auto gateway = harness::check_connection_options(connection); !gateway)
    return cli::usage_error(kProgram, gateway.error().message());
  if (auto trust = check_trust_flags(tls, false); !trust) return cli::usage_error(kProgram, trust.error().message());
  const int jobs = f.jobs;
  auto parsed_targets = parse_targets(f.target_urls, f.ca_files, tls);
  if (!parsed_targets) return cli::usage_error(kProgram, parsed_targets.error().message());
  const std::vector<harness::TargetInstance>& instances = *parsed_targets;
  const std::vector<std::string> target_urls = urls_of(instances);
  check.seed = seed_or_clock(f.seed);
  if (no_wait) check.profile.max_time_steps = 0;
  std::optional<Catalogue> catalogue;
  requested.catalogue = catalogue_path;
  if (requested.any()) {
    auto loaded = load_catalogue(catalogue_path);
    if (!loaded) return cli::usage_error(kProgram, "catalogue " + catalogue_path + ": " + loaded.error().message());
    catalogue = std::move(*loaded);
  }

  const PreflightResult preflight = run_preflight(instances, limits, connection);
  std::cerr << "tigress-conform model: " << describe_preflight(preflight);
  if (!preflight.passed) {
    if (!catalogue) return kExitUntestable;
    RunMetadata metadata =
        describe_run(RunSummary{}, *catalogue, "model", target_urls, command_line, std::to_string(check.seed), false);
    metadata.preflight = preflight;
    return finish_untestable_run(requested, *catalogue, std::move(metadata), "tigress-conform model");
  }

  std::cerr << "tigress-conform model: " << check.runs << " sequences of up to " << check.max_steps + 1
            << " commands against " << describe_targets(instances) << ", " << jobs << " at a time (seed " << check.seed
            << ")\n";
  // One target per job: each keeps the round robin of the sequence it runs.
  std::vector<std::unique_ptr<model::HttpsTarget>> targets;
  std::vector<model::ModelTarget*> workers;
  for (int j = 0; j < jobs; ++j) {
    targets.push_back(std::make_unique<model::HttpsTarget>(instances, limits, skew, grace, connection));
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
  const std::string again = reproduction(instances, f.ca_files, tls.insecure, check, no_wait);
  std::string script_text;
  if (result.failure) {
    const model::SequenceFailure& failure = *result.failure;
    model::ScriptHeader header{https.url(),
                               https.tls_flags(),
                               "tigress-conform model: shrunk failing sequence (" + std::to_string(failure.steps) +
                                   " steps) against " + describe_targets(instances),
                               {"seed " + std::to_string(check.seed) + "; rerun the search: " + again,
                                "replay exactly this case: " + again + " --reproduce '" + failure.reproduce + "'",
                                "violation: " + failure.description.substr(0, failure.description.find('\n'))}};
    for (std::size_t i = 1; i < https.instance_count(); ++i) {
      header.more_instances.push_back({https.instance_url(i), https.instance_tls_flags(i)});
    }
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
    std::cout << "\n"
              << script_text << "\nseed: " << check.seed << "\nreproduce: " << again << " --reproduce '"
              << failure.reproduce << "'\n";
    if (failure.shrinking_cut) {
      std::cout << "(shrinking stopped after " << check.shrink_budget_seconds
                << " s; the sequence may not be minimal)\n";
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
    RunMetadata metadata =
        describe_run(summary, *catalogue, "model", target_urls, command_line, std::to_string(check.seed), false);
    metadata.preflight = preflight;
    if (!write_requested_reports(requested, summary, *catalogue, metadata, "tigress-conform model")) status = 1;
  }
  std::printf("summary: model: %d sequences passed, %s in %.1f s (seed %llu)\n", result.runs,
              result.failure         ? "1 FAILED"
              : result.error.empty() ? "none failed"
                                     : "run ERROR",
              elapsed_ms / 1000.0, static_cast<unsigned long long>(check.seed));
  return status;
}

}  // namespace tigress::conformance
