// `tigress-conform client --shim "CMD ..."`: the client conformance suite. Each case starts an
// instrumented relay in-process (TLS on 127.0.0.1, its own CA handed to the shim with --ca) and
// drives the shim (harness/SHIM.md) through complete exchanges, provoking it with the
// misbehaviours of harness/adversary/misbehaviours.hpp.
#pragma once

#include <string>
#include <vector>

namespace tigress::conformance {

// `args` follow the mode word; `command_line` is the whole invocation (for the reports). Exit
// status: 0 when nothing FAILed or ERRORed and at least one case ran, 1 otherwise, 2 for usage.
int run_client_mode(const std::vector<std::string>& args, const std::string& command_line);

std::string client_mode_usage();

}  // namespace tigress::conformance
