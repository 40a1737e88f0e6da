// The in-place readings give what nlohmann's recursive copy, comparison and dump give, on ordinary
// documents and on documents nested as deep as a 1 MiB body allows, where those would overflow
// the stack.
#include "reference/codec/json_in_place.hpp"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace tigress::codec::json_in_place {
namespace {

using nlohmann::json;

constexpr std::size_t kDeep = 400000;

json deep(std::size_t levels, const std::string& bottom = "") {
  return json::parse(std::string(levels, '[') + bottom + std::string(levels, ']'));
}

TEST(JsonInPlace, EqualAgreesWithNlohmannOnOrdinaryDocuments) {
  const std::vector<std::string> texts = {"null",
                                          "1",
                                          "1.0",
                                          "-1",
                                          "\"a\"",
                                          "true",
                                          "[]",
                                          "{}",
                                          "[1,2]",
                                          "[2,1]",
                                          "{\"a\":1}",
                                          "{\"b\":1}",
                                          "{\"a\":[1,{\"b\":null}]}",
                                          "{\"a\":[1,{\"b\":false}]}",
                                          "{\"a\":1,\"b\":2}",
                                          "[[]]",
                                          "[{}]"};
  for (const auto& a : texts) {
    for (const auto& b : texts) {
      EXPECT_EQ(equal(json::parse(a), json::parse(b)), json::parse(a) == json::parse(b)) << a << " vs " << b;
    }
  }
  const json discarded(json::value_t::discarded);
  EXPECT_FALSE(equal(discarded, discarded));
}

TEST(JsonInPlace, EqualComparesDocumentsNestedAsDeepAsTheirSizeAllows) {
  EXPECT_TRUE(equal(deep(kDeep), deep(kDeep)));
  EXPECT_FALSE(equal(deep(kDeep), deep(kDeep, "1")));
  EXPECT_FALSE(equal(deep(kDeep), deep(kDeep - 1)));
}

TEST(JsonInPlace, MembersAreReadWhereTheyAre) {
  const json document = json::parse(R"({"a":{"b":1},"s":"{\"b\":2}","n":3})");
  ASSERT_NE(member(document, "a"), nullptr);
  EXPECT_EQ(member(document, "a"), &document["a"]);
  EXPECT_EQ(member(document, "z"), nullptr);
  const json array = json::array({1});
  EXPECT_EQ(member(array, "a"), nullptr);
  const ObjectMember object(document, "a"), in_string(document, "s"), number(document, "n");
  ASSERT_TRUE(object);
  EXPECT_EQ(&*object, &document["a"]);
  ASSERT_TRUE(in_string);
  EXPECT_EQ((*in_string)["b"], 2);
  EXPECT_FALSE(number);
  EXPECT_FALSE(ObjectMember(document, "missing"));
}

TEST(JsonInPlace, DepthIsCountedLikeTheTextsNesting) {
  EXPECT_FALSE(nests_deeper_than(json(1), 0));
  EXPECT_TRUE(nests_deeper_than(json::array(), 0));
  EXPECT_FALSE(nests_deeper_than(deep(kMaxStructuredDepth), kMaxStructuredDepth));
  EXPECT_TRUE(nests_deeper_than(deep(kMaxStructuredDepth + 1), kMaxStructuredDepth));
  EXPECT_TRUE(nests_deeper_than(deep(kDeep), kMaxStructuredDepth));
  EXPECT_EQ(dump_within_bound(deep(kMaxStructuredDepth)), deep(kMaxStructuredDepth).dump());
  EXPECT_EQ(dump_within_bound(deep(kDeep)), "a value nested deeper than 256 levels");
  EXPECT_EQ(dump_within_bound(json("\xc3\xa9"), -1, ' ', true), "\"\\u00e9\"");
}

TEST(JsonInPlace, EveryMemberIsVisitedInDocumentOrder) {
  const json document = json::parse(R"({"a":{"b":1,"c":[{"d":2}]},"e":[[{"f":3}]],"g":4})");
  std::vector<std::string> keys;
  for_each_member(document, [&keys](const std::string& key, const json&) { keys.push_back(key); });
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g"}));
  std::size_t visited = 0;
  json nested = json::parse(std::string(kDeep, '[') + "{\"k\":1}" + std::string(kDeep, ']'));
  for_each_member(nested,
                  [&visited](const std::string& key, const json& value) { visited += key == "k" && value == 1; });
  EXPECT_EQ(visited, 1u);
}

}  // namespace
}  // namespace tigress::codec::json_in_place
