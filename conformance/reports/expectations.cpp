#include "conformance/reports/expectations.hpp"

#include <algorithm>
#include <exception>
#include <set>

#include <nlohmann/json.hpp>

#include "conformance/framework/strict_json.hpp"
#include "conformance/reports/report_text.hpp"
#include "conformance/reports/reports.hpp"

namespace tigress::conformance {
namespace {

using nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// A file listing every case of both suites with long reasons stays far below this.
constexpr std::size_t kMaxFileBytes = 4 * 1024 * 1024;
constexpr std::size_t kMaxPattern = 200;
constexpr std::size_t kMaxReason = 2000;
constexpr std::size_t kMaxLink = 2000;
constexpr std::size_t kBaselineDetail = 160;

bool has_wildcard(std::string_view pattern) { return pattern.find_first_of("*?") != std::string_view::npos; }

// Printable ASCII without spaces: case ids and links are both written that way.
bool plain_token(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 0x7F; });
}

Result<std::string> member_string(const json& object, const std::string& path, const char* name, std::size_t limit,
                                  bool required) {
  const auto it = object.find(name);
  if (it == object.end()) {
    if (required) return field_error(path + "." + name, "missing member");
    return std::string();
  }
  if (!it->is_string()) return field_error(path + "." + name, "must be a string");
  std::string value = it->get<std::string>();
  if (value.empty()) return field_error(path + "." + name, "must not be empty");
  if (value.size() > limit) {
    return field_error(path + "." + name, "longer than " + std::to_string(limit) + " bytes");
  }
  return value;
}

Status only_members(const json& object, const std::string& path, std::initializer_list<std::string_view> allowed) {
  for (const auto& item : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      return field_error(
          path.empty() ? item.key() : path + "." + item.key(), "unknown member (allowed: " + [&] {
            std::string names;
            for (std::string_view a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
            return names;
          }() + ")");
    }
  }
  return Status();
}

Result<Verdict> expected_verdict(const std::string& text, const std::string& path) {
  // BLOCKED is accepted for a case known to run behind a relay-breaking one (a poison input the
  // relay's author has not fixed yet).
  for (Verdict verdict : {Verdict::kFail, Verdict::kWarn, Verdict::kSkip, Verdict::kBlocked}) {
    if (verdict_name(verdict) == text) return verdict;
  }
  return field_error(path,
                     "must be FAIL, WARN, SKIP or BLOCKED (ERROR means the suite could not test "
                     "the case and is never expected), not " +
                         text);
}

Result<Expectation> parse_entry(const json& item, const std::string& path) {
  if (!item.is_object()) return field_error(path, "must be an object");
  if (Status members = only_members(item, path, {"case", "verdict", "reason", "link"}); !members) {
    return members.error();
  }
  Expectation entry;
  auto pattern = member_string(item, path, "case", kMaxPattern, true);
  if (!pattern) return pattern.error();
  if (!plain_token(*pattern)) return field_error(path + ".case", "must be printable ASCII without spaces");
  entry.pattern = std::move(*pattern);
  auto verdict_text = member_string(item, path, "verdict", 16, true);
  if (!verdict_text) return verdict_text.error();
  auto verdict = expected_verdict(*verdict_text, path + ".verdict");
  if (!verdict) return verdict.error();
  entry.verdict = *verdict;
  auto reason = member_string(item, path, "reason", kMaxReason, true);
  if (!reason) return reason.error();
  entry.reason = std::move(*reason);
  auto link = member_string(item, path, "link", kMaxLink, false);
  if (!link) return link.error();
  if (!link->empty() && (!plain_token(*link) || !(link->starts_with("https://") || link->starts_with("http://")))) {
    return field_error(path + ".link", "must be an http(s) URL without spaces");
  }
  entry.link = std::move(*link);
  return entry;
}

std::string first_line(std::string_view text, std::size_t limit) {
  std::string line(text.substr(0, text.find('\n')));
  std::string out;
  for (char c : line) {
    if (out.size() >= limit) {
      out += "...";
      break;
    }
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? ' ' : c;
  }
  return out;
}

}  // namespace

Result<ExpectationSet> parse_expectations(std::string_view text, std::string_view mode) {
  try {
    Result<json> parsed = parse_strict_json(text);
    if (!parsed) return parsed.error();
    const json& document = *parsed;
    if (!document.is_object()) return make_error("an expectations file is a JSON object");
    if (Status members = only_members(document, "", {"schema", "mode", "expectations"}); !members) {
      return members.error();
    }
    auto schema = member_string(document, "", "schema", 64, true);
    if (!schema) return make_error("schema: missing member (\"" + std::string(kExpectationsSchema) + "\")");
    if (*schema != kExpectationsSchema) {
      return make_error("schema: \"" + *schema + "\" is not \"" + std::string(kExpectationsSchema) + "\"");
    }
    ExpectationSet set;
    auto file_mode = member_string(document, "", "mode", 16, false);
    if (!file_mode) return file_mode.error();
    if (!file_mode->empty()) {
      if (*file_mode != "relay" && *file_mode != "client") return make_error("mode: must be \"relay\" or \"client\"");
      if (*file_mode != mode) {
        return make_error("the file is for " + *file_mode + " runs, this is a " + std::string(mode) + " run");
      }
    }
    set.mode = std::string(mode);
    const auto list = document.find("expectations");
    if (list == document.end()) return make_error("expectations: missing member");
    if (!list->is_array()) return make_error("expectations: must be an array");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string path = "expectations[" + std::to_string(i) + "]";
      auto entry = parse_entry((*list)[i], path);
      if (!entry) return entry.error();
      if (!seen.insert(entry->pattern).second) {
        return field_error(path + ".case", "\"" + entry->pattern + "\" is listed twice");
      }
      set.entries.push_back(std::move(*entry));
    }
    return set;
  } catch (const std::exception& e) {
    return make_error(std::string("cannot read the expectations: ") + e.what());
  }
}

