// The one load generator of the benchmarks: N keep-alive TLS clients (cpp-httplib), each doing
// one step after another until the time is up or its step runs out of work; client i talks to
// target i mod the number of targets, so the load spreads evenly over several relays.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace tigress::bench {

struct LoadTarget {
  int port = 0;         // on 127.0.0.1
  std::string ca_file;  // PEM the server's certificate chains to
};

enum class StepOutcome {
  kOk,
  kFailed,     // an error or an unexpected answer: counted, not timed
  kExhausted,  // this client has no more work (e.g. no mailbox left to delete): it stops
};

// One request of client number `client` (0..clients-1) over its own connection.
using Step = std::function<StepOutcome(httplib::SSLClient& connection, int client)>;

struct LoadResult {
  std::uint64_t requests = 0;  // answered as expected
  std::uint64_t failures = 0;
  double seconds = 0;  // until the last client stopped
  double p50_ms = 0;
  double p99_ms = 0;
  // CPU time of the client threads, and of this whole process over the same span: on a shared
  // machine the rate swings with scheduling, while the CPU that the rest of the process (an
  // in-process server) spends per request is a steadier measure of its cost.
  double client_cpu_seconds = 0;
  double process_cpu_seconds = 0;

  double requests_per_second() const { return seconds > 0 ? static_cast<double>(requests) / seconds : 0.0; }
  // CPU per answered request of every thread but the clients; 0 without requests.
  double other_threads_cpu_microseconds_per_request() const;
  nlohmann::json to_json() const;
};

// A keep-alive client of `target` that verifies its certificate.
std::unique_ptr<httplib::SSLClient> connect(const LoadTarget& target);

// `clients` clients doing `step` for `seconds`.
LoadResult run_load(const std::vector<LoadTarget>& targets, int clients, double seconds, const Step& step);

}  // namespace tigress::bench
