#include "conformance/client_cases/client_mode.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>

#include "conformance/client_cases/client_context.hpp"
#include "conformance/framework/case_metadata.hpp"
#include "conformance/framework/catalogue.hpp"
#include "conformance/framework/runner.hpp"
#include "conformance/reports/run_reports.hpp"
#include "conformance/cli/shared_flags.hpp"

namespace tigress::conformance {
namespace {

using client_suite::ClientRunOptions;

constexpr const char* kProgram = "tigress-conform client";

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

struct ClientFlags {
  ClientRunOptions options;
  CaseFilter filter;
  std::string shim, catalogue_path = default_catalogue_path();
  RequestedReports requested;
  bool list = false, quiet = false;
  std::optional<std::uint64_t> seed;
  int timeout_seconds = 20;
};

cli::FlagTable client_flag_table(ClientFlags& f) {
  cli::FlagTable table;
  table.group("Options:");
  table.add(
      cli::text_flag("--shim", "\"CMD ...\"", "the client under test, e.g. \"build/bin/tigress-client\"", f.shim));
  add_case_selection_flags(table, f.filter, f.list);
  table.add(cli::switch_flag("--strict", "violations below MUST FAIL instead of WARN", f.options.strict));
  add_timeout_flag(table, f.timeout_seconds,
                   "the suite kills a shim call still running after this (default 20; at least\n"
                   "the shim's own " +
                       std::to_string(ClientRunOptions{}.client_timeout_seconds) + " s)");
  add_jobs_flag(table, f.options.jobs, "cases run in parallel (default 4)");
  add_seed_flag(table, f.seed, "recorded in the reports (the cases draw secrets from the system's entropy)");
  add_catalogue_flag(table, f.catalogue_path);
  add_quiet_flag(table, f.quiet);
  add_report_flags(table, f.requested, /*with_expectations=*/true);
  return table;
}

const cli::CommandHelp kHelp{
    "usage: tigress-conform client --shim \"CMD [ARGS...]\" [options]",
    "Runs the client conformance cases against any client reachable through a shim (harness/SHIM.md):\n"
    "the suite starts an instrumented relay per case (TLS on 127.0.0.1, its CA passed with --ca) and\n"
    "appends tigress-client commands to the shim words (split on whitespace, no shell).\n",
    "Exit status: 0 when nothing FAILed or ERRORed, no XPASS (unless --allow-xpass) and at least one\n"
    "case ran; 1 otherwise; 2 for usage errors.\n"};

}  // namespace

std::string client_mode_usage() {
  ClientFlags flags;
  return cli::render_help(kHelp, client_flag_table(flags));
}

int run_client_mode(const std::vector<std::string>& args, const std::string& command_line) {
  // The relay writes to clients that may hang up at any moment.
  std::signal(SIGPIPE, SIG_IGN);
  ClientFlags f;
  const cli::FlagTable table = client_flag_table(f);
  if (auto exit_status = cli::parse_or_exit(table, args, kHelp, kProgram)) return *exit_status;
  ClientRunOptions& options = f.options;
  // A kill deadline below the shim's own timeout would kill every slow but correct call.
  if (f.timeout_seconds < options.client_timeout_seconds) {
    return cli::usage_error(kProgram, "--timeout takes at least " + std::to_string(options.client_timeout_seconds) +
                                          " seconds in client mode (the shim's own timeout)");
  }
  options.deadline = std::chrono::seconds(f.timeout_seconds);
  const std::string& shim = f.shim;
  const std::string& catalogue_path = f.catalogue_path;
  RequestedReports& requested = f.requested;
  const bool quiet = f.quiet;

  auto catalogue = load_catalogue(catalogue_path);
  if (!catalogue) return cli::usage_error(kProgram, "catalogue " + catalogue_path + ": " + catalogue.error().message());
  // A case whose id, section, level or citations disagree with the catalogue is a suite defect.
  auto case_ids = checked_case_ids(CaseSuite::kClient, *catalogue);
  if (!case_ids) return cli::usage_error(kProgram, case_ids.error().message());
  auto expectations = load_requested_expectations(requested, "client", *case_ids);
  if (!expectations) return cli::usage_error(kProgram, expectations.error().message());
  const auto cases = select_cases(f.filter, CaseSuite::kClient);
  if (f.list) {
    for (const CaseDefinition* c : cases) {
      const auto& d = *c;
      std::cout << d.id << "\t" << d.section << "\t" << category_name(d.category) << "\t" << level_name(d.level) << "\t"
                << join(d.requirements) << "\t" << d.title << "\n";
    }
    std::cerr << cases.size() << " cases\n";
    return 0;
  }
  options.shim = harness::split_shim_command(shim);
  if (options.shim.empty()) return cli::usage_error(kProgram, "client mode needs --shim \"CMD ...\"");
  if (cases.empty()) return cli::usage_error(kProgram, "no case matches the filters");
  options.seed = seed_or_clock(f.seed);

  std::cerr << "tigress-conform: " << cases.size() << " client cases against shim \"" << shim << "\" (seed "
            << options.seed << (options.strict ? ", strict" : "") << ")\n";
  auto summary = run_suite_cases<CaseSuite::kClient>(cases, options, [&](const CaseResult& r, int done, int total) {
    if (quiet) return;
    std::fprintf(stderr, "[%3d/%3d] %-5s %s (%.0f ms)\n", done, total, std::string(verdict_name(r.verdict)).c_str(),
                 r.id.c_str(), r.elapsed_ms);
    if (r.verdict != Verdict::kPass) {
      std::string first = r.detail.substr(0, r.detail.find('\n'));
      std::fprintf(stderr, "          %s\n", first.substr(0, 300).c_str());
    }
  });

  requested.catalogue = catalogue_path;
  return finish_case_run(summary, *expectations, requested, *catalogue,
                         describe_run(summary, *catalogue, "client", "shim:" + shim, command_line,
                                      std::to_string(options.seed), options.strict),
                         "tigress-conform");
}

}  // namespace tigress::conformance
