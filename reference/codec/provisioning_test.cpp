#include "reference/codec/provisioning.hpp"

#include <gtest/gtest.h>

namespace tigress::codec {
namespace {

using nlohmann::json;

// Appendix A plaintext of V-ENC-1 and V-ENC-2.
constexpr std::string_view kVectorPlaintext = R"({"format":"digitalwallet.carkey.ccc","content":{}})";

TEST(Provisioning, ParsesTheAppendixAPlaintext) {
  auto info = parse_provisioning_info(kVectorPlaintext);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_EQ(info->format, "digitalwallet.carkey.ccc");
  EXPECT_EQ(info->content, json::object());
  EXPECT_EQ(info->extensions, json::object());
}

TEST(Provisioning, SerializesFormatFirstLikeTheVectors) {
  ProvisioningInfo info;
  info.format = "digitalwallet.carkey.ccc";
  info.content = json::object();
  EXPECT_EQ(serialize_provisioning_info(info), kVectorPlaintext);
}

TEST(Provisioning, UnknownMembersAreKeptAndWrittenBack) {
  // MBX-PI-02: readers tolerate unknown top-level members.
  auto info = parse_provisioning_info(
      R"({"format":"digitalwallet.generic.authorizationToken","content":{"token":"abc","n":[1,2]},)"
      R"("x-extension":1,"another":{"deep":true}})");
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_EQ(info->content["token"], "abc");
  EXPECT_EQ(info->extensions.size(), 2U);
  EXPECT_EQ(info->extensions["x-extension"], 1);
  auto again = parse_provisioning_info(serialize_provisioning_info(*info));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->format, info->format);
  EXPECT_EQ(again->content, info->content);
  EXPECT_EQ(again->extensions, info->extensions);
}

TEST(Provisioning, MemberErrorsNameTheMember) {
  struct Case {
    const char* text;
    const char* field;
  };
  for (const Case& c : {
           Case{R"({"content":{}})", "format"},
           Case{R"({"format":"x"})", "content"},
           Case{R"({"format":"","content":{}})", "format"},
           Case{R"({"format":5,"content":{}})", "format"},
           Case{R"({"format":null,"content":{}})", "format"},
           Case{R"({"format":["x"],"content":{}})", "format"},
           Case{R"({"format":"x","content":[]})", "content"},
           Case{R"({"format":"x","content":"{}"})", "content"},
           Case{R"({"format":"x","content":null})", "content"},
           Case{R"({"format":"x","format":"y","content":{}})", "format"},
           Case{R"({"format":"x","content":{},"content":{}})", "content"},
       }) {
    auto result = parse_provisioning_info(c.text);
    ASSERT_FALSE(result.ok()) << c.text;
    EXPECT_EQ(result.error().field, c.field) << c.text << ": " << result.error().message();
  }
}

TEST(Provisioning, DuplicatesBelowTheTopLevelAreLeftToTheFormat) {
  auto result = parse_provisioning_info(R"({"format":"x","content":{"a":1,"a":2}})");
  EXPECT_TRUE(result.ok());
}

TEST(Provisioning, NotAnObjectOrNotJson) {
  for (const std::string& text :
       {std::string(""), std::string(" "), std::string("{"), std::string("[]"), std::string("null"),
        std::string("\"format\""), std::string("42"), std::string(R"({"format":"x","content":{}} trailing)"),
        std::string(R"({"format":"x","content":{}}{})"), std::string(R"({"format":"x","content":{},})"),
        std::string(R"({'format':'x','content':{}})"),
        std::string("{\"format\":\"\xC3\x28\",\"content\":{}}"),  // invalid UTF-8
        std::string("{\"format\":\"x\0\",\"content\":{}}", 28)}) {
    auto result = parse_provisioning_info(text);
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_TRUE(result.error().field.empty()) << text;
  }
}

TEST(Provisioning, DeepNestingDoesNotCrash) {
  std::string deep = R"({"format":"x","content":{"a":)";
  for (int i = 0; i < 10000; ++i) deep += "[";
  for (int i = 0; i < 10000; ++i) deep += "]";
  deep += "}}";
  auto result = parse_provisioning_info(deep);
  EXPECT_TRUE(result.ok());
  std::string unbalanced(100000, '[');
  EXPECT_FALSE(parse_provisioning_info(unbalanced).ok());
}

TEST(Provisioning, UnicodeSurvivesRoundTrip) {
  auto info = parse_provisioning_info(
      "{\"format\":\"x\",\"content\":{\"title\":\"Schl\xC3\xBCssel Caf\xC3\xA9 "
      "\xF0\x9F\x94\x91\"}}");
  ASSERT_TRUE(info.ok());
  auto again = parse_provisioning_info(serialize_provisioning_info(*info));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->content, info->content);
}

TEST(Provisioning, SerializeNeverThrowsOnInvalidUtf8) {
  // Only a hand-built value can hold invalid UTF-8; it is replaced, not thrown.
  ProvisioningInfo info;
  info.format = "bad\xFF";
  info.content = json::object({{"k\xC3", "v\xFE"}});
  info.extensions = json::object({{"x\xFF", 1}});
  std::string text;
  ASSERT_NO_THROW(text = serialize_provisioning_info(info));
  auto back = parse_provisioning_info(text);
  ASSERT_TRUE(back.ok()) << text;
  EXPECT_EQ(back->format, "bad\xEF\xBF\xBD");
}

TEST(Provisioning, TypedMembersWinOverSameNamedExtensions) {
  ProvisioningInfo info;
  info.format = "real";
  info.content = json::object({{"k", 1}});
  info.extensions = json::object({{"format", "fake"}, {"content", 2}, {"x", true}});
  auto back = parse_provisioning_info(serialize_provisioning_info(info));
  ASSERT_TRUE(back.ok()) << serialize_provisioning_info(info);
  EXPECT_EQ(back->format, "real");
  EXPECT_EQ(back->content, info.content);
  EXPECT_EQ(back->extensions, json::object({{"x", true}}));
}

TEST(Provisioning, DefaultConstructedContentIsWrittenAsAnObject) {
  ProvisioningInfo info;
  info.format = "f";
  EXPECT_EQ(serialize_provisioning_info(info), R"({"format":"f","content":{}})");
}

}  // namespace
}  // namespace tigress::codec
