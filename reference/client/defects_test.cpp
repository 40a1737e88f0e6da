// The client's defect catalogue and the crypto defects that can be seen without a relay. Each
// defect test also runs the conforming path, so the test proves the defect changes something.
#include "reference/client/defects.hpp"

#include <gtest/gtest.h>

#include <set>

#include "reference/client/client_test_support.hpp"
#include "reference/client/payload_crypto.hpp"
#include "reference/codec/base64.hpp"

namespace tigress::client {
namespace {

using testing::kCarKey;
using testing::lines_of;
using testing::run;

ClientDefects with(std::string_view name) {
  ClientDefects defects;
  EXPECT_TRUE(enable_client_defect(defects, name).ok()) << name;
  return defects;
}

Bytes iv_of(const codec::Payload& payload) {
  auto framed = codec::base64_decode(payload.data);
  EXPECT_TRUE(framed.ok());
  if (!framed || framed->size() < crypto::kIvSize) return {};
  return Bytes(framed->begin(), framed->begin() + crypto::kIvSize);
}

TEST(ClientDefectCatalogue, HoldsTheFixedNamesEachCaughtByAClientCaseOrTheFuzzer) {
  const std::set<std::string_view> expected{"sends-secret",
                                            "keeps-fragment",
                                            "reuses-iv",
                                            "plaintext-payload",
                                            "short-key",
                                            "same-claim-both-roles",
                                            "reuses-claim-across-shares",
                                            "reuses-request-id",
                                            "ignores-echo-mismatch",
                                            "new-request-id-on-retry",
                                            "accepts-tampered",
                                            "ignores-content-type",
                                            "no-timeout",
                                            "unbounded-response",
                                            "secret-in-body",
                                            "claim-from-key",
                                            "follows-redirects",
                                            "accepts-http",
                                            "iv-from-plaintext",
                                            "share-url-from-relay-option",
                                            "ignores-refusals",
                                            "no-cert-verification",
                                            "no-request-id",
                                            "aborts-on-member-type",
                                            "hangs-on-deep-nesting",
                                            "trusts-unknown-payload-type"};
  std::set<std::string_view> names;
  for (const auto& info : client_defect_catalogue()) {
    names.insert(info.name);
    ASSERT_FALSE(info.caught_by.empty()) << info.name;
    // A client case, or a finding class of the client response fuzzer (its results' ids).
    for (auto id : info.caught_by) {
      EXPECT_TRUE(id.rfind("client/", 0) == 0 || id == "fuzz-client/crash" || id == "fuzz-client/hang" ||
                  id == "fuzz-client/wrong-output")
          << id;
    }
    ClientDefects one;
    ASSERT_TRUE(enable_client_defect(one, info.name).ok());
    EXPECT_TRUE(one.*info.flag) << info.name;
    EXPECT_TRUE(one.any());
    int switched_on = 0;
    for (const auto& other : client_defect_catalogue()) switched_on += one.*other.flag ? 1 : 0;
    EXPECT_EQ(switched_on, 1) << info.name << " shares its switch with another name";
  }
  EXPECT_EQ(names, expected);
  EXPECT_FALSE(ClientDefects{}.any());
}

TEST(ClientDefectCatalogue, ListDefectsPrintsNameDescriptionAndCases) {
  const auto listed = run({"--list-defects"});
  EXPECT_EQ(listed.code, kExitSuccess);
  const auto lines = lines_of(listed.out);
  ASSERT_EQ(lines.size(), client_defect_catalogue().size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& info = client_defect_catalogue()[i];
    const auto first_tab = lines[i].find('\t');
    const auto second_tab = lines[i].find('\t', first_tab + 1);
    ASSERT_NE(second_tab, std::string::npos) << lines[i];
    EXPECT_EQ(lines[i].find('\t', second_tab + 1), std::string::npos) << lines[i];
    EXPECT_EQ(lines[i].substr(0, first_tab), info.name);
    std::string ids;  // a defect may be caught by several cases, comma-separated
    for (auto id : info.caught_by) ids += (ids.empty() ? "" : ",") + std::string(id);
    EXPECT_EQ(lines[i].substr(second_tab + 1), ids);
  }
}

TEST(ClientDefectCatalogue, UnknownOrMissingNameIsAUsageErrorOnOneLine) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--defect", "no-such-defect", "read", "--state", "x"},
        std::vector<std::string>{"--defect=", "read", "--state", "x"}, std::vector<std::string>{"--defect"}}) {
    const auto result = run(args);
    EXPECT_EQ(result.code, kExitUsage) << args[0];
    EXPECT_TRUE(result.out.empty());
    ASSERT_EQ(lines_of(result.err).size(), 1u) << result.err;
    EXPECT_EQ(result.err.rfind("tigress-client: ", 0), 0u) << result.err;
  }
  EXPECT_NE(run({"--defect", "no-such-defect", "read"}).err.find("no-such-defect"), std::string::npos);
}

