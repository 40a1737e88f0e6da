// tigress-conform: the conformance suite's command line. The relay mode lives here; every other
// mode (model, client, fuzz, replay, interop) is one run_*_mode function in its own folder.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "conformance/framework/case_metadata.hpp"
#include "conformance/framework/catalogue.hpp"
#include "conformance/framework/expiry_grace.hpp"
#include "conformance/framework/relay_health_probe.hpp"
#include "conformance/framework/target_health.hpp"
#include "common/cli_numbers.hpp"
#include "conformance/framework/runner.hpp"
#include "conformance/model/model_mode.hpp"
#include "conformance/replay/replay_mode.hpp"
#include "conformance/interop/interop_mode.hpp"
#include "conformance/client_cases/client_mode.hpp"
#include "conformance/netfuzz/net_fuzz.hpp"
#include "conformance/fuzzclient/client_fuzz_mode.hpp"
#include "conformance/preflight/preflight.hpp"
#include "conformance/reports/expect_mode.hpp"
#include "conformance/reports/run_reports.hpp"
#include "harness/connection_flags.hpp"

namespace {

using namespace tigress;
using namespace tigress::conformance;

constexpr const char* kUsage = R"(usage: tigress-conform MODE [options]

Modes:
  relay     run the relay conformance cases against --target URL
  model     random command sequences judged by the mailbox model (tigress-conform model --help)
  client    run the client conformance cases against a client shim: --shim "CMD ..."
            (harness/SHIM.md; tigress-conform client --help)
  fuzz      network fuzzer: mutated request sequences against --target URL for --duration D;
            finds 5xx, crashes, hangs and invariant breaks, saves minimised reproducers
            (JSON for --replay, curl script) in --out DIR (tigress-conform fuzz --help)
  fuzz-client  client response fuzzer: the instrumented relay answers --shim "CMD ..." with
            mutated answers for --duration D; finds crashes, hangs and unauthenticated output,
            saves minimised JSON reproducers for --replay (tigress-conform fuzz-client --help)
  replay    replay the protocol transcripts of vectors/transcripts/ against --target URL
            (tigress-conform replay --help)
  interop   client x client x relay matrix through client shims: share, receive, reply, read,
            second device refused, delete (tigress-conform interop --help)
  expect    write an expectations file from a JSON report: --from REPORT.json --out FILE
            (tigress-conform expect --help)

relay options:
  --target URL         the relay under test, https://host[:port][/prefix]
  --ca FILE            trust this PEM bundle for the target's certificate
  --insecure           do not verify the target's certificate at all
  --list               list the selected cases and exit
  --id GLOB            select case IDs matching GLOB ('*', '?'); repeatable
  --section S          select draft section S (and its subsections); repeatable
  --category C         message-format | anti-replay | expiry | confidentiality | robustness; repeatable
  --level L            MUST | SHOULD | MAY | ADVISORY; repeatable
  --strict             SHOULD-level violations and warnings FAIL
  --timeout SECONDS    deadline of one exchange with the target (default 10)
  --jobs N             cases run in parallel (default 8)
  --seed N             seed of every random choice (default: from the clock; printed)
  --max-ttl DURATION   lifetimes above this are reported (default 48h); 3600, 30m, 48h, 2d
  --expiry-grace SEC   how long after expiration a mailbox may still be served (default 60)
  --catalogue FILE     requirement catalogue (default: the suite's conformance/requirements.json)
  --restart-cmd CMD    when the relay stops serving (a 5xx or no answer to the health probe run
                       after every case), run CMD through sh -c (must exit 0 within 60 s, then the
                       probe must pass) and run the BLOCKED cases again
  --quiet              no progress lines
  report options       --report-json, --report-junit, --report-html, --report-markdown, --bundle,
                       --expect, --allow-xpass (tigress-conform relay --help)
  gateway options      --header, --client-cert/--client-key, --resolve, --rate,
                       --honour-retry-after, SSLKEYLOGFILE (tigress-conform relay --help)

Exit status: 0 when nothing FAILed, ERRORed or was BLOCKED, no XPASS (unless --allow-xpass) and at
least one case ran; 1 otherwise; 2 for usage errors; 3 when the target could not be tested (the
preflight failed; no case ran). Modes that talk to a relay (relay, model, fuzz, replay, interop
with URL relays) run the preflight first.
)";

int usage_error(const std::string& message) {
  std::cerr << "tigress-conform: " << message << "\n";
  return 2;
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

int run_relay_mode(const std::vector<std::string>& args, const std::string& command_line) {
  RunOptions options;
  CaseFilter filter;
  std::string target_url, catalogue_path = default_catalogue_path(), restart_command;
  RequestedReports requested;
  bool list = false, quiet = false, seed_given = false;

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--list") { list = true; continue; }
    if (flag == "--strict") { options.strict = true; continue; }
    if (flag == "--insecure") { options.tls.insecure = true; continue; }
    if (flag == "--quiet") { quiet = true; continue; }
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage << "\n" << kPreflightUsage << "\nreport options:\n" << kReportUsage << harness::kConnectionUsage;
      return 0;
    }
    auto report_flag = take_report_flag(args, i, requested);
    if (!report_flag) return usage_error(report_flag.error().message());
    if (*report_flag) continue;
    auto connection_flag = harness::take_connection_flag(args, i, options.connection);
    if (!connection_flag) return usage_error(connection_flag.error().message());
    if (*connection_flag) continue;
    if (i + 1 >= args.size()) return usage_error(flag + " needs a value (see --help)");
    const std::string& value = args[++i];
    auto filter_flag = take_filter_flag(flag, value, filter);
    if (!filter_flag) return usage_error(filter_flag.error().message());
    if (*filter_flag) continue;
    if (flag == "--target") target_url = value;
    else if (flag == "--ca") options.tls.ca_file = value;
    else if (flag == "--timeout") {
      auto seconds = cli::parse_count(value);
      if (!seconds || *seconds < 1 || *seconds > 600) return usage_error("--timeout takes 1..600 seconds");
      options.limits.timeout = std::chrono::seconds(*seconds);
    } else if (flag == "--jobs") {
      auto jobs = cli::parse_count(value);
      if (!jobs || *jobs < 1 || *jobs > cli::kMaxJobs) {
        return usage_error("--jobs takes 1.." + std::to_string(cli::kMaxJobs));
      }
      options.jobs = static_cast<int>(*jobs);
    } else if (flag == "--seed") {
      auto seed = cli::parse_count(value);
      if (!seed) return usage_error("--seed takes a non-negative integer");
      options.seed = static_cast<std::uint64_t>(*seed);
      seed_given = true;
    } else if (flag == "--max-ttl") {
      auto seconds = cli::parse_duration(value);
      if (!seconds) return usage_error("--max-ttl takes a duration such as 3600, 30m, 48h, 2d");
      options.max_ttl = *seconds;
    } else if (flag == "--expiry-grace") {
      auto seconds = parse_expiry_grace(value);
      if (!seconds) return usage_error(kExpiryGraceRangeError);
      options.expiry_grace_seconds = *seconds;
    } else if (flag == "--catalogue") catalogue_path = value;
    else if (flag == "--restart-cmd") restart_command = value;
    else return usage_error("unknown option " + flag + " (see --help)");
  }

