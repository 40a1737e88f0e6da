// JUnit XML for CI dashboards (Jenkins, GitLab, GitHub test reporters): one <testsuite> per run,
// one <testcase> per case, FAIL -> <failure>, ERROR -> <error>, SKIP -> <skipped>, and WARN a
// passing test whose warning is kept in <system-out>. All text goes through safe_text() (valid
// XML 1.0 characters only) and is escaped, never wrapped in CDATA: a target could close a CDATA
// section with "]]>", but it cannot forge an entity.
#include <exception>
#include <string>

#include "conformance/reports/report_text.hpp"
#include "conformance/reports/reports.hpp"

namespace tigress::conformance {
namespace {

using report_detail::escape_markup;
using report_detail::render_untrusted;
using report_detail::safe_text;

constexpr std::size_t kShortField = 1024;  // names, attribute values
constexpr std::size_t kDetail = 64 * 1024;
constexpr std::size_t kExchangeField = 4 * 1024;
constexpr std::size_t kMaxExchanges = 20;  // per failed case; the JSON report has the rest
constexpr std::size_t kTotalUntrusted = 32 * 1024 * 1024;

// An attribute value from trusted-ish text (ours or the catalogue's), still sanitised.
std::string attr(std::string_view text, std::size_t limit = kShortField) {
  return escape_markup(safe_text(text, limit), true);
}

std::string first_line(std::string_view text) {
  const std::size_t end = text.find('\n');
  return std::string(text.substr(0, end));
}

void append_property(std::string& xml, std::string_view name, std::string_view value) {
  xml += "      <property name=\"";
  xml += attr(name);
  xml += "\" value=\"";
  xml += attr(value, 8 * 1024);
  xml += "\"/>\n";
}

// The exchanges of a failed case, so the CI log alone shows what the relay answered.
std::string wire_log(const CaseResult& result, report_detail::TextBudget& budget) {
  std::string log;
  const std::size_t shown = std::min(result.wire.size(), kMaxExchanges);
  for (std::size_t i = 0; i < shown; ++i) {
    const WireExchange& exchange = result.wire[i];
    log += "--- exchange " + std::to_string(i + 1) + " (" + report_detail::format_fixed(exchange.elapsed_ms, 1) +
           " ms) request:\n";
    const std::string request = render_untrusted(exchange.request, budget.cap(kExchangeField));
    budget.spend(request.size());
    const std::string response = render_untrusted(exchange.response, budget.cap(kExchangeField));
    budget.spend(response.size());
    log += request + "\n--- response:\n" + response + '\n';
  }
  if (shown < result.wire.size()) {
    log += "--- " + std::to_string(result.wire.size() - shown) + " more exchanges in report.json\n";
  }
  return log;
}

void append_case(std::string& xml, const CaseResult& result, bool allow_xpass, report_detail::TextBudget& budget) {
  xml += "    <testcase name=\"";
  xml += attr(result.id);
  xml += "\" classname=\"";
  xml += attr(category_name(result.category));
  xml += "\" time=\"";
  xml += report_detail::format_fixed(result.elapsed_ms / 1000.0, 3);
  xml += "\"";

  const std::string detail = render_untrusted(result.detail, budget.cap(kDetail));
  budget.spend(detail.size());
  const std::string message = escape_markup(safe_text(first_line(detail), kShortField), true);
  const std::string title = escape_markup(safe_text(result.title, kShortField));

  const ExpectedVerdict& expected = result.expectation;
  const std::string expectation = expected.reason + (expected.link.empty() ? "" : " (" + expected.link + ")");
  if (expected.outcome == ExpectationOutcome::kXfail) {
    xml += ">\n      <skipped message=\"" + attr("XFAIL: " + expectation) + "\"/>\n";
    xml +=
        "      <system-out>" +
        escape_markup(safe_text(
            "expected " + std::string(verdict_name(expected.verdict)) + " (" + expected.entry + "): ", kShortField)) +
        escape_markup(detail) + "</system-out>\n    </testcase>\n";
    return;
  }
  if (expected.outcome == ExpectationOutcome::kXpass) {
    const std::string text = "XPASS: expected " + std::string(verdict_name(expected.verdict)) + " (" + expected.entry +
                             ": " + expectation + ") but it passed";
    if (allow_xpass) {
      xml += ">\n      <system-out>" + escape_markup(safe_text(text, kDetail)) + "</system-out>\n    </testcase>\n";
    } else {
      xml += ">\n      <failure message=\"" + attr(text) + "\" type=\"XPASS\">" + title +
             "\n\nremove the entry from the expectations file</failure>\n    </testcase>\n";
    }
    return;
  }

  switch (result.verdict) {
    case Verdict::kPass:
      xml += "/>\n";
      return;
    case Verdict::kWarn:
      xml += ">\n      <system-out>WARN: ";
      xml += escape_markup(detail);
      xml += "</system-out>\n    </testcase>\n";
      return;
    case Verdict::kSkip:
      xml += ">\n      <skipped message=\"" + message + "\"/>\n    </testcase>\n";
      return;
    case Verdict::kFail:
    case Verdict::kError:
    case Verdict::kBlocked: {
      // BLOCKED is an <error type="BLOCKED">: JUnit's "could not complete", never a pass or skip.
      const bool fail = result.verdict == Verdict::kFail;
      const char* element = fail ? "failure" : "error";
      xml += ">\n      <";
      xml += element;
      xml += " message=\"" + message + "\" type=\"" + std::string(verdict_name(result.verdict)) + "\">";
      xml += title + "\n\n" + escape_markup(detail);
      xml += "</";
      xml += element;
      xml += ">\n";
      if (!result.wire.empty()) {
        xml += "      <system-out>";
        xml += escape_markup(wire_log(result, budget));
        xml += "</system-out>\n";
      }
      xml += "    </testcase>\n";
      return;
    }
  }
}

}  // namespace

Result<std::string> render_junit_report(const RunSummary& summary, const RunMetadata& metadata) {
  try {
    const report_detail::Counts counts = report_detail::count_verdicts(summary);
    // A failed preflight is one testcase in error: the target could not be tested at all.
    const bool untestable = metadata.preflight && !metadata.preflight->passed;
    const std::string started = report_detail::started_at(summary, metadata);
    const std::string seconds = report_detail::format_fixed(summary.elapsed_ms / 1000.0, 3);
    // XFAIL cases are skipped tests; an XPASS is a failure unless --allow-xpass.
    const int failures = counts.fail + (summary.allow_xpass ? 0 : counts.xpass);
    const std::string totals = "tests=\"" + std::to_string(counts.total() + (untestable ? 1 : 0)) + "\" failures=\"" +
                               std::to_string(failures) + "\" errors=\"" +
                               std::to_string(counts.error + counts.blocked + (untestable ? 1 : 0)) + "\" skipped=\"" +
                               std::to_string(counts.skip + counts.xfail) + "\" time=\"" + seconds + "\"";
    const std::string mode = metadata.mode.empty() ? "run" : metadata.mode;

    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    xml += "<testsuites name=\"tigress-conform\" " + totals + ">\n";
    xml += "  <testsuite name=\"tigress-conform " + attr(mode) + "\" " + totals + " timestamp=\"" + attr(started) +
           "\">\n";
    xml += "    <properties>\n";
    append_property(xml, "suite.version", metadata.suite_version.empty() ? suite_version() : metadata.suite_version);
    append_property(xml, "suite.commit", metadata.suite_commit.empty() ? suite_commit() : metadata.suite_commit);
    append_property(xml, "catalogue.version", metadata.catalogue_version);
    append_property(xml, "catalogue.digest", metadata.catalogue_digest);
    append_property(xml, "mode", metadata.mode);
    append_property(xml, "target", metadata.target);
    // A deployment tested at several addresses: every one, in the order given (target is the first).
    if (const auto all = metadata.all_targets(); all.size() > 1) {
      std::string joined;
      for (const std::string& one : all) joined += (joined.empty() ? "" : " ") + one;
      append_property(xml, "targets", joined);
    }
    append_property(xml, "seed", metadata.seed);
    append_property(xml, "strict", metadata.strict ? "true" : "false");
    append_property(xml, "command_line", metadata.command_line);
    append_property(xml, "started_at", started);
    append_property(xml, "finished_at", report_detail::finished_at(summary, metadata));
    xml += "    </properties>\n";

    report_detail::TextBudget budget(kTotalUntrusted);
    if (untestable) {
      const PreflightResult& preflight = *metadata.preflight;
      xml += "    <testcase name=\"preflight\" classname=\"preflight\" time=\"" +
             report_detail::format_fixed(preflight.elapsed_ms / 1000.0, 3) + "\">\n";
      xml += "      <error message=\"" + attr("the target could not be tested: " + preflight.diagnosis) +
             "\" type=\"PREFLIGHT\">" + escape_markup(describe_preflight(preflight)) + "</error>\n";
      xml += "    </testcase>\n";
    }
    for (const CaseResult& result : summary.results) append_case(xml, result, summary.allow_xpass, budget);

    xml += "  </testsuite>\n</testsuites>\n";
    return xml;
  } catch (const std::exception& e) {
    return make_error(std::string("cannot render the JUnit report: ") + e.what());
  } catch (...) {
    return make_error("cannot render the JUnit report");
  }
}

Status write_junit_report(const std::filesystem::path& path, const RunSummary& summary, const RunMetadata& metadata) {
  Result<std::string> text = render_junit_report(summary, metadata);
  if (!text) return text.error();
  return report_detail::write_file(path, *text);
}

}  // namespace tigress::conformance
