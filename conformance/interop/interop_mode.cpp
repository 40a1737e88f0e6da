#include "conformance/interop/interop_mode.hpp"

#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>

#include "conformance/interop/exchange.hpp"
#include "conformance/interop/interop_report.hpp"
#include "conformance/interop/reference_relay.hpp"
#include "conformance/preflight/preflight.hpp"
#include "harness/redaction.hpp"
#include "harness/shim_runner.hpp"
#include "common/cli_numbers.hpp"

namespace tigress::conformance::interop {
namespace {

constexpr const char* kUsage = R"(usage: tigress-conform interop --clients SHIM[,SHIM...] --relays RELAY[,RELAY...]
                              [--ca FILE | --insecure] [--timeout SECONDS]
                              [--report-json F] [--report-html F] [--report-junit F] [--quiet]

For every relay and every ordered (initiator, recipient) pair of clients, one complete exchange
through the shims (harness/SHIM.md): share, receive (content equals), reply, read (content
equals), a second recipient device (must be refused), delete, read after delete (refused).

  --clients LIST     shim command strings, comma-separated; each is split on whitespace (no
                     shell) and the tigress-client command and options are appended
  --relays LIST      comma-separated: https://HOST[:PORT], or `reference` = this build's
                     tigress-relay started on 127.0.0.1 with a self-signed certificate, or
                     `reference:--flag=value[:--flag=value...]` = the same with extra flags
                     (e.g. reference:--defect=bind-every-reader)
  --ca FILE          trust anchors for the https:// relays (passed to the clients as --ca)
  --insecure         clients do not verify https:// relays (passed as --insecure)
  --timeout SECONDS  passed to every client command as --timeout (default 10)

Exit status: 0 when no cell FAILed and at least one PASSed (SKIP = a client answered 89,
unsupported); 1 otherwise; 2 for usage errors; 3 when an https:// relay could not be tested (its
preflight failed; no cell ran).
)";

int usage_error(const std::string& message) {
  std::cerr << "tigress-conform interop: " << message << "\n";
  return 2;
}

std::string now_rfc3339() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// A private scratch directory removed with everything in it when the run ends.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tigress-interop-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Options {
  std::vector<std::string> clients;
  std::vector<RelaySpec> relays;
  std::string ca_file;
  bool insecure = false;
  int timeout_seconds = 10;
  std::string report_json, report_html, report_junit;
  bool quiet = false;
  std::string command_line;
};

// Returns the exit code for a usage error or --help; nullopt to go on.
std::optional<int> parse_options(const std::vector<std::string>& args, Options& options) {
  options.command_line = "tigress-conform interop";
  for (const auto& arg : args) options.command_line += " " + arg;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (flag == "--insecure") { options.insecure = true; continue; }
    if (flag == "--quiet") { options.quiet = true; continue; }
    if (i + 1 >= args.size()) return usage_error(flag + " needs a value (see --help)");
    const std::string& value = args[++i];
    if (flag == "--clients") {
      auto list = split_list(value, "--clients");
      if (!list) return usage_error(list.error().message());
      for (const auto& shim : *list) {
        if (harness::split_shim_command(shim).empty()) return usage_error("--clients: empty shim");
      }
      options.clients = *list;
    } else if (flag == "--relays") {
      auto list = split_list(value, "--relays");
      if (!list) return usage_error(list.error().message());
      options.relays.clear();
      for (const auto& text : *list) {
        auto spec = parse_relay_spec(text);
        if (!spec) return usage_error("--relays: " + spec.error().message());
        options.relays.push_back(*spec);
      }
    } else if (flag == "--ca") {
      options.ca_file = value;
    } else if (flag == "--timeout") {
      auto seconds = cli::parse_count(value);
      if (!seconds || *seconds < 1 || *seconds > 600) return usage_error("--timeout takes 1..600 seconds");
      options.timeout_seconds = static_cast<int>(*seconds);
    } else if (flag == "--report-json") {
      options.report_json = value;
    } else if (flag == "--report-html") {
      options.report_html = value;
    } else if (flag == "--report-junit") {
      options.report_junit = value;
    } else {
      return usage_error("unknown option " + harness::printable(flag, 80) + " (see --help)");
    }
  }
  if (options.clients.empty()) return usage_error("--clients is required (see --help)");
  if (options.relays.empty()) return usage_error("--relays is required (see --help)");
  if (options.insecure && !options.ca_file.empty()) return usage_error("give --ca or --insecure, not both");
  return std::nullopt;
}

}  // namespace

int run_interop_mode(const std::vector<std::string>& args) {
  Options options;
  if (auto code = parse_options(args, options)) return *code;
  for (const RelaySpec& spec : options.relays) {
    if (spec.reference) continue;  // started and checked by the suite itself
    auto target = harness::parse_target(spec.url);
    if (!target) return usage_error("--relays: " + target.error().message());
    const PreflightResult preflight =
        run_preflight(*target, harness::TlsOptions{options.ca_file, options.insecure, 0, 0}, {}, {});
    std::cerr << "tigress-conform interop: relay " << harness::printable(spec.url, 200) << ": "
              << describe_preflight(preflight);
    if (!preflight.passed) return kExitUntestable;
  }
  ScratchDir scratch;
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
          settings.work_dir = scratch.path() + "/cell-" + std::to_string(r) + "-" +
                              std::to_string(i) + "-" + std::to_string(j);
          std::error_code error;
          std::filesystem::create_directory(settings.work_dir, error);
          cell = run_exchange(shims[i], shims[j], settings);
        }
        cell.relay = r;
        cell.initiator = i;
        cell.recipient = j;
        if (!options.quiet) {
          std::fprintf(stderr, "  relay %zu  %zu -> %zu  %s%s%s\n", r, i, j,
                       std::string(cell_verdict_name(cell.verdict)).c_str(),
                       cell.failed_step.empty() ? "" : " at ", cell.failed_step.c_str());
        }
        run.cells.push_back(std::move(cell));
      }
    }
  }
  run.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - started).count();

  int status = run.exit_status();
  if (auto written = write_interop_reports(run, options.report_json, options.report_html,
                                           options.report_junit);
      !written) {
    std::cerr << "tigress-conform interop: cannot write a report: " << written.error().message() << "\n";
    status = 1;
  }
  std::printf("interop: %zu cells: %d PASS, %d FAIL, %d SKIP in %.1f s\n", run.cells.size(),
              run.count(CellVerdict::kPass), run.count(CellVerdict::kFail),
              run.count(CellVerdict::kSkip), static_cast<double>(run.elapsed_ms) / 1000.0);
  return status;
}

}  // namespace tigress::conformance::interop