  auto catalogue = load_catalogue(catalogue_path);
  if (!catalogue) return usage_error("catalogue " + catalogue_path + ": " + catalogue.error().message());
  // A case whose id, section, level or citations disagree with the catalogue is a suite defect.
  auto case_ids = checked_case_ids(CaseSuite::kRelay, *catalogue);
  if (!case_ids) return usage_error(case_ids.error().message());
  auto expectations = load_requested_expectations(requested, "relay", *case_ids);
  if (!expectations) return usage_error(expectations.error().message());
  options.catalogue = &*catalogue;
  auto cases = select_cases(filter, CaseSuite::kRelay);
  if (list) {
    for (const auto* c : cases) {
      std::cout << c->id << "\t" << c->section << "\t" << category_name(c->category) << "\t"
                << level_name(c->level) << "\t" << join(c->requirements, ",") << "\t" << c->title << "\n";
    }
    std::cerr << cases.size() << " cases\n";
    return 0;
  }
  if (target_url.empty()) return usage_error("relay mode needs --target URL");
  auto target = harness::parse_target(target_url);
  if (!target) return usage_error("--target: " + target.error().message());
  options.target = *target;
  if (!options.tls.ca_file.empty() && options.tls.insecure) return usage_error("give --ca or --insecure, not both");
  if (auto gateway = harness::check_connection_options(options.connection); !gateway) {
    return usage_error(gateway.error().message());
  }
  if (!seed_given) {
    options.seed = static_cast<std::uint64_t>(
        std::chrono::system_clock::now().time_since_epoch().count() & 0x7FFFFFFFFFFFLL);
  }
  if (cases.empty()) return usage_error("no case matches the filters");

