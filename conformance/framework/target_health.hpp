// The runner's watch on the target's health. After every case (and every two seconds while only
// slow cases are left waiting) a cheap canonical probe asks whether the target still serves. When
// it stops:
//  - the cases that exchanged anything with it since the last good probe are the candidates for
//    the cause (with --jobs 1 and no slow case talking at the time: exactly the case just ended).
//    They keep their own verdict, with a note naming them as the cause;
//  - every other case that ended after that, or had not started, is BLOCKED, naming the cause;
//  - with a restart: the target is restarted, several candidates are re-run one at a time to find
//    the one after which it breaks, and the BLOCKED cases run again (the cause is not re-run).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "conformance/framework/runner.hpp"

namespace tigress::conformance {

// run_cases with a probe (runner.hpp).
RunSummary run_watched_cases(const std::vector<const CaseDefinition*>& cases, int jobs,
                             const std::function<CaseResult(const CaseDefinition&)>& run_case,
                             const ProgressFn& progress, const TargetHealth& health);

// The slot the case running on this thread stamps at every exchange (nullptr outside a watched run).
std::atomic<std::int64_t>* current_exchange_stamp();

// --restart-cmd: `command` through `sh -c` must exit 0 within `deadline`; then `probe` must pass
// within a few seconds. Its output is the operator's (stdout and stderr inherited).
Status restart_target(const std::string& command, const std::function<Status()>& probe,
                      std::chrono::seconds deadline = std::chrono::seconds(60));

std::string utc_now();  // RFC 3339, for RunSummary

}  // namespace tigress::conformance
