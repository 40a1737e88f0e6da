// `tigress-conform fuzz-client --shim CMD`: the client response fuzzer. The instrumented relay
// (harness/adversary) answers a client shim (harness/SHIM.md) with structure-aware mutations
// (answer_mutation.hpp) through share / receive / send / read scenarios
// (client_fuzz_scenario.hpp); a crash, a hang or unauthenticated output is a finding, minimised
// by replaying subsets of its mutations and saved as a JSON reproducer for --replay FILE.
// The run's reports are the suite's (JSON, JUnit, HTML, Markdown, bundle): one result per
// finding class, fuzz-client/crash, fuzz-client/hang and fuzz-client/wrong-output.
#pragma once

#include <string>
#include <vector>

namespace tigress::fuzz::client {

// Exit status: 0 nothing found, 1 findings, 2 usage errors, 3 the shim could not be tested (an
// unmutated share and receive did not succeed). With --replay FILE: 1 when the saved finding
// (or another one) reproduced, 0 when not.
int run_client_fuzz_mode(const std::vector<std::string>& args, const std::string& command_line);

std::string client_fuzz_usage();

}  // namespace tigress::fuzz::client
