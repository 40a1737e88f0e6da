#include "conformance/reports/run_reports.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "conformance/reports/finding_groups.hpp"
#include "harness/redaction.hpp"
#include "reference/codec/timestamp.hpp"

namespace tigress::conformance {

void add_report_flags(cli::FlagTable& table, RequestedReports& reports, bool with_expectations) {
  table.group("report options:");
  const auto path_flag = [](std::string name, std::string value_name, std::string help, std::filesystem::path& target) {
    return cli::Flag{std::move(name), std::move(value_name), std::move(help),
                     [&target](const std::string& value) -> Status {
                       if (value.empty()) return make_error("needs a value (see --help)");
                       target = value;
                       return {};
                     }};
  };
  table.add(path_flag("--report-json", "FILE", "machine-readable report (schema tigress-report/1)", reports.json));
  table.add(path_flag("--report-junit", "FILE", "JUnit XML for CI (XFAIL cases are skipped tests with the reason)",
                      reports.junit));
  table.add(path_flag("--report-html", "FILE", "self-contained HTML report with per-case wire logs", reports.html));
  table.add(path_flag("--report-markdown", "FILE",
                      "compact table of findings for a pull request or $GITHUB_STEP_SUMMARY", reports.markdown));
  table.add(path_flag("--bundle", "DIR",
                      "certification bundle: all reports, catalogue, expectations, run record,\n"
                      "SHA-256 manifest",
                      reports.bundle));
  if (with_expectations) {
    table.add(path_flag("--expect", "FILE",
                        "expectations file (schema tigress-expectations/1): a listed case with the\n"
                        "expected verdict is XFAIL and does not fail the run; one that passes is\n"
                        "XPASS and does; `tigress-conform expect` writes a baseline from a report",
                        reports.expect));
    table.add(cli::switch_flag("--allow-xpass", "an XPASS does not fail the run", reports.allow_xpass));
  }
  table.group("");
}

bool RequestedReports::any() const {
  return !json.empty() || !junit.empty() || !html.empty() || !markdown.empty() || !bundle.empty();
}

Result<std::optional<ExpectationSet>> load_requested_expectations(const RequestedReports& reports,
                                                                  std::string_view mode,
                                                                  const std::vector<std::string>& case_ids) {
  if (reports.expect.empty()) {
    if (reports.allow_xpass) return make_error("--allow-xpass needs --expect FILE");
    return std::optional<ExpectationSet>();
  }
  Result<ExpectationSet> set = load_expectations(reports.expect, mode);
  if (!set) return make_error("--expect " + set.error().message());
  if (Status matched = check_entries_match(*set, case_ids); !matched) {
    return make_error("--expect " + reports.expect.string() + ": " + matched.error().message());
  }
  return std::optional<ExpectationSet>(std::move(*set));
}

std::vector<std::string> RunMetadata::all_targets() const {
  if (!targets.empty()) return targets;
  if (target.empty()) return {};
  return {target};
}

RunMetadata describe_run(const RunSummary& summary, const Catalogue& catalogue, std::string mode, std::string target,
                         std::string command_line, std::string seed, bool strict) {
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

RunMetadata describe_run(const RunSummary& summary, const Catalogue& catalogue, std::string mode,
                         const std::vector<std::string>& targets, std::string command_line, std::string seed,
                         bool strict) {
  RunMetadata metadata = describe_run(summary, catalogue, std::move(mode), targets.empty() ? "" : targets.front(),
                                      std::move(command_line), std::move(seed), strict);
  metadata.targets = targets;
  return metadata;
}

bool write_requested_reports(const RequestedReports& reports, const RunSummary& summary, const Catalogue& catalogue,
                             const RunMetadata& metadata, std::string_view program) {
  bool all_written = true;
  auto write = [&](const char* kind, const std::filesystem::path& path, auto&& writer) {
    if (path.empty()) return;
    const Status written = writer();
    if (!written) {
      std::cerr << program << ": " << kind << " report " << path.string() << ": " << written.error().message() << "\n";
      all_written = false;
    } else {
      std::cout << kind << " report: " << path.string() << "\n";
    }
  };
  write("JSON", reports.json, [&] { return write_json_report(reports.json, summary, catalogue, metadata); });
  write("JUnit", reports.junit, [&] { return write_junit_report(reports.junit, summary, metadata); });
  write("HTML", reports.html, [&] { return write_html_report(reports.html, summary, catalogue, metadata); });
  write("Markdown", reports.markdown,
        [&] { return write_markdown_report(reports.markdown, summary, catalogue, metadata); });
  write("bundle", reports.bundle,
        [&] { return write_bundle(reports.bundle, summary, catalogue, metadata, reports.catalogue, reports.expect); });
  return all_written;
}

namespace {

// The console's findings, by root cause, before the summary line: one headline per defect and its
// cases under it (finding_groups.hpp). Target text is made printable and bounded.
void print_finding_groups(const RunSummary& summary) {
  const std::vector<FindingGroup> groups = group_findings(summary);
  if (groups.empty()) return;
  std::printf("findings by root cause: %zu\n", groups.size());
  for (const FindingGroup& group : groups) {
    std::printf("  %s\n", harness::printable(group_headline(group), 512).c_str());
    for (const FindingGroup::Member& member : group.cases) {
      std::printf("    %s: %s\n", summary.results[member.result].id.c_str(),
                  harness::printable(member.finding.step, 512).c_str());
    }
    const std::string& answer = group.cases.front().finding.answer;
    if (!answer.empty()) std::printf("    answer: %s\n", harness::printable(answer, 512).c_str());
  }
}

}  // namespace

int finish_case_run(RunSummary& summary, const std::optional<ExpectationSet>& expectations,
                    const RequestedReports& reports, const Catalogue& catalogue, RunMetadata metadata,
                    std::string_view program) {
  if (expectations) {
    apply_expectations(summary, *expectations, reports.allow_xpass);
    metadata.expectations =
        ExpectationsRecord{expectations->file, expectations->sha256, expectations->entries.size(), reports.allow_xpass};
    for (const CaseResult& result : summary.results) {
      const ExpectedVerdict& expected = result.expectation;
      if (expected.outcome == ExpectationOutcome::kXpass) {
        std::cerr << program << ": XPASS " << result.id << ": expected " << verdict_name(expected.verdict) << " ("
                  << expected.entry << ") but it passed; remove the entry from " << expectations->file
                  << (reports.allow_xpass ? " (allowed by --allow-xpass)" : "") << "\n";
      } else if (expected.outcome == ExpectationOutcome::kUnmet) {
        std::cerr << program << ": " << result.id << ": expected " << verdict_name(expected.verdict) << " ("
                  << expected.entry << "), got " << verdict_name(result.verdict) << "\n";
      }
    }
  }
  for (const std::string& event : summary.health_events) std::printf("health: %s\n", event.c_str());
  print_finding_groups(summary);
  int status = summary.success() ? 0 : 1;
  if (!write_requested_reports(reports, summary, catalogue, metadata, program)) status = 1;
  std::printf("summary: %d cases: %d PASS, %d FAIL, %d WARN, %d SKIP, %d ERROR, %d BLOCKED", summary.total(),
              summary.pass, summary.fail, summary.warn, summary.skip, summary.error, summary.blocked);
  if (expectations) std::printf(", %d XFAIL, %d XPASS", summary.xfail, summary.xpass);
  std::printf(" in %.1f s (seed %s)\n", summary.elapsed_ms / 1000.0, metadata.seed.c_str());
  return status;
}

int finish_untestable_run(const RequestedReports& reports, const Catalogue& catalogue, RunMetadata metadata,
                          std::string_view program) {
  RunSummary empty;
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  empty.started_at = empty.finished_at = codec::format_timestamp(now);
  empty.elapsed_ms = metadata.preflight ? metadata.preflight->elapsed_ms : 0;
  int status = kExitUntestable;
  if (!write_requested_reports(reports, empty, catalogue, metadata, program)) status = 1;
  std::printf("summary: the target could not be tested (preflight failed at step %s); no case ran\n",
              metadata.preflight ? metadata.preflight->step.c_str() : "?");
  return status;
}

}  // namespace tigress::conformance
