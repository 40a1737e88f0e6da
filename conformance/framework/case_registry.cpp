#include "conformance/framework/case_registry.hpp"

namespace tigress::conformance {

std::vector<CaseDefinition>& case_registry() {
  static std::vector<CaseDefinition> registry;
  return registry;
}

std::vector<const CaseDefinition*> suite_cases(CaseSuite suite) {
  std::vector<const CaseDefinition*> cases;
  for (const auto& definition : case_registry()) {
    if (definition.suite() == suite) cases.push_back(&definition);
  }
  return cases;
}

CaseRegistrar::CaseRegistrar(CaseDefinition definition) { case_registry().push_back(std::move(definition)); }

CaseResult result_naming(const CaseDefinition& definition) {
  CaseResult result;
  result.id = definition.id;
  result.title = definition.title;
  result.section = definition.section;
  result.category = definition.category;
  result.level = definition.level;
  result.requirements = definition.requirements;
  return result;
}

}  // namespace tigress::conformance
