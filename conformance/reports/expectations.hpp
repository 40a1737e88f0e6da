// Expectations files (--expect FILE): the verdicts a user already knows their implementation
// gets, so that the suite can gate CI before the implementation passes everything. A listed case
// with the expected verdict is XFAIL and does not fail the run; a listed case that passes is
// XPASS and fails it (unless --allow-xpass), so the file shrinks as the implementation improves.
//
// Format (schema "tigress-expectations/1", documented in conformance/reports/SCHEMA.md):
//   {"schema": "tigress-expectations/1", "mode": "relay",
//    "expectations": [{"case": "6.5/*", "verdict": "FAIL", "reason": "...", "link": "https://..."}]}
// "case" is a case id or a pattern ('*', '?'); "verdict" is FAIL, WARN or SKIP; "reason" is
// required, "link" optional. An exact id wins over patterns; among patterns the first listed wins.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/framework/runner.hpp"
#include "common/result.hpp"

namespace tigress::conformance {

inline constexpr std::string_view kExpectationsSchema = "tigress-expectations/1";

struct Expectation {
  std::string pattern;
  Verdict verdict = Verdict::kFail;
  std::string reason;
  std::string link;
};

struct ExpectationSet {
  std::string mode;  // "relay" or "client"; the file is refused for another mode
  std::vector<Expectation> entries;
  std::string file;    // as given on the command line
  std::string sha256;  // of the file's bytes
};

// Checks the document against the schema; `mode` is the mode the run is in.
Result<ExpectationSet> parse_expectations(std::string_view text, std::string_view mode);
Result<ExpectationSet> load_expectations(const std::filesystem::path& path, std::string_view mode);

// An entry that matches none of `case_ids` (every case the mode has, not only those selected) is
// an error: it is a typo or names a case that no longer exists.
Status check_entries_match(const ExpectationSet& set, const std::vector<std::string>& case_ids);

// The entry that decides `case_id`, or null.
const Expectation* expectation_for(const ExpectationSet& set, std::string_view case_id);

// Marks each result XFAIL, XPASS or unmet against the set and recounts the summary.
void apply_expectations(RunSummary& summary, const ExpectationSet& set, bool allow_xpass);

// The baseline a run implies: one exact entry per FAIL, WARN and SKIP case of a tigress-report/1
// document, in the report's order, as the text of an expectations file. `report_name` goes into
// each reason. ERROR cases are left out (an error is the suite's, not an expectation) and counted
// in `errors_left_out`.
Result<std::string> baseline_from_report(std::string_view report_json, std::string_view report_name, int& entries,
                                         int& errors_left_out);

}  // namespace tigress::conformance
