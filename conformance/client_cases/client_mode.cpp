#include "conformance/client_cases/client_mode.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>

#include "conformance/client_cases/client_context.hpp"
#include "conformance/framework/case_metadata.hpp"
#include "conformance/framework/catalogue.hpp"
#include "conformance/framework/runner.hpp"
#include "conformance/reports/run_reports.hpp"
#include "common/cli_numbers.hpp"

namespace tigress::conformance {
namespace {

using client_suite::ClientRunOptions;

int usage_error(const std::string& message) {
  std::cerr << "tigress-conform client: " << message << "\n";
  return 2;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

}  // namespace

const char* client_mode_usage() {
  static const std::string usage = [] {
    std::string text = R"(usage: tigress-conform client --shim "CMD [ARGS...]" [options]

Runs the client conformance cases against any client reachable through a shim (harness/SHIM.md):
the suite starts an instrumented relay per case (TLS on 127.0.0.1, its CA passed with --ca) and
appends tigress-client commands to the shim words (split on whitespace, no shell).

Options:
  --shim "CMD ..."     the client under test, e.g. "build/bin/tigress-client"
  --list               list the selected cases and exit
  --id GLOB            select case IDs matching GLOB ('*', '?'); repeatable
  --section S          select draft section S (and its subsections); repeatable
  --category C         message-format | anti-replay | expiry | confidentiality | robustness; repeatable
  --level L            MUST | SHOULD | MAY | ADVISORY; repeatable
  --strict             violations below MUST FAIL instead of WARN
  --timeout SECONDS    the suite kills a shim call still running after this (default 20)
  --jobs N             cases run in parallel (default 4)
  --seed N             recorded in the reports (the cases draw secrets from the system's entropy)
  --catalogue FILE     requirement catalogue (default: the suite's conformance/requirements.json)
  --quiet              no progress lines
%REPORTS%
Exit status: 0 when nothing FAILed or ERRORed, no XPASS (unless --allow-xpass) and at least one
case ran; 1 otherwise; 2 for usage errors.
)";
    text.replace(text.find("%REPORTS%\n"), 10, kReportUsage);
    return text;
  }();
  return usage.c_str();
}

int run_client_mode(const std::vector<std::string>& args, const std::string& command_line) {
  // The relay writes to clients that may hang up at any moment.
  std::signal(SIGPIPE, SIG_IGN);
  ClientRunOptions options;
  CaseFilter filter;
  std::string shim, catalogue_path = default_catalogue_path();
  RequestedReports requested;
  bool list = false, quiet = false, seed_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--list") { list = true; continue; }
    if (flag == "--strict") { options.strict = true; continue; }
    if (flag == "--quiet") { quiet = true; continue; }
    if (flag == "--help" || flag == "-h") { std::cout << client_mode_usage(); return 0; }
    auto report_flag = take_report_flag(args, i, requested);
    if (!report_flag) return usage_error(report_flag.error().message());
    if (*report_flag) continue;
    if (i + 1 >= args.size()) return usage_error(flag + " needs a value (see --help)");
    const std::string& value = args[++i];
    auto filter_flag = take_filter_flag(flag, value, filter);
    if (!filter_flag) return usage_error(filter_flag.error().message());
    if (*filter_flag) continue;
    if (flag == "--shim") shim = value;
    else if (flag == "--timeout") {
      auto seconds = cli::parse_count(value);
      if (!seconds || *seconds < 5 || *seconds > 600) return usage_error("--timeout takes 5..600 seconds");
      options.deadline = std::chrono::seconds(*seconds);
    } else if (flag == "--jobs") {
      auto jobs = cli::parse_count(value);
      if (!jobs || *jobs < 1 || *jobs > 64) return usage_error("--jobs takes 1..64");
      options.jobs = static_cast<int>(*jobs);
    } else if (flag == "--seed") {
      auto seed = cli::parse_count(value);
      if (!seed) return usage_error("--seed takes a non-negative integer");
      options.seed = static_cast<std::uint64_t>(*seed);
      seed_given = true;
    } else if (flag == "--catalogue") catalogue_path = value;
    else return usage_error("unknown option " + flag + " (see --help)");
  }

  auto catalogue = load_catalogue(catalogue_path);
  if (!catalogue) return usage_error("catalogue " + catalogue_path + ": " + catalogue.error().message());
  // A case whose id, section, level or citations disagree with the catalogue is a suite defect.
  auto case_ids = checked_case_ids(CaseSuite::kClient, *catalogue);
  if (!case_ids) return usage_error(case_ids.error().message());
  auto expectations = load_requested_expectations(requested, "client", *case_ids);
  if (!expectations) return usage_error(expectations.error().message());
  const auto cases = select_cases(filter, CaseSuite::kClient);
  if (list) {
    for (const CaseDefinition* c : cases) {
      const auto& d = *c;
      std::cout << d.id << "\t" << d.section << "\t" << category_name(d.category) << "\t" << level_name(d.level)
                << "\t" << join(d.requirements) << "\t" << d.title << "\n";
    }
    std::cerr << cases.size() << " cases\n";
    return 0;
  }
  options.shim = harness::split_shim_command(shim);
  if (options.shim.empty()) return usage_error("client mode needs --shim \"CMD ...\"");
  if (cases.empty()) return usage_error("no case matches the filters");
  if (!seed_given) {
    options.seed = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count() &
                                              0x7FFFFFFFFFFFLL);
  }

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
