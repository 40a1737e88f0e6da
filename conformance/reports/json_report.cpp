// The machine-readable report, schema "tigress-report/1" (SCHEMA.md, report.schema.json).
// nlohmann::ordered_json keeps members in the documented order so the file reads like the
// schema; dump() uses the replace handler because target bytes need not be valid UTF-8.
#include <exception>
#include <string>

#include <nlohmann/json.hpp>

#include "conformance/reports/coverage.hpp"
#include "conformance/reports/finding_groups.hpp"
#include "conformance/reports/report_text.hpp"
#include "conformance/reports/reports.hpp"

namespace tigress::conformance {
namespace {

using report_detail::json_text;
using Json = nlohmann::ordered_json;

// Per-field caps. Machine readers get much more than the HTML page shows, but not without bound.
constexpr std::size_t kShortField = 4 * 1024;   // ids, titles, sections (ours, still capped)
constexpr std::size_t kLongField = 256 * 1024;  // detail, request, response
// Target text per report; JSON escaping can still multiply it (a NUL becomes "\u0000").
constexpr std::size_t kTotalUntrusted = 16 * 1024 * 1024;
constexpr std::size_t kMaxExchanges = 1000;  // per case

std::string or_else(const std::string& preferred, const std::string& fallback) {
  return preferred.empty() ? fallback : preferred;
}

std::string budgeted(report_detail::TextBudget& budget, std::string_view bytes, std::size_t field_limit) {
  std::string text = json_text(bytes, budget.cap(field_limit));
  budget.spend(text.size());
  return text;
}

Json finding_json(const Finding& finding, report_detail::TextBudget& budget) {
  return Json{{"kind", finding.kind == Verdict::kWarn ? "warning" : "violation"},
              {"requirement", json_text(finding.requirement, kShortField)},
              {"step", budgeted(budget, finding.step, kShortField)},
              {"exchange", json_text(finding.exchange, kShortField)},
              {"status", finding.status == 0 ? Json(nullptr) : Json(finding.status)},
              {"answer", budgeted(budget, finding.answer, kShortField)}};
}

// The run's findings by root cause (finding_groups.hpp), the member a reader looks at first.
Json finding_groups_json(const RunSummary& summary, report_detail::TextBudget& budget) {
  Json groups = Json::array();
  for (const FindingGroup& group : group_findings(summary)) {
    Json cases = Json::array();
    for (const FindingGroup::Member& member : group.cases) {
      cases.push_back(Json{{"id", json_text(summary.results[member.result].id, kShortField)},
                           {"verdict", verdict_name(summary.results[member.result].verdict)},
                           {"step", budgeted(budget, member.finding.step, kShortField)},
                           {"answer", budgeted(budget, member.finding.answer, kShortField)}});
    }
    groups.push_back(Json{{"requirement", json_text(group.requirement, kShortField)},
                          {"step", budgeted(budget, group.step, kShortField)},
                          {"verdict", verdict_name(group.verdict)},
                          {"headline", budgeted(budget, group_headline(group), kShortField)},
                          {"cases", std::move(cases)}});
  }
  return groups;
}

Json case_json(const CaseResult& result, report_detail::TextBudget& budget) {
  Json requirements = Json::array();
  for (const std::string& id : result.requirements) {
    requirements.push_back(json_text(id, kShortField));
  }

  Json wire = Json::array();
  const std::size_t shown = std::min(result.wire.size(), kMaxExchanges);
  for (std::size_t i = 0; i < shown; ++i) {
    const WireExchange& exchange = result.wire[i];
    wire.push_back(Json{{"request", budgeted(budget, exchange.request, kLongField)},
                        {"response", budgeted(budget, exchange.response, kLongField)},
                        {"elapsed_ms", report_detail::finite_ms(exchange.elapsed_ms)}});
  }

  Json expectation = nullptr;
  if (result.expectation.outcome != ExpectationOutcome::kNotListed) {
    const ExpectedVerdict& expected = result.expectation;
    expectation = Json{{"outcome", expectation_outcome_name(expected.outcome)},
                       {"expected", verdict_name(expected.verdict)},
                       {"entry", json_text(expected.entry, kShortField)},
                       {"reason", json_text(expected.reason, kShortField)},
                       {"link", json_text(expected.link, kShortField)}};
  }

  Json findings = Json::array();
  for (const Finding& finding : result.findings) findings.push_back(finding_json(finding, budget));

  return Json{{"id", json_text(result.id, kShortField)},
              {"title", json_text(result.title, kShortField)},
              {"section", json_text(result.section, kShortField)},
              {"requirements", std::move(requirements)},
              {"level", level_name(result.level)},
              {"category", category_name(result.category)},
              {"verdict", verdict_name(result.verdict)},
              {"outcome", outcome_name(result)},
              {"expectation", std::move(expectation)},
              {"detail", budgeted(budget, result.detail, kLongField)},
              {"findings", std::move(findings)},
              {"elapsed_ms", report_detail::finite_ms(result.elapsed_ms)},
              {"wire", std::move(wire)},
              {"wire_omitted", result.wire.size() - shown}};
}

Json expectations_json(const RunMetadata& metadata) {
  if (!metadata.expectations) return nullptr;
  const ExpectationsRecord& record = *metadata.expectations;
  return Json{{"file", json_text(record.file, kShortField)},
              {"sha256", record.sha256},
              {"entries", record.entries},
              {"allow_xpass", record.allow_xpass}};
}

Json targets_json(const RunMetadata& metadata) {
  Json targets = Json::array();
  for (const std::string& target : metadata.all_targets()) targets.push_back(json_text(target, kShortField));
  return targets;
}

// The preflight (null when the mode ran none): whether the target could be tested at all, and
// when not, the one diagnosis in place of any case.
Json preflight_json(const RunMetadata& metadata) {
  if (!metadata.preflight) return nullptr;
  const PreflightResult& preflight = *metadata.preflight;
  Json hints = Json::array();
  for (const std::string& hint : preflight.hints) hints.push_back(json_text(hint, kLongField));
  return Json{{"passed", preflight.passed},
              {"target", json_text(preflight.target, kLongField)},
              {"step", preflight.passed ? Json(nullptr) : Json(preflight.step)},
              {"status", preflight.status == 0 ? Json(nullptr) : Json(preflight.status)},
              {"diagnosis", json_text(preflight.diagnosis, kLongField)},
              {"sent", json_text(preflight.sent, kLongField)},
              {"body", json_text(preflight.body, kLongField)},
              {"hints", std::move(hints)},
              {"elapsed_ms", report_detail::finite_ms(preflight.elapsed_ms)}};
}

Json coverage_json(const RunSummary& summary, const Catalogue& catalogue, const RunMetadata& metadata) {
  const Coverage coverage = compute_coverage(summary, catalogue, metadata.mode);
  Json requirements = Json::array();
  for (const RequirementCoverage& entry : coverage.requirements) {
    const Requirement& requirement = catalogue.requirements[entry.requirement];
    Json cases = Json::array();
    for (std::size_t c : entry.cases) {
      const CaseResult& result = summary.results[c];
      cases.push_back(Json{{"id", json_text(result.id, kShortField)}, {"verdict", verdict_name(result.verdict)}});
    }
    requirements.push_back(Json{{"id", requirement.id},
                                {"section", requirement.section},
                                {"level", level_name(requirement.level)},
                                {"binds", requirement.binds},
                                {"testable", requirement.testable},
                                {"in_scope", entry.in_scope},
                                {"cases", std::move(cases)},
                                {"status", coverage_status_name(entry.status)}});
  }
  Json unknown = Json::array();
  for (const std::string& id : coverage.unknown) unknown.push_back(json_text(id, kShortField));
  return Json{{"scope", coverage.scope},
              {"requirements", std::move(requirements)},
              {"testable_total", coverage.testable_in_scope},
              {"covered_total", coverage.covered_in_scope},
              {"testable_relay_total", coverage.testable_relay},
              {"covered_relay_total", coverage.covered_relay},
              {"uncovered", coverage.uncovered},
              {"unknown", std::move(unknown)}};
}

}  // namespace

Result<std::string> render_json_report(const RunSummary& summary, const Catalogue& catalogue,
                                       const RunMetadata& metadata) {
  try {
    const report_detail::Counts counts = report_detail::count_verdicts(summary);
    report_detail::TextBudget budget(kTotalUntrusted);
    Json findings = finding_groups_json(summary, budget);
    Json cases = Json::array();
    for (const CaseResult& result : summary.results) cases.push_back(case_json(result, budget));

    Json document{{"schema", kReportSchema},
                  {"suite", Json{{"version", or_else(metadata.suite_version, suite_version())},
                                 {"commit", or_else(metadata.suite_commit, suite_commit())}}},
                  {"run", Json{{"mode", metadata.mode},
                               {"target", json_text(metadata.target, kShortField)},
                               {"targets", targets_json(metadata)},
                               {"command_line", json_text(metadata.command_line, kLongField)},
                               {"seed", metadata.seed},
                               {"strict", metadata.strict},
                               {"expectations", expectations_json(metadata)},
                               {"started_at", report_detail::started_at(summary, metadata)},
                               {"finished_at", report_detail::finished_at(summary, metadata)},
                               {"elapsed_ms", report_detail::finite_ms(summary.elapsed_ms)}}},
                  // The catalogue object is what coverage was computed from, so it wins over metadata.
                  {"catalogue", Json{{"version", or_else(catalogue.version, metadata.catalogue_version)},
                                     {"digest", or_else(catalogue.digest, metadata.catalogue_digest)}}},
                  {"preflight", preflight_json(metadata)},
                  {"summary", Json{{"pass", counts.pass},
                                   {"fail", counts.fail},
                                   {"warn", counts.warn},
                                   {"skip", counts.skip},
                                   {"error", counts.error},
                                   {"blocked", counts.blocked},
                                   {"xfail", counts.xfail},
                                   {"xpass", counts.xpass},
                                   {"total", counts.total()},
                                   {"success", counts.passed(summary.allow_xpass)}}},
                  {"findings", std::move(findings)},
                  {"cases", std::move(cases)},
                  {"coverage", coverage_json(summary, catalogue, metadata)}};
    // A mode's own members extend the document; they never replace one of the members above,
    // except `findings`: a mode that groups its findings itself (fuzz: one per distinct finding,
    // with its reproducer) keeps its own, the one its readers have always read (SCHEMA.md).
    if (metadata.mode_members.is_object()) {
      for (const auto& [name, value] : metadata.mode_members.items()) {
        if (!document.contains(name) || name == "findings") document[name] = value;
      }
    }
    std::string text = document.dump(2, ' ', false, Json::error_handler_t::replace);
    text += '\n';
    return text;
  } catch (const std::exception& e) {
    return make_error(std::string("cannot render the JSON report: ") + e.what());
  } catch (...) {
    return make_error("cannot render the JSON report");
  }
}

Status write_json_report(const std::filesystem::path& path, const RunSummary& summary, const Catalogue& catalogue,
                         const RunMetadata& metadata) {
  Result<std::string> text = render_json_report(summary, catalogue, metadata);
  if (!text) return text.error();
  return report_detail::write_file(path, *text);
}

}  // namespace tigress::conformance
