// Findings grouped by root cause, which every report opens with: one defect is one headline with
// the cases it broke listed under it, not as many unrelated lines as there are cases.
//
// Two findings share a root cause when they are about the same requirement (the one the check
// names, else the case's first) and the same failing step: the same operation answered with the
// same status when the finding quotes an answer, else the same words. Only cases the run counts
// as FAIL or WARN contribute (an XFAIL is already known); each of their findings is in one group,
// and a case is listed once per group.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "conformance/framework/runner.hpp"

namespace tigress::conformance {

struct FindingGroup {
  std::string requirement;           // may be empty: a case that names none
  std::string step;                  // "ReadSecureContentFromMailbox answered 500", or the check's words
  Verdict verdict = Verdict::kWarn;  // FAIL when any of its cases FAILed, else WARN
  struct Member {
    std::size_t result = 0;  // index into RunSummary::results
    Finding finding;         // the case's first finding in this group
  };
  std::vector<Member> cases;  // in run order
};

// FAIL groups first, then by how many cases they hold (more first), then by requirement and step.
std::vector<FindingGroup> group_findings(const RunSummary& summary);

// "MBX-READ-05: ReadSecureContentFromMailbox answered 500 (FAIL, 3 cases)".
std::string group_headline(const FindingGroup& group);

}  // namespace tigress::conformance
