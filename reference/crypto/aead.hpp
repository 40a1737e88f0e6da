// Payload encryption (draft-vinokurov-tigress-http-00 section 7.2; layout per AMB-46 of our
// digest): data = base64(IV[12] || ciphertext || tag[16]), empty AAD, AES-GCM via OpenSSL EVP.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "reference/codec/secret.hpp"
#include "common/result.hpp"

namespace tigress::crypto {

enum class AeadAlgorithm { kAes128Gcm, kAes256Gcm };

// RFC 5116 names used in payload.type: "AEAD_AES_128_GCM", "AEAD_AES_256_GCM".
std::string_view algorithm_name(AeadAlgorithm algorithm);
std::optional<AeadAlgorithm> algorithm_from_name(std::string_view name);
std::size_t key_size(AeadAlgorithm algorithm);  // 16 or 32 octets

constexpr std::size_t kIvSize = 12;
constexpr std::size_t kTagSize = 16;

// A fresh secret of the algorithm's key size from RAND_bytes.
Result<codec::Secret> generate_secret(AeadAlgorithm algorithm);

// Raw AES-GCM with caller-given IV and AAD; returns ciphertext || tag. Any IV length OpenSSL
// accepts (the Wycheproof cross-check uses this); wrong key size is an error.
Result<Bytes> aes_gcm_encrypt(const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& plaintext);
// Verifies the 16-byte tag at the end of ciphertext_and_tag; any mismatch is an error and no
// plaintext is returned.
Result<Bytes> aes_gcm_decrypt(const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& ciphertext_and_tag);

// The sealed payload as it travels in JSON: {"type": name, "data": base64(...)}.
struct SealedPayload {
  std::string type;
  std::string data;
};

// Seals with a fresh random 96-bit IV. The key size must match the algorithm.
Result<SealedPayload> seal(AeadAlgorithm algorithm, const codec::Secret& key, std::string_view plaintext);
// Same with a caller-chosen IV: only for deterministic test vectors.
Result<SealedPayload> seal_with_iv(AeadAlgorithm algorithm, const codec::Secret& key, const Bytes& iv,
                                   std::string_view plaintext);
// Checks type (known name), key size against type, strict base64, length >= 28 octets, then
// decrypts and authenticates. Returns the plaintext only when the tag verifies.
Result<std::string> open(const SealedPayload& payload, const codec::Secret& key);

}  // namespace tigress::crypto
