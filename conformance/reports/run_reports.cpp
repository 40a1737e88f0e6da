#include "conformance/reports/run_reports.hpp"

#include <iostream>

namespace tigress::conformance {

RunMetadata describe_run(const RunSummary& summary, const Catalogue& catalogue, std::string mode,
                         std::string target, std::string command_line, std::string seed, bool strict) {
  RunMetadata metadata;
  metadata.suite_version = suite_version();
  metadata.suite_commit = suite_commit();
  metadata.catalogue_version = catalogue.version;
  metadata.catalogue_digest = catalogue.digest;
  metadata.command_line = std::move(command_line);
  metadata.target = std::move(target);
  metadata.mode = std::move(mode);
  metadata.seed = std::move(seed);
  metadata.started_at = summary.started_at;
  metadata.finished_at = summary.finished_at;
  metadata.strict = strict;
  return metadata;
}

bool write_requested_reports(const RequestedReports& reports, const RunSummary& summary,
                             const Catalogue& catalogue, const RunMetadata& metadata,
                             std::string_view program) {
  bool all_written = true;
  auto write = [&](const char* kind, const std::filesystem::path& path, auto&& writer) {
    if (path.empty()) return;
    const Status written = writer();
    if (!written) {
      std::cerr << program << ": " << kind << " report " << path.string() << ": "
                << written.error().message() << "\n";
      all_written = false;
    } else {
      std::cout << kind << " report: " << path.string() << "\n";
    }
  };
  write("JSON", reports.json, [&] { return write_json_report(reports.json, summary, catalogue, metadata); });
  write("JUnit", reports.junit, [&] { return write_junit_report(reports.junit, summary, metadata); });
  write("HTML", reports.html, [&] { return write_html_report(reports.html, summary, catalogue, metadata); });
  write("bundle", reports.bundle,
        [&] { return write_bundle(reports.bundle, summary, catalogue, metadata, reports.catalogue); });
  return all_written;
}

}  // namespace tigress::conformance
