// Cross-check of the AES-GCM primitive against Project Wycheproof (testvectors_v1 format, see
// thirdparty/wycheproof/SOURCE.md): groups carry keySize/ivSize/tagSize in bits, tests
// carry hex key, iv, aad, msg, ct (without tag), tag and result "valid" / "invalid".
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reference/crypto/aead.hpp"

namespace tigress::crypto {
namespace {

using nlohmann::json;

Bytes from_hex(const std::string& hex) {
  Bytes out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

json load_vectors() {
  std::ifstream in(std::string(TIGRESS_THIRDPARTY_DIR) + "/wycheproof/testvectors_v1/aes_gcm_test.json",
                   std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return json::parse(buffer.str(), nullptr, false);
}

struct Case {
  int id;
  std::string result;
  Bytes key, iv, aad, msg, ct_and_tag;
};

Case read_case(const json& test) {
  Case c;
  c.id = test["tcId"].get<int>();
  c.result = test["result"].get<std::string>();
  c.key = from_hex(test["key"].get<std::string>());
  c.iv = from_hex(test["iv"].get<std::string>());
  c.aad = from_hex(test["aad"].get<std::string>());
  c.msg = from_hex(test["msg"].get<std::string>());
  c.ct_and_tag = from_hex(test["ct"].get<std::string>());
  const Bytes tag = from_hex(test["tag"].get<std::string>());
  c.ct_and_tag.insert(c.ct_and_tag.end(), tag.begin(), tag.end());
  return c;
}

// Checks one case against its verdict: valid ones both ways, invalid ones must not decrypt.
void check_case(const Case& c) {
  SCOPED_TRACE("tcId " + std::to_string(c.id));
  if (c.result == "valid") {
    auto encrypted = aes_gcm_encrypt(c.key, c.iv, c.aad, c.msg);
    ASSERT_TRUE(encrypted.ok()) << encrypted.error().message();
    EXPECT_EQ(*encrypted, c.ct_and_tag);
    auto decrypted = aes_gcm_decrypt(c.key, c.iv, c.aad, c.ct_and_tag);
    ASSERT_TRUE(decrypted.ok()) << decrypted.error().message();
    EXPECT_EQ(*decrypted, c.msg);
  } else {
    ASSERT_EQ(c.result, "invalid");
    EXPECT_FALSE(aes_gcm_decrypt(c.key, c.iv, c.aad, c.ct_and_tag).ok());
    // Encrypting may legitimately succeed (a modified tag is a decrypt-side defect), but it
    // must never reproduce the invalid ciphertext.
    auto encrypted = aes_gcm_encrypt(c.key, c.iv, c.aad, c.msg);
    if (encrypted.ok()) {
      EXPECT_NE(*encrypted, c.ct_and_tag);
    }
  }
}

TEST(WycheproofAesGcm, AllCasesWith96BitIvAnd128BitTag) {
  const json vectors = load_vectors();
  ASSERT_TRUE(vectors.is_object()) << "cannot read wycheproof aes_gcm_test.json";
  ASSERT_EQ(vectors["schema"], "aead_test_schema_v1.json");
  ASSERT_EQ(vectors["algorithm"], "AES-GCM");

  int filtered = 0;  // cases the filter selects, counted from the group headers
  int run = 0;       // cases actually checked
  int valid = 0;
  int invalid = 0;
  for (const auto& group : vectors["testGroups"]) {
    ASSERT_EQ(group["type"], "AeadTest");
    if (group["ivSize"] != 96 || group["tagSize"] != 128) continue;
    filtered += static_cast<int>(group["tests"].size());
    for (const auto& test : group["tests"]) {
      const Case c = read_case(test);
      // The group header and the data must agree, or the filter would be meaningless.
      ASSERT_EQ(c.iv.size(), 12U) << c.id;
      ASSERT_EQ(c.ct_and_tag.size(), c.msg.size() + kTagSize) << c.id;
      check_case(c);
      ++run;
      (c.result == "valid" ? valid : invalid)++;
    }
  }
  std::cout << "[ wycheproof ] AES-GCM 96-bit IV / 128-bit tag cases: " << run << " (" << valid << " valid, " << invalid
            << " invalid)\n";
  RecordProperty("wycheproof_cases", run);
  EXPECT_GT(run, 0);
  EXPECT_EQ(run, filtered);
  // Counts documented in thirdparty/wycheproof/SOURCE.md for this file.
  EXPECT_EQ(run, 197);
  EXPECT_EQ(valid, 116);
  EXPECT_EQ(invalid, 81);
}

// Not required by the protocol (section 7.2 fixes a 96-bit IV), but aes_gcm_encrypt accepts any
// IV length OpenSSL does, so those paths are checked too. OpenSSL 3 caps GCM IVs at 128 octets
// (GCM_IV_MAX_SIZE): the 2056-bit cases must fail cleanly instead of running.
TEST(WycheproofAesGcm, OtherIvLengths) {
  const json vectors = load_vectors();
  ASSERT_TRUE(vectors.is_object());
  int run = 0;
  int refused_zero = 0;
  int refused_long = 0;
  for (const auto& group : vectors["testGroups"]) {
    if (group["ivSize"] == 96 || group["tagSize"] != 128) continue;
    const int iv_bits = group["ivSize"].get<int>();
    for (const auto& test : group["tests"]) {
      const Case c = read_case(test);
      if (iv_bits == 0) {
        SCOPED_TRACE("tcId " + std::to_string(c.id));
        EXPECT_EQ(c.result, "invalid");
        EXPECT_FALSE(aes_gcm_encrypt(c.key, c.iv, c.aad, c.msg).ok());
        EXPECT_FALSE(aes_gcm_decrypt(c.key, c.iv, c.aad, c.ct_and_tag).ok());
        ++refused_zero;
      } else if (iv_bits > 1024) {
        SCOPED_TRACE("tcId " + std::to_string(c.id));
        EXPECT_FALSE(aes_gcm_encrypt(c.key, c.iv, c.aad, c.msg).ok());
        EXPECT_FALSE(aes_gcm_decrypt(c.key, c.iv, c.aad, c.ct_and_tag).ok());
        ++refused_long;
      } else {
        check_case(c);
        ++run;
      }
    }
  }
  std::cout << "[ wycheproof ] other IV lengths: " << run << " checked, " << refused_zero
            << " zero-length IVs refused, " << refused_long << " IVs over 128 octets refused\n";
  EXPECT_EQ(run + refused_zero + refused_long, 316 - 197);
  EXPECT_EQ(refused_zero, 6);
  EXPECT_EQ(refused_long, 3);
}

}  // namespace
}  // namespace tigress::crypto
