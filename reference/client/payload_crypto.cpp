#include "reference/client/payload_crypto.hpp"

#include <memory>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "reference/client/careless_reading.hpp"
#include "reference/codec/base64.hpp"
#include "reference/codec/provisioning.hpp"

namespace tigress::client {
namespace {

// accepts-tampered: GCM's keystream is AES-CTR starting at counter 2 (counter 1 masks the
// tag). A client that "decrypts first, checks later" and forgets the check recovers exactly
// this. Never called on the conforming path.
Result<std::string> unauthenticated_ctr_decrypt(const codec::Payload& payload, const codec::Secret& key) {
  auto framed = codec::base64_decode_lenient(payload.data);
  if (!framed) return make_error("payload.data is not base64");
  if (framed->size() < crypto::kIvSize + crypto::kTagSize) return make_error("payload too short");
  const EVP_CIPHER* cipher = key.size() == 16 ? EVP_aes_128_ctr() : key.size() == 32 ? EVP_aes_256_ctr() : nullptr;
  if (cipher == nullptr) return make_error("unusable key length");
  Bytes counter_block(framed->begin(), framed->begin() + crypto::kIvSize);
  counter_block.insert(counter_block.end(), {0, 0, 0, 2});
  const std::size_t size = framed->size() - crypto::kIvSize - crypto::kTagSize;
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string out(size, '\0');
  int written = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), cipher, nullptr, key.reveal().data(), counter_block.data()) != 1 ||
      (size > 0 && EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &written,
                                     framed->data() + crypto::kIvSize, static_cast<int>(size)) != 1)) {
    return make_error("AES-CTR failed");
  }
  return out;
}

Result<codec::Uuid> uuid_v4_from(const Bytes& material) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(material.data(), material.size(), digest);
  codec::Uuid uuid;
  std::copy(digest, digest + uuid.bytes.size(), uuid.bytes.begin());
  uuid.bytes[6] = static_cast<std::uint8_t>((uuid.bytes[6] & 0x0F) | 0x40);
  uuid.bytes[8] = static_cast<std::uint8_t>((uuid.bytes[8] & 0x3F) | 0x80);
  return uuid;
}

}  // namespace

Result<ShareKey> generate_share_key(crypto::AeadAlgorithm requested, const ClientDefects& defects) {
  // short-key: a key-size table that says 16 for every algorithm.
  const auto key_algorithm = defects.short_key ? crypto::AeadAlgorithm::kAes128Gcm : requested;
  auto secret = crypto::generate_secret(key_algorithm);
  if (!secret) return secret.error();
  return ShareKey{std::move(*secret), key_algorithm};
}

Result<codec::Payload> seal_payload(crypto::AeadAlgorithm key_algorithm, const codec::Secret& key,
                                    std::string_view plaintext, const ClientDefects& defects) {
  // short-key: the label is hard-coded to the strong algorithm whatever the key is.
  const std::string label(defects.short_key ? crypto::algorithm_name(crypto::AeadAlgorithm::kAes256Gcm)
                                            : crypto::algorithm_name(key_algorithm));
  if (defects.plaintext_payload) {
    // A "TODO: encrypt" left in the seal path.
    return codec::Payload{label, codec::base64_encode(Bytes(plaintext.begin(), plaintext.end()))};
  }
  Result<crypto::SealedPayload> sealed = make_error("no seal");
  if (defects.reuses_iv) {
    // An IV buffer allocated and never filled from the CSPRNG: all zero, every message.
    sealed = crypto::seal_with_iv(key_algorithm, key, Bytes(crypto::kIvSize, 0), plaintext);
  } else if (defects.iv_from_plaintext) {
    // A "deterministic nonce" from the message: repeats exactly when the message repeats.
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), digest);
    sealed = crypto::seal_with_iv(key_algorithm, key, Bytes(digest, digest + crypto::kIvSize), plaintext);
  } else {
    // Section 7.2: a fresh random 96-bit IV per message.
    sealed = crypto::seal(key_algorithm, key, plaintext);
  }
  if (!sealed) return make_error("cannot encrypt: " + sealed.error().message());
  if (defects.variants.payload_base64url) {
    // MBX-ENC-01 acceptable reading (AMB-45): the same octets in unpadded base64url.
    auto framed = codec::base64_decode(sealed->data);
    if (!framed) return make_error("cannot re-encode the sealed payload");
    return codec::Payload{label, codec::base64url_encode_unpadded(*framed)};
  }
  return codec::Payload{label, std::move(sealed->data)};
}

Result<std::string> open_payload(const codec::Payload& payload, const codec::Secret& key,
                                 const ClientDefects& defects) {
  crypto::SealedPayload sealed{payload.type, payload.data};
  if (defects.variants.payload_base64url) {
    // Reads every spelling MBX-ENC-01 accepts; the AEAD layer takes the strict one.
    if (auto framed = codec::base64_decode_lenient(payload.data)) sealed.data = codec::base64_encode(*framed);
  }
  if (defects.short_key) {
    // The short-key client trusts its key length, not the declared type.
    sealed.type = key.size() == 16 ? "AEAD_AES_128_GCM" : "AEAD_AES_256_GCM";
  }
  if (auto unverified = unencrypted_fallback(defects, payload)) return *unverified;
  auto plaintext = crypto::open(sealed, key);
  if (!plaintext) {
    if (defects.accepts_tampered) return unauthenticated_ctr_decrypt(payload, key);
    return make_error("cannot decrypt the mailbox payload (" + plaintext.error().message() +
                      "): wrong secret or tampered data; nothing was output");
  }
  // Section 7 / MBX-PI-03: authentic but not Provisioning Information is not handed on either.
  if (auto info = codec::parse_provisioning_info(*plaintext); !info) {
    return make_error("decrypted payload is not Provisioning Information (" + info.error().message() +
                      "); nothing was output");
  }
  return plaintext;
}

Result<codec::Uuid> new_device_claim(bool role_is_initiator, const codec::Secret& secret,
                                     const ClientDefects& defects) {
  if (defects.same_claim_both_roles) {
    // "A stable device ID per share": hashing what both sides know makes them identical.
    return uuid_v4_from(secret.reveal());
  }
  if (defects.claim_from_key && !role_is_initiator) {
    // "Derive the device ID from the share": the first 16 key octets as a UUIDv4.
    const Bytes& key = secret.reveal();
    codec::Uuid uuid;
    std::copy(key.begin(), key.begin() + static_cast<std::ptrdiff_t>(uuid.bytes.size()), uuid.bytes.begin());
    uuid.bytes[6] = static_cast<std::uint8_t>((uuid.bytes[6] & 0x0F) | 0x40);
    uuid.bytes[8] = static_cast<std::uint8_t>((uuid.bytes[8] & 0x3F) | 0x80);
    return uuid;
  }
  if (defects.reuses_claim_across_shares && role_is_initiator) {
    // One device ID per installation instead of one claim per mailbox.
    return codec::parse_uuid("6f1c2a4e-93b7-4d0a-8e55-3c9a1b7d2f40");
  }
  // 4.1: a fresh UUIDv4 for every mailbox and role.
  return codec::generate_uuid_v4();
}

}  // namespace tigress::client
