#include "conformance/framework/case_metadata.hpp"

#include <algorithm>

namespace tigress::conformance {

std::string case_id_section(const std::string& id, CaseSuite suite) {
  constexpr std::string_view kClientPrefix = "client/";
  std::string_view rest(id);
  if (suite == CaseSuite::kClient) {
    if (rest.substr(0, kClientPrefix.size()) != kClientPrefix) return {};
    rest.remove_prefix(kClientPrefix.size());
  }
  const auto slash = rest.find('/');
  return slash == std::string_view::npos ? std::string() : std::string(rest.substr(0, slash));
}

std::vector<std::string> case_metadata_problems(const CaseDefinition& definition, const Catalogue& catalogue,
                                                CaseSuite suite) {
  std::vector<std::string> problems;
  const std::string& id = definition.id;
  const std::string id_section = case_id_section(id, suite);
  if (id_section.empty()) {
    problems.push_back("case " + id + ": the id has no section segment (" +
                       (suite == CaseSuite::kClient ? "client/SECTION/name" : "SECTION/name") + ")");
  } else if (id_section != definition.section) {
    problems.push_back("case " + id + ": the id names section " + id_section + " but the case declares section " +
                       definition.section);
  }
  if (definition.requirements.empty()) problems.push_back("case " + id + " cites no requirement");
  std::vector<Level> cited_levels;
  for (const auto& cited : definition.requirements) {
    const Requirement* requirement = catalogue.find(cited);
    if (requirement == nullptr) {
      problems.push_back("case " + id + " cites " + cited + ", which the catalogue lacks");
      continue;
    }
    cited_levels.push_back(requirement->level);
    const std::string& binds = requirement->binds;
    if (suite == CaseSuite::kClient && binds != "client" && binds != "initiator" && binds != "recipient") {
      problems.push_back("case " + id + " cites " + cited + ", which binds " + binds);
    }
  }
  if (!cited_levels.empty() &&
      std::find(cited_levels.begin(), cited_levels.end(), definition.level) == cited_levels.end()) {
    std::string levels;
    for (const auto& cited : definition.requirements) {
      if (const Requirement* requirement = catalogue.find(cited)) {
        levels += (levels.empty() ? "" : ", ") + cited + " " + std::string(level_name(requirement->level));
      }
    }
    problems.push_back("case " + id + " is " + std::string(level_name(definition.level)) +
                       " but none of its requirements is (" + levels + ")");
  }
  return problems;
}

Result<std::vector<std::string>> checked_case_ids(CaseSuite suite, const Catalogue& catalogue) {
  std::vector<std::string> ids;
  for (const CaseDefinition* definition : suite_cases(suite)) {
    const auto problems = case_metadata_problems(*definition, catalogue, suite);
    if (!problems.empty()) return make_error(problems.front());
    ids.push_back(definition->id);
  }
  return ids;
}

}  // namespace tigress::conformance
