// Saved reproducers of network-fuzzer findings: a JSON file (format tigress-netfuzz-reproducer/1,
// read back by `--replay FILE`) and a bash script that sends the same requests with curl to
// $RELAY. Both are named <class>-<8 hex digits of the finding key and steps>.
#pragma once

#include <cstdint>
#include <string>

#include "conformance/netfuzz/net_fuzz_request.hpp"
#include "conformance/netfuzz/net_fuzz_runner.hpp"
#include "common/result.hpp"

namespace tigress::fuzz {

struct Reproducer {
  Finding finding;
  NetSequence steps;  // ends with the offending request
  Bindings bindings;  // the claims (and mailbox) of the run that found it
  std::uint64_t seed = 0;
  int connection = 0;          // whose stream (--connections): 0 is the seed's own
  std::uint64_t sequence = 0;  // which sequence of that stream
  std::size_t original_steps = 0;
  bool minimised = false;
  std::string note;  // why it was not minimised, or how
};

struct SavedReproducer {
  std::string json_path;
  std::string script_path;
};

// Writes both files into `dir` (created when missing).
Result<SavedReproducer> save_reproducer(const Reproducer& reproducer, const std::string& dir);
Result<Reproducer> load_reproducer(const std::string& json_path);

// The bash/curl rendering of the steps (exposed for tests).
std::string reproducer_script(const Reproducer& reproducer);

}  // namespace tigress::fuzz
