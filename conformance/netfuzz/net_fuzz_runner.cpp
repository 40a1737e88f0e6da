// Sequence execution; the relay model judges the answers (net_fuzz_runner.hpp).
#include "conformance/netfuzz/net_fuzz_runner.hpp"

#include <chrono>
#include <thread>

#include "conformance/model/observed.hpp"
#include "harness/protocol/vocabulary.hpp"
#include "harness/redaction.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::fuzz {
namespace {

model::Seconds wall_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// WireClient reports an expired deadline as "timeout after N ms (...)": that is the only
// failure that means "no complete answer in time" rather than "connection failed".
bool is_timeout(const Error& error) { return error.message().rfind("timeout after", 0) == 0; }

}  // namespace

bool SequenceRunner::relay_alive() {
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto claim = codec::generate_uuid_v4();
    if (!claim) continue;
    const harness::HttpRequest probe = protocol::build_request(
        protocol::Endpoint::kCreate, protocol::collection_path(client_.target().base_path),
        {claim->to_string(), "netfuzz-liveness",
         R"({"payload":{"type":"AEAD_AES_128_GCM","data":"bGl2ZW5lc3M"},)"
         R"("displayInformation":{"title":"liveness","description":"probe","imageURL":"https://example.com/i"}})"});
    ++requests_;
    auto response = client_.send(probe);
    if (response && response->status < 500) return true;
  }
  return false;
}

std::optional<Finding> SequenceRunner::run(const NetSequence& steps, Bindings bindings) {
  bindings_ = std::move(bindings);
  model_.emplace(model_options_);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const NetRequest& request = steps[i];
    const harness::HttpRequest sent = to_http(request, bindings_, client_.target().base_path);
    ++requests_;
    const model::Seconds sent_at = wall_seconds();
    auto response = session_.send(sent);
    connections_opened_.store(session_.connections_opened(), std::memory_order_relaxed);
    sessions_resumed_.store(session_.sessions_resumed(), std::memory_order_relaxed);
    std::optional<Finding> finding;
    if (!response) {
      const std::string reason = harness::printable(response.error().message(), 200);
      if (!relay_alive()) {
        finding = Finding{"crash", endpoint_of(request), "relay-down",
                          "no answer (" + reason + ") and the liveness probe failed", 0};
      } else if (is_timeout(response.error())) {
        finding = Finding{"hang", endpoint_of(request), "timeout", reason + "; the relay still answers probes", 0};
      } else {
        finding = Finding{"invariant", endpoint_of(request), "no-answer", "no HTTP answer: " + reason, 0};
      }
    } else {
      finding = judge(request, sent, *response, sent_at, static_cast<int>(i) + 1);
    }
    if (finding) {
      finding->step = static_cast<int>(i);
      return finding;
    }
  }
  return std::nullopt;
}

std::optional<Finding> SequenceRunner::judge(const NetRequest& request, const harness::HttpRequest& sent,
                                             const harness::HttpResponse& response, model::Seconds sent_at, int step) {
  // The relay routes what follows the base path, possibly after a front end decoded it.
  const std::string routed = protocol::normalise_target(sent.target.substr(client_.target().base_path.size()));
  model::Request described = model::describe_request(*model_, sent, routed, sent_at, wall_seconds() + 1, true);
  described.step = step;
  const model::Outcome outcome =
      model_->step(described, model::describe_response(response.status, response.headers, response.body));
  if (!outcome.ok) {
    const bool server_error = response.status >= 500 && response.status <= 599;
    const std::string status = std::to_string(response.status);
    return Finding{server_error ? "5xx" : "invariant", endpoint_of(request),
                   server_error           ? status
                   : outcome.rule.empty() ? std::string("model")
                                          : outcome.rule,
                   "status " + status + ": " + harness::printable(outcome.violation, 200) +
                       (server_error ? " " + harness::printable(response.body, 120) : std::string()),
                   0};
  }
  // ${MAILBOX} is the mailbox of the sequence's first successful Create.
  if (bindings_.mailbox.empty() && described.op == protocol::Endpoint::kCreate) {
    bindings_.mailbox = model::slot_mailbox_id(*model_, model_->slot_count() - 1);
  }
  return std::nullopt;
}

}  // namespace tigress::fuzz
