// tigress-netfuzz: stand-alone entry point of the network fuzzer (net_fuzz.hpp), the same as
// `tigress-conform fuzz`, for CI jobs and farms that want only the fuzzer.
#include <csignal>
#include <string>
#include <vector>

#include "conformance/netfuzz/net_fuzz.hpp"
#include "harness/connection_flags.hpp"

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a relay closing mid-write must not kill the fuzzer
  const std::vector<std::string> argv_words(argv, argv + argc);
  return tigress::fuzz::run_network_fuzz(std::vector<std::string>(argv_words.begin() + 1, argv_words.end()),
                                         tigress::harness::command_line_for_reports(argv_words));
}
