// Cross-check of uuid_test.json with libuuid (Debian uuid-dev, util-linux), no code of ours:
// uuid_parse_range decides the syntax (RFC 9562 section 4, the 36-character form, any case),
// uuid_unparse_lower gives the canonical spelling, and uuid_type/uuid_variant decide the `v4`
// group (mailbox IDs: version 4, RFC variant; section 6.1.1).
#include <iostream>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <uuid/uuid.h>

#include "committed_vectors.hpp"

namespace tigress::vectors::crosscheck::uuid_libuuid {
namespace {

using nlohmann::json;

// What libuuid makes of a value: the canonical spelling when the group's form accepts it.
std::optional<std::string> libuuid_accepts(const std::string& value, const std::string& form) {
  uuid_t parsed;
  if (uuid_parse_range(value.data(), value.data() + value.size(), parsed) != 0) return std::nullopt;
  if (form == "v4" && (uuid_type(parsed) != UUID_TYPE_DCE_RANDOM || uuid_variant(parsed) != UUID_VARIANT_DCE)) {
    return std::nullopt;
  }
  char canonical[37];
  uuid_unparse_lower(parsed, canonical);
  return std::string(canonical);
}

std::optional<std::string> disagreement(const json& test, const std::string& form) {
  const auto accepted = libuuid_accepts(test.value("value", ""), form);
  const std::string result = test.value("result", "");
  if (result == "valid") {
    if (!accepted) return "valid, but libuuid refuses it";
    if (*accepted != test.value("canonical", "")) return "valid, but libuuid's canonical form is " + *accepted;
    return std::nullopt;
  }
  if (result == "invalid")
    return accepted ? std::optional<std::string>("invalid, but libuuid accepts it") : std::nullopt;
  return "result " + result + " is not used by this file";
}

TEST(UuidLibuuidCrossCheck, EveryVectorAgreesWithLibuuid) {
  const json doc = load_vector_file("uuid_test.json");
  ASSERT_TRUE(doc.is_object());
  int checked = 0;
  for (const auto& group : doc["testGroups"]) {
    for (const auto& test : group["tests"]) {
      SCOPED_TRACE("tcId " + std::to_string(test["tcId"].get<int>()) + ": " + test.value("comment", ""));
      const auto differs = disagreement(test, group["form"].get<std::string>());
      EXPECT_FALSE(differs) << *differs;
      ++checked;
    }
  }
  EXPECT_EQ(checked, doc["numberOfTests"].get<int>());
  std::cout << "UUID: " << checked << " vectors, no differences allowed\n";
}

// The comparison must be able to fail: flipped results and a wrong canonical form are caught.
TEST(UuidLibuuidCrossCheck, TamperedExpectationsAreCaught) {
  const json doc = load_vector_file("uuid_test.json");
  int tampered = 0;
  for (const auto& group : doc["testGroups"]) {
    const std::string form = group["form"].get<std::string>();
    for (json test : group["tests"]) {
      SCOPED_TRACE("tcId " + std::to_string(test["tcId"].get<int>()));
      const bool valid = test["result"] == "valid";
      json flipped = test;
      flipped["result"] = valid ? "invalid" : "valid";
      if (!valid) flipped["canonical"] = test["value"];
      EXPECT_TRUE(disagreement(flipped, form));
      if (valid) {
        json other = test;
        other["canonical"] = "00000000-0000-4000-8000-000000000001";
        EXPECT_TRUE(disagreement(other, form));
      }
      ++tampered;
    }
  }
  EXPECT_GT(tampered, 0);
}

}  // namespace
}  // namespace tigress::vectors::crosscheck::uuid_libuuid
