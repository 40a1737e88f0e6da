// The client's use of the payload AEAD (draft section 7.2, 8.2.1): key generation, sealing and
// opening as tigress-client does them, with the deliberate crypto defects of defects.hpp planted
// exactly where a careless client would make the mistake. Without defects this is a thin layer
// over reference/crypto plus the "is it Provisioning Information" check of section 7.
#pragma once

#include <string>
#include <string_view>

#include "reference/client/defects.hpp"
#include "reference/codec/bodies.hpp"
#include "reference/codec/secret.hpp"
#include "reference/codec/uuid.hpp"
#include "reference/crypto/aead.hpp"
#include "common/result.hpp"

namespace tigress::client {

// The secret of a new share and the algorithm the key really is (short-key: always 128-bit).
struct ShareKey {
  codec::Secret secret;
  crypto::AeadAlgorithm key_algorithm;
};
Result<ShareKey> generate_share_key(crypto::AeadAlgorithm requested, const ClientDefects& defects);

// Seals `plaintext` for payload.{type,data}. `key_algorithm` is the one the key was made for.
Result<codec::Payload> seal_payload(crypto::AeadAlgorithm key_algorithm, const codec::Secret& key,
                                    std::string_view plaintext, const ClientDefects& defects);

// Section 8.2.1: returns the plaintext only when the tag verifies and it is Provisioning
// Information; otherwise an error and nothing usable. (accepts-tampered breaks exactly this.)
Result<std::string> open_payload(const codec::Payload& payload, const codec::Secret& key, const ClientDefects& defects);

// The claim of a new share for `role_is_initiator` (4.1: fresh per share and role), or the
// defective derivations of same-claim-both-roles / reuses-claim-across-shares.
Result<codec::Uuid> new_device_claim(bool role_is_initiator, const codec::Secret& secret, const ClientDefects& defects);

}  // namespace tigress::client
