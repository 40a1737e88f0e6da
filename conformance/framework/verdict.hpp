#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "conformance/framework/catalogue.hpp"

namespace tigress::conformance {

// BLOCKED: the case ran (or would have run) on a relay that had stopped serving, or the relay
// refused the case's positive control (the request the case varies, without the varied element);
// its outcome says nothing about the requirement it checks. Not passed, and never counted as FAIL
// or ERROR. ERROR is a suite that could not complete (no answer, a timeout); a refused setup
// request is the relay's FAIL.
enum class Verdict { kPass, kFail, kWarn, kSkip, kError, kBlocked };
std::string_view verdict_name(Verdict verdict);  // "PASS", ...

enum class Category { kMessageFormat, kAntiReplay, kExpiry, kConfidentiality, kRobustness };
std::string_view category_name(Category category);  // "message-format", ...
bool parse_category(std::string_view text, Category& out);

// One exchange with the target as the report shows it: already redacted and bounded.
struct WireExchange {
  std::string request;
  std::string response;  // or the transport error
  double elapsed_ms = 0;
};

// How a case's verdict compares with what an expectations file (--expect) says of it.
enum class ExpectationOutcome {
  kNotListed,  // no entry names the case: its verdict counts as usual
  kXfail,      // the verdict is the expected one: reported, does not fail the run
  kXpass,      // listed, but it passed: the entry is stale and fails the run unless allowed
  kUnmet,      // listed, but another non-passing verdict: counted as that verdict
};
std::string_view expectation_outcome_name(ExpectationOutcome outcome);  // "", "XFAIL", ...

struct ExpectedVerdict {
  ExpectationOutcome outcome = ExpectationOutcome::kNotListed;
  Verdict verdict = Verdict::kFail;  // what the entry expects
  std::string entry;                 // the entry's case pattern, as written
  std::string reason;
  std::string link;  // empty when the entry gives none
};

// One violation or warning as a case recorded it (already redacted and bounded): the step that
// failed in the case's own words and, when the check was about an exchange, which exchange and
// what the target answered. The reports group findings by requirement and failing step, so that
// one defect shows as one headline over the cases it broke.
struct Finding {
  Verdict kind = Verdict::kFail;  // kFail: a violation (WARN below MUST); kWarn: a warning
  std::string requirement;        // the requirement the check names; empty: the case's first
  std::string step;               // what failed, e.g. "READ(R2) after relinquish: got 500, expected 200"
  std::string exchange;           // the operation answered, e.g. "ReadMailbox"; empty: none
  int status = 0;                 // that answer's HTTP status; 0: no answer
  std::string answer;             // status, the headers that matter, the first bytes of the body
};

struct CaseResult {
  std::string id;
  std::string title;
  std::string section;
  Category category = Category::kMessageFormat;
  Level level = Level::kMust;
  std::vector<std::string> requirements;
  Verdict verdict = Verdict::kPass;
  std::string detail;             // why (redacted, bounded)
  std::vector<Finding> findings;  // the violations and warnings behind the detail, in order
  std::vector<WireExchange> wire;
  double elapsed_ms = 0;
  ExpectedVerdict expectation;
};

// What a report says of a case: "XFAIL" or "XPASS" when the expectations file decided it, else
// the verdict's name.
std::string outcome_name(const CaseResult& result);

// The tallies of a run, one bucket per case: XFAIL and XPASS cases are counted there and not
// under their verdict, so the buckets add up to the number of cases.
struct OutcomeCounts {
  int pass = 0, fail = 0, warn = 0, skip = 0, error = 0, blocked = 0, xfail = 0, xpass = 0;
  int total() const { return pass + fail + warn + skip + error + blocked + xfail + xpass; }
  // The exit status rule: nothing FAILed, ERRORed or BLOCKED, no expected failure passed
  // (unless allowed) and at least one case ran.
  bool passed(bool allow_xpass) const {
    return fail == 0 && error == 0 && blocked == 0 && (xpass == 0 || allow_xpass) && total() > 0;
  }
};
OutcomeCounts count_outcomes(const std::vector<CaseResult>& results);

}  // namespace tigress::conformance
