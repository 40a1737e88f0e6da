#include "reference/codec/uuid.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tigress::codec {
namespace {

TEST(Uuid, ParsesAndPrintsCanonicalLowercase) {
  auto uuid = parse_uuid("2EB8AA08-AA98-11EA-B4AA-73B441D16380");
  ASSERT_TRUE(uuid.ok()) << uuid.error().message();
  EXPECT_EQ(uuid->to_string(), "2eb8aa08-aa98-11ea-b4aa-73b441d16380");
  EXPECT_EQ(uuid->bytes[0], 0x2E);
  EXPECT_EQ(uuid->bytes[15], 0x80);
  EXPECT_EQ(uuid->version(), 1);
  EXPECT_TRUE(uuid->is_rfc_variant());
}

TEST(Uuid, MixedCaseParsesToTheSameValue) {
  EXPECT_EQ(parse_uuid("2eb8aa08-AA98-11ea-B4Aa-73B441D16380").value(),
            parse_uuid("2eb8aa08-aa98-11ea-b4aa-73b441d16380").value());
}

TEST(Uuid, NilAndMaxParse) {
  EXPECT_EQ(parse_uuid("00000000-0000-0000-0000-000000000000").value(), Uuid{});
  auto max = parse_uuid("ffffffff-ffff-ffff-ffff-ffffffffffff");
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->version(), 15);
  EXPECT_FALSE(max->is_rfc_variant());
}

TEST(Uuid, WrongLengthIsRefused) {
  for (const char* bad : {"", "2eb8aa08-aa98-11ea-b4aa-73b441d1638", "2eb8aa08-aa98-11ea-b4aa-73b441d163800",
                          "2eb8aa08aa9811eab4aa73b441d16380", "{2eb8aa08-aa98-11ea-b4aa-73b441d16380}",
                          "urn:uuid:2eb8aa08-aa98-11ea-b4aa-73b441d16380", " 2eb8aa08-aa98-11ea-b4aa-73b441d16380",
                          "2eb8aa08-aa98-11ea-b4aa-73b441d16380\n"}) {
    EXPECT_FALSE(parse_uuid(bad).ok()) << bad;
  }
}

TEST(Uuid, HyphensMustBeAtTheirPositions) {
  // Same 36 characters, hyphens moved.
  for (const char* bad : {"2eb8aa0-8aa98-11ea-b4aa-73b441d16380", "2eb8aa08a-a98-11ea-b4aa-73b441d16380",
                          "2eb8aa08-aa9811ea--b4aa-73b441d16380", "2eb8aa08-aa98-11eab-4aa-73b441d16380",
                          "2eb8aa08-aa98-11ea-b4aa7-3b441d16380", "2eb8aa08_aa98-11ea-b4aa-73b441d16380",
                          "------------------------------------"}) {
    EXPECT_FALSE(parse_uuid(bad).ok()) << bad;
  }
}

TEST(Uuid, NonHexDigitsAreRefused) {
  for (const char* bad : {"2eb8aa08-aa98-11ea-b4ga-73b441d16380", "2eb8aa08-aa98-11ea-b4aa-73b441d1_380",
                          "+eb8aa08-aa98-11ea-b4aa-73b441d16380", "2eb8aa08-aa98-11ea-b4aa-73b441d1638 "}) {
    EXPECT_FALSE(parse_uuid(bad).ok()) << bad;
  }
  // A non-ASCII digit (Bengali four, 3 octets) makes the length wrong or a byte non-hex.
  EXPECT_FALSE(parse_uuid("\xE0\xA7\xAA"
                          "eb8aa08-aa98-11ea-b4aa-73b441d163")
                   .ok());
}

TEST(Uuid, V4RequiresVersionAndVariant) {
  EXPECT_TRUE(parse_uuid_v4("98d80576-482e-427f-8434-7f86890ab222").ok());
  EXPECT_TRUE(parse_uuid_v4("98D80576-482E-427F-B434-7F86890AB222").ok());
  // The draft's own section 7.3.1 example is version 1 (AMB-51).
  EXPECT_FALSE(parse_uuid_v4("2bba630e-519b-11ec-bf63-0242ac130002").ok());
  EXPECT_FALSE(parse_uuid_v4("98d80576-482e-527f-8434-7f86890ab222").ok());  // version 5
  EXPECT_FALSE(parse_uuid_v4("98d80576-482e-427f-c434-7f86890ab222").ok());  // variant 110
  EXPECT_FALSE(parse_uuid_v4("98d80576-482e-427f-0434-7f86890ab222").ok());  // variant 0
  EXPECT_FALSE(parse_uuid_v4("98d80576-482e-427f-7434-7f86890ab222").ok());  // variant 0
  EXPECT_FALSE(parse_uuid_v4("not-a-uuid").ok());
}

TEST(Uuid, GeneratedAreV4DistinctAndRoundTrip) {
  std::set<std::string> seen;
  int bit_counts[128] = {};
  constexpr int kSamples = 2000;
  for (int i = 0; i < kSamples; ++i) {
    auto uuid = generate_uuid_v4();
    ASSERT_TRUE(uuid.ok()) << uuid.error().message();
    EXPECT_EQ(uuid->version(), 4);
    EXPECT_TRUE(uuid->is_rfc_variant());
    const std::string text = uuid->to_string();
    EXPECT_EQ(parse_uuid_v4(text).value(), *uuid);
    EXPECT_TRUE(seen.insert(text).second) << "duplicate " << text;
    for (int bit = 0; bit < 128; ++bit) {
      bit_counts[bit] += (uuid->bytes[bit / 8] >> (7 - bit % 8)) & 1;
    }
  }
  // The 6 fixed bits are constant; the other 122 must look random (loose 6-sigma bound, so
  // the test does not flake: sigma = sqrt(2000)/2 ~ 22).
  for (int bit = 0; bit < 128; ++bit) {
    const bool fixed = (bit >= 48 && bit < 52) || bit == 64 || bit == 65;
    if (fixed) continue;
    EXPECT_NEAR(bit_counts[bit], kSamples / 2, 135) << "bit " << bit;
  }
  EXPECT_EQ(bit_counts[48] + bit_counts[50] + bit_counts[51], 0);
  EXPECT_EQ(bit_counts[49], kSamples);
  EXPECT_EQ(bit_counts[64], kSamples);
  EXPECT_EQ(bit_counts[65], 0);
}

// JSON-Schema-Test-Suite "uuid" format cases: every valid string parses, every invalid one is
// refused (string cases only; the 6 non-string entries are skipped as the data's README says).
TEST(UuidThirdParty, JsonSchemaSuiteCases) {
  std::ifstream in(std::string(TIGRESS_THIRDPARTY_DIR) + "/json-schema-test-suite-formats/uuid.json", std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const auto groups = nlohmann::json::parse(buffer.str(), nullptr, false);
  ASSERT_TRUE(groups.is_array());
  int count = 0;
  for (const auto& group : groups) {
    for (const auto& test : group["tests"]) {
      if (!test["data"].is_string()) continue;
      ++count;
      const auto text = test["data"].get<std::string>();
      EXPECT_EQ(parse_uuid(text).ok(), test["valid"].get<bool>()) << test["data"].dump();
    }
  }
  EXPECT_EQ(count, 22);
}

}  // namespace
}  // namespace tigress::codec
