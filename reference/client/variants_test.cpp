// The defensible variants: each switched on by its own name, none of them a defect, and the
// one that changes the payload spelling still opens what it sealed.
#include <gtest/gtest.h>

#include "reference/client/payload_crypto.hpp"
#include "reference/client/variants.hpp"
#include "reference/codec/base64.hpp"

namespace tigress::client {
namespace {

TEST(ClientVariantCatalogue, EachNameSwitchesOnItsOwnFlagAndIsNoDefect) {
  for (const auto& info : client_variant_catalogue()) {
    ClientDefects defects;
    ASSERT_TRUE(enable_client_variant(defects.variants, info.name).ok()) << info.name;
    EXPECT_TRUE(defects.variants.*info.flag);
    EXPECT_FALSE(defects.any()) << info.name << " counts as a defect";
    int switched_on = 0;
    for (const auto& other : client_variant_catalogue()) switched_on += defects.variants.*other.flag ? 1 : 0;
    EXPECT_EQ(switched_on, 1) << info.name;
  }
  ClientVariants none;
  EXPECT_FALSE(enable_client_variant(none, "no-such-variant").ok());
  EXPECT_NE(format_variant_list().find("payload-base64url\t"), std::string::npos);
}

TEST(ClientVariantCatalogue, Base64urlPayloadIsUnpaddedUrlSafeAndOpens) {
  ClientDefects defects;
  defects.variants.payload_base64url = true;
  auto key = generate_share_key(crypto::AeadAlgorithm::kAes128Gcm, defects);
  ASSERT_TRUE(key.ok());
  const std::string plaintext = R"({"format":"digitalwallet.generic.authorizationToken","content":{"t":"x"}})";
  auto sealed = seal_payload(key->key_algorithm, key->secret, plaintext, defects);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->data.find_first_of("+/="), std::string::npos) << sealed->data;
  EXPECT_TRUE(codec::base64_decode_lenient(sealed->data).ok());
  EXPECT_EQ(open_payload(*sealed, key->secret, defects).value(), plaintext);
}

}  // namespace
}  // namespace tigress::client
