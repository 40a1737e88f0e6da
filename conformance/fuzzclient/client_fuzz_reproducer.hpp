// Saved findings of the client response fuzzer: one JSON file (format
// tigress-fuzz-client-reproducer/1) holding the finding, the shim commands and the answer
// sequence (the mutations by operation and ordinal, and each answer as it was sent), read back
// by `tigress-conform fuzz-client --replay FILE`. Named <class>-<8 hex digits>.json.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "conformance/fuzzclient/client_fuzz_scenario.hpp"
#include "common/result.hpp"

namespace tigress::fuzz::client {

struct ClientReproducer {
  ClientFinding finding;
  std::uint64_t seed = 0;      // the campaign's
  std::uint64_t scenario = 0;  // which scenario of the seed's stream
  bool full = false;           // the scenario ran send and the initiator's read too
  std::vector<std::string> commands;
  std::vector<PlannedMutation> mutations;
  std::vector<SentAnswer> answers;  // of the (minimised) run that was saved
  std::size_t original_mutations = 0;
  bool minimised = false;
  std::string note;
};

Result<std::string> save_client_reproducer(const ClientReproducer& reproducer, const std::string& dir);
Result<ClientReproducer> load_client_reproducer(const std::string& path);

}  // namespace tigress::fuzz::client
