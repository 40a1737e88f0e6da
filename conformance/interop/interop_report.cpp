#include "conformance/interop/interop_report.hpp"

#include <nlohmann/json.hpp>

#include "conformance/interop/exchange.hpp"
#include "conformance/reports/report_text.hpp"

namespace tigress::conformance::interop {
namespace {

using report_detail::escape_markup;
using report_detail::safe_text;

constexpr std::size_t kFieldBytes = 4096;

std::string markup(std::string_view text, bool attribute = false) {
  return escape_markup(safe_text(text, kFieldBytes), attribute);
}

std::string pair_name(const InteropRun& run, const Cell& cell) {
  return std::to_string(cell.initiator) + " -> " + std::to_string(cell.recipient) + " (" +
         run.clients.at(cell.initiator) + " -> " + run.clients.at(cell.recipient) + ")";
}

const Cell* find_cell(const InteropRun& run, std::size_t relay, std::size_t initiator, std::size_t recipient) {
  for (const auto& cell : run.cells) {
    if (cell.relay == relay && cell.initiator == initiator && cell.recipient == recipient) return &cell;
  }
  return nullptr;
}

std::string cell_summary(const Cell& cell) {
  std::string text(cell_verdict_name(cell.verdict));
  if (!cell.failed_step.empty()) text += " at " + cell.failed_step;
  return text;
}

// The first step that did not pass, with its detail and stderr, for JUnit and the HTML tooltip.
std::string failure_text(const Cell& cell) {
  for (const auto& step : cell.steps) {
    if (step.name != cell.failed_step) continue;
    std::string text = step.name + ": " + step.detail;
    if (!step.stderr_excerpt.empty()) text += "\nstderr:\n" + step.stderr_excerpt;
    return text;
  }
  return cell.failed_step;
}

}  // namespace

std::string interop_json(const InteropRun& run) {
  using nlohmann::json;
  json document;
  document["schema"] = "tigress-interop/1";
  document["run"] = {
      {"command_line", run.command_line}, {"started_at", run.started_at}, {"elapsed_ms", run.elapsed_ms}};
  document["steps"] = exchange_step_names();
  json clients = json::array();
  for (std::size_t i = 0; i < run.clients.size(); ++i) clients.push_back({{"index", i}, {"shim", run.clients[i]}});
  document["clients"] = clients;
  json relays = json::array();
  for (std::size_t i = 0; i < run.relays.size(); ++i) {
    const auto& relay = run.relays[i];
    relays.push_back({{"index", i}, {"spec", relay.spec}, {"url", relay.url}, {"error", relay.error}});
  }
  document["relays"] = relays;
  json cells = json::array();
  for (const auto& cell : run.cells) {
    json steps = json::array();
    for (const auto& step : cell.steps) {
      steps.push_back({{"name", step.name},
                       {"verdict", cell_verdict_name(step.verdict)},
                       {"exit_code", step.exit_code},
                       {"timed_out", step.timed_out},
                       {"signalled", step.signalled},
                       {"elapsed_ms", step.elapsed_ms},
                       {"detail", step.detail},
                       {"stderr", step.stderr_excerpt}});
    }
    cells.push_back({{"relay", cell.relay},
                     {"initiator", cell.initiator},
                     {"recipient", cell.recipient},
                     {"verdict", cell_verdict_name(cell.verdict)},
                     {"failed_step", cell.failed_step.empty() ? json(nullptr) : json(cell.failed_step)},
                     {"steps", steps}});
  }
  document["cells"] = cells;
  document["summary"] = {{"cells", run.cells.size()},
                         {"pass", run.count(CellVerdict::kPass)},
                         {"fail", run.count(CellVerdict::kFail)},
                         {"skip", run.count(CellVerdict::kSkip)}};
  // Invalid UTF-8 from a client becomes U+FFFD instead of an exception.
  return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string interop_html(const InteropRun& run) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<title>tigress-conform interop matrix</title>\n<style>\n"
      "body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
      "td,th{border:1px solid #999;padding:.3em .6em;vertical-align:top}"
      ".PASS{background:#cfc}.FAIL{background:#fcc}.SKIP{background:#eee}"
      "pre{white-space:pre-wrap;max-width:70em;font-size:90%}\n</style></head><body>\n"
      "<h1>Interop matrix</h1>\n";
  html += "<p>" + std::to_string(run.count(CellVerdict::kPass)) + " PASS, " +
          std::to_string(run.count(CellVerdict::kFail)) + " FAIL, " + std::to_string(run.count(CellVerdict::kSkip)) +
          " SKIP of " + std::to_string(run.cells.size()) + " cells; started " + markup(run.started_at) + ", " +
          std::to_string(run.elapsed_ms) + " ms.</p>\n";
  html += "<h2>Clients</h2>\n<ol start=\"0\">\n";
  for (const auto& client : run.clients) html += "<li><code>" + markup(client) + "</code></li>\n";
  html += "</ol>\n<h2>Matrix</h2>\n<table>\n<tr><th>initiator &rarr; recipient</th>";
  for (std::size_t r = 0; r < run.relays.size(); ++r) {
    const auto& relay = run.relays[r];
    html += "<th>relay " + std::to_string(r) + ": <code>" + markup(relay.spec) + "</code>";
    if (!relay.error.empty()) html += "<br>not started: " + markup(relay.error);
    html += "</th>";
  }
  html += "</tr>\n";
  for (std::size_t i = 0; i < run.clients.size(); ++i) {
    for (std::size_t j = 0; j < run.clients.size(); ++j) {
      html += "<tr><th>" + std::to_string(i) + " &rarr; " + std::to_string(j) + "</th>";
      for (std::size_t r = 0; r < run.relays.size(); ++r) {
        const Cell* cell = find_cell(run, r, i, j);
        if (cell == nullptr) {
          html += "<td></td>";
          continue;
        }
        const std::string verdict(cell_verdict_name(cell->verdict));
        html += "<td class=\"" + verdict + "\"><b>" + markup(cell_summary(*cell)) + "</b>";
        if (!cell->failed_step.empty()) {
          html += "<details><summary>details</summary><pre>" + markup(failure_text(*cell)) + "</pre></details>";
        }
        html += "</td>";
      }
      html += "</tr>\n";
    }
  }
  html += "</table>\n<h2>Steps</h2>\n";
  for (const auto& cell : run.cells) {
    html += "<h3>relay " + std::to_string(cell.relay) + ", " + markup(pair_name(run, cell)) + ": " +
            markup(cell_summary(cell)) +
            "</h3>\n<table><tr><th>step</th><th>verdict</th>"
            "<th>exit</th><th>ms</th><th>detail</th></tr>\n";
    for (const auto& step : cell.steps) {
      const std::string verdict(cell_verdict_name(step.verdict));
      html += "<tr class=\"" + verdict + "\"><td>" + markup(step.name) + "</td><td>" + verdict + "</td><td>" +
              std::to_string(step.exit_code) + "</td><td>" + std::to_string(step.elapsed_ms) + "</td><td>" +
              markup(step.detail);
      if (!step.stderr_excerpt.empty()) {
        html += "<details><summary>stderr</summary><pre>" + markup(step.stderr_excerpt) + "</pre></details>";
      }
      html += "</td></tr>\n";
    }
    html += "</table>\n";
  }
  html += "</body></html>\n";
  return html;
}

std::string interop_junit(const InteropRun& run) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tigress-interop\" tests=\"" +
                    std::to_string(run.cells.size()) + "\" failures=\"" +
                    std::to_string(run.count(CellVerdict::kFail)) + "\" skipped=\"" +
                    std::to_string(run.count(CellVerdict::kSkip)) + "\">\n";
  for (std::size_t r = 0; r < run.relays.size(); ++r) {
    int tests = 0, failures = 0, skipped = 0;
    for (const auto& cell : run.cells) {
      if (cell.relay != r) continue;
      ++tests;
      failures += cell.verdict == CellVerdict::kFail;
      skipped += cell.verdict == CellVerdict::kSkip;
    }
    xml += "  <testsuite name=\"" + markup("interop relay " + std::to_string(r) + " " + run.relays[r].spec, true) +
           "\" tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" skipped=\"" +
           std::to_string(skipped) + "\">\n";
    for (const auto& cell : run.cells) {
      if (cell.relay != r) continue;
      long long ms = 0;
      for (const auto& step : cell.steps) ms += step.elapsed_ms;
      xml += "    <testcase classname=\"interop.relay" + std::to_string(r) + "\" name=\"" +
             markup(pair_name(run, cell), true) + "\" time=\"" +
             report_detail::format_fixed(static_cast<double>(ms) / 1000.0, 3) + "\">";
      if (cell.verdict == CellVerdict::kFail) {
        xml += "\n      <failure message=\"" + markup("failed at " + cell.failed_step, true) + "\">" +
               markup(failure_text(cell)) + "</failure>\n    ";
      } else if (cell.verdict == CellVerdict::kSkip) {
        xml += "\n      <skipped message=\"" + markup(failure_text(cell), true) + "\"/>\n    ";
      }
      xml += "</testcase>\n";
    }
    xml += "  </testsuite>\n";
  }
  xml += "</testsuites>\n";
  return xml;
}