Result<ExpectationSet> load_expectations(const std::filesystem::path& path, std::string_view mode) {
  Result<std::string> bytes = report_detail::read_file(path, kMaxFileBytes);
  if (!bytes) return bytes.error();
  Result<ExpectationSet> set = parse_expectations(*bytes, mode);
  if (!set) return field_error(path.string(), set.error().message());
  set->file = path.string();
  set->sha256 = sha256_hex(*bytes);
  return set;
}

Status check_entries_match(const ExpectationSet& set, const std::vector<std::string>& case_ids) {
  for (const Expectation& entry : set.entries) {
    const bool any = std::any_of(case_ids.begin(), case_ids.end(),
                                 [&](const std::string& id) { return case_id_matches(entry.pattern, id); });
    if (!any) {
      return make_error("expectation \"" + entry.pattern + "\" matches no " + set.mode + " case (tigress-conform " +
                        set.mode + " --list shows them)");
    }
  }
  return Status();
}

const Expectation* expectation_for(const ExpectationSet& set, std::string_view case_id) {
  const Expectation* first_pattern = nullptr;
  for (const Expectation& entry : set.entries) {
    if (!has_wildcard(entry.pattern)) {
      if (entry.pattern == case_id) return &entry;
    } else if (first_pattern == nullptr && case_id_matches(entry.pattern, case_id)) {
      first_pattern = &entry;
    }
  }
  return first_pattern;
}

void apply_expectations(RunSummary& summary, const ExpectationSet& set, bool allow_xpass) {
  for (CaseResult& result : summary.results) {
    const Expectation* entry = expectation_for(set, result.id);
    if (entry == nullptr) {
      result.expectation = ExpectedVerdict{};
      continue;
    }
    ExpectedVerdict& expected = result.expectation;
    expected.verdict = entry->verdict;
    expected.entry = entry->pattern;
    expected.reason = entry->reason;
    expected.link = entry->link;
    if (result.verdict == entry->verdict) {
      expected.outcome = ExpectationOutcome::kXfail;
    } else if (result.verdict == Verdict::kPass) {
      expected.outcome = ExpectationOutcome::kXpass;
    } else {
      expected.outcome = ExpectationOutcome::kUnmet;
    }
  }
  summary.allow_xpass = allow_xpass;
  summary.recount();
}

Result<std::string> baseline_from_report(std::string_view report_json, std::string_view report_name, int& entries,
                                         int& errors_left_out) {
  entries = 0;
  errors_left_out = 0;
  try {
    Result<json> parsed = parse_strict_json(report_json);
    if (!parsed) return parsed.error();
    const json& report = *parsed;
    if (!report.is_object() || report.value("schema", "") != kReportSchema) {
      return make_error("not a " + std::string(kReportSchema) + " report (tigress-conform --report-json)");
    }
    const json& run = report.contains("run") ? report["run"] : json::object();
    const std::string mode = run.is_object() ? run.value("mode", "") : "";
    if (mode != "relay" && mode != "client") {
      return make_error("the report is of a " + (mode.empty() ? std::string("unknown") : mode) +
                        " run; expectations apply to relay and client runs");
    }
    const std::string started = run.value("started_at", "");
    if (!report.contains("cases") || !report["cases"].is_array()) return make_error("the report has no cases array");
    OrderedJson list = OrderedJson::array();
    for (const json& c : report["cases"]) {
      if (!c.is_object() || !c.contains("id") || !c["id"].is_string() || !c.contains("verdict") ||
          !c["verdict"].is_string()) {
        return make_error("a case in the report lacks its id or verdict");
      }
      const std::string verdict = c["verdict"].get<std::string>();
      if (verdict == "ERROR") {
        ++errors_left_out;
        continue;
      }
      if (verdict != "FAIL" && verdict != "WARN" && verdict != "SKIP") continue;
      const std::string detail = c.contains("detail") && c["detail"].is_string() ? c["detail"].get<std::string>() : "";
      std::string reason = verdict + " in " + std::string(report_name);
      if (!started.empty()) reason += " (" + first_line(started, 40) + ")";
      if (!detail.empty()) reason += ": " + first_line(detail, kBaselineDetail);
      list.push_back(OrderedJson{{"case", c["id"].get<std::string>()}, {"verdict", verdict}, {"reason", reason}});
      ++entries;
    }
    const OrderedJson document{{"schema", kExpectationsSchema}, {"mode", mode}, {"expectations", std::move(list)}};
    return document.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
  } catch (const std::exception& e) {
    return make_error(std::string("cannot read the report: ") + e.what());
  }
}

}  // namespace tigress::conformance
