#include "bench/relay_operations.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

#include "reference/codec/uuid.hpp"

namespace tigress::bench {
namespace {

httplib::Headers tigress_headers(const std::string& claim) {
  return {{"Mailbox-Device-Claim", claim}, {"Mailbox-Request-ID", fresh_uuid()}};
}

}  // namespace

std::string fresh_uuid() { return codec::generate_uuid_v4()->to_string(); }

std::string create_body(codec::UnixSeconds expiration) {
  return R"({"payload":{"type":"AEAD_AES_128_GCM","data":")" + std::string(344, 'A') +
         R"("},"displayInformation":{"title":"Car Key","description":"bench",)"
         R"("imageURL":"https://example.com/i.png"},)"
         R"("mailboxConfiguration":{"accessRights":"RWD","expiration":")" +
         codec::format_timestamp(expiration) + R"("}})";
}

const std::string& create_body_expiring_in_an_hour() {
  static const std::string body = create_body(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
      3600);
  return body;
}

const std::string& update_body() {
  static const std::string body =
      R"({"payload":{"type":"AEAD_AES_128_GCM","data":")" + std::string(344, 'B') + R"("}})";
  return body;
}

bool post_create(httplib::SSLClient& relay, const std::string& claim) {
  auto res = relay.Post("/v1/m", tigress_headers(claim), create_body_expiring_in_an_hour(), "application/json");
  return res && res->status == 200;
}

std::optional<std::string> mailbox_path(const std::string& create_answer) {
  const auto answer = nlohmann::json::parse(create_answer, nullptr, false);
  if (!answer.is_object() || !answer.contains("urlLink") || !answer["urlLink"].is_string()) return std::nullopt;
  const std::string link = answer["urlLink"];
  const auto at = link.find("/v1/m/");
  if (at == std::string::npos) return std::nullopt;
  return link.substr(at);
}

std::optional<std::string> create_mailbox(httplib::SSLClient& relay, const std::string& claim) {
  auto res = relay.Post("/v1/m", tigress_headers(claim), create_body_expiring_in_an_hour(), "application/json");
  if (!res || res->status != 200) return std::nullopt;
  return mailbox_path(res->body);
}

bool post_read(httplib::SSLClient& relay, const std::string& claim, const std::string& path) {
  auto res = relay.Post(path, {{"Mailbox-Device-Claim", claim}}, "", "");
  return res && res->status == 200;
}

bool put_update(httplib::SSLClient& relay, const std::string& claim, const std::string& path) {
  auto res = relay.Put(path, tigress_headers(claim), update_body(), "application/json");
  return res && res->status == 200;
}

bool delete_mailbox(httplib::SSLClient& relay, const std::string& claim, const std::string& path) {
  auto res = relay.Delete(path, tigress_headers(claim));
  return res && res->status == 200;
}

bool get_preview(httplib::SSLClient& relay, const std::string& path) {
  auto res = relay.Get(path);
  return res && res->status == 200;
}

relay::Request create_request(const std::string& claim, codec::UnixSeconds expiration) {
  relay::Request request;
  request.method = "POST";
  request.path = "/v1/m";
  request.headers.emplace("Content-Type", "application/json");
  request.headers.emplace("Mailbox-Device-Claim", claim);
  request.headers.emplace("Mailbox-Request-ID", fresh_uuid());
  request.body = create_body(expiration);
  return request;
}

relay::Request read_request(const std::string& claim, const std::string& path) {
  relay::Request request;
  request.method = "POST";
  request.path = path;
  request.headers.emplace("Mailbox-Device-Claim", claim);
  return request;
}

relay::Request update_request(const std::string& claim, const std::string& path) {
  relay::Request request;
  request.method = "PUT";
  request.path = path;
  request.headers.emplace("Content-Type", "application/json");
  request.headers.emplace("Mailbox-Device-Claim", claim);
  request.headers.emplace("Mailbox-Request-ID", fresh_uuid());
  request.body = update_body();
  return request;
}

}  // namespace tigress::bench
