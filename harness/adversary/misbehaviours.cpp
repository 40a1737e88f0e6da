#include "harness/adversary/misbehaviours.hpp"

namespace tigress::harness::adversary {

const std::vector<Misbehaviour>& misbehaviour_catalogue() {
  using enum Trick;
  using O = Operation;
  static const std::vector<Misbehaviour> table{
      {"tamper-ciphertext", kTamperCiphertext, O::kRead, 0,
       "flips one bit of the ciphertext in every Read's payload.data"},
      {"tamper-tag", kTamperTag, O::kRead, 0, "flips one bit of the GCM tag in every Read's payload.data"},
      {"tamper-iv", kTamperIv, O::kRead, 0, "flips one bit of the IV in every Read's payload.data"},
      {"truncate-payload", kTruncatePayload, O::kRead, 0,
       "cuts every Read's payload.data to 20 bytes (shorter than IV and tag)"},
      {"wrong-algorithm", kWrongAlgorithm, O::kRead, 0,
       "swaps AEAD_AES_128_GCM and AEAD_AES_256_GCM in every Read's payload.type"},
      {"malformed-json", kMalformedJson, O::kRead, 0, "cuts every Read's JSON body in half"},
      {"wrong-content-type", kWrongContentType, O::kRead, 0,
       "labels every Read's (correct) JSON body Content-Type: text/plain"},
      {"drop-create-response-once", kDropResponse, O::kCreate, 1,
       "processes the first Create, then closes the connection without answering"},
      {"drop-read-response-once", kDropResponse, O::kRead, 1,
       "processes the first Read, then closes the connection without answering"},
      {"drop-update-response-once", kDropResponse, O::kUpdate, 1,
       "processes the first Update, then closes the connection without answering"},
      {"drop-every-response", kDropResponse, std::nullopt, 0, "processes every request and never answers one"},
      {"mismatched-request-id", kMismatchedRequestId, O::kRead, 0,
       "echoes another UUID as Mailbox-Request-ID on every Read"},
      {"mismatched-request-id-on-create", kMismatchedRequestId, O::kCreate, 0,
       "echoes another UUID as Mailbox-Request-ID on every Create"},
      {"missing-echo", kMissingEcho, O::kRead, 0, "leaves Mailbox-Request-ID off every Read response"},
      {"stale-replay", kStaleReplay, O::kRead, 0,
       "answers every Read with the first payload the mailbox held (an older message)"},
      {"oversized-response", kOversizedResponse, O::kRead, 0,
       "pads every Read's JSON body with a member of several MiB"},
      {"slow-response", kSlowResponse, std::nullopt, 0, "holds every answer back for the stall time"},
      {"force-401", kForceUnauthorized, O::kRead, 0, "answers every Read 401 without processing it"},
      {"force-401-on-create", kForceUnauthorized, O::kCreate, 0, "answers every Create 401 without processing it"},
      {"force-401-on-update", kForceUnauthorized, O::kUpdate, 0, "answers every Update 401 without processing it"},
      {"force-401-on-delete", kForceUnauthorized, O::kDelete, 0, "answers every Delete 401 without processing it"},
      {"force-401-on-relinquish", kForceUnauthorized, O::kRelinquish, 0,
       "answers every Relinquish 401 without processing it"},
      {"redirect-307-other-origin", kRedirect307OtherOrigin, O::kRead, 0,
       "answers every Read 307 to the same path under /redirected on https://localhost:PORT (another origin)"},
      {"redirect-308-other-origin", kRedirect308OtherOrigin, O::kRead, 0,
       "answers every Read 308 to the same path under /redirected on https://localhost:PORT (another origin)"},
      {"redirect-307-same-origin", kRedirect307SameOrigin, O::kRead, 0,
       "answers every Read 307 to the same path under /redirected on the relay's own origin"},
      {"url-link-other-origin", kUrlLinkOtherOrigin, O::kCreate, 0,
       "answers every Create with a urlLink on https://localhost:PORT, not the address the client was given"},
      {"force-404-expired", kExpireFirst, O::kRead, 0,
       "moves the relay's clock past every expiration before a Read, which then answers 404"},
  };
  return table;
}

const Misbehaviour* find_misbehaviour(std::string_view name) {
  for (const auto& entry : misbehaviour_catalogue()) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

}  // namespace tigress::harness::adversary
