// Runs one request sequence against the target and judges every answer. Finding classes:
//   5xx        the relay answered 500-599;
//   crash      an exchange failed and a liveness probe (a fresh valid Create on a new
//              connection) failed too: the relay is down;
//   hang       no complete answer within the timeout while the relay still answers probes;
//   invariant  a request got no HTTP answer at all (the relay alive), or the relay model
//              (conformance/model) refused an answer: each request is described to it as an
//              unvouched one (any 4xx refusal fits), so what it finds are the rules that hold
//              without clock control, e.g. a Mailbox-Request-ID not echoed (5.1, AMB-05 strict),
//              a second recipient bound (4.1, 8.1.1), the stored payload outside a Read (6.4,
//              8.1.3), a deleted mailbox still served (6.3), a Create 200 without a valid body
//              (6.1.6). The finding's `what` is the requirement the model cites first.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "conformance/model/model.hpp"
#include "conformance/netfuzz/net_fuzz_request.hpp"
#include "harness/framing_calibration.hpp"
#include "harness/wire_client.hpp"
#include "harness/wire_session.hpp"

namespace tigress::fuzz {

struct Finding {
  std::string finding_class;  // 5xx, crash, hang, invariant
  std::string endpoint;       // endpoint_of() of the offending request
  std::string what;           // the status ("503"), "no-answer", or the requirement ("MBX-RID-03")
  std::string detail;         // one line, bounded and escaped (target bytes are untrusted)
  int step = 0;               // index of the offending request in its sequence

  // Findings with the same key are one bug: only the first is saved.
  std::string key() const { return finding_class + " " + endpoint + " " + what; }
};

class SequenceRunner {
 public:
  // `model` configures the oracle: the relay's request-ID limit (AMB-40), the echo reading.
  // The sequences go over one keep-alive connection (harness::WireSession, with the campaign's
  // framing calibration of the target: the minimiser and --replay use the same policy);
  // liveness probes always over a fresh one.
  SequenceRunner(const harness::WireClient& client, harness::FramingCalibration& calibration, model::ModelOptions model)
      : client_(client), session_(client, &calibration), model_options_(model) {}

  // Sends the steps in order with `bindings` (its mailbox is filled in by the first successful
  // Create) and returns the first finding; the rest of the sequence is then skipped.
  std::optional<Finding> run(const NetSequence& steps, Bindings bindings);

  // A fresh valid Create on a new connection answered (any status below 500)?
  bool relay_alive();

  // These may be read from another thread while the runner runs (live progress lines).
  std::uint64_t requests() const { return requests_.load(std::memory_order_relaxed); }
  std::uint64_t connections_opened() const { return connections_opened_.load(std::memory_order_relaxed); }
  std::uint64_t sessions_resumed() const { return sessions_resumed_.load(std::memory_order_relaxed); }

 private:
  std::optional<Finding> judge(const NetRequest& request, const harness::HttpRequest& sent,
                               const harness::HttpResponse& response, model::Seconds sent_at, int step);

  const harness::WireClient& client_;
  harness::WireSession session_;
  model::ModelOptions model_options_;
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> connections_opened_{0};
  std::atomic<std::uint64_t> sessions_resumed_{0};
  // State of the sequence being run.
  Bindings bindings_;
  std::optional<model::RelayModel> model_;
};

}  // namespace tigress::fuzz
