#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "conformance/framework/catalogue.hpp"

namespace tigress::conformance {

enum class Verdict { kPass, kFail, kWarn, kSkip, kError };
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

struct CaseResult {
  std::string id;
  std::string title;
  std::string section;
  Category category = Category::kMessageFormat;
  Level level = Level::kMust;
  std::vector<std::string> requirements;
  Verdict verdict = Verdict::kPass;
  std::string detail;  // why (redacted, bounded)
  std::vector<WireExchange> wire;
  double elapsed_ms = 0;
};

}  // namespace tigress::conformance
