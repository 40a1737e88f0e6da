#include "reference/crypto/aead.hpp"

#include <set>

#include <gtest/gtest.h>

#include "reference/codec/base64.hpp"
#include "reference/crypto/random.hpp"

namespace tigress::crypto {
namespace {

using codec::Secret;

Bytes from_hex(std::string_view hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// Spec digest, Appendix A.
constexpr std::string_view kPlaintext = R"({"format":"digitalwallet.carkey.ccc","content":{}})";
const Bytes kVectorIv = from_hex("000102030405060708090a0b");
const Secret kKey1(from_hex("85796be9a442eca809a4e2d335968bb3"));
const Secret kKey2(from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
constexpr std::string_view kData1 =
    "AAECAwQFBgcICQoL+/Z5YN6e+U3cK1u8LEg4+h9q6F2v/K+o/"
    "mKGkWjzuY1twrugcJRellH5peuD6x11jD0yPemZu9x05SolUkCVfZzE";
constexpr std::string_view kData2 =
    "AAECAwQFBgcICQoLPCCwdLeIo2+ve7Xv2I4RGeK68FWcFzoIFgSE93YMeZxic83eg+"
    "Nx9xrQGoP8pRJDkyTU1RbpGTSaZoDJLmTMmhL3";

TEST(Aead, AppendixAVectorEnc1) {
  auto sealed = seal_with_iv(AeadAlgorithm::kAes128Gcm, kKey1, kVectorIv, kPlaintext);
  ASSERT_TRUE(sealed.ok()) << sealed.error().message();
  EXPECT_EQ(sealed->type, "AEAD_AES_128_GCM");
  EXPECT_EQ(sealed->data, kData1);
  EXPECT_EQ(codec::base64_decode(kData1).value().size(), 78U);
  auto opened = open(SealedPayload{"AEAD_AES_128_GCM", std::string(kData1)}, kKey1);
  ASSERT_TRUE(opened.ok()) << opened.error().message();
  EXPECT_EQ(*opened, kPlaintext);
}

TEST(Aead, AppendixAVectorEnc2) {
  auto sealed = seal_with_iv(AeadAlgorithm::kAes256Gcm, kKey2, kVectorIv, kPlaintext);
  ASSERT_TRUE(sealed.ok()) << sealed.error().message();
  EXPECT_EQ(sealed->type, "AEAD_AES_256_GCM");
  EXPECT_EQ(sealed->data, kData2);
  auto opened = open(SealedPayload{"AEAD_AES_256_GCM", std::string(kData2)}, kKey2);
  ASSERT_TRUE(opened.ok()) << opened.error().message();
  EXPECT_EQ(*opened, kPlaintext);
}

TEST(Aead, VectorKeyIsTheExampleShareUrlSecret) {
  EXPECT_EQ(codec::base64_encode(kKey1.reveal()), "hXlr6aRC7KgJpOLTNZaLsw==");
}

TEST(Aead, NamesAndSizes) {
  EXPECT_EQ(algorithm_name(AeadAlgorithm::kAes128Gcm), "AEAD_AES_128_GCM");
  EXPECT_EQ(algorithm_name(AeadAlgorithm::kAes256Gcm), "AEAD_AES_256_GCM");
  EXPECT_EQ(algorithm_from_name("AEAD_AES_128_GCM"), AeadAlgorithm::kAes128Gcm);
  EXPECT_EQ(algorithm_from_name("AEAD_AES_256_GCM"), AeadAlgorithm::kAes256Gcm);
  for (const char* bad :
       {"", "aead_aes_128_gcm", "AEAD_AES_192_GCM", "AES-128-GCM", "AEAD_AES_128_GCM ", "AEAD_CHACHA20_POLY1305"}) {
    EXPECT_FALSE(algorithm_from_name(bad).has_value()) << bad;
  }
  EXPECT_EQ(key_size(AeadAlgorithm::kAes128Gcm), 16U);
  EXPECT_EQ(key_size(AeadAlgorithm::kAes256Gcm), 32U);
}

TEST(Aead, RoundTripsForBothAlgorithms) {
  for (const auto algorithm : {AeadAlgorithm::kAes128Gcm, AeadAlgorithm::kAes256Gcm}) {
    auto key = generate_secret(algorithm);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(key->size(), key_size(algorithm));
    for (const std::string& plaintext :
         {std::string(), std::string("x"), std::string(kPlaintext), std::string(5000, '\0')}) {
      auto sealed = seal(algorithm, *key, plaintext);
      ASSERT_TRUE(sealed.ok()) << sealed.error().message();
      EXPECT_EQ(sealed->type, algorithm_name(algorithm));
      EXPECT_EQ(codec::base64_decode(sealed->data).value().size(), 28 + plaintext.size());
      auto opened = open(*sealed, *key);
      ASSERT_TRUE(opened.ok()) << opened.error().message();
      EXPECT_EQ(*opened, plaintext);
    }
  }
}

TEST(Aead, FreshIvPerSeal) {
  // MBX-ENC-03: the first 12 octets never repeat.
  std::set<Bytes> ivs;
  for (int i = 0; i < 200; ++i) {
    auto sealed = seal(AeadAlgorithm::kAes128Gcm, kKey1, kPlaintext);
    ASSERT_TRUE(sealed.ok());
    const Bytes framed = codec::base64_decode(sealed->data).value();
    EXPECT_TRUE(ivs.insert(Bytes(framed.begin(), framed.begin() + 12)).second);
  }
}

TEST(Aead, WrongKeySizeForTheAlgorithm) {
  EXPECT_FALSE(seal(AeadAlgorithm::kAes128Gcm, kKey2, kPlaintext).ok());
  EXPECT_FALSE(seal(AeadAlgorithm::kAes256Gcm, kKey1, kPlaintext).ok());
  for (std::size_t size : {0U, 1U, 15U, 17U, 24U, 31U, 33U}) {
    const Secret key(Bytes(size, 7));
    EXPECT_FALSE(seal(AeadAlgorithm::kAes128Gcm, key, kPlaintext).ok()) << size;
    EXPECT_FALSE(seal(AeadAlgorithm::kAes256Gcm, key, kPlaintext).ok()) << size;
    EXPECT_FALSE(open(SealedPayload{"AEAD_AES_128_GCM", std::string(kData1)}, key).ok()) << size;
  }
}

TEST(Aead, TypeAndKeyMismatchOnOpen) {
  auto swapped = open(SealedPayload{"AEAD_AES_256_GCM", std::string(kData1)}, kKey1);
  ASSERT_FALSE(swapped.ok());
  EXPECT_EQ(swapped.error().field, "payload.type");
  auto swapped2 = open(SealedPayload{"AEAD_AES_128_GCM", std::string(kData2)}, kKey2);
  ASSERT_FALSE(swapped2.ok());
  EXPECT_EQ(swapped2.error().field, "payload.type");
}

TEST(Aead, UnknownTypeName) {
  for (const char* type : {"", "AEAD_AES_128_GCM_SIV", "aead_aes_128_gcm", "AES128GCM"}) {
    auto result = open(SealedPayload{type, std::string(kData1)}, kKey1);
    ASSERT_FALSE(result.ok()) << type;
    EXPECT_EQ(result.error().field, "payload.type") << type;
  }
}

TEST(Aead, WrongKeyFailsAuthentication) {
  Bytes other = kKey1.reveal();
  other[0] ^= 1;
  auto result = open(SealedPayload{"AEAD_AES_128_GCM", std::string(kData1)}, Secret(other));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().field, "payload.data");
}

TEST(Aead, EveryBitFlipIsDetected) {
  // MBX-ENC-07 and Appendix A's negative vector: IV, ciphertext and tag bits alike.
  const Bytes framed = codec::base64_decode(kData1).value();
  for (std::size_t bit = 0; bit < framed.size() * 8; ++bit) {
    Bytes tampered = framed;
    tampered[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
    auto result = open(SealedPayload{"AEAD_AES_128_GCM", codec::base64_encode(tampered)}, kKey1);
    ASSERT_FALSE(result.ok()) << "bit " << bit;
    EXPECT_EQ(result.error().field, "payload.data");
  }
}

TEST(Aead, TruncatedOrExtendedData) {
  const Bytes framed = codec::base64_decode(kData1).value();
  for (std::size_t size : {0U, 1U, 12U, 16U, 27U}) {
    const Bytes shorter(framed.begin(), framed.begin() + static_cast<std::ptrdiff_t>(size));
    auto result = open(SealedPayload{"AEAD_AES_128_GCM", codec::base64_encode(shorter)}, kKey1);
    ASSERT_FALSE(result.ok()) << size;
    EXPECT_EQ(result.error().field, "payload.data");
  }
  // 28 octets is long enough to try (empty plaintext) but this one does not authenticate.
  const Bytes exactly28(framed.begin(), framed.begin() + 28);
  EXPECT_FALSE(open(SealedPayload{"AEAD_AES_128_GCM", codec::base64_encode(exactly28)}, kKey1).ok());
  const Bytes dropped_last(framed.begin(), framed.end() - 1);
  EXPECT_FALSE(open(SealedPayload{"AEAD_AES_128_GCM", codec::base64_encode(dropped_last)}, kKey1).ok());
  Bytes appended = framed;
  appended.push_back(0);
  EXPECT_FALSE(open(SealedPayload{"AEAD_AES_128_GCM", codec::base64_encode(appended)}, kKey1).ok());
}

TEST(Aead, EmptyPlaintextHasExactly28Octets) {
  auto sealed = seal_with_iv(AeadAlgorithm::kAes128Gcm, kKey1, kVectorIv, "");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(codec::base64_decode(sealed->data).value().size(), 28U);
  EXPECT_EQ(open(*sealed, kKey1).value(), "");
}

TEST(Aead, DataMustBeStrictBase64) {
  const std::string url_safe = codec::base64url_encode_unpadded(codec::base64_decode(kData1).value());
  for (const std::string& data :
       {std::string("not base64!"), url_safe, std::string(kData1) + "=", " " + std::string(kData1),
        std::string(kData1) + "\n", std::string(kData1.substr(0, kData1.size() - 1))}) {
    auto result = open(SealedPayload{"AEAD_AES_128_GCM", data}, kKey1);
    ASSERT_FALSE(result.ok()) << data;
    EXPECT_EQ(result.error().field, "payload.data");
  }
}

TEST(Aead, SealWithIvRequires96Bits) {
  for (std::size_t size : {0U, 8U, 11U, 13U, 16U}) {
    EXPECT_FALSE(seal_with_iv(AeadAlgorithm::kAes128Gcm, kKey1, Bytes(size, 1), kPlaintext).ok()) << size;
  }
}

TEST(Aead, RawPrimitiveChecksItsInputs) {
  const Bytes key(16, 1);
  const Bytes iv(12, 2);
  EXPECT_FALSE(aes_gcm_encrypt(Bytes(15, 1), iv, {}, {}).ok());
  EXPECT_FALSE(aes_gcm_encrypt(Bytes(0, 1), iv, {}, {}).ok());
  EXPECT_FALSE(aes_gcm_decrypt(Bytes(33, 1), iv, {}, Bytes(16, 0)).ok());
  // A zero-length IV is an error, never a crash (Wycheproof ZeroLengthIv, CVE-2017-7822).
  auto empty_iv = aes_gcm_encrypt(key, {}, {}, Bytes{1, 2, 3});
  ASSERT_FALSE(empty_iv.ok());
  EXPECT_EQ(empty_iv.error().field, "iv");
  EXPECT_FALSE(aes_gcm_decrypt(key, {}, {}, Bytes(20, 0)).ok());
  EXPECT_FALSE(aes_gcm_decrypt(key, iv, {}, Bytes(15, 0)).ok());
  EXPECT_FALSE(aes_gcm_decrypt(key, iv, {}, {}).ok());
}

TEST(Aead, RawPrimitiveHandlesAadAndOddIvLengths) {
  const Bytes key(24, 3);  // AES-192: raw primitive only
  const Bytes aad{9, 8, 7};
  const Bytes message{1, 2, 3, 4, 5};
  for (std::size_t iv_size : {1U, 8U, 12U, 16U, 64U, 128U}) {
    const Bytes iv(iv_size, 0x42);
    auto sealed = aes_gcm_encrypt(key, iv, aad, message);
    ASSERT_TRUE(sealed.ok()) << iv_size << ": " << sealed.error().message();
    EXPECT_EQ(sealed->size(), message.size() + kTagSize);
    EXPECT_EQ(aes_gcm_decrypt(key, iv, aad, *sealed).value(), message);
    EXPECT_FALSE(aes_gcm_decrypt(key, iv, Bytes{9, 8}, *sealed).ok());
    EXPECT_FALSE(aes_gcm_decrypt(key, iv, {}, *sealed).ok());
  }
}

TEST(Aead, RandomBytes) {
  EXPECT_TRUE(random_bytes(0).value().empty());
  auto a = random_bytes(32);
  auto b = random_bytes(32);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32U);
  EXPECT_NE(*a, *b);
}

}  // namespace
}  // namespace tigress::crypto
