#include "reference/crypto/aead.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "reference/codec/base64.hpp"
#include "reference/crypto/random.hpp"

namespace tigress::crypto {
namespace {

constexpr std::string_view kAes128Name = "AEAD_AES_128_GCM";
constexpr std::string_view kAes256Name = "AEAD_AES_256_GCM";

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

// The raw primitive takes every AES key size so the Wycheproof AES-192 groups can run too; the
// protocol layer (seal/open) narrows this to the two RFC 5116 algorithms of section 7.2.
const EVP_CIPHER* cipher_for_key(std::size_t key_bytes) {
  switch (key_bytes) {
    case 16:
      return EVP_aes_128_gcm();
    case 24:
      return EVP_aes_192_gcm();
    case 32:
      return EVP_aes_256_gcm();
    default:
      return nullptr;
  }
}

bool fits_int(std::size_t n) { return n <= static_cast<std::size_t>(INT_MAX); }

// Shared by both directions: picks the cipher, sets the IV length before the IV itself (OpenSSL
// would otherwise assume 12 octets), then feeds the AAD.
Result<CipherCtx> start(bool encrypt, const Bytes& key, const Bytes& iv, const Bytes& aad) {
  const EVP_CIPHER* cipher = cipher_for_key(key.size());
  if (cipher == nullptr) {
    return field_error("key", "AES key must be 16, 24 or 32 octets, got " + std::to_string(key.size()));
  }
  // GCM with an empty IV has no nonce at all and leaks the authentication key (CVE-2017-7822).
  if (iv.empty()) return field_error("iv", "must not be empty");
  if (!fits_int(iv.size()) || !fits_int(aad.size())) {
    return make_error("input too large for OpenSSL");
  }
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return make_error("EVP_CIPHER_CTX_new failed");
  const auto init = encrypt ? EVP_EncryptInit_ex : EVP_DecryptInit_ex;
  if (init(ctx.get(), cipher, nullptr, nullptr, nullptr) != 1) {
    return make_error("AES-GCM initialisation failed");
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr) != 1) {
    return field_error("iv", "OpenSSL refuses an IV of " + std::to_string(iv.size()) + " octets");
  }
  if (init(ctx.get(), nullptr, nullptr, key.data(), iv.data()) != 1) {
    return make_error("AES-GCM key/IV setup failed");
  }
  if (!aad.empty()) {
    int ignored = 0;
    const auto update = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate;
    if (update(ctx.get(), nullptr, &ignored, aad.data(), static_cast<int>(aad.size())) != 1) {
      return make_error("AES-GCM AAD processing failed");
    }
  }
  return ctx;
}

Result<AeadAlgorithm> algorithm_for_key(AeadAlgorithm algorithm, const codec::Secret& key) {
  if (key.size() != key_size(algorithm)) {
    return field_error("key", "secret is " + std::to_string(key.size()) + " octets but " +
                                  std::string(algorithm_name(algorithm)) + " takes " +
                                  std::to_string(key_size(algorithm)));
  }
  return algorithm;
}

}  // namespace

std::string_view algorithm_name(AeadAlgorithm algorithm) {
  return algorithm == AeadAlgorithm::kAes128Gcm ? kAes128Name : kAes256Name;
}

std::optional<AeadAlgorithm> algorithm_from_name(std::string_view name) {
  // RFC 5116 names are registry entries, matched exactly (no case folding).
  if (name == kAes128Name) return AeadAlgorithm::kAes128Gcm;
  if (name == kAes256Name) return AeadAlgorithm::kAes256Gcm;
  return std::nullopt;
}

std::size_t key_size(AeadAlgorithm algorithm) { return algorithm == AeadAlgorithm::kAes128Gcm ? 16 : 32; }

Result<codec::Secret> generate_secret(AeadAlgorithm algorithm) {
  auto bytes = random_bytes(key_size(algorithm));
  if (!bytes) return bytes.error();
  return codec::Secret(std::move(*bytes));
}

Result<Bytes> aes_gcm_encrypt(const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& plaintext) {
  if (!fits_int(plaintext.size())) return make_error("plaintext too large for OpenSSL");
  auto ctx = start(true, key, iv, aad);
  if (!ctx) return ctx.error();
  Bytes out(plaintext.size() + kTagSize);
  int written = 0;
  // GCM is a stream mode: output length equals input length, nothing is held back for Final.
  if (!plaintext.empty() &&
      EVP_EncryptUpdate(ctx->get(), out.data(), &written, plaintext.data(), static_cast<int>(plaintext.size())) != 1) {
    return make_error("AES-GCM encryption failed");
  }
  int final_written = 0;
  if (EVP_EncryptFinal_ex(ctx->get(), out.data() + written, &final_written) != 1) {
    return make_error("AES-GCM encryption failed");
  }
  const auto ct_size = static_cast<std::size_t>(written + final_written);
  if (EVP_CIPHER_CTX_ctrl(ctx->get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize), out.data() + ct_size) != 1) {
    return make_error("AES-GCM tag computation failed");
  }
  out.resize(ct_size + kTagSize);
  return out;
}

