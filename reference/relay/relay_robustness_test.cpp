// Routing, limits and hostile bodies: every client mistake is a 4xx with a JSON error body.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "reference/relay/relay_test_support.hpp"

namespace tigress::relay::testing {
namespace {

void expect_json_error(const Response& response, int status) {
  ASSERT_EQ(response.status, status) << response.body;
  ASSERT_NE(response.header("Content-Type"), nullptr);
  EXPECT_EQ(*response.header("Content-Type"), "application/json");
  auto body = body_json(response);
  ASSERT_TRUE(body.is_object()) << response.body;
  EXPECT_TRUE(body["error"].is_string());
  EXPECT_TRUE(body["detail"].is_string());
}

TEST(RelayRouting, MalformedAndUnknownIdentifiersAreNotFound) {
  RelayHarness relay;
  for (const std::string method : {"GET", "POST", "PUT", "DELETE", "PATCH"}) {
    expect_json_error(relay.send(method, "/v1/m/not-a-uuid", fresh_uuid(), fresh_uuid(), "{}"), 404);
    expect_json_error(relay.send(method, "/v1/m/" + fresh_uuid(), fresh_uuid(), fresh_uuid(), "{}"), 404);
  }
}

TEST(RelayRouting, UnknownPathsVersionsAndMethods) {
  RelayHarness relay;
  expect_json_error(relay.send("POST", "/v2/m", fresh_uuid(), fresh_uuid(), create_body().dump()), 404);
  expect_json_error(relay.send("GET", "/", std::nullopt, std::nullopt), 404);
  expect_json_error(relay.send("GET", "/v1/m/", std::nullopt, std::nullopt), 404);
  expect_json_error(relay.send("GET", "/v1/m/a/b", std::nullopt, std::nullopt), 404);
  auto collection = relay.send("GET", "/v1/m", std::nullopt, std::nullopt);
  expect_json_error(collection, 405);
  EXPECT_EQ(*collection.header("Allow"), "POST");
  auto id = relay.create_id(fresh_uuid());
  expect_json_error(relay.send("OPTIONS", "/v1/m/" + id, std::nullopt, std::nullopt), 405);
  expect_json_error(relay.send("BREW", "/v1/m/" + id, std::nullopt, std::nullopt), 405);
}

TEST(RelayLimits, OversizedBodyIs413) {
  RelayConfig config = RelayHarness::default_config();
  config.max_body_bytes = 1024;
  RelayHarness relay(config);
  auto body = create_body();
  body["payload"]["data"] = std::string(2000, 'A');
  auto response = relay.create(fresh_uuid(), body);
  expect_json_error(response, 413);
  EXPECT_EQ(relay.store().begin()->mailbox_count(), 0u);
}

TEST(RelayLimits, OverlongRequestIdRefusedAndNotEchoed) {
  RelayHarness relay;
  auto response = relay.create(fresh_uuid(), create_body(), std::string(1000, 'x'));
  expect_json_error(response, 400);
  EXPECT_EQ(response.header("Mailbox-Request-ID"), nullptr);
}

TEST(RelayLimits, RepeatedTigressHeadersRefused) {
  RelayHarness relay;
  Request request;
  request.method = "POST";
  request.path = "/v1/m";
  request.headers.emplace("Mailbox-Device-Claim", fresh_uuid());
  request.headers.emplace("Mailbox-Device-Claim", fresh_uuid());
  request.headers.emplace("Mailbox-Request-ID", fresh_uuid());
  request.headers.emplace("Content-Type", "application/json");
  request.body = create_body().dump();
  expect_json_error(relay.relay().handle(request, relay.clock(), relay.store()), 400);
}

TEST(RelayRobustness, InvalidUtf8InStringsIsRefused) {
  RelayHarness relay;
  std::string body = create_body().dump();
  body.replace(body.find("Car Key"), 3, "\xC3\x28\xFF");
  expect_json_error(relay.send("POST", "/v1/m", fresh_uuid(), fresh_uuid(), body), 400);
}

// Every n_ file of JSONTestSuite must be refused by every JSON-consuming endpoint, and the relay
// keeps serving afterwards.
TEST(RelayRobustness, JsonTestSuiteRejectFilesAreBadRequests) {
  const std::filesystem::path dir = std::filesystem::path(TIGRESS_THIRDPARTY_DIR) / "jsontestsuite" / "test_parsing";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  RelayHarness relay;
  const std::string initiator = fresh_uuid();
  auto id = relay.create_id(initiator);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("n_")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    const std::string body = content.str();
    // Files beyond the body limit are refused before parsing (413).
    const int expected = body.size() > relay.relay().config().max_body_bytes ? 413 : 400;
    const std::string json = "application/json";
    expect_json_error(relay.send("POST", "/v1/m", fresh_uuid(), fresh_uuid(), body, json), expected);
    expect_json_error(relay.send("PUT", "/v1/m/" + id, initiator, fresh_uuid(), body, json), expected);
    if (!body.empty()) {
      expect_json_error(relay.send("POST", "/v1/m/" + id, initiator, std::nullopt, body), expected);
    }
    ++files;
  }
  EXPECT_GE(files, 180);
  EXPECT_EQ(relay.read(id, initiator).status, 200);
}

}  // namespace
}  // namespace tigress::relay::testing
