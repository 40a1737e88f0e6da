#include "conformance/reports/expect_mode.hpp"

#include <filesystem>
#include <iostream>

#include "common/cli_flag_kinds.hpp"
#include "conformance/reports/expectations.hpp"
#include "conformance/reports/report_text.hpp"

namespace tigress::conformance {
namespace {

// Reports with every wire log of a long run can be large; a baseline needs only ids and verdicts.
constexpr std::size_t kMaxReportBytes = 512 * 1024 * 1024;

int expect_usage_error(const std::string& message) {
  std::cerr << "tigress-conform expect: " << message << "\n";
  return 2;
}

}  // namespace

namespace {

const cli::CommandHelp kExpectHelp{
    "usage: tigress-conform expect --from REPORT.json --out FILE [--force]",
    "Writes an expectations file (schema tigress-expectations/1) listing every FAIL, WARN and SKIP case\n"
    "of a relay or client run's JSON report (--report-json) with its verdict and a reason quoting the\n"
    "case's first detail line. Pass it back with --expect FILE: those cases are then XFAIL and do not\n"
    "fail the run, and each one that starts passing is XPASS and does, so the file shrinks as the\n"
    "implementation improves. ERROR cases are never listed: an error means the suite could not test.\n",
    "Exit status: 0 when the file was written; 1 when it could not be; 2 for usage errors.\n"};

cli::FlagTable expect_flag_table(std::string& from, std::string& out, bool& force) {
  cli::FlagTable table;
  table.group("Options:");
  table.add(cli::text_flag("--from", "REPORT.json", "the report of the run to take as the baseline", from, true));
  table.add(cli::text_flag("--out", "FILE",
                           "where to write the expectations ('-' for standard output); an existing\n"
                           "file is kept unless --force",
                           out, true));
  table.add(cli::switch_flag("--force", "replace an existing FILE", force));
  return table;
}

}  // namespace

std::string expect_mode_usage() {
  std::string from, out;
  bool force = false;
  return cli::render_help(kExpectHelp, expect_flag_table(from, out, force));
}

int run_expect_mode(const std::vector<std::string>& args, const std::string& /*command_line*/) {
  std::string from, out;
  bool force = false;
  const cli::FlagTable table = expect_flag_table(from, out, force);
  auto help = table.parse(args);
  if (!help) return expect_usage_error(help.error().message());
  if (*help) {
    std::cout << cli::render_help(kExpectHelp, table);
    return 0;
  }
  if (from.empty()) return expect_usage_error("needs --from REPORT.json");
  if (out.empty()) return expect_usage_error("needs --out FILE ('-' for standard output)");
  std::error_code ec;
  if (out != "-" && !force && std::filesystem::exists(out, ec)) {
    return expect_usage_error(out + " exists; give --force to replace it");
  }

  Result<std::string> report = report_detail::read_file(from, kMaxReportBytes);
  if (!report) return expect_usage_error(report.error().message());
  int entries = 0, errors_left_out = 0;
  const std::string report_name = std::filesystem::path(from).filename().string();
  Result<std::string> baseline = baseline_from_report(*report, report_name, entries, errors_left_out);
  if (!baseline) return expect_usage_error(from + ": " + baseline.error().message());

  if (out == "-") {
    std::cout << *baseline;
  } else if (Status written = report_detail::write_file_atomic(out, *baseline); !written) {
    std::cerr << "tigress-conform expect: " << written.error().message() << "\n";
    return 1;
  }
  std::cerr << "tigress-conform expect: " << entries << (entries == 1 ? " entry" : " entries")
            << (out == "-" ? "" : " written to " + out);
  if (errors_left_out > 0) {
    std::cerr << "; " << errors_left_out << " ERROR case" << (errors_left_out == 1 ? "" : "s")
              << " left out (fix the setup, or list them by hand as SKIP if they cannot run)";
  }
  std::cerr << "\n";
  return 0;
}

}  // namespace tigress::conformance
