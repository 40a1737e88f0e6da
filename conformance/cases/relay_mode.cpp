#include "conformance/cases/relay_mode.hpp"

#include <cstdio>
#include <iostream>

#include "conformance/cli/shared_flags.hpp"
#include "conformance/framework/case_metadata.hpp"
#include "conformance/framework/catalogue.hpp"
#include "conformance/framework/relay_health_probe.hpp"
#include "conformance/framework/target_health.hpp"
#include "conformance/preflight/preflight.hpp"
#include "conformance/reports/run_reports.hpp"
#include "harness/connection_flags.hpp"

namespace tigress::conformance {
namespace {

constexpr const char* kProgram = "tigress-conform";

struct RelayFlags {
  RunOptions options;
  CaseFilter filter;
  std::vector<std::string> target_urls, ca_files;
  std::string catalogue_path = default_catalogue_path(), restart_command;
  RequestedReports requested;
  bool list = false, quiet = false;
  std::optional<std::uint64_t> seed;
  int timeout_seconds = 10;
  long long max_ttl = 48 * 3600;
};

cli::FlagTable relay_flag_table(RelayFlags& f) {
  cli::FlagTable table;
  table.group("relay options:");
  add_target_flags(table, f.target_urls, f.ca_files, f.options.tls);
  add_case_selection_flags(table, f.filter, f.list);
  table.add(cli::switch_flag("--strict", "SHOULD-level violations and warnings FAIL", f.options.strict));
  add_timeout_flag(table, f.timeout_seconds, "deadline of one exchange with the target (default 10)");
  add_jobs_flag(table, f.options.jobs, "cases run in parallel (default 8)");
  add_seed_flag(table, f.seed, "seed of every random choice (default: from the clock; printed)");
  add_max_ttl_flag(table, f.max_ttl, "lifetimes above this are reported (default 48h); 3600, 30m, 48h, 2d");
  add_expiry_grace_flag(table, f.options.expiry_grace_seconds,
                        "how long after expiration a mailbox may still be served (default " +
                            std::to_string(kDefaultExpiryGraceSeconds) + ")");
  add_catalogue_flag(table, f.catalogue_path);
  table.add(cli::text_flag("--restart-cmd", "CMD",
                           "when the relay stops serving (a 5xx or no answer to the health probe run\n"
                           "after every case), run CMD through sh -c (must exit 0 within 60 s, then the\n"
                           "probe must pass) and run the BLOCKED cases again",
                           f.restart_command));
  add_quiet_flag(table, f.quiet);
  add_report_flags(table, f.requested, /*with_expectations=*/true);
  harness::add_connection_flags(table, f.options.connection);
  return table;
}

const cli::CommandHelp kHelp{
    "usage: tigress-conform relay --target URL [--target URL...] [options]",
    "Runs the relay conformance cases against the relay at URL. Several --target URLs are instances\n"
    "of one deployment sharing its state (relays behind a load balancer): every case spreads its\n"
    "requests over them in turn and the concurrent first reads race across instances, so binding,\n"
    "duplicates and expiry are checked across the deployment. --ca is then given once for all of\n"
    "them or once per --target.",
    std::string(kPreflightUsage) + "\n" + harness::kConnectionEnvironmentUsage +
        "\nExit status: 0 when nothing FAILed, ERRORed or was BLOCKED, no XPASS (unless --allow-xpass) and\n"
        "at least one case ran; 1 otherwise; 2 for usage errors; 3 when the target could not be tested\n"
        "(the preflight failed; no case ran).\n"};

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

}  // namespace

std::string relay_mode_usage() {
  RelayFlags flags;
  return cli::render_help(kHelp, relay_flag_table(flags));
}

std::string relay_mode_options() {
  RelayFlags flags;
  return relay_flag_table(flags).help();
}

int run_relay_mode(const std::vector<std::string>& args, const std::string& command_line) {
  RelayFlags f;
  const cli::FlagTable table = relay_flag_table(f);
  if (auto exit_status = cli::parse_or_exit(table, args, kHelp, kProgram)) return *exit_status;
  RunOptions& options = f.options;
  options.limits.timeout = std::chrono::seconds(f.timeout_seconds);
  options.max_ttl = f.max_ttl;

  auto catalogue = load_catalogue(f.catalogue_path);
  if (!catalogue)
    return cli::usage_error(kProgram, "catalogue " + f.catalogue_path + ": " + catalogue.error().message());
  // A case whose id, section, level or citations disagree with the catalogue is a suite defect.
  auto case_ids = checked_case_ids(CaseSuite::kRelay, *catalogue);
  if (!case_ids) return cli::usage_error(kProgram, case_ids.error().message());
  auto expectations = load_requested_expectations(f.requested, "relay", *case_ids);
  if (!expectations) return cli::usage_error(kProgram, expectations.error().message());
  options.catalogue = &*catalogue;
  auto cases = select_cases(f.filter, CaseSuite::kRelay);
  if (f.list) {
    for (const auto* c : cases) {
      std::cout << c->id << "\t" << c->section << "\t" << category_name(c->category) << "\t" << level_name(c->level)
                << "\t" << join(c->requirements, ",") << "\t" << c->title << "\n";
    }
    std::cerr << cases.size() << " cases\n";
    return 0;
  }
  if (f.target_urls.empty()) return cli::usage_error(kProgram, "relay mode needs --target URL");
  auto targets = parse_targets(f.target_urls, f.ca_files, options.tls);
  if (!targets) return cli::usage_error(kProgram, targets.error().message());
  options.target = targets->front().target;
  options.tls = targets->front().tls;
  options.more_instances.assign(targets->begin() + 1, targets->end());
  const std::vector<std::string> target_urls = urls_of(*targets);
  if (auto trust = check_trust_flags(options.tls, false); !trust)
    return cli::usage_error(kProgram, trust.error().message());
  if (auto gateway = harness::check_connection_options(options.connection); !gateway) {
    return cli::usage_error(kProgram, gateway.error().message());
  }
  options.seed = seed_or_clock(f.seed);
  if (cases.empty()) return cli::usage_error(kProgram, "no case matches the filters");

  const PreflightResult preflight = run_preflight(*targets, options.limits, options.connection);
  std::cerr << "tigress-conform: " << describe_preflight(preflight);
  f.requested.catalogue = f.catalogue_path;
  if (!preflight.passed) {
    RunMetadata metadata = describe_run(RunSummary{}, *catalogue, "relay", target_urls, command_line,
                                        std::to_string(options.seed), options.strict);
    metadata.preflight = preflight;
    return finish_untestable_run(f.requested, *catalogue, std::move(metadata), kProgram);
  }

  std::cerr << "tigress-conform: " << cases.size() << " cases against " << describe_targets(*targets) << " (seed "
            << options.seed << (options.strict ? ", strict" : "") << ")\n";
  TargetHealth health;
  health.probe = [&options] { return probe_every_instance(options); };
  if (!f.restart_command.empty()) {
    health.restart = [&] { return restart_target(f.restart_command, health.probe); };
  }
  auto summary = run_suite_cases<CaseSuite::kRelay>(
      cases, options,
      [&](const CaseResult& r, int done, int total) {
        if (f.quiet) return;
        std::fprintf(stderr, "[%3d/%3d] %-5s %s (%.0f ms)\n", done, total, std::string(verdict_name(r.verdict)).c_str(),
                     r.id.c_str(), r.elapsed_ms);
        if (r.verdict == Verdict::kFail || r.verdict == Verdict::kError || r.verdict == Verdict::kWarn) {
          std::string first = r.detail.substr(0, r.detail.find('\n'));
          std::fprintf(stderr, "          %s\n", first.substr(0, 300).c_str());
        }
      },
      health);

  RunMetadata metadata = describe_run(summary, *catalogue, "relay", target_urls, command_line,
                                      std::to_string(options.seed), options.strict);
  metadata.preflight = preflight;
  return finish_case_run(summary, *expectations, f.requested, *catalogue, std::move(metadata), kProgram);
}

}  // namespace tigress::conformance
