// What a client under test sends is untrusted: a request body nested as deep as the relay lets
// one be (1 MiB) is read for its evidence, not walked or copied level by level until the stack
// runs out; ordinary bodies give the same evidence as always.
#include "conformance/client_cases/evidence.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tigress::conformance::client_suite {
namespace {

constexpr std::size_t kDeep = 400000;

std::string deep_array() { return std::string(kDeep, '[') + std::string(kDeep, ']'); }

// Keys in the order nlohmann serialises them, so a serialised token reads as written here.
const std::string kToken = R"({"tokenData":"746f6b656e","type":"com.apple.apns"})";

TEST(ClientEvidence, TokenDataOfAnOrdinaryBodyInDocumentOrder) {
  const std::string body =
      R"({"a":{"notificationToken":{"type":"x","tokenData":"first"}},)"
      R"("b":[{"notificationToken":{"tokenData":"second"}},{"notificationToken":{"tokenData":1}}],)"
      R"("notificationToken":{"type":"x","tokenData":"third"}})";
  EXPECT_EQ(notification_token_data(body), (std::vector<std::string>{"first", "second", "third"}));
  EXPECT_TRUE(notification_token_data("not json").empty());
}

TEST(ClientEvidence, TokenDataBesideAMemberNestedAsDeepAsABodyAllows) {
  const std::string body = "{\"deep\":" + deep_array() + ",\"notificationToken\":" + kToken + "}";
  EXPECT_EQ(notification_token_data(body), (std::vector<std::string>{"746f6b656e"}));
  const std::string deep_objects = [] {
    std::string text;
    for (std::size_t i = 0; i < kDeep / 8; ++i) text += "{\"a\":";
    text += "{\"notificationToken\":" + kToken + "}";
    text += std::string(kDeep / 8, '}');
    return text;
  }();
  EXPECT_EQ(notification_token_data(deep_objects), (std::vector<std::string>{"746f6b656e"}));
}

TEST(ClientEvidence, TokensOfAnOrdinaryBodySerialised) {
  const std::string body = "{\"notificationToken\":" + kToken + ",\"x\":[{\"notificationToken\":\"t\"}]}";
  const NotificationTokens tokens = notification_tokens(body);
  EXPECT_EQ(tokens.serialised, (std::set<std::string>{kToken, "\"t\""}));
  EXPECT_FALSE(tokens.too_deep);
}

// A token too deep to serialise is named as such; the tokens beside it are still read.
TEST(ClientEvidence, TokensBesideADeepMemberAndADeepToken) {
  const std::string beside = "{\"deep\":" + deep_array() + ",\"notificationToken\":" + kToken + "}";
  const NotificationTokens tokens = notification_tokens(beside);
  EXPECT_EQ(tokens.serialised, (std::set<std::string>{kToken}));
  EXPECT_FALSE(tokens.too_deep);
  const NotificationTokens deep = notification_tokens("{\"notificationToken\":" + deep_array() + "}");
  EXPECT_TRUE(deep.serialised.empty());
  EXPECT_TRUE(deep.too_deep);
}

TEST(ClientEvidence, UploadedPayloadWithADeepMemberIsRead) {
  adversary::RecordedExchange create;
  create.operation = adversary::Operation::kCreate;
  create.body = "{\"payload\":{\"type\":\"AEAD_AES_128_GCM\",\"data\":\"AAAA\",\"extra\":" + deep_array() + "}}";
  const std::vector<UploadedPayload> uploads = uploaded_payloads({create});
  ASSERT_EQ(uploads.size(), 1u);
  const std::vector<UploadedPayload> copied = uploads;
  EXPECT_TRUE(copied[0].payload_is_object);
  EXPECT_EQ(copied[0].type, "AEAD_AES_128_GCM");
  ASSERT_TRUE(copied[0].data.has_value());
  EXPECT_EQ(copied[0].data->size(), 3u);
}

}  // namespace
}  // namespace tigress::conformance::client_suite
