// `tigress-conform model`: random command sequences against any relay over HTTPS, judged by the
// model of conformance/model/model.hpp; a failing sequence is shrunk and printed as a curl script
// together with the seed that reproduces it.
#pragma once

#include <string>
#include <vector>

namespace tigress::conformance {

// `args` are the arguments after the mode word; `command_line` is the whole invocation as typed
// (for the reports). Returns the process exit status: 0 when every sequence passed, 1 when one
// failed or the run could not complete, 2 for usage errors.
int run_model_mode(const std::vector<std::string>& args, const std::string& command_line);

// The mode's --help text.
std::string model_mode_usage();

}  // namespace tigress::conformance
