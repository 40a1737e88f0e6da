// Cross-check of aead_payload_test.json with Nettle's AES-GCM and base64 (Debian nettle-dev), no
// code of ours: every valid vector seals to exactly its payload.data and opens to its plaintext;
// every invalid one fails to open, except where Nettle's base64 decoder is more lenient than
// the strict RFC 4648 reading the file requires (section 7.2, AMB-46, AMB-45) and the vector's
// flags say so (NonBase64, MisPaddedBase64).
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nettle/base64.h>
#include <nettle/gcm.h>
#include <nettle/memops.h>

#include "committed_vectors.hpp"

namespace tigress::vectors::crosscheck::aead_nettle {
namespace {

using nlohmann::json;
using Bytes = std::vector<unsigned char>;

constexpr std::size_t kIvSize = 12;  // AMB-46: IV[12] || ciphertext || tag[16]
constexpr std::size_t kTagSize = 16;

// The flags that name a refusal made before the tag check, by the strict base64 reading.
const std::vector<std::string> kBase64LevelFlags = {"NonBase64", "MisPaddedBase64"};

std::optional<Bytes> nettle_base64_decode(const std::string& text) {
  base64_decode_ctx ctx;
  base64_decode_init(&ctx);
  Bytes out(BASE64_DECODE_LENGTH(text.size()) + 1);
  std::size_t written = out.size();
  if (!base64_decode_update(&ctx, &written, out.data(), text.size(), text.data()) || !base64_decode_final(&ctx)) {
    return std::nullopt;
  }
  out.resize(written);
  return out;
}

std::string nettle_base64_encode(const Bytes& data) {
  std::string out(BASE64_ENCODE_RAW_LENGTH(data.size()), '\0');
  base64_encode_raw(out.data(), data.size(), data.data());
  return out;
}

// AES-GCM with empty AAD through Nettle's per-key-size interface.
template <typename Ctx, auto SetKey, auto SetIv, auto Encrypt, auto Decrypt, auto Digest>
struct NettleGcm {
  static Bytes seal(const Bytes& key, const Bytes& iv, const Bytes& plaintext) {
    Ctx ctx;
    SetKey(&ctx, key.data());
    SetIv(&ctx, iv.size(), iv.data());
    Bytes out(iv);
    out.resize(iv.size() + plaintext.size() + kTagSize);
    Encrypt(&ctx, plaintext.size(), out.data() + iv.size(), plaintext.data());
    Digest(&ctx, kTagSize, out.data() + iv.size() + plaintext.size());
    return out;
  }
  static std::optional<Bytes> open(const Bytes& key, const Bytes& sealed) {
    Ctx ctx;
    SetKey(&ctx, key.data());
    SetIv(&ctx, kIvSize, sealed.data());
    const std::size_t size = sealed.size() - kIvSize - kTagSize;
    Bytes plaintext(size);
    Decrypt(&ctx, size, plaintext.data(), sealed.data() + kIvSize);
    unsigned char tag[kTagSize];
    Digest(&ctx, kTagSize, tag);
    if (!memeql_sec(tag, sealed.data() + kIvSize + size, kTagSize)) return std::nullopt;
    return plaintext;
  }
};
using Gcm128 = NettleGcm<gcm_aes128_ctx, gcm_aes128_set_key, gcm_aes128_set_iv, gcm_aes128_encrypt, gcm_aes128_decrypt,
                         gcm_aes128_digest>;
using Gcm256 = NettleGcm<gcm_aes256_ctx, gcm_aes256_set_key, gcm_aes256_set_iv, gcm_aes256_encrypt, gcm_aes256_decrypt,
                         gcm_aes256_digest>;

struct Opened {
  std::optional<Bytes> plaintext;  // empty: refused
  std::string refusal;
};

// Opens the payload as the file's header defines it, using only Nettle for base64 and AES-GCM.
Opened open_with_nettle(const json& test) {
  const std::string type = test["payload"].value("type", "");
  const Bytes key = from_hex(test.value("key", ""));
  const std::size_t key_size = type == "AEAD_AES_128_GCM" ? 16 : type == "AEAD_AES_256_GCM" ? 32 : 0;
  if (key_size == 0) return {std::nullopt, "unknown payload.type"};
  if (key.size() != key_size) return {std::nullopt, "key size does not match payload.type"};
  if (!test["payload"]["data"].is_string()) return {std::nullopt, "data is not a string"};
  const auto sealed = nettle_base64_decode(test["payload"]["data"].get<std::string>());
  if (!sealed) return {std::nullopt, "Nettle refuses the base64"};
  if (sealed->size() < kIvSize + kTagSize) return {std::nullopt, "shorter than IV and tag"};
  auto plaintext = key_size == 16 ? Gcm128::open(key, *sealed) : Gcm256::open(key, *sealed);
  if (!plaintext) return {std::nullopt, "tag check fails"};
  return {plaintext, ""};
}

Bytes expected_plaintext(const json& test) {
  if (test.contains("plaintextHex")) return from_hex(test["plaintextHex"].get<std::string>());
  const std::string text = test.value("plaintext", "");
  return Bytes(text.begin(), text.end());
}

// Nettle's verdict against the vector's expectation: nothing when they agree, otherwise what
// differs. `lenient` collects invalid vectors that open only because Nettle's base64 is lenient.
std::optional<std::string> disagreement(const json& test, std::vector<int>* lenient) {
  const std::string result = test.value("result", "");
  const Opened opened = open_with_nettle(test);
  if (result == "valid") {
    if (!opened.plaintext) return "valid, but Nettle: " + opened.refusal;
    if (*opened.plaintext != expected_plaintext(test)) return "valid, but Nettle opens another plaintext";
    const Bytes key = from_hex(test.value("key", ""));
    const Bytes iv = from_hex(test.value("iv", ""));
    const Bytes sealed =
        key.size() == 16 ? Gcm128::seal(key, iv, *opened.plaintext) : Gcm256::seal(key, iv, *opened.plaintext);
    if (nettle_base64_encode(sealed) != test["payload"]["data"].get<std::string>())
      return "valid, but Nettle seals other data";
    return std::nullopt;
  }
  if (result == "invalid") {
    if (!opened.plaintext) return std::nullopt;
    if (has_any_flag(test, kBase64LevelFlags)) {
      if (lenient) lenient->push_back(test["tcId"].get<int>());
      return std::nullopt;
    }
    return "invalid, but Nettle opens it";
  }
  return "result " + result + " is not used by this file";
}

TEST(AeadNettleCrossCheck, EveryVectorAgreesWithNettle) {
  const json doc = load_vector_file("aead_payload_test.json");
  ASSERT_TRUE(doc.is_object());
  int checked = 0;
  std::vector<int> lenient;
  for (const auto& group : doc["testGroups"]) {
    for (const auto& test : group["tests"]) {
      SCOPED_TRACE("tcId " + std::to_string(test["tcId"].get<int>()) + ": " + test.value("comment", ""));
      const auto differs = disagreement(test, &lenient);
      EXPECT_FALSE(differs) << *differs;
      ++checked;
    }
  }
  EXPECT_EQ(checked, doc["numberOfTests"].get<int>());
  std::cout << "AEAD: " << checked << " vectors; refused by the strict base64 reading only, opened by Nettle:";
  for (int id : lenient) std::cout << ' ' << id;
  std::cout << '\n';
}

// The comparison must be able to fail: a flipped result or a changed plaintext is caught.
TEST(AeadNettleCrossCheck, TamperedExpectationsAreCaught) {
  const json doc = load_vector_file("aead_payload_test.json");
  int valid = 0;
  for (const auto& group : doc["testGroups"]) {
    for (json test : group["tests"]) {
      if (test["result"] != "valid") continue;
      ++valid;
      SCOPED_TRACE("tcId " + std::to_string(test["tcId"].get<int>()));
      json flipped = test;
      flipped["result"] = "invalid";
      EXPECT_TRUE(disagreement(flipped, nullptr));
      json other = test;
      other.erase("plaintextHex");
      other["plaintext"] = test.value("plaintext", "") + "x";
      EXPECT_TRUE(disagreement(other, nullptr));
    }
  }
  EXPECT_GT(valid, 0);
}

}  // namespace
}  // namespace tigress::vectors::crosscheck::aead_nettle
