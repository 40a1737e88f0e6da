// Network fuzzer for any relay reachable by URL (the future `tigress-conform fuzz` mode):
// random request sequences over the conformance harness's WireClient, checked against the
// invariants of fuzz_relay.cpp that hold without clock control (no 5xx, no missing answer,
// request-ID echo, one recipient per mailbox, no payload in the preview).
#pragma once
#include <string>
#include <vector>

namespace tigress::fuzz {

// args: --target URL (--ca FILE | --insecure) [--seed N] [--sequences N] [--steps N]
//       [--timeout-ms N]. Prints one line per finding and a summary; returns 0 when nothing was
// found, 1 on findings, 2 on usage errors.
int run_network_fuzz(const std::vector<std::string>& args);

}  // namespace tigress::fuzz