RunSummary interop_cases(const InteropRun& run) {
  RunSummary summary;
  for (const auto& cell : run.cells) {
    CaseResult result;
    result.id = "interop/relay" + std::to_string(cell.relay) + "/" + std::to_string(cell.initiator) + "-" +
                std::to_string(cell.recipient);
    result.title = "exchange " + pair_name(run, cell) + " through relay " + std::to_string(cell.relay) + " " +
                   (cell.relay < run.relays.size() ? run.relays[cell.relay].spec : std::string());
    result.section = "interop";
    result.category = Category::kAntiReplay;
    result.level = Level::kMust;
    result.verdict = cell.verdict == CellVerdict::kPass   ? Verdict::kPass
                     : cell.verdict == CellVerdict::kSkip ? Verdict::kSkip
                                                          : Verdict::kFail;
    std::string detail = cell_summary(cell) + "\n";
    long long ms = 0;
    for (const auto& step : cell.steps) {
      ms += step.elapsed_ms;
      detail += std::string(cell_verdict_name(step.verdict)) + " " + step.name + " (exit " +
                std::to_string(step.exit_code) + ", " + std::to_string(step.elapsed_ms) + " ms)" +
                (step.detail.empty() ? "" : ": " + step.detail) + "\n";
      if (!step.stderr_excerpt.empty() && step.name == cell.failed_step)
        detail += "stderr:\n" + step.stderr_excerpt + "\n";
    }
    result.detail = safe_text(detail, 4 * kFieldBytes);
    result.elapsed_ms = static_cast<double>(ms);
    summary.results.push_back(std::move(result));
  }
  summary.started_at = run.started_at;
  summary.elapsed_ms = static_cast<double>(run.elapsed_ms);
  summary.recount();
  return summary;
}

nlohmann::json interop_members(const InteropRun& run) {
  nlohmann::json document = nlohmann::json::parse(interop_json(run), nullptr, false);
  if (!document.is_object()) return nlohmann::json::object();
  // The report's own schema, run and summary members take their place.
  for (const char* common : {"schema", "run", "summary"}) document.erase(common);
  return document;
}

}  // namespace tigress::conformance::interop
