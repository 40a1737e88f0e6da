#include "conformance/client_cases/client_runner.hpp"

#include <algorithm>
#include <chrono>
#include <exception>

#include "conformance/framework/case_context.hpp"

namespace tigress::conformance::client_suite {
namespace {

CaseResult run_one(const ClientCaseDefinition& definition, const ClientRunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ClientCaseContext ctx(definition, options);
  Verdict stopped = Verdict::kPass;
  std::string reason;
  try {
    ctx.start();
    definition.body(ctx);
  } catch (const CaseStop& stop) {
    stopped = stop.verdict;
    reason = stop.reason;
  } catch (const std::exception& e) {
    stopped = Verdict::kError;
    reason = std::string("case aborted: ") + e.what();
  }
  const double elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return ctx.finish(stopped, reason, elapsed);
}

}  // namespace

std::vector<ClientCaseDefinition>& client_case_registry() {
  static std::vector<ClientCaseDefinition> registry;
  return registry;
}

ClientCaseRegistrar::ClientCaseRegistrar(ClientCaseDefinition definition) {
  client_case_registry().push_back(std::move(definition));
}

std::vector<const ClientCaseDefinition*> select_client_cases(const CaseFilter& filter) {
  std::vector<const ClientCaseDefinition*> selected;
  for (const auto& definition : client_case_registry()) {
    if (filter.matches(definition.describe)) selected.push_back(&definition);
  }
  std::sort(selected.begin(), selected.end(),
            [](const auto* a, const auto* b) { return a->describe.id < b->describe.id; });
  return selected;
}

RunSummary run_client_cases(const std::vector<const ClientCaseDefinition*>& cases, const ClientRunOptions& options,
                            const ProgressFn& progress) {
  return run_indexed_cases(
      cases.size(), options.jobs, nullptr, [&](std::size_t i) { return run_one(*cases[i], options); }, progress);
}

}  // namespace tigress::conformance::client_suite
