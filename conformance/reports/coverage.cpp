#include "conformance/reports/coverage.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace tigress::conformance {

std::string_view coverage_status_name(CoverageStatus status) {
  switch (status) {
    case CoverageStatus::kCoveredPass:
      return "covered-pass";
    case CoverageStatus::kCoveredFail:
      return "covered-fail";
    case CoverageStatus::kNotCovered:
      return "not-covered";
    case CoverageStatus::kUntestable:
      return "untestable";
  }
  return "not-covered";
}

std::vector<std::string> coverage_scope(std::string_view mode) {
  if (mode == "relay") return {"relay"};
  // A client run tests both roles of the client software, and the catalogue splits client
  // statements by role.
  if (mode == "client") return {"client", "initiator", "recipient"};
  return {std::string(mode)};
}

Coverage compute_coverage(const RunSummary& summary, const Catalogue& catalogue, std::string_view mode) {
  Coverage coverage;
  coverage.scope = coverage_scope(mode);

  // Our own id map rather than Catalogue::index: a catalogue assembled in code may not fill the
  // index, and the first entry wins on duplicate ids, as a reader of the file would expect.
  std::map<std::string, std::size_t, std::less<>> position;
  for (std::size_t i = 0; i < catalogue.requirements.size(); ++i) {
    position.emplace(catalogue.requirements[i].id, i);
  }

  coverage.requirements.resize(catalogue.requirements.size());
  for (std::size_t i = 0; i < catalogue.requirements.size(); ++i) {
    coverage.requirements[i].requirement = i;
  }

  std::set<std::string> unknown;
  for (std::size_t c = 0; c < summary.results.size(); ++c) {
    // A case naming the same requirement twice still counts once.
    std::set<std::string> seen;
    for (const std::string& id : summary.results[c].requirements) {
      if (!seen.insert(id).second) continue;
      auto found = position.find(id);
      if (found == position.end()) {
        unknown.insert(id);
        continue;
      }
      coverage.requirements[found->second].cases.push_back(c);
    }
  }
  coverage.unknown.assign(unknown.begin(), unknown.end());

  for (RequirementCoverage& entry : coverage.requirements) {
    const Requirement& requirement = catalogue.requirements[entry.requirement];
    entry.in_scope = std::find(coverage.scope.begin(), coverage.scope.end(), requirement.binds) != coverage.scope.end();

    bool reached = false, failed = false;
    for (std::size_t c : entry.cases) {
      switch (summary.results[c].verdict) {
        case Verdict::kPass:
        case Verdict::kWarn:
          reached = true;
          break;
        // ERROR means the relay did not let the case reach a verdict; for certification that
        // is not evidence of conformance, so it weighs like a FAIL.
        case Verdict::kFail:
        case Verdict::kError:
          reached = failed = true;
          break;
        case Verdict::kSkip:     // a SKIP checked nothing
        case Verdict::kBlocked:  // ran on a relay that had stopped serving: says nothing
          break;
      }
    }
    if (!requirement.testable) {
      entry.status = CoverageStatus::kUntestable;
    } else if (failed) {
      entry.status = CoverageStatus::kCoveredFail;
    } else if (reached) {
      entry.status = CoverageStatus::kCoveredPass;
    } else {
      entry.status = CoverageStatus::kNotCovered;
    }

    if (requirement.testable) {
      const bool covered = entry.status != CoverageStatus::kNotCovered;
      if (entry.in_scope) {
        ++coverage.testable_in_scope;
        if (covered)
          ++coverage.covered_in_scope;
        else
          coverage.uncovered.push_back(requirement.id);
      }
      if (requirement.binds == "relay") {
        ++coverage.testable_relay;
        if (covered) ++coverage.covered_relay;
      }
    }
  }
  return coverage;
}

}  // namespace tigress::conformance
