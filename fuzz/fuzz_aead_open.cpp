// AEAD payload open (reference/crypto/aead.hpp). Input layout:
//   byte 0      payload.type: 0 AEAD_AES_128_GCM, 1 AEAD_AES_256_GCM, 2 a string from the input
//   byte 1      key length (mod 41) followed by that many key bytes
//   [type]      when byte 0 selects it: a length-prefixed type string
//   rest        payload.data
// Invariants: open never crashes on any input; when it succeeds, sealing the plaintext again
// with the same key and the IV taken from the framing reproduces payload.data exactly (the
// framing is canonical: strict base64, IV || ciphertext || tag).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_input.hpp"
#include "reference/codec/base64.hpp"
#include "reference/crypto/aead.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace crypto = tigress::crypto;
  using tigress::fuzz::require;
  tigress::fuzz::FuzzInput in(data, size);
  const std::uint8_t type_choice = in.byte() % 3;
  const std::string key_text = in.str(40);
  crypto::SealedPayload payload;
  if (type_choice == 0) payload.type = "AEAD_AES_128_GCM";
  if (type_choice == 1) payload.type = "AEAD_AES_256_GCM";
  if (type_choice == 2) payload.type = in.str(32);
  payload.data = in.rest();
  const tigress::codec::Secret key(tigress::Bytes(key_text.begin(), key_text.end()));

  auto plaintext = crypto::open(payload, key);
  if (!plaintext.ok()) return 0;
  const auto algorithm = crypto::algorithm_from_name(payload.type);
  require(algorithm.has_value());
  auto framed = tigress::codec::base64_decode(payload.data);
  require(framed.ok() && framed->size() >= crypto::kIvSize + crypto::kTagSize);
  const tigress::Bytes iv(framed->begin(), framed->begin() + crypto::kIvSize);
  auto resealed = crypto::seal_with_iv(*algorithm, key, iv, *plaintext);
  require(resealed.ok());
  require(resealed->type == payload.type);
  require(resealed->data == payload.data);
  return 0;
}
