// `tigress-conform relay`: the relay conformance cases against --target URL.
#pragma once

#include <string>
#include <vector>

namespace tigress::conformance {

std::string relay_mode_usage();
std::string relay_mode_options();  // the option lines only (the top-level help shows them)
int run_relay_mode(const std::vector<std::string>& args, const std::string& command_line);

}  // namespace tigress::conformance
