// The network fuzzer for any relay reachable by URL (`tigress-conform fuzz`, `tigress-netfuzz`):
// a seeded stream of valid and mutated request sequences (net_fuzz_mutators.hpp) over the
// conformance harness's WireClient, judged by net_fuzz_runner.hpp (5xx, crash, hang,
// invariant); each distinct finding is minimised by replaying it and saved as a JSON + curl
// reproducer (net_fuzz_reproducer.hpp). See conformance/netfuzz/README.md.
#pragma once
#include <string>
#include <vector>

namespace tigress::fuzz {

// Flags: net_fuzz_options.hpp (netfuzz_help()); `command_line` is the whole invocation. Prints live lines, one block
// per finding and a summary with requests/s; returns 0 when nothing was found, 1 on findings, 2 on usage errors. With
// --replay FILE: 1 when the saved finding (or another one) reproduced, 0 when not.
int run_network_fuzz(const std::vector<std::string>& args, const std::string& command_line);

}  // namespace tigress::fuzz
