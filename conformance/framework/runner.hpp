// Selects, runs and times the cases: slow (real-time expiry) cases all start at once, the rest
// share --jobs workers. Produces the results the reports are written from.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "conformance/framework/case_context.hpp"

namespace tigress::conformance {

struct CaseFilter {
  std::vector<std::string> id_globs;  // '*' and '?' wildcards; any match selects
  std::vector<std::string> sections;  // "6.5" also selects "6.5.4"
  std::vector<Category> categories;
  std::vector<Level> levels;
  bool matches(const CaseDefinition& definition) const;
};

// How the runner watches the target between cases (target_health.cpp). Without a probe it does not.
struct TargetHealth {
  // A cheap canonical exchange; an error (naming what the target answered) when it does not serve.
  std::function<Status()> probe;
  // --restart-cmd: brings the target back (the probe must pass after it); empty when there is none.
  std::function<Status()> restart;
};

struct RunSummary : OutcomeCounts {
  std::vector<CaseResult> results;         // in registry order
  std::vector<std::string> health_events;  // when the target stopped serving, whom that is blamed on, restarts
  std::string started_at, finished_at;     // RFC 3339
  double elapsed_ms = 0;
  bool allow_xpass = false;  // --allow-xpass: a stale expectation does not fail the run
  bool success() const { return passed(allow_xpass); }
  // Sets the tallies from the results (after the runner or an expectations file changed them).
  void recount() { static_cast<OutcomeCounts&>(*this) = count_outcomes(results); }
};

using ProgressFn = std::function<void(const CaseResult&, int done, int total)>;

// The cases of `suite` the filter selects, ordered by id.
std::vector<const CaseDefinition*> select_cases(const CaseFilter& filter, CaseSuite suite);

// The case-id wildcard match of --id and of expectations files: '*' any run, '?' one character.
bool case_id_matches(std::string_view pattern, std::string_view id);

// The case-selection flags every runner takes (--id, --section, --category, --level): false when
// `flag` is none of them, an error naming the bad value, true when it was applied to `filter`.
Result<bool> take_filter_flag(const std::string& flag, const std::string& value, CaseFilter& filter);

// The one way a case runs, whatever its suite: the context's start and `body` (which calls the
// case with the context `recorder` belongs to) inside the guard that turns a CaseStop or an
// exception into the stop verdict, timed, then the recorder's verdict.
CaseResult run_one(CaseRecorder& recorder, const std::function<void()>& body);

// Runs every case with `jobs` workers and tallies the verdicts; results in the order of `cases`.
// Slow cases (real-time waits) each get a thread of their own, started at once, so the run
// lasts as long as the longest of them, not their sum.
// With `health.probe` the target is probed after every case and while slow cases wait; cases run on
// a target that stopped serving are BLOCKED, the case(s) after which it broke are named as the cause,
// and with `health.restart` the target is restarted and the BLOCKED cases run again.
RunSummary run_cases(const std::vector<const CaseDefinition*>& cases, int jobs,
                     const std::function<CaseResult(const CaseDefinition&)>& run_case, const ProgressFn& progress,
                     const TargetHealth& health = {});

// Runs cases of `suite`, each with a fresh context of that suite on `options` (RunOptions for
// the relay suite, client_suite::ClientRunOptions for the client suite).
template <CaseSuite suite, class Options>
RunSummary run_suite_cases(const std::vector<const CaseDefinition*>& cases, const Options& options,
                           const ProgressFn& progress, const TargetHealth& health = {}) {
  return run_cases(
      cases, options.jobs,
      [&](const CaseDefinition& definition) {
        SuiteContext<suite> ctx(definition, options);
        return run_one(ctx, [&] { std::get<SuiteBody<suite>>(definition.body)(ctx); });
      },
      progress, health);
}

}  // namespace tigress::conformance
