// Before any case, a relay-facing mode asks whether the target can be tested at all: a TLS
// connect and one canonical exchange (CreateMailbox, ReadMailbox as the initiator,
// DeleteMailbox; draft 6.1, 6.5, 6.3) that every conforming relay answers. When it fails, the
// run tests nothing and says why once, instead of blaming every case on the relay's refusal of
// its setup (or waiting out every case's deadline against a silent port).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "harness/connection_options.hpp"
#include "harness/target_instance.hpp"
#include "harness/wire_client.hpp"

namespace tigress::conformance {

// The exit status of a run whose target could not be tested (beside 0 passed, 1 failed,
// 2 usage error).
inline constexpr int kExitUntestable = 3;

// How long each preflight step may take. Short on purpose: a canonical exchange on a healthy
// relay takes milliseconds, and a dead or silent target must end the run in seconds.
inline constexpr std::chrono::milliseconds kPreflightStepTimeout{5000};

struct PreflightResult {
  bool passed = false;
  // The target it ran against; of several, the one that failed ("URL, URL" when all passed).
  std::string target;
  std::string step;                // the step that failed ("connect", "create", "read", "delete"); empty when passed
  int status = 0;                  // the HTTP status of the failing answer; 0 when there was none
  std::string sent;                // the failing request as sent, secrets redacted, bounded
  std::string body;                // the relay's own answer body, bounded and escaped
  std::string diagnosis;           // one sentence: what went wrong at that step
  std::vector<std::string> hints;  // concrete suggestions, when one applies
  double elapsed_ms = 0;
};

// Runs the preflight against `target` with each step bounded by `step_timeout` (and never longer
// than the mode's own exchange deadline, `limits.timeout`).
PreflightResult run_preflight(const harness::Target& target, const harness::TlsOptions& tls,
                              const harness::ClientLimits& limits, const harness::ConnectionOptions& connection,
                              std::chrono::milliseconds step_timeout = kPreflightStepTimeout);

// The preflight against every instance of one deployment, in order, stopping at the first that
// fails: a run across instances cannot test the deployment when any one of them does not serve.
PreflightResult run_preflight(const std::vector<harness::TargetInstance>& instances,
                              const harness::ClientLimits& limits, const harness::ConnectionOptions& connection,
                              std::chrono::milliseconds step_timeout = kPreflightStepTimeout);

// The diagnosis as console lines (several lines, each starting with "preflight").
std::string describe_preflight(const PreflightResult& result);

// The --help paragraph on preflight and exit status 3, shared by every mode's usage text.
extern const char* const kPreflightUsage;

}  // namespace tigress::conformance
