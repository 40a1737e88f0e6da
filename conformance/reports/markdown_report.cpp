// The compact summary for a pull-request comment or $GITHUB_STEP_SUMMARY. Everything a target
// sent, and everything the user wrote (target URL, expectations reasons), is escaped: every ASCII
// punctuation character gets a backslash, which CommonMark defines as its literal self, so no
// text can add markup (a link, an image, a code span, HTML, a new table cell; GitHub may still
// show a bare URL as a link); an '@' gets a word joiner after it so that a relay's error text
// cannot mention, and so notify, anyone.
#include <algorithm>
#include <exception>
#include <string>
#include <vector>

#include "conformance/reports/finding_groups.hpp"
#include "conformance/reports/report_text.hpp"
#include "conformance/reports/reports.hpp"

namespace tigress::conformance {
namespace {

using report_detail::safe_text;

constexpr std::size_t kCellLimit = 240;  // per finding; the full text is in the other reports
constexpr std::string_view kWordJoiner = "\u2060";

bool ascii_punctuation(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

// One line of inline Markdown that renders as exactly `text`.
std::string md(std::string_view text, std::size_t limit = kCellLimit) {
  const std::string safe = safe_text(text, limit);
  std::string out;
  out.reserve(safe.size() + safe.size() / 4);
  for (std::size_t i = 0; i < safe.size(); ++i) {
    const char c = safe[i];
    if (c == '\n' || c == '\t') {
      out += ' ';
    } else if (ascii_punctuation(c)) {
      out += '\\';
      out += c;
      if (c == '@') out += kWordJoiner;
    } else {
      out += c;
    }
  }
  return out;
}

std::string first_line(std::string_view text) { return std::string(text.substr(0, text.find('\n'))); }

// Findings first by how much they need attention, then in draft order.
int rank(const CaseResult& result) {
  switch (result.expectation.outcome) {
    case ExpectationOutcome::kXpass:
      return 2;
    case ExpectationOutcome::kXfail:
      return 5;
    case ExpectationOutcome::kNotListed:
    case ExpectationOutcome::kUnmet:
      break;
  }
  switch (result.verdict) {
    case Verdict::kFail:
      return 0;
    case Verdict::kError:
      return 1;
    case Verdict::kBlocked:
      return 4;
    case Verdict::kWarn:
      return 3;
    case Verdict::kSkip:
      return 6;
    case Verdict::kPass:
      return 9;
  }
  return 9;
}

std::string finding_text(const CaseResult& result) {
  const ExpectedVerdict& expected = result.expectation;
  std::string text;
  switch (expected.outcome) {
    case ExpectationOutcome::kXfail: {
      // A baseline's reason usually quotes the detail already: say it once.
      const std::string detail = first_line(result.detail);
      text = "expected: " + expected.reason + (expected.link.empty() ? "" : " " + expected.link);
      if (!detail.empty() && expected.reason.find(detail) == std::string::npos) text += " — " + detail;
      return text;
    }
    case ExpectationOutcome::kXpass:
      return "listed as " + std::string(verdict_name(expected.verdict)) + " (" + expected.entry +
             ") but passed: remove the entry";
    case ExpectationOutcome::kUnmet:
      text = "expected " + std::string(verdict_name(expected.verdict)) + ", got " +
             std::string(verdict_name(result.verdict)) + " — ";
      break;
    case ExpectationOutcome::kNotListed:
      break;
  }
  return text + first_line(result.detail);
}

std::string requirements_text(const CaseResult& result) {
  std::string out;
  for (const std::string& id : result.requirements) out += (out.empty() ? "" : ", ") + id;
  return out;
}

// "https://a:1" or "https://a:1, https://b:2" (the instances of one deployment).
std::string joined(const std::vector<std::string>& targets) {
  std::string out;
  for (const auto& target : targets) out += (out.empty() ? "" : ", ") + target;
  return out;
}

}  // namespace

Result<std::string> render_markdown_report(const RunSummary& summary, const Catalogue& catalogue,
                                           const RunMetadata& metadata) {
  try {
    const report_detail::Counts counts = report_detail::count_verdicts(summary);
    const bool passed = counts.passed(summary.allow_xpass);
    const std::string mode = metadata.mode.empty() ? "run" : metadata.mode;
    std::string out = "### TIGRESS conformance: " + std::string(passed ? "PASSED" : "FAILED") + " — " + md(mode, 32) +
                      " run against " + md(joined(metadata.all_targets()), 1024) + "\n\n";
    out += "**" + std::to_string(counts.total()) + " cases:** " + std::to_string(counts.pass) + " PASS · " +
           std::to_string(counts.fail) + " FAIL · " + std::to_string(counts.warn) + " WARN · " +
           std::to_string(counts.skip) + " SKIP · " + std::to_string(counts.error) + " ERROR · " +
           std::to_string(counts.blocked) + " BLOCKED";
    if (metadata.expectations) {
      out += " · " + std::to_string(counts.xfail) + " XFAIL · " + std::to_string(counts.xpass) + " XPASS";
    }
    out += " — " + report_detail::format_fixed(summary.elapsed_ms / 1000.0, 1) + " s, seed " + md(metadata.seed, 32);
    const std::string& digest = catalogue.digest.empty() ? metadata.catalogue_digest : catalogue.digest;
    out += ", catalogue " + md(catalogue.version.empty() ? metadata.catalogue_version : catalogue.version, 64) +
           " (sha256 " + md(digest.substr(0, 12), 16) + ")";
    if (metadata.expectations) {
      out += ", expectations " + md(metadata.expectations->file, 256) + " (sha256 " +
             md(metadata.expectations->sha256.substr(0, 12), 16) + ")";
    }
    out += "\n\n";
    if (metadata.preflight && !metadata.preflight->passed) {
      const PreflightResult& preflight = *metadata.preflight;
      out += "**Preflight failed at step " + md(preflight.step, 16) +
             ": the target could not be tested, no case ran.** " + md(preflight.diagnosis, 1024) + "\n\n";
      for (const std::string& hint : preflight.hints) out += "- hint: " + md(hint, 512) + "\n";
      if (preflight.status != 0) {
        out += "- answer: " + std::to_string(preflight.status) + " " + md(preflight.body, 512) + "\n";
      }
      out += "\n";
    }

    std::vector<const CaseResult*> findings;
    for (const CaseResult& result : summary.results) {
      if (rank(result) < 9) findings.push_back(&result);
    }
    std::stable_sort(findings.begin(), findings.end(), [](const CaseResult* a, const CaseResult* b) {
      if (rank(*a) != rank(*b)) return rank(*a) < rank(*b);
      return report_detail::section_less(a->section, b->section);
    });
    if (findings.empty()) {
      out += counts.total() == 0 ? "No case ran.\n" : "Every case passed.\n";
      return out;
    }
    // One defect, one bullet: the groups first, each with its cases; the table then lists every
    // case that needs attention. Groups that do not fit leave room for the table's first rows.
    const std::vector<FindingGroup> groups = group_findings(summary);
    if (!groups.empty()) {
      out += "**Findings by root cause** (same requirement, same failing step):\n\n";
      std::size_t groups_shown = 0;
      for (const FindingGroup& group : groups) {
        // Not in bold: the bold verdicts are the table's, in the documented order.
        std::string entry = "- " + std::string(verdict_name(group.verdict)) + " · " + md(group.requirement, 64) + ": " +
                            md(group.step) + " — " + std::to_string(group.cases.size()) +
                            (group.cases.size() == 1 ? " case" : " cases") + ": ";
        for (std::size_t c = 0; c < group.cases.size(); ++c) {
          entry += (c == 0 ? "" : ", ") + md(summary.results[group.cases[c].result].id, 200);
        }
        const std::string& answer = group.cases.front().finding.answer;
        if (!answer.empty()) entry += " — answer: " + md(answer);
        entry += "\n";
        if (out.size() + entry.size() > kMarkdownLimit / 2) break;
        out += entry;
        ++groups_shown;
      }
      if (groups_shown < groups.size()) {
        out += "- " + std::to_string(groups.size() - groups_shown) + " more groups are in the JSON and HTML reports\n";
      }
      out += "\n";
    }
    out += "| Outcome | Case | Section | Level | Requirements | Finding |\n";
    out += "|---|---|---|---|---|---|\n";
    std::size_t shown = 0;
    const std::string footer_room(200, ' ');
    for (const CaseResult* result : findings) {
      std::string line = "| **" + outcome_name(*result) + "** | " + md(result->id, 200) + " | " +
                         md(result->section, 32) + " | " + std::string(level_name(result->level)) + " | " +
                         md(requirements_text(*result), 200) + " | " + md(finding_text(*result)) + " |\n";
      if (out.size() + line.size() + footer_room.size() > kMarkdownLimit) break;
      out += line;
      ++shown;
    }
    if (shown < findings.size()) {
      out += "\n" + std::to_string(findings.size() - shown) +
             " more findings are in the JSON and HTML reports (this summary is capped at " +
             std::to_string(kMarkdownLimit / 1024) + " KiB).\n";
    }
    return out;
  } catch (const std::exception& e) {
    return make_error(std::string("cannot render the Markdown report: ") + e.what());
  } catch (...) {
    return make_error("cannot render the Markdown report");
  }
}

Status write_markdown_report(const std::filesystem::path& path, const RunSummary& summary, const Catalogue& catalogue,
                             const RunMetadata& metadata) {
  Result<std::string> text = render_markdown_report(summary, catalogue, metadata);
  if (!text) return text.error();
  return report_detail::write_file(path, *text);
}

}  // namespace tigress::conformance