Result<Bytes> aes_gcm_decrypt(const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& ciphertext_and_tag) {
  if (ciphertext_and_tag.size() < kTagSize) {
    return field_error("ciphertext", "shorter than the 16-octet tag");
  }
  if (!fits_int(ciphertext_and_tag.size())) return make_error("ciphertext too large for OpenSSL");
  auto ctx = start(false, key, iv, aad);
  if (!ctx) return ctx.error();
  const std::size_t ct_size = ciphertext_and_tag.size() - kTagSize;
  Bytes out(ct_size);
  int written = 0;
  if (ct_size > 0 &&
      EVP_DecryptUpdate(ctx->get(), out.data(), &written, ciphertext_and_tag.data(), static_cast<int>(ct_size)) != 1) {
    return make_error("AES-GCM decryption failed");
  }
  // SET_TAG takes a non-const pointer; hand it a copy rather than casting away const.
  std::array<std::uint8_t, kTagSize> tag{};
  std::copy(ciphertext_and_tag.end() - kTagSize, ciphertext_and_tag.end(), tag.begin());
  if (EVP_CIPHER_CTX_ctrl(ctx->get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), tag.data()) != 1) {
    return make_error("AES-GCM tag setup failed");
  }
  int final_written = 0;
  if (EVP_DecryptFinal_ex(ctx->get(), out.data() + written, &final_written) != 1) {
    // Unauthenticated plaintext must not survive in memory we hand back to the allocator.
    if (!out.empty()) OPENSSL_cleanse(out.data(), out.size());
    return field_error("tag", "authentication failed (wrong key, or data was modified)");
  }
  out.resize(static_cast<std::size_t>(written + final_written));
  return out;
}

Result<SealedPayload> seal(AeadAlgorithm algorithm, const codec::Secret& key, std::string_view plaintext) {
  // Section 7.2: a fresh random 96-bit IV per message; reuse under one key breaks GCM.
  auto iv = random_bytes(kIvSize);
  if (!iv) return iv.error();
  return seal_with_iv(algorithm, key, *iv, plaintext);
}

Result<SealedPayload> seal_with_iv(AeadAlgorithm algorithm, const codec::Secret& key, const Bytes& iv,
                                   std::string_view plaintext) {
  if (auto checked = algorithm_for_key(algorithm, key); !checked) return checked.error();
  // The wire layout has no length field for the IV (AMB-46), so only 12 octets can be framed.
  if (iv.size() != kIvSize) {
    return field_error("iv", "payload IV must be 12 octets, got " + std::to_string(iv.size()));
  }
  const Bytes message(plaintext.begin(), plaintext.end());
  auto sealed = aes_gcm_encrypt(key.reveal(), iv, /*aad=*/{}, message);
  if (!sealed) return sealed.error();
  Bytes framed;
  framed.reserve(iv.size() + sealed->size());
  framed.insert(framed.end(), iv.begin(), iv.end());
  framed.insert(framed.end(), sealed->begin(), sealed->end());
  return SealedPayload{std::string(algorithm_name(algorithm)), codec::base64_encode(framed)};
}

Result<std::string> open(const SealedPayload& payload, const codec::Secret& key) {
  const auto algorithm = algorithm_from_name(payload.type);
  if (!algorithm) {
    return field_error("payload.type", "unknown algorithm (expected AEAD_AES_128_GCM or AEAD_AES_256_GCM)");
  }
  if (key.size() != key_size(*algorithm)) {
    return field_error("payload.type", "the secret is " + std::to_string(key.size()) + " octets but " + payload.type +
                                           " takes " + std::to_string(key_size(*algorithm)));
  }
  // Strict base64 here: the initiator is required to emit standard padded base64 (AMB-45).
  auto framed = codec::base64_decode(payload.data);
  if (!framed) return field_error("payload.data", "not base64: " + framed.error().reason);
  if (framed->size() < kIvSize + kTagSize) {
    return field_error("payload.data", "decodes to " + std::to_string(framed->size()) +
                                           " octets; IV (12) and tag (16) need at least 28");
  }
  const Bytes iv(framed->begin(), framed->begin() + kIvSize);
  const Bytes rest(framed->begin() + kIvSize, framed->end());
  auto plaintext = aes_gcm_decrypt(key.reveal(), iv, /*aad=*/{}, rest);
  if (!plaintext) return field_error("payload.data", plaintext.error().reason);
  return std::string(plaintext->begin(), plaintext->end());
}

}  // namespace tigress::crypto
