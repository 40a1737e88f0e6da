#include "conformance/interop/interop_mode.hpp"

#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>

#include "common/scratch_dir.hpp"
#include "conformance/interop/exchange.hpp"
#include "conformance/interop/interop_report.hpp"
#include "conformance/interop/reference_relay.hpp"
#include "conformance/framework/catalogue.hpp"
#include "conformance/preflight/preflight.hpp"
#include "conformance/reports/report_text.hpp"
#include "conformance/reports/run_reports.hpp"
#include "harness/redaction.hpp"
#include "harness/shim_runner.hpp"
#include "conformance/cli/shared_flags.hpp"

namespace tigress::conformance::interop {
namespace {

constexpr const char* kProgram = "tigress-conform interop";

const cli::CommandHelp kHelp{
    "usage: tigress-conform interop --clients SHIM[,SHIM...] --relays RELAY[,RELAY...] [options]",
    "For every relay and every ordered (initiator, recipient) pair of clients, one complete exchange\n"
    "through the shims (harness/SHIM.md): share, receive (content equals), reply, read (content\n"
    "equals), a second recipient device (must be refused), delete, read after delete (refused).\n",
    "Exit status: 0 when no cell FAILed and at least one PASSed (SKIP = a client answered 89,\n"
    "unsupported); 1 otherwise; 2 for usage errors; 3 when an https:// relay could not be tested (its\n"
    "preflight failed; no cell ran).\n"};

std::string now_rfc3339() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

struct Options {
  std::vector<std::string> clients;
  std::vector<RelaySpec> relays;
  std::string ca_file;
  bool insecure = false;
  int timeout_seconds = 10;
  RequestedReports reports;
  std::string matrix_html, catalogue_path = default_catalogue_path();
  bool quiet = false;
  std::string command_line;
};

cli::FlagTable interop_flag_table(Options& options) {
  cli::FlagTable table;
  table.group("options:");
  table.add({"--clients", "LIST",
             "shim command strings, comma-separated; each is split on whitespace (no\n"
             "shell) and the tigress-client command and options are appended",
             [&options](const std::string& value) -> Status {
               auto list = split_list(value, "--clients");
               if (!list) return list.error();
               for (const auto& shim : *list) {
                 if (harness::split_shim_command(shim).empty()) return make_error("--clients: empty shim");
               }
               options.clients = *list;
               return {};
             }});
  table.add({"--relays", "LIST",
             "comma-separated: https://HOST[:PORT], or `reference` = this build's\n"
             "tigress-relay started on 127.0.0.1 with a self-signed certificate, or\n"
             "`reference:--flag=value[:--flag=value...]` = the same with extra flags\n"
             "(e.g. reference:--defect=bind-every-reader)",
             [&options](const std::string& value) -> Status {
               auto list = split_list(value, "--relays");
               if (!list) return list.error();
               options.relays.clear();
               for (const auto& text : *list) {
                 auto spec = parse_relay_spec(text);
                 if (!spec) return make_error("--relays: " + spec.error().message());
                 options.relays.push_back(*spec);
               }
               return {};
             }});
  table.add(cli::text_flag("--ca", "FILE", "trust anchors for the https:// relays (passed to the clients as --ca)",
                           options.ca_file));
  table.add(
      cli::switch_flag("--insecure", "clients do not verify https:// relays (passed as --insecure)", options.insecure));
  add_timeout_flag(table, options.timeout_seconds, "passed to every client command as --timeout (default 10)");
  add_quiet_flag(table, options.quiet);
  add_catalogue_flag(table, options.catalogue_path);
  table.add(cli::text_flag("--matrix-html", "FILE",
                           "the matrix as one HTML page: rows initiator -> recipient, a column per relay",
                           options.matrix_html));
  add_report_flags(table, options.reports, /*with_expectations=*/false);
  return table;
}

// Returns the exit code for a usage error or --help; nullopt to go on.
std::optional<int> parse_options(const std::vector<std::string>& args, Options& options) {
  if (auto exit_status = cli::parse_or_exit(interop_flag_table(options), args, kHelp, kProgram)) return *exit_status;
  if (options.clients.empty()) return cli::usage_error(kProgram, "--clients is required (see --help)");
  if (options.relays.empty()) return cli::usage_error(kProgram, "--relays is required (see --help)");
  if (auto trust = check_trust_flags({options.ca_file, options.insecure, 0, 0}, false); !trust) {
    return cli::usage_error(kProgram, trust.error().message());
  }
  return std::nullopt;
}

}  // namespace

std::string interop_mode_usage() {
  Options options;
  return cli::render_help(kHelp, interop_flag_table(options));
}

int run_interop_mode(const std::vector<std::string>& args, const std::string& command_line) {
  Options options;
  options.command_line = command_line;
  if (auto code = parse_options(args, options)) return *code;
  for (const RelaySpec& spec : options.relays) {
    if (spec.reference) continue;  // started and checked by the suite itself
    auto target = harness::parse_target(spec.url);
    if (!target) return cli::usage_error(kProgram, "--relays: " + target.error().message());
    const PreflightResult preflight =
        run_preflight(*target, harness::TlsOptions{options.ca_file, options.insecure, 0, 0}, {}, {});
    std::cerr << "tigress-conform interop: relay " << harness::printable(spec.url, 200) << ": "
              << describe_preflight(preflight);
    if (!preflight.passed) {
      // Exit 3 still writes the reports asked for, the diagnosis in their preflight member.
      if (!options.reports.any()) return kExitUntestable;
      options.reports.catalogue = options.catalogue_path;
      auto catalogue = load_catalogue(options.catalogue_path);
      if (!catalogue) return kExitUntestable;
      RunMetadata metadata =
          describe_run(RunSummary{}, *catalogue, "interop", spec.url, options.command_line, "", false);
      metadata.preflight = preflight;
      return finish_untestable_run(options.reports, *catalogue, std::move(metadata), kProgram);
    }
  }
  ScratchDir scratch("tigress-interop");
  if (scratch.path().empty()) {
    std::cerr << "tigress-conform interop: cannot create a scratch directory\n";
    return 1;
  }

  InteropRun run;
  run.clients = options.clients;
  run.command_line = options.command_line;
  run.started_at = now_rfc3339();
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::vector<std::string>> shims;
  for (const auto& client : options.clients) shims.push_back(harness::split_shim_command(client));

  const std::string relay_binary = sibling_binary("tigress-relay");
  for (std::size_t r = 0; r < options.relays.size(); ++r) {
    const RelaySpec& spec = options.relays[r];
    RelayColumn column{spec.text, spec.url, {}};
    ExchangeSettings settings;
    settings.client_timeout_seconds = options.timeout_seconds;
    // Room for the client's own retry (two timeouts) and its start-up on a loaded machine.
    settings.step_deadline = std::chrono::seconds(3 * options.timeout_seconds + 10);
    std::optional<ReferenceRelay> reference;
    if (spec.reference) {
      auto started_relay = ReferenceRelay::start(relay_binary, spec.extra_args,
                                                 scratch.path() + "/relay" + std::to_string(r) + "-ca.pem");
      if (started_relay) {
        reference.emplace(std::move(*started_relay));
        column.url = reference->url();
        settings.ca_file = reference->ca_file();
      } else {
        column.error = started_relay.error().message();
      }
    } else {
      settings.ca_file = options.ca_file;
      settings.insecure = options.insecure;
    }
    settings.relay_url = column.url;
    run.relays.push_back(column);
    if (!options.quiet) {
      std::cerr << "tigress-conform interop: relay " << r << " " << harness::printable(spec.text, 200)
                << (column.error.empty() ? " at " + column.url : " NOT STARTED: " + column.error) << "\n";
    }

    for (std::size_t i = 0; i < shims.size(); ++i) {
      for (std::size_t j = 0; j < shims.size(); ++j) {
        Cell cell;
        if (!column.error.empty()) {
          StepResult step{"relay-start", CellVerdict::kFail, -1, false, false, 0, column.error, {}};
          cell.failed_step = step.name;
          cell.steps.push_back(step);
        } else {
          settings.work_dir =
              scratch.path() + "/cell-" + std::to_string(r) + "-" + std::to_string(i) + "-" + std::to_string(j);
          std::error_code error;
          std::filesystem::create_directory(settings.work_dir, error);
          cell = run_exchange(shims[i], shims[j], settings);
        }
        cell.relay = r;
        cell.initiator = i;
        cell.recipient = j;
        if (!options.quiet) {
          std::fprintf(stderr, "  relay %zu  %zu -> %zu  %s%s%s\n", r, i, j,
                       std::string(cell_verdict_name(cell.verdict)).c_str(), cell.failed_step.empty() ? "" : " at ",
                       cell.failed_step.c_str());
        }
        run.cells.push_back(std::move(cell));
      }
    }
  }
  run.elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();

  int status = run.exit_status();
  if (!options.matrix_html.empty()) {
    if (auto written = report_detail::write_file(options.matrix_html, interop_html(run)); !written) {
      std::cerr << "tigress-conform interop: cannot write " << options.matrix_html << ": " << written.error().message()
                << "\n";
      status = 1;
    }
  }
  if (options.reports.any()) {
    options.reports.catalogue = options.catalogue_path;
    auto catalogue = load_catalogue(options.catalogue_path);
    if (!catalogue) {
      std::cerr << "tigress-conform interop: catalogue " << options.catalogue_path << ": "
                << catalogue.error().message() << "\n";
      return 1;
    }
    std::string relays;
    for (const auto& relay : run.relays) relays += (relays.empty() ? "" : ",") + relay.spec;
    RunSummary summary = interop_cases(run);
    RunMetadata metadata = describe_run(summary, *catalogue, "interop", relays, run.command_line, "", false);
    metadata.mode_members = interop_members(run);
    if (!write_requested_reports(options.reports, summary, *catalogue, metadata, kProgram)) status = 1;
  }
  std::printf("interop: %zu cells: %d PASS, %d FAIL, %d SKIP in %.1f s\n", run.cells.size(),
              run.count(CellVerdict::kPass), run.count(CellVerdict::kFail), run.count(CellVerdict::kSkip),
              static_cast<double>(run.elapsed_ms) / 1000.0);
  return status;
}

}  // namespace tigress::conformance::interop
