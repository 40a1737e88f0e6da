// The network fuzzer's run summary, for the one report writer (conformance/reports): its own
// members of the JSON report (SCHEMA.md, mode fuzz) and one case per distinct finding.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "conformance/netfuzz/net_fuzz_mutators.hpp"
#include "conformance/netfuzz/net_fuzz_runner.hpp"
#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "conformance/framework/runner.hpp"

namespace tigress::fuzz {

struct ReportedFinding {
  Finding finding;
  std::uint64_t occurrences = 0;
  std::string reproducer_json;  // empty when it could not be saved
  std::string reproducer_script;
  std::size_t steps = 0;
  std::size_t original_steps = 0;
  bool minimised = false;
  std::string note;
  // A crash with several connections: the sequences the other connections had in flight when the
  // relay went down (saved like the reproducer); one of them, or the reproducer, crashed it.
  std::vector<std::string> candidates;
};

struct RunSummary {
  std::string target;
  std::uint64_t seed = 0;
  long long duration_limit_s = 0;
  long long sequence_limit = 0;
  double elapsed_s = 0;
  std::uint64_t sequences = 0;
  std::uint64_t requests = 0;       // everything sent: fuzzing, probes and minimising replays
  std::uint64_t fuzz_requests = 0;  // the generated stream only
  double fuzz_seconds = 0;          // time spent sending the generated stream, summed over the
                                    // connections: fuzz_requests_per_s is one connection's rate
  bool target_down = false;
  int connections = 1;                   // --connections
  std::uint64_t connections_opened = 0;  // TLS handshakes for the sequences (keep-alive reuse)
  std::uint64_t sessions_resumed = 0;    // of those, abbreviated by a session ticket
  std::array<std::uint64_t, kMutationClassCount> mutations{};
  std::vector<ReportedFinding> findings;  // one per distinct key, in order of discovery

  double requests_per_second() const { return elapsed_s > 0 ? static_cast<double>(requests) / elapsed_s : 0; }
  std::map<std::string, std::uint64_t> by_class() const;  // all four classes, zero included
};

// The JSON report's fuzz members: target, seed, duration_limit_s, sequence_limit, duration_s,
// sequences, requests, requests_per_s, fuzz_requests, fuzz_requests_per_s, target_down,
// mutations, findings.
nlohmann::json report_members(const RunSummary& summary);
// One FAIL case per distinct finding (fuzz/CLASS/ENDPOINT/WHAT); one PASS case fuzz/campaign
// when there is none.
conformance::RunSummary report_cases(const RunSummary& summary);

}  // namespace tigress::fuzz
