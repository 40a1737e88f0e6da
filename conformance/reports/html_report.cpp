// One self-contained HTML page for people: run facts, counts, the cases by draft section (each
// with its detail and a collapsible wire log), and the requirement coverage. No scripts and no
// external resources: <details> does the folding, the CSS is inline, and the page's CSP forbids
// everything else, so even a bug in our escaping could not load or run anything.
//
// Anchors are numbered ("case-7", "req-12") rather than derived from ids, so no text ever
// reaches an id or href attribute.
#include <algorithm>
#include <exception>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "conformance/reports/coverage.hpp"
#include "conformance/reports/finding_groups.hpp"
#include "conformance/reports/report_text.hpp"
#include "conformance/reports/reports.hpp"

namespace tigress::conformance {
namespace {

using report_detail::escape_markup;
using report_detail::render_untrusted;
using report_detail::safe_text;

constexpr std::size_t kShortField = 512;          // ids, titles, sections
constexpr std::size_t kCatalogueText = 2 * 1024;  // paraphrases, reasons
constexpr std::size_t kDetail = 16 * 1024;
constexpr std::size_t kExchangeField = 8 * 1024;
constexpr std::size_t kMaxExchanges = 50;  // per case; report.json keeps more
// Escaped output the untrusted text may take up in total. Once spent, each field shrinks to a
// short excerpt, so a page stays openable in a browser however much a target sent.
constexpr std::size_t kTotalUntrusted = 8 * 1024 * 1024;

constexpr std::string_view kStyle = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;
  max-width:1200px;padding:1em 2em;color:#1f2328;background:#fff}
h1{font-size:1.6em;margin:.2em 0}
h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #d0d7de;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f6f8fa}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;border:1px solid #d0d7de;
  padding:.5em;margin:.3em 0;max-height:40em;overflow:auto}
.badge{display:inline-block;min-width:4.5em;text-align:center;font-weight:600;border-radius:3px;
  padding:0 .3em;font-size:12px;text-decoration:none}
.v-PASS{background:#dafbe1;color:#116329}
.v-FAIL{background:#ffebe9;color:#a40e26}
.v-WARN{background:#fff8c5;color:#7d4e00}
.v-SKIP{background:#eaeef2;color:#424a53}
.v-ERROR{background:#fbefff;color:#6e40c9}
.v-BLOCKED{background:#fff1e5;color:#953800}
.v-XFAIL{background:#eaeef2;color:#7d4e00}
.v-XPASS{background:#ffebe9;color:#116329}
details.case{border:1px solid #d0d7de;border-left-width:6px;border-radius:4px;margin:.35em 0;
  padding:.2em .6em}
.case.c-PASS{border-left-color:#2da44e}
.case.c-FAIL{border-left-color:#cf222e}
.case.c-WARN{border-left-color:#d4a72c}
.case.c-SKIP{border-left-color:#8c959f}
.case.c-XFAIL{border-left-color:#d4a72c}
.case.c-XPASS{border-left-color:#cf222e}
.case.c-ERROR{border-left-color:#8250df}
.case.c-BLOCKED{border-left-color:#bc4c00}
summary{cursor:pointer}
.meta{color:#57606a;font-size:12px}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.5em}
.result{font-size:1.2em;font-weight:700;padding:.3em .6em;display:inline-block;border-radius:4px}
.st-covered-pass{color:#116329}
.st-covered-fail{color:#a40e26;font-weight:600}
.st-not-covered{color:#7d4e00}
.st-untestable{color:#57606a}
tr.out{color:#8c959f}
.para{color:#57606a;font-size:12px}
)css";

std::string text(std::string_view value, std::size_t limit = kShortField) {
  return escape_markup(safe_text(value, limit));
}

std::string badge(const std::string& name) { return "<span class=\"badge v-" + name + "\">" + name + "</span>"; }

std::string badge(Verdict verdict) { return badge(std::string(verdict_name(verdict))); }

class HtmlWriter {
 public:
  HtmlWriter(const RunSummary& summary, const Catalogue& catalogue, const RunMetadata& metadata)
      : summary_(summary),
        catalogue_(catalogue),
        metadata_(metadata),
        coverage_(compute_coverage(summary, catalogue, metadata.mode)),
        budget_(kTotalUntrusted) {
    for (std::size_t i = 0; i < catalogue.requirements.size(); ++i) {
      requirement_anchor_.emplace(catalogue.requirements[i].id, i);
    }
  }

  std::string render() {
    const report_detail::Counts counts = report_detail::count_verdicts(summary_);
    html_ += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    html_ +=
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">\n";
    html_ += "<meta name=\"referrer\" content=\"no-referrer\">\n";
    html_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    html_ += "<title>TIGRESS conformance report: " + text(metadata_.target) + "</title>\n";
    html_ += "<style>";
    html_ += kStyle;
    html_ += "</style>\n</head>\n<body>\n";
    header(counts);
    findings();
    cases();
    coverage();
    html_ += "<p class=\"meta\">Generated by tigress-conform; report schema " + std::string(kReportSchema) +
             ". Target text is shown escaped and cut to excerpts; "
             "report.json keeps longer, unescaped copies.</p>\n</body>\n</html>\n";
    return std::move(html_);
  }

 private:
  void row(std::string_view label, const std::string& value_html) {
    html_ += "<tr><th>";
    html_ += label;
    html_ += "</th><td>" + value_html + "</td></tr>\n";
  }

  void header(const report_detail::Counts& counts) {
    const bool success = counts.passed(summary_.allow_xpass);
    html_ += "<h1>TIGRESS conformance report</h1>\n";
    html_ += std::string("<p class=\"result ") + (success ? "v-PASS\">PASSED" : "v-FAIL\">FAILED") +
             "</p> <span class=\"meta\">(passed = no FAIL, no ERROR and no XPASS, at least one "
             "case run)</span>\n";

    html_ += "<h2 id=\"run\">Run</h2>\n<table>\n";
    const std::vector<std::string> targets = metadata_.all_targets();
    if (targets.size() > 1) {
      std::string listed;
      for (const auto& target : targets)
        listed += (listed.empty() ? "" : "<br>") + ("<code>" + text(target, 2048) + "</code>");
      row("Targets", listed + " <span class=\"meta\">(instances of one deployment; requests alternate)</span>");
    } else {
      row("Target", "<code>" + text(metadata_.target, 2048) + "</code>");
    }
    row("Mode", text(metadata_.mode));
    row("Strict", metadata_.strict ? "yes (SHOULD violations FAIL)" : "no (SHOULD violations WARN)");
    row("Seed", "<code>" + text(metadata_.seed) + "</code>");
    if (metadata_.expectations) {
      const ExpectationsRecord& record = *metadata_.expectations;
      row("Expectations", "<code>" + text(record.file, 2048) + "</code>, " + std::to_string(record.entries) +
                              (record.entries == 1 ? " entry" : " entries") + " <code>sha256:" + text(record.sha256) +
                              "</code>" + (record.allow_xpass ? " (XPASS allowed)" : ""));
    }
    row("Command line", "<code>" + text(metadata_.command_line, 8 * 1024) + "</code>");
    row("Started", text(report_detail::started_at(summary_, metadata_)));
    row("Finished", text(report_detail::finished_at(summary_, metadata_)));
    row("Elapsed", report_detail::format_fixed(summary_.elapsed_ms / 1000.0, 1) + " s");
    const std::string& version = metadata_.suite_version;
    const std::string& commit = metadata_.suite_commit;
    row("Suite", text(version.empty() ? suite_version() : version) + " <code>" +
                     text(commit.empty() ? suite_commit() : commit) + "</code>");
    row("Catalogue", text(catalogue_.version.empty() ? metadata_.catalogue_version : catalogue_.version) +
                         " <code>sha256:" +
                         text(catalogue_.digest.empty() ? metadata_.catalogue_digest : catalogue_.digest) + "</code>");
    html_ += "</table>\n";

    if (metadata_.preflight && !metadata_.preflight->passed) {
      // No case ran: the one diagnosis is the whole result.
      html_ += "<h2 id=\"preflight\">Preflight failed: the target could not be tested</h2>\n";
      html_ += "<pre>" + text(describe_preflight(*metadata_.preflight), kDetail) + "</pre>\n";
    }

    html_ += "<h2 id=\"summary\">Summary</h2>\n<table>\n<tr>";
    for (Verdict v :
         {Verdict::kPass, Verdict::kFail, Verdict::kWarn, Verdict::kSkip, Verdict::kError, Verdict::kBlocked}) {
      html_ += "<th>" + badge(v) + "</th>";
    }
    const bool expectations = metadata_.expectations.has_value();
    if (expectations) html_ += "<th>" + badge("XFAIL") + "</th><th>" + badge("XPASS") + "</th>";
    html_ += "<th>Total</th></tr>\n<tr>";
    std::vector<int> numbers = {counts.pass, counts.fail, counts.warn, counts.skip, counts.error, counts.blocked};
    if (expectations) numbers.insert(numbers.end(), {counts.xfail, counts.xpass});
    numbers.push_back(counts.total());
    for (int n : numbers) {
      html_ += "<td>" + std::to_string(n) + "</td>";
    }
    html_ += "</tr>\n</table>\n";
    html_ += "<p>Requirements in scope (" + scope_text() + "): " + std::to_string(coverage_.covered_in_scope) + " of " +
             std::to_string(coverage_.testable_in_scope) + " testable entries covered; <a href=\"#uncovered\">" +
             std::to_string(coverage_.uncovered.size()) + " not covered</a>.</p>\n";
  }

  std::string scope_text() const {
    std::string scope;
    for (const std::string& binds : coverage_.scope) {
      scope += (scope.empty() ? "binds " : " or ") + text(binds);
    }
    return scope;
  }

  // Untrusted text into a <pre>, charged to the page's budget.
  void pre(std::string_view bytes, std::size_t field_limit, std::string_view css_class = {}) {
    const std::string escaped = escape_markup(render_untrusted(bytes, budget_.cap(field_limit)));
    budget_.spend(escaped.size());
    html_ += css_class.empty() ? "<pre>" : "<pre class=\"" + std::string(css_class) + "\">";
    html_ += escaped;
    html_ += "</pre>\n";
  }

  // The FAIL and WARN findings by root cause (finding_groups.hpp), each case linked to its entry.
  void findings() {
    const std::vector<FindingGroup> groups = group_findings(summary_);
    if (groups.empty()) return;
    html_ += "<h2 id=\"findings\">Findings by root cause</h2>\n";
    html_ +=
        "<p class=\"meta\">Same requirement, same failing step: one defect, one entry.</p>\n<ul class=\"findings\">\n";
    for (const FindingGroup& group : groups) {
      html_ += "<li>" + badge(group.verdict) + " <code>" + text(group.requirement) + "</code> " +
               text(group.step, kShortField) + " <span class=\"meta\">(" + std::to_string(group.cases.size()) +
               (group.cases.size() == 1 ? " case" : " cases") + ")</span>\n<ul>\n";
      for (const FindingGroup::Member& member : group.cases) {
        html_ += "<li><a href=\"#case-" + std::to_string(member.result) + "\">" +
                 text(summary_.results[member.result].id) + "</a> " + text(member.finding.step, kShortField);
        if (!member.finding.answer.empty()) {
          html_ += "<br><span class=\"meta\">answer: " + text(member.finding.answer, kShortField) + "</span>";
        }
        html_ += "</li>\n";
      }
      html_ += "</ul></li>\n";
    }
    html_ += "</ul>\n";
  }

  void cases() {
    html_ += "<h2 id=\"cases\">Cases by section</h2>\n";
    if (summary_.results.empty()) {
      html_ += "<p>No case ran.</p>\n";
      return;
    }
    std::vector<std::size_t> order(summary_.results.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    // Stable: within a section, cases keep registry order.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return report_detail::section_less(summary_.results[a].section, summary_.results[b].section);
    });
    for (std::size_t i = 0; i < order.size(); ++i) {
      const std::string& section = summary_.results[order[i]].section;
      if (i == 0 || report_detail::section_less(summary_.results[order[i - 1]].section, section)) {
        html_ += "<h3>" + (section.empty() ? std::string("No section") : "Section " + text(section)) + "</h3>\n";
      }
      one_case(order[i]);
    }
  }

  void one_case(std::size_t index) {
    const CaseResult& result = summary_.results[index];
    const std::string outcome = outcome_name(result);
    const ExpectedVerdict& expected = result.expectation;
    const bool open = expected.outcome == ExpectationOutcome::kXpass ||
                      (expected.outcome != ExpectationOutcome::kXfail &&
                       (result.verdict == Verdict::kFail || result.verdict == Verdict::kError));
    html_ += "<details class=\"case c-" + outcome + "\" id=\"case-" + std::to_string(index) + "\"" +
             (open ? " open" : "") + ">\n<summary>" + badge(outcome) + " <code>" + text(result.id) + "</code> " +
             text(result.title) + " <span class=\"meta\">" + std::string(level_name(result.level)) + " · " +
             std::string(category_name(result.category)) + " · " + report_detail::format_fixed(result.elapsed_ms, 1) +
             " ms</span></summary>\n";

    html_ += "<p>Requirements: ";
    bool first = true;
    std::set<std::string_view> listed;
    for (const std::string& id : result.requirements) {
      if (!listed.insert(id).second) continue;  // a case may name one twice; show it once
      html_ += first ? "" : ", ";
      first = false;
      auto found = requirement_anchor_.find(id);
      if (found == requirement_anchor_.end()) {
        html_ += "<code>" + text(id) + "</code> (not in the catalogue)";
      } else {
        html_ += "<a href=\"#req-" + std::to_string(found->second) + "\"><code>" + text(id) + "</code></a>";
      }
    }
    html_ += first ? "none listed</p>\n" : "</p>\n";

    if (expected.outcome != ExpectationOutcome::kNotListed) {
      html_ += "<p>Verdict " + badge(result.verdict) + "; the expectations file expects " + badge(expected.verdict) +
               " (entry <code>" + text(expected.entry) + "</code>): " + text(expected.reason, kCatalogueText) +
               (expected.link.empty() ? "" : " <code>" + text(expected.link, kCatalogueText) + "</code>") + "</p>\n";
    }
    if (!result.detail.empty()) pre(result.detail, kDetail, "detail");

    if (!result.wire.empty()) {
      html_ += "<details class=\"wire\"><summary>Wire log (" + std::to_string(result.wire.size()) +
               (result.wire.size() == 1 ? " exchange" : " exchanges") + ")</summary>\n";
      const std::size_t shown = std::min(result.wire.size(), kMaxExchanges);
      for (std::size_t i = 0; i < shown; ++i) {
        const WireExchange& exchange = result.wire[i];
        html_ += "<p class=\"meta\">Exchange " + std::to_string(i + 1) + " · " +
                 report_detail::format_fixed(exchange.elapsed_ms, 1) + " ms</p>\n<div class=\"pair\"><div>Request\n";
        pre(exchange.request, kExchangeField);
        html_ += "</div><div>Response\n";
        pre(exchange.response, kExchangeField);
        html_ += "</div></div>\n";
      }
      if (shown < result.wire.size()) {
        html_ += "<p class=\"meta\">" + std::to_string(result.wire.size() - shown) +
                 " further exchanges are in report.json.</p>\n";
      }
      html_ += "</details>\n";
    }
    html_ += "</details>\n";
  }

  void coverage() {
    html_ += "<h2 id=\"coverage\">Requirement coverage</h2>\n";
    html_ += "<p>Every catalogue entry with the cases that name it. In scope for this run: " + scope_text() +
             "; other entries are greyed. A requirement is covered when a case "
             "reached a verdict on it (SKIP does not count); FAIL or ERROR makes it "
             "covered-fail.</p>\n";
    html_ +=
        "<table>\n<tr><th>Requirement</th><th>Section</th><th>Level</th><th>Binds</th>"
        "<th>Status</th><th>Cases</th></tr>\n";
    for (const RequirementCoverage& entry : coverage_.requirements) {
      const Requirement& requirement = catalogue_.requirements[entry.requirement];
      const std::string status(coverage_status_name(entry.status));
      html_ += "<tr id=\"req-" + std::to_string(entry.requirement) + "\"" + (entry.in_scope ? "" : " class=\"out\"") +
               "><td><code>" + text(requirement.id) + "</code><div class=\"para\">" +
               text(requirement.paraphrase, kCatalogueText) + "</div></td><td>" + text(requirement.section) +
               "</td><td>" + std::string(level_name(requirement.level)) + "</td><td>" + text(requirement.binds) +
               "</td><td class=\"st-" + status + "\">" + status;
      if (!requirement.testable && !requirement.untestable_reason.empty()) {
        html_ += "<div class=\"para\">" + text(requirement.untestable_reason, kCatalogueText) + "</div>";
      }
      html_ += "</td><td>";
      for (std::size_t c : entry.cases) {
        const CaseResult& result = summary_.results[c];
        html_ += "<div><a href=\"#case-" + std::to_string(c) + "\">" + badge(result.verdict) + "</a> <code>" +
                 text(result.id) + "</code></div>";
      }
      html_ += "</td></tr>\n";
    }
    html_ += "</table>\n";

    html_ += "<h2 id=\"uncovered\">Not covered</h2>\n";
    if (coverage_.uncovered.empty()) {
      html_ +=
          "<p>Every testable requirement in scope was covered by a case that reached a "
          "verdict.</p>\n";
    } else {
      html_ += "<p>" + std::to_string(coverage_.uncovered.size()) +
               (coverage_.uncovered.size() == 1 ? " testable requirement" : " testable requirements") +
               " in scope that no case reached a verdict on:</p>\n<ul>\n";
      for (const RequirementCoverage& entry : coverage_.requirements) {
        const Requirement& requirement = catalogue_.requirements[entry.requirement];
        if (!entry.in_scope || !requirement.testable || entry.status != CoverageStatus::kNotCovered) {
          continue;
        }
        html_ += "<li><a href=\"#req-" + std::to_string(entry.requirement) + "\"><code>" + text(requirement.id) +
                 "</code></a> (" + text(requirement.section) + ", " + std::string(level_name(requirement.level)) +
                 ") " + text(requirement.paraphrase, kCatalogueText) + "</li>\n";
      }
      html_ += "</ul>\n";
    }
    if (!coverage_.unknown.empty()) {
      html_ += "<p>Cases name requirements the catalogue does not list: ";
      for (std::size_t i = 0; i < coverage_.unknown.size(); ++i) {
        html_ += (i == 0 ? "<code>" : ", <code>") + text(coverage_.unknown[i]) + "</code>";
      }
      html_ += ".</p>\n";
    }
  }

  const RunSummary& summary_;
  const Catalogue& catalogue_;
  const RunMetadata& metadata_;
  const Coverage coverage_;
  report_detail::TextBudget budget_;
  std::map<std::string, std::size_t, std::less<>> requirement_anchor_;
  std::string html_;
};

}  // namespace

Result<std::string> render_html_report(const RunSummary& summary, const Catalogue& catalogue,
                                       const RunMetadata& metadata) {
  try {
    return HtmlWriter(summary, catalogue, metadata).render();
  } catch (const std::exception& e) {
    return make_error(std::string("cannot render the HTML report: ") + e.what());
  } catch (...) {
    return make_error("cannot render the HTML report");
  }
}

Status write_html_report(const std::filesystem::path& path, const RunSummary& summary, const Catalogue& catalogue,
                         const RunMetadata& metadata) {
  Result<std::string> html = render_html_report(summary, catalogue, metadata);
  if (!html) return html.error();
  return report_detail::write_file(path, *html);
}

}  // namespace tigress::conformance
