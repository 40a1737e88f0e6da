// CreateMailbox (draft section 6.1) and the Mailbox-Request-ID rules (5.1) in the core.
#include <regex>

#include <gtest/gtest.h>

#include "reference/relay/relay_test_support.hpp"

namespace tigress::relay::testing {
namespace {

TEST(RelayCreate, AnswersOkWithUrlLinkAndPushFlag) {
  RelayHarness relay;
  auto response = relay.create(fresh_uuid());
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(*response.header("Content-Type"), "application/json");
  auto body = body_json(response);
  ASSERT_TRUE(body["urlLink"].is_string());
  const std::string link = body["urlLink"];
  EXPECT_TRUE(std::regex_match(link, std::regex("^https://relay\\.test/v1/m/[0-9a-f-]{36}$"))) << link;
  auto id = codec::parse_uuid_v4(link.substr(link.rfind('/') + 1));
  EXPECT_TRUE(id.ok()) << "mailbox id must be a UUIDv4 (8.1.2)";
  EXPECT_EQ(body["isPushNotificationSupported"], false);
}

TEST(RelayCreate, EchoesRequestIdOnSuccessAndOnErrors) {
  RelayHarness relay;
  auto ok = relay.create(fresh_uuid(), create_body(), "req-1");
  ASSERT_EQ(ok.status, 200);
  EXPECT_EQ(*ok.header("Mailbox-Request-ID"), "req-1");
  auto bad = relay.send("POST", "/v1/m", fresh_uuid(), "req-2", "{");
  ASSERT_EQ(bad.status, 400);
  EXPECT_EQ(*bad.header("Mailbox-Request-ID"), "req-2");
}

TEST(RelayCreate, ClaimAndRequestIdAreRequired) {
  RelayHarness relay;
  EXPECT_EQ(relay.send("POST", "/v1/m", std::nullopt, fresh_uuid(), create_body().dump()).status, 400);
  EXPECT_EQ(relay.send("POST", "/v1/m", "not-a-uuid", fresh_uuid(), create_body().dump()).status, 401);
  EXPECT_EQ(relay.send("POST", "/v1/m", fresh_uuid(), std::nullopt, create_body().dump()).status, 400);
  EXPECT_EQ(relay.store().begin()->mailbox_count(), 0u);
}

TEST(RelayCreate, RefusesOtherMediaTypes) {
  RelayHarness relay;
  auto response = relay.send("POST", "/v1/m", fresh_uuid(), fresh_uuid(), create_body().dump(), "text/plain");
  EXPECT_EQ(response.status, 415);
  auto with_charset =
      relay.send("POST", "/v1/m", fresh_uuid(), fresh_uuid(), create_body().dump(), "Application/JSON; charset=utf-8");
  EXPECT_EQ(with_charset.status, 200);
}

TEST(RelayCreate, ValidationErrorNamesTheField) {
  RelayHarness relay;
  auto body = create_body();
  body["payload"].erase("data");
  auto response = relay.create(fresh_uuid(), body);
  ASSERT_EQ(response.status, 400);
  auto error = body_json(response);
  EXPECT_EQ(error["error"], "bad_request");
  EXPECT_NE(error["detail"].get<std::string>().find("payload.data"), std::string::npos) << error.dump();
}

TEST(RelayCreate, PastExpirationRefusedAndLongOneCapped) {
  RelayHarness relay;
  EXPECT_EQ(relay.create(fresh_uuid(), create_body("RWD", kStart - 1)).status, 400);
  EXPECT_EQ(relay.create(fresh_uuid(), create_body("RWD", kStart)).status, 400);
  const std::string claim = fresh_uuid();
  auto id = relay.create_id(claim, create_body("RWD", kStart + 365 * 86400));
  auto read = body_json(relay.read(id, claim));
  const auto cap = kStart + relay.relay().config().max_ttl;
  EXPECT_EQ(read["expiration"], codec::format_timestamp(cap));
}

TEST(RelayCreate, OffsetExpirationIsStoredAsUtc) {
  RelayHarness relay;
  auto body = create_body();
  body["mailboxConfiguration"]["expiration"] = "2030-03-17T20:00:00+01:00";
  const std::string claim = fresh_uuid();
  auto id = relay.create_id(claim, body);
  EXPECT_EQ(body_json(relay.read(id, claim))["expiration"], "2030-03-17T19:00:00Z");
}

TEST(RelayCreate, DefaultConfigurationIsReadDeleteWithDefaultLifetime) {
  RelayHarness relay;
  const std::string initiator = fresh_uuid();
  auto id = relay.create_id(initiator, create_body(std::nullopt, std::nullopt, false));
  auto read = relay.read(id, initiator);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(body_json(read)["expiration"], codec::format_timestamp(kStart + relay.relay().config().default_ttl));
  EXPECT_EQ(relay.update(id, initiator, {{"payload", payload_json()}}).status, 401) << "no W by default";
  EXPECT_EQ(relay.remove(id, initiator).status, 200) << "D by default";
}

TEST(RelayCreate, ConfigurationWithoutExpirationRefused) {
  RelayHarness relay;
  EXPECT_EQ(relay.create(fresh_uuid(), create_body("RWD", std::nullopt)).status, 400);
}

TEST(RelayCreate, DuplicateAnswers201WithOriginalBodyAndCreatesNothing) {
  RelayHarness relay;
  const std::string claim = fresh_uuid(), request_id = fresh_uuid();
  auto first = relay.create(claim, create_body(), request_id);
  ASSERT_EQ(first.status, 200);
  auto changed = create_body();
  changed["displayInformation"]["title"] = "something else";
  auto second = relay.create(claim, changed, request_id);
  EXPECT_EQ(second.status, 201);
  EXPECT_EQ(body_json(second)["urlLink"], body_json(first)["urlLink"]);
  EXPECT_EQ(*second.header("Mailbox-Request-ID"), request_id);
  EXPECT_EQ(relay.store().begin()->mailbox_count(), 1u);
}

TEST(RelayCreate, SameRequestIdFromAnotherClaimIsNotADuplicate) {
  RelayHarness relay;
  const std::string request_id = fresh_uuid();
  auto a = relay.create(fresh_uuid(), create_body(), request_id);
  auto b = relay.create(fresh_uuid(), create_body(), request_id);
  ASSERT_EQ(a.status, 200);
  ASSERT_EQ(b.status, 200);
  EXPECT_NE(body_json(a)["urlLink"], body_json(b)["urlLink"]);
}

TEST(RelayCreate, FailedRequestIsNotRemembered) {
  RelayHarness relay;
  const std::string claim = fresh_uuid(), request_id = fresh_uuid();
  EXPECT_EQ(relay.send("POST", "/v1/m", claim, request_id, "{").status, 400);
  EXPECT_EQ(relay.create(claim, create_body(), request_id).status, 200);
}

TEST(RelayCreate, ChoosesItsOwnIdentifier) {
  RelayHarness relay;
  auto body = create_body();
  const std::string chosen = fresh_uuid();
  body["mailboxIdentifier"] = chosen;
  auto response = relay.create(fresh_uuid(), body);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(body_json(response)["urlLink"].get<std::string>().find(chosen), std::string::npos);
}

TEST(RelayCreate, IdentifiersAreDistinct) {
  RelayHarness relay;
  std::set<std::string> ids;
  for (int i = 0; i < 200; ++i) ids.insert(relay.create_id(fresh_uuid()));
  EXPECT_EQ(ids.size(), 200u);
}

}  // namespace
}  // namespace tigress::relay::testing
