// Selects and runs the client cases: each case gets its own instrumented relay, so --jobs of
// them run side by side. Produces the same RunSummary the relay runner does, so the reports
// (conformance/reports) are written by the same code and follow the same schema.
#pragma once

#include <vector>

#include "conformance/client_cases/client_context.hpp"
#include "conformance/framework/runner.hpp"

namespace tigress::conformance::client_suite {

std::vector<const ClientCaseDefinition*> select_client_cases(const CaseFilter& filter);
RunSummary run_client_cases(const std::vector<const ClientCaseDefinition*>& cases, const ClientRunOptions& options,
                            const ProgressFn& progress);

}  // namespace tigress::conformance::client_suite
