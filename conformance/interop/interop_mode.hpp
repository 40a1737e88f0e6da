// `tigress-conform interop`: the client x client x relay matrix (see exchange.hpp for one cell).
#pragma once

#include <string>
#include <vector>

namespace tigress::conformance::interop {

// `args` follow the word "interop". Exit status: 0 every cell passed (SKIPs allowed, at least
// one PASS), 1 otherwise, 2 usage error.
int run_interop_mode(const std::vector<std::string>& args, const std::string& command_line);
std::string interop_mode_usage();

}  // namespace tigress::conformance::interop
