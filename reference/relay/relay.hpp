// The reference relay's behaviour as a transport-free core:
//   Relay::handle(Request, Clock&, Store&) -> Response
// The Boost.Beast HTTPS server (server.hpp), the fuzz targets and the model tests all drive this one function.
// Where draft-vinokurov-tigress-http-00 is ambiguous the core takes the strict reading of our
// catalogue (conformance/requirements.json, its AMB-nn ambiguities); each choice cites its AMB entry and is listed in
// README.md ("The reference relay").
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

#include "reference/codec/timestamp.hpp"
#include "reference/relay/clock.hpp"
#include "reference/relay/defects.hpp"
#include "reference/relay/http_types.hpp"
#include "reference/relay/readings.hpp"
#include "reference/relay/store.hpp"

namespace tigress::relay {

struct RelayConfig {
  // urlLink = public_base_url + "/v1/m/" + id. No trailing slash.
  std::string public_base_url = "https://localhost";
  codec::UnixSeconds default_ttl = 24 * 3600;  // when the create request has no configuration
  codec::UnixSeconds max_ttl = 48 * 3600;      // longer expirations are capped to this
  std::size_t max_body_bytes = 64 * 1024;      // larger bodies get 413 (AMB-48)
  std::size_t max_request_id_bytes = 256;      // AMB-40: any value up to a sane length
  RelayDefects defects;                        // all off: only for proving the suite works
  RelayReadings readings;                      // all off: the reference's own reading of the draft
};

class Relay {
 public:
  explicit Relay(RelayConfig config);

  // Never throws; answers 4xx with a JSON error body for every client mistake, 500 only when
  // the relay itself fails (e.g. the CSPRNG refuses), 503 when the store is unreachable.
  Response handle(const Request& request, Clock& clock, Store& store) const;

  // The answer to a request the HTTP layer refused; `seen` holds what it could read of the
  // request (at least the header fields it salvaged), so the answer echoes the request ID.
  Response refuse(HttpRefusal refusal, const Request& seen) const;

  // Deletes expired mailboxes (the periodic sweep of 4.3); handle() also sweeps first.
  void sweep(Clock& clock, Store& store) const;

  const RelayConfig& config() const { return config_; }

 private:
  Response serve(const Request& request, Clock& clock, Store& store) const;
  void echo_request_id(const std::string& id, Response& response) const;
  Response run_committed(const Request& request, Clock& clock, Store& store, bool slot_seen_free) const;

  RelayConfig config_;
  // The poison defect's state: shared by the copies of one relay, cleared only by a new process.
  std::shared_ptr<std::atomic<bool>> poisoned_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace tigress::relay
