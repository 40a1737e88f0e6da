#include "conformance/reports/finding_groups.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace tigress::conformance {
namespace {

bool counted_as_finding(const CaseResult& result) {
  if (result.expectation.outcome == ExpectationOutcome::kXfail ||
      result.expectation.outcome == ExpectationOutcome::kXpass) {
    return false;
  }
  return result.verdict == Verdict::kFail || result.verdict == Verdict::kWarn;
}

std::string step_of(const Finding& finding) {
  if (finding.exchange.empty() || finding.status == 0) return finding.step;
  return finding.exchange + " answered " + std::to_string(finding.status);
}

// A FAIL or WARN case that recorded no finding (a result made outside the recorder): its first
// detail line stands for one.
Finding finding_from_detail(const CaseResult& result) {
  Finding finding;
  finding.kind = result.verdict;
  finding.step = result.detail.substr(0, result.detail.find('\n'));
  return finding;
}

}  // namespace

std::vector<FindingGroup> group_findings(const RunSummary& summary) {
  std::map<std::pair<std::string, std::string>, FindingGroup> groups;
  for (std::size_t i = 0; i < summary.results.size(); ++i) {
    const CaseResult& result = summary.results[i];
    if (!counted_as_finding(result)) continue;
    std::vector<Finding> findings = result.findings;
    if (findings.empty()) findings.push_back(finding_from_detail(result));
    for (const Finding& finding : findings) {
      std::string requirement = finding.requirement;
      if (requirement.empty() && !result.requirements.empty()) requirement = result.requirements.front();
      const std::string step = step_of(finding);
      FindingGroup& group = groups[{requirement, step}];
      group.requirement = requirement;
      group.step = step;
      if (result.verdict == Verdict::kFail) group.verdict = Verdict::kFail;
      if (group.cases.empty() || group.cases.back().result != i) group.cases.push_back({i, finding});
    }
  }
  std::vector<FindingGroup> out;
  out.reserve(groups.size());
  for (auto& [key, group] : groups) out.push_back(std::move(group));
  std::stable_sort(out.begin(), out.end(), [](const FindingGroup& a, const FindingGroup& b) {
    if (a.verdict != b.verdict) return a.verdict == Verdict::kFail;
    return a.cases.size() > b.cases.size();
  });
  return out;
}

std::string group_headline(const FindingGroup& group) {
  std::string headline = group.requirement.empty() ? std::string("(no requirement)") : group.requirement;
  headline += ": " + group.step + " (" + std::string(verdict_name(group.verdict)) + ", " +
              std::to_string(group.cases.size()) + (group.cases.size() == 1 ? " case)" : " cases)");
  return headline;
}

}  // namespace tigress::conformance
