// Helpers shared by the relay's unit tests: build requests, run them through the core with a
// manual clock, read JSON out of responses.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "reference/codec/uuid.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/relay.hpp"

namespace tigress::relay::testing {

inline constexpr codec::UnixSeconds kStart = 1'900'000'000;  // 2030-03-17T17:46:40Z

inline std::string fresh_uuid() { return codec::generate_uuid_v4()->to_string(); }

inline nlohmann::json payload_json(const std::string& data = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw=") {
  return {{"type", "AEAD_AES_128_GCM"}, {"data", data}};
}

inline nlohmann::json create_body(const std::optional<std::string>& rights = "RWD",
                                  std::optional<codec::UnixSeconds> expiration = kStart + 3600,
                                  bool with_configuration = true) {
  nlohmann::json body = {
      {"payload", payload_json()},
      {"displayInformation",
       {{"title", "Car Key"}, {"description", "A key to my car"}, {"imageURL", "https://example.com/car.png"}}}};
  if (with_configuration) {
    nlohmann::json configuration = nlohmann::json::object();
    if (rights) configuration["accessRights"] = *rights;
    if (expiration) configuration["expiration"] = codec::format_timestamp(*expiration);
    body["mailboxConfiguration"] = configuration;
  }
  return body;
}

// Makes the store a harness runs on; it gets the harness's clock.
using StoreFactory = std::function<std::unique_ptr<Store>(const Clock&)>;

inline std::unique_ptr<Store> memory_store(const Clock&) { return std::make_unique<MemoryStore>(); }

class RelayHarness {
 public:
  explicit RelayHarness(RelayConfig config = default_config(), const StoreFactory& make_store = memory_store)
      : relay_(std::move(config)), clock_(kStart), store_(make_store(clock_)) {}

  static RelayConfig default_config() {
    RelayConfig config;
    config.public_base_url = "https://relay.test";
    return config;
  }

  Response send(const std::string& method, const std::string& path, std::optional<std::string> claim,
                std::optional<std::string> request_id, std::string body = "",
                std::optional<std::string> content_type = std::nullopt) {
    Request request;
    request.method = method;
    if (auto q = path.find('?'); q != std::string::npos) {
      request.path = path.substr(0, q);
      request.query = path.substr(q + 1);
    } else {
      request.path = path;
    }
    if (claim) request.headers.emplace("Mailbox-Device-Claim", *claim);
    if (request_id) request.headers.emplace("Mailbox-Request-ID", *request_id);
    if (!content_type && !body.empty()) content_type = "application/json";
    if (content_type) request.headers.emplace("Content-Type", *content_type);
    request.body = std::move(body);
    return relay_.handle(request, clock_, *store_);
  }

  Response create(const std::string& claim, const nlohmann::json& body = create_body(),
                  std::optional<std::string> request_id = std::nullopt) {
    return send("POST", "/v1/m", claim, request_id.value_or(fresh_uuid()), body.dump());
  }
  // Creates a mailbox and returns its id (asserting success is the caller's business).
  std::string create_id(const std::string& claim, const nlohmann::json& body = create_body()) {
    auto response = create(claim, body);
    auto link = nlohmann::json::parse(response.body).at("urlLink").get<std::string>();
    return link.substr(link.rfind('/') + 1);
  }
  Response read(const std::string& id, std::optional<std::string> claim) {
    return send("POST", "/v1/m/" + id, std::move(claim), std::nullopt);
  }
  Response update(const std::string& id, std::optional<std::string> claim, const nlohmann::json& body,
                  std::optional<std::string> request_id = std::nullopt) {
    return send("PUT", "/v1/m/" + id, std::move(claim), request_id.value_or(fresh_uuid()), body.dump());
  }
  Response remove(const std::string& id, std::optional<std::string> claim,
                  std::optional<std::string> request_id = std::nullopt) {
    return send("DELETE", "/v1/m/" + id, std::move(claim), request_id.value_or(fresh_uuid()));
  }
  Response relinquish(const std::string& id, std::optional<std::string> claim,
                      std::optional<std::string> request_id = std::nullopt) {
    return send("PATCH", "/v1/m/" + id, std::move(claim), request_id.value_or(fresh_uuid()));
  }
  Response preview(const std::string& id, const std::string& query = "") {
    return send("GET", "/v1/m/" + id + (query.empty() ? "" : "?" + query), std::nullopt, std::nullopt);
  }

  ManualClock& clock() { return clock_; }
  Store& store() { return *store_; }
  const Relay& relay() const { return relay_; }

 private:
  Relay relay_;
  ManualClock clock_;
  std::unique_ptr<Store> store_;
};

inline nlohmann::json body_json(const Response& response) {
  return nlohmann::json::parse(response.body, nullptr, false);
}

}  // namespace tigress::relay::testing
