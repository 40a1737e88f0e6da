// parse_object_body builds its document in the same pass that checks the body; what it accepts
// must be exactly the document nlohmann's own parser builds from the same bytes, and its own
// refusals must still name the member.
#include "reference/codec/strict_json.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tigress::codec::strict_json {
namespace {

using nlohmann::json;

void expect_same_document_as_nlohmann(const std::string& body) {
  SCOPED_TRACE(body.substr(0, 120));
  auto strict = parse_object_body(body);
  ASSERT_TRUE(strict.ok()) << strict.error().message();
  const json reference = json::parse(body);
  EXPECT_EQ(*strict, reference);
  EXPECT_EQ(strict->dump(), reference.dump());  // same number types and member order too
}

TEST(StrictJsonDocument, NestedObjectsArraysAndEveryScalarKindMatchNlohmann) {
  expect_same_document_as_nlohmann(R"({})");
  expect_same_document_as_nlohmann(
      R"({"payload":{"type":"AEAD_AES_128_GCM","data":"QUJD"},"displayInformation":{"title":"T","description":"D",)"
      R"("imageURL":"https://example.com/i.png"},"mailboxConfiguration":{"accessRights":"RWD",)"
      R"("expiration":"2027-01-01T00:00:00Z"}})");
  expect_same_document_as_nlohmann(
      R"({"a":[1,-2,18446744073709551615,-9223372036854775808,1.5e300,0.0,-0.0,true,false,null,"s\u00e9\ud83d\ude00"],)"
      R"("b":[[],[{}],[{"x":[{"y":[1,{"z":{}}]}]}]],"c":{"d":{"e":[null,{"f":"g"},[[[]]]]}},"":"empty name"})");
  expect_same_document_as_nlohmann(R"(  {"z":1,"a":2,"m":{"z":[3],"a":[4]}}  )");
}

// Each document the suite says must be accepted (y_), as the value of a member so that arrays
// and scalars count too: the strict reading accepts it (unless it repeats a member name) and
// builds what nlohmann builds.
TEST(StrictJsonDocument, EveryValueTheJsonTestSuiteAcceptsIsTheDocumentNlohmannBuilds) {
  const std::filesystem::path dir = std::filesystem::path(TIGRESS_THIRDPARTY_DIR) / "jsontestsuite" / "test_parsing";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "no corpus at " << dir;
  int compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("y_")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string value((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string body = "{\"v\":" + value + "}";
    SCOPED_TRACE(name);
    const json reference = json::parse(body, nullptr, false);
    if (reference.is_discarded()) continue;  // nlohmann's own gaps are not this test's subject
    auto strict = parse_object_body(body);
    if (!strict.ok()) {
      EXPECT_EQ(strict.error().reason.find("duplicate member name"), 0u) << strict.error().message();
      continue;
    }
    EXPECT_EQ(strict->dump(), reference.dump());
    ++compared;
  }
  EXPECT_GT(compared, 80) << "the corpus holds 95 documents that must be accepted";
}

TEST(StrictJsonDocument, ADuplicateNameDeepInsideArraysIsRefusedWithItsPath) {
  auto refused = parse_object_body(R"({"a":[{"ok":1},{"b":{"c":1,"c":2}}]})");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "a[1].b.c") << refused.error().message();
  EXPECT_NE(refused.error().reason.find("duplicate member name"), std::string::npos);
}

}  // namespace
}  // namespace tigress::codec::strict_json
