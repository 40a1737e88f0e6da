// Replays one protocol transcript of vectors/transcripts/ (schema transcript_schema_v1.json)
// against a relay: fresh values are drawn per replay, ${name} placeholders are substituted,
// captures are taken from answers, marks record instants a request names (an expiration), and
// every answer is judged against the statuses the transcript allows (those of beforeInstant too
// when it was sent before that instant), the header checks on the statuses they are stated for,
// and the body checks on 2xx.
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/wire_client.hpp"

namespace tigress::conformance {

struct ReplayOutcome {
  std::string name;  // the transcript's name
  std::string file;  // where it was read from
  bool passed = false;
  int steps_run = 0;
  int steps_total = 0;
  std::string first_mismatch;  // empty when passed; bounded, escaped and redacted
  double elapsed_ms = 0;
};

// Never throws; a malformed transcript fails with the reason. `expiry_grace` (--expiry-grace,
// AMB-16) is what an instant with plusExpiryGrace adds: the waits and the acceptances of
// expiry are stated in terms of it, not in fixed seconds.
ReplayOutcome replay_transcript(const nlohmann::json& transcript, const std::string& file,
                                const harness::WireClient& client, std::chrono::seconds expiry_grace);

}  // namespace tigress::conformance
