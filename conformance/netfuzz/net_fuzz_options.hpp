// Command line of the network fuzzer (`tigress-conform fuzz`, `tigress-netfuzz`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <optional>

#include "conformance/framework/catalogue.hpp"
#include "conformance/preflight/preflight.hpp"
#include "conformance/reports/run_reports.hpp"
#include "harness/wire_client.hpp"
#include "common/result.hpp"

namespace tigress::fuzz {

struct NetFuzzOptions {
  std::string target;
  harness::TlsOptions tls;
  harness::ConnectionOptions connection;  // gateway flags (harness/connection_flags.hpp)
  std::uint64_t seed = 0;
  long long duration_s = 0;  // 0: no time bound (only when --sequences is given)
  long long sequences = 0;   // 0: no cap
  int steps = 12;            // most requests per sequence
  int connections = 4;       // keep-alive connections, each running its own stream of sequences
  int timeout_ms = 5000;     // one exchange; longer is a hang
  std::string out_dir = "reports/netfuzz";
  conformance::RequestedReports reports;  // --report-json and the other report flags
  std::string catalogue_path = conformance::default_catalogue_path();
  std::string command_line;  // for the reports
  std::optional<conformance::PreflightResult> preflight;
  std::string replay_file;  // --replay: run one saved reproducer instead of fuzzing
  int replay_budget = 40;   // replays per finding while minimising
  int progress_s = 5;       // seconds between live lines; 0: none
  int max_findings = 0;     // stop after this many distinct findings; 0: no limit
  // The target's Mailbox-Request-ID limit (AMB-40): longer IDs may be refused without an echo.
  // The default is the reference relay's (reference/relay/relay.hpp, RelayConfig).
  std::size_t max_request_id_bytes = 256;
};

// The --help text, generated from the flag table.
std::string netfuzz_help();

struct NetFuzzCommandLine {
  bool help = false;  // --help or -h: nothing else was checked
  NetFuzzOptions options;
};
// Defaults: --duration 60 unless --sequences is given; the seed from the clock unless given.
Result<NetFuzzCommandLine> parse_netfuzz_command_line(const std::vector<std::string>& args);
// The same, where --help is an error.
Result<NetFuzzOptions> parse_netfuzz_options(const std::vector<std::string>& args);

}  // namespace tigress::fuzz
