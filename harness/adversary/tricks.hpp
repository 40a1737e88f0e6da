// The response rewrites behind the misbehaviours that change what the relay says (rather than
// when or whether it says it): payload tampering, a false algorithm, broken JSON, a wrong media
// type, a false echo, padding. Each returns false when the response offers nothing to rewrite
// (e.g. an error without payload), so the misbehaviour stays armed for the next one.
#pragma once

#include <cstddef>
#include <string>

#include "harness/adversary/misbehaviours.hpp"
#include "reference/relay/http_types.hpp"

namespace tigress::harness::adversary {

bool rewrite_response(Trick trick, relay::Response& response, std::size_t oversized_bytes,
                      const std::string& stale_payload_json);

}  // namespace tigress::harness::adversary
