// Selects, runs and times the cases: slow (real-time expiry) cases all start at once, the rest
// share --jobs workers. Produces the results the reports are written from.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "conformance/framework/case_context.hpp"

namespace tigress::conformance {

struct CaseFilter {
  std::vector<std::string> id_globs;   // '*' and '?' wildcards; any match selects
  std::vector<std::string> sections;   // "6.5" also selects "6.5.4"
  std::vector<Category> categories;
  std::vector<Level> levels;
  bool matches(const CaseDefinition& definition) const;
};

struct RunSummary : OutcomeCounts {
  std::vector<CaseResult> results;  // in registry order
  std::string started_at, finished_at;  // RFC 3339
  double elapsed_ms = 0;
  bool allow_xpass = false;  // --allow-xpass: a stale expectation does not fail the run
  bool success() const { return passed(allow_xpass); }
  // Sets the tallies from the results (after the runner or an expectations file changed them).
  void recount() { static_cast<OutcomeCounts&>(*this) = count_outcomes(results); }
};

using ProgressFn = std::function<void(const CaseResult&, int done, int total)>;

std::vector<const CaseDefinition*> select_cases(const CaseFilter& filter);

// The case-id wildcard match of --id and of expectations files: '*' any run, '?' one character.
bool case_id_matches(std::string_view pattern, std::string_view id);

// The case-selection flags every runner takes (--id, --section, --category, --level): false when
// `flag` is none of them, an error naming the bad value, true when it was applied to `filter`.
Result<bool> take_filter_flag(const std::string& flag, const std::string& value, CaseFilter& filter);
RunSummary run_cases(const std::vector<const CaseDefinition*>& cases, const RunOptions& options,
                     const ProgressFn& progress);

// Runs cases 0..count-1 with `jobs` workers and tallies the verdicts; shared by the relay and
// client runners. Cases for which is_slow(i) holds (real-time waits) each get a thread of their
// own, started at once, so the run lasts as long as the longest of them, not their sum.
RunSummary run_indexed_cases(std::size_t count, int jobs, const std::function<bool(std::size_t)>& is_slow,
                             const std::function<CaseResult(std::size_t)>& run_case, const ProgressFn& progress);

}  // namespace tigress::conformance
