#include "conformance/framework/case_registry.hpp"
#include "conformance/framework/verdict.hpp"

namespace tigress::conformance {

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass: return "PASS";
    case Verdict::kFail: return "FAIL";
    case Verdict::kWarn: return "WARN";
    case Verdict::kSkip: return "SKIP";
    case Verdict::kError: return "ERROR";
  }
  return "ERROR";
}

std::string_view category_name(Category category) {
  switch (category) {
    case Category::kMessageFormat: return "message-format";
    case Category::kAntiReplay: return "anti-replay";
    case Category::kExpiry: return "expiry";
    case Category::kConfidentiality: return "confidentiality";
    case Category::kRobustness: return "robustness";
  }
  return "message-format";
}

bool parse_category(std::string_view text, Category& out) {
  for (Category c : {Category::kMessageFormat, Category::kAntiReplay, Category::kExpiry,
                     Category::kConfidentiality, Category::kRobustness}) {
    if (category_name(c) == text) {
      out = c;
      return true;
    }
  }
  return false;
}

std::vector<CaseDefinition>& case_registry() {
  static std::vector<CaseDefinition> registry;
  return registry;
}

CaseRegistrar::CaseRegistrar(CaseDefinition definition) {
  case_registry().push_back(std::move(definition));
}

}  // namespace tigress::conformance