TEST(ClientDefectCatalogue, DefectIsOnlyAcceptedBeforeTheCommand) {
  const auto result = run({"read", "--state", "x", "--defect", "reuses-iv"});
  EXPECT_EQ(result.code, kExitUsage);
}

TEST(ClientCryptoDefects, ReusesIvSealsEveryMessageUnderOneIv) {
  auto key = generate_share_key(crypto::AeadAlgorithm::kAes128Gcm, {});
  ASSERT_TRUE(key.ok());
  const auto defective = with("reuses-iv");
  auto a = seal_payload(key->key_algorithm, key->secret, kCarKey, defective);
  auto b = seal_payload(key->key_algorithm, key->secret, kCarKey, defective);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(iv_of(*a), iv_of(*b));
  // Still a valid GCM message: only the nonce discipline is broken.
  EXPECT_EQ(open_payload(*a, key->secret, {}).value(), kCarKey);

  auto c = seal_payload(key->key_algorithm, key->secret, kCarKey, {});
  auto d = seal_payload(key->key_algorithm, key->secret, kCarKey, {});
  ASSERT_TRUE(c.ok() && d.ok());
  EXPECT_NE(iv_of(*c), iv_of(*d));
}

TEST(ClientCryptoDefects, PlaintextPayloadDataDecodesToThePlaintext) {
  auto key = generate_share_key(crypto::AeadAlgorithm::kAes128Gcm, {});
  ASSERT_TRUE(key.ok());
  auto sealed = seal_payload(key->key_algorithm, key->secret, kCarKey, with("plaintext-payload"));
  ASSERT_TRUE(sealed.ok());
  auto decoded = codec::base64_decode(sealed->data);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::string(decoded->begin(), decoded->end()), kCarKey);
  EXPECT_FALSE(open_payload(*sealed, key->secret, {}).ok());

  auto clean = seal_payload(key->key_algorithm, key->secret, kCarKey, {});
  ASSERT_TRUE(clean.ok());
  decoded = codec::base64_decode(clean->data);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::string(decoded->begin(), decoded->end()).find("VIN-TEST-0001"), std::string::npos);
}

TEST(ClientCryptoDefects, ShortKeyLabels256WithA16OctetKey) {
  const auto defective = with("short-key");
  auto key = generate_share_key(crypto::AeadAlgorithm::kAes256Gcm, defective);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->secret.size(), 16u);
  auto sealed = seal_payload(key->key_algorithm, key->secret, kCarKey, defective);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->type, "AEAD_AES_256_GCM");
  EXPECT_FALSE(open_payload(*sealed, key->secret, {}).ok()) << "a conforming reader must refuse it";

  auto clean = generate_share_key(crypto::AeadAlgorithm::kAes256Gcm, {});
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(clean->secret.size(), 32u);
}

TEST(ClientCryptoDefects, AcceptsTamperedOutputsUnauthenticatedPlaintext) {
  auto key = generate_share_key(crypto::AeadAlgorithm::kAes256Gcm, {});
  ASSERT_TRUE(key.ok());
  auto sealed = seal_payload(key->key_algorithm, key->secret, kCarKey, {});
  ASSERT_TRUE(sealed.ok());
  auto framed = codec::base64_decode(sealed->data);
  ASSERT_TRUE(framed.ok());
  framed->back() ^= 0x01;  // only the tag: the CTR keystream still recovers the message
  codec::Payload tampered{sealed->type, codec::base64_encode(*framed)};

  EXPECT_FALSE(open_payload(tampered, key->secret, {}).ok());
  auto leaked = open_payload(tampered, key->secret, with("accepts-tampered"));
  ASSERT_TRUE(leaked.ok());
  EXPECT_EQ(*leaked, kCarKey);
}

TEST(ClientClaimDefects, SameClaimBothRolesAndReusedInitiatorClaim) {
  auto key = generate_share_key(crypto::AeadAlgorithm::kAes128Gcm, {});
  auto other = generate_share_key(crypto::AeadAlgorithm::kAes128Gcm, {});
  ASSERT_TRUE(key.ok() && other.ok());
  const auto same = with("same-claim-both-roles");
  EXPECT_EQ(new_device_claim(true, key->secret, same).value(), new_device_claim(false, key->secret, same).value());
  EXPECT_NE(new_device_claim(true, key->secret, {}).value(), new_device_claim(false, key->secret, {}).value());

  const auto reused = with("reuses-claim-across-shares");
  EXPECT_EQ(new_device_claim(true, key->secret, reused).value(), new_device_claim(true, other->secret, reused).value());
  EXPECT_NE(new_device_claim(true, key->secret, {}).value(), new_device_claim(true, key->secret, {}).value());
  for (const auto& defects : {same, reused, ClientDefects{}}) {
    auto claim = new_device_claim(true, key->secret, defects);
    ASSERT_TRUE(claim.ok());
    EXPECT_EQ(claim->version(), 4);  // the defects hide in plausible-looking claims
    EXPECT_TRUE(claim->is_rfc_variant());
  }
}

}  // namespace
}  // namespace tigress::client
