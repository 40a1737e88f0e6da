#include "conformance/framework/verdict.hpp"

namespace tigress::conformance {

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "PASS";
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kWarn:
      return "WARN";
    case Verdict::kSkip:
      return "SKIP";
    case Verdict::kError:
      return "ERROR";
    case Verdict::kBlocked:
      return "BLOCKED";
  }
  return "ERROR";
}

std::string_view expectation_outcome_name(ExpectationOutcome outcome) {
  switch (outcome) {
    case ExpectationOutcome::kNotListed:
      return "";
    case ExpectationOutcome::kXfail:
      return "XFAIL";
    case ExpectationOutcome::kXpass:
      return "XPASS";
    case ExpectationOutcome::kUnmet:
      return "UNMET";
  }
  return "";
}

std::string outcome_name(const CaseResult& result) {
  switch (result.expectation.outcome) {
    case ExpectationOutcome::kXfail:
    case ExpectationOutcome::kXpass:
      return std::string(expectation_outcome_name(result.expectation.outcome));
    case ExpectationOutcome::kNotListed:
    case ExpectationOutcome::kUnmet:
      break;
  }
  return std::string(verdict_name(result.verdict));
}

OutcomeCounts count_outcomes(const std::vector<CaseResult>& results) {
  OutcomeCounts counts;
  for (const CaseResult& result : results) {
    if (result.expectation.outcome == ExpectationOutcome::kXfail) {
      ++counts.xfail;
      continue;
    }
    if (result.expectation.outcome == ExpectationOutcome::kXpass) {
      ++counts.xpass;
      continue;
    }
    switch (result.verdict) {
      case Verdict::kPass:
        ++counts.pass;
        break;
      case Verdict::kFail:
        ++counts.fail;
        break;
      case Verdict::kWarn:
        ++counts.warn;
        break;
      case Verdict::kSkip:
        ++counts.skip;
        break;
      case Verdict::kError:
        ++counts.error;
        break;
      case Verdict::kBlocked:
        ++counts.blocked;
        break;
    }
  }
  return counts;
}

std::string_view category_name(Category category) {
  switch (category) {
    case Category::kMessageFormat:
      return "message-format";
    case Category::kAntiReplay:
      return "anti-replay";
    case Category::kExpiry:
      return "expiry";
    case Category::kConfidentiality:
      return "confidentiality";
    case Category::kRobustness:
      return "robustness";
  }
  return "message-format";
}

bool parse_category(std::string_view text, Category& out) {
  for (Category c : {Category::kMessageFormat, Category::kAntiReplay, Category::kExpiry, Category::kConfidentiality,
                     Category::kRobustness}) {
    if (category_name(c) == text) {
      out = c;
      return true;
    }
  }
  return false;
}

}  // namespace tigress::conformance
