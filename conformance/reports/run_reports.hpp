// What every tigress-conform mode does at the end of a run: describe the run and write the
// reports the user asked for, one line per report on stdout, one error line per failure.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "conformance/reports/reports.hpp"

namespace tigress::conformance {

struct RequestedReports {
  std::filesystem::path json, junit, html, bundle;  // empty: not requested
  std::filesystem::path catalogue;                  // the file the catalogue came from (bundle)
};

RunMetadata describe_run(const RunSummary& summary, const Catalogue& catalogue, std::string mode,
                         std::string target, std::string command_line, std::string seed, bool strict);

// False when any requested report could not be written (each failure is printed with `program`).
bool write_requested_reports(const RequestedReports& reports, const RunSummary& summary,
                             const Catalogue& catalogue, const RunMetadata& metadata,
                             std::string_view program);

}  // namespace tigress::conformance
