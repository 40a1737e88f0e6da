// tigress-conform expect: writes the expectations file a run implies (its FAIL, WARN and SKIP
// cases), so that a project can adopt the suite at once and shrink the file as it improves.
#pragma once

#include <string>
#include <vector>

namespace tigress::conformance {

std::string expect_mode_usage();
int run_expect_mode(const std::vector<std::string>& args, const std::string& command_line);

}  // namespace tigress::conformance
