// What every tigress-conform mode does at the end of a run: describe the run and write the
// reports the user asked for, one line per report on stdout, one error line per failure. The
// case-running modes (relay, client) also share their report flags, the expectations file and the
// closing summary line through this layer.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/cli_flag_kinds.hpp"
#include "conformance/reports/expectations.hpp"
#include "conformance/reports/reports.hpp"

namespace tigress::conformance {

struct RequestedReports {
  std::filesystem::path json, junit, html, markdown, bundle;  // empty: not requested
  std::filesystem::path catalogue;                            // the file the catalogue came from (bundle)
  std::filesystem::path expect;                               // --expect FILE; empty: none
  bool allow_xpass = false;
  bool any() const;  // a report or the bundle was asked for
};

// The report flags every mode takes: --report-json, --report-junit, --report-html,
// --report-markdown, --bundle; with `with_expectations` also --expect and --allow-xpass.
void add_report_flags(cli::FlagTable& table, RequestedReports& reports, bool with_expectations);

// Loads --expect (if given) for `mode` and checks every entry against all of the mode's case ids,
// before any case runs. nullopt when no file was given.
Result<std::optional<ExpectationSet>> load_requested_expectations(const RequestedReports& reports,
                                                                  std::string_view mode,
                                                                  const std::vector<std::string>& case_ids);

RunMetadata describe_run(const RunSummary& summary, const Catalogue& catalogue, std::string mode, std::string target,
                         std::string command_line, std::string seed, bool strict);
// The same for a deployment under test at several addresses (a repeated --target), the first
// one becoming `target`.
RunMetadata describe_run(const RunSummary& summary, const Catalogue& catalogue, std::string mode,
                         const std::vector<std::string>& targets, std::string command_line, std::string seed,
                         bool strict);

// False when any requested report could not be written (each failure is printed with `program`).
bool write_requested_reports(const RequestedReports& reports, const RunSummary& summary, const Catalogue& catalogue,
                             const RunMetadata& metadata, std::string_view program);

// The end of a relay or client case run: applies the expectations, writes the reports, prints
// every XPASS and unmet expectation and the summary line; returns the exit status (0 or 1).
int finish_case_run(RunSummary& summary, const std::optional<ExpectationSet>& expectations,
                    const RequestedReports& reports, const Catalogue& catalogue, RunMetadata metadata,
                    std::string_view program);

// The end of a relay or client run whose preflight failed: no case ran; writes the reports (zero
// cases, the preflight's diagnosis) and the summary line; returns kExitUntestable, or 1 when a
// report could not be written.
int finish_untestable_run(const RequestedReports& reports, const Catalogue& catalogue, RunMetadata metadata,
                          std::string_view program);

}  // namespace tigress::conformance
