// Requirement coverage: which catalogue entries this run's cases exercised, and how they fared.
// Shared by the JSON and HTML reports so both state the same numbers.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/framework/catalogue.hpp"
#include "conformance/framework/runner.hpp"

namespace tigress::conformance {

enum class CoverageStatus {
  kCoveredPass,  // at least one case reached PASS or WARN, none FAIL or ERROR
  kCoveredFail,  // at least one case ended FAIL or ERROR: exercised, and not shown to conform
  kNotCovered,   // testable, but no case reached a verdict on it (none ran, or all SKIPped)
  kUntestable,   // the catalogue marks it untestable (black-box), whatever cases say
};
std::string_view coverage_status_name(CoverageStatus status);  // "covered-pass", ...

struct RequirementCoverage {
  std::size_t requirement = 0;     // index into Catalogue::requirements
  std::vector<std::size_t> cases;  // indices into RunSummary::results, in run order
  CoverageStatus status = CoverageStatus::kNotCovered;
  bool in_scope = false;  // binds one of Coverage::scope
};

struct Coverage {
  std::vector<std::string> scope;                 // the "binds" values this run's mode answers for
  std::vector<RequirementCoverage> requirements;  // one per catalogue entry, catalogue order
  int testable_in_scope = 0, covered_in_scope = 0;
  // Always over binds == "relay", whatever the mode (the certification headline for relays).
  int testable_relay = 0, covered_relay = 0;
  std::vector<std::string> uncovered;  // in scope, testable, kNotCovered; catalogue order
  std::vector<std::string> unknown;    // named by a case but absent from the catalogue; sorted
};

// The binds values a mode is accountable for: "relay" -> {"relay"}; "client" -> {"client",
// "initiator", "recipient"}; any other mode -> {mode} (e.g. "initiator" alone).
std::vector<std::string> coverage_scope(std::string_view mode);

// Indices in the result refer to the arguments, which must outlive its use.
Coverage compute_coverage(const RunSummary& summary, const Catalogue& catalogue, std::string_view mode);

}  // namespace tigress::conformance