  const PreflightResult preflight = run_preflight(options.target, options.tls, options.limits, options.connection);
  std::cerr << "tigress-conform: " << describe_preflight(preflight);
  requested.catalogue = catalogue_path;
  if (!preflight.passed) {
    RunMetadata metadata = describe_run(RunSummary{}, *catalogue, "relay", target->url(), command_line,
                                        std::to_string(options.seed), options.strict);
    metadata.preflight = preflight;
    return finish_untestable_run(requested, *catalogue, std::move(metadata), "tigress-conform");
  }

  std::cerr << "tigress-conform: " << cases.size() << " cases against " << target->url()
            << " (seed " << options.seed << (options.strict ? ", strict" : "") << ")\n";
  TargetHealth health;
  health.probe = [&options] { return probe_relay_health(options); };
  if (!restart_command.empty()) {
    health.restart = [&] { return restart_target(restart_command, health.probe); };
  }
  auto summary = run_suite_cases<CaseSuite::kRelay>(cases, options, [&](const CaseResult& r, int done, int total) {
    if (quiet) return;
    std::fprintf(stderr, "[%3d/%3d] %-5s %s (%.0f ms)\n", done, total,
                 std::string(verdict_name(r.verdict)).c_str(), r.id.c_str(), r.elapsed_ms);
    if (r.verdict == Verdict::kFail || r.verdict == Verdict::kError || r.verdict == Verdict::kWarn) {
      std::string first = r.detail.substr(0, r.detail.find('\n'));
      std::fprintf(stderr, "          %s\n", first.substr(0, 300).c_str());
    }
  }, health);

  RunMetadata metadata = describe_run(summary, *catalogue, "relay", target->url(), command_line,
                                      std::to_string(options.seed), options.strict);
  metadata.preflight = preflight;
  return finish_case_run(summary, *expectations, requested, *catalogue, std::move(metadata), "tigress-conform");
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  const std::string command_line = harness::command_line_for_reports(std::vector<std::string>(argv, argv + argc));
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string mode = args[0];
  args.erase(args.begin());
  if (mode == "relay") return run_relay_mode(args, command_line);
  if (mode == "model") return run_model_mode(args, command_line);
  if (mode == "fuzz") return tigress::fuzz::run_network_fuzz(args);
  if (mode == "fuzz-client") return tigress::fuzz::client::run_client_fuzz_mode(args, command_line);
  if (mode == "interop") return tigress::conformance::interop::run_interop_mode(args);
  if (mode == "client") return run_client_mode(args, command_line);
  if (mode == "replay") return run_replay_mode(args);
  if (mode == "expect") return run_expect_mode(args);
  return usage_error("unknown mode '" + mode + "' (see --help)");
}
