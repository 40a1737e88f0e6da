#include "reference/client/careless_reading.hpp"

#include <chrono>
#include <cstdlib>
#include <thread>

#include <nlohmann/json.hpp>

#include "reference/codec/base64.hpp"
#include "reference/codec/plain_json.hpp"

namespace tigress::client {
namespace {

using Json = nlohmann::json;

bool wrong_type(const Json& parent, const char* name, Json::value_t expected) {
  return parent.is_object() && parent.contains(name) && parent[name].type() != expected;
}

}  // namespace

void scan_read_answer(const ClientDefects& defects, std::string_view body) {
  if (defects.hangs_on_deep_nesting && codec::plain_json::nesting_depth(body) > 64) {
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  if (!defects.aborts_on_member_type) return;
  const Json document = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) return;
  constexpr auto kString = Json::value_t::string;
  constexpr auto kObject = Json::value_t::object;
  bool wrong = wrong_type(document, "payload", kObject) || wrong_type(document, "displayInformation", kObject) ||
               wrong_type(document, "expiration", kString);
  if (!wrong && document.contains("payload")) {
    wrong = wrong_type(document["payload"], "type", kString) || wrong_type(document["payload"], "data", kString);
  }
  if (!wrong && document.contains("displayInformation")) {
    const Json& display = document["displayInformation"];
    wrong = wrong_type(display, "title", kString) || wrong_type(display, "description", kString) ||
            wrong_type(display, "imageURL", kString);
  }
  if (wrong) std::abort();
}

std::optional<std::string> unencrypted_fallback(const ClientDefects& defects, const codec::Payload& payload) {
  if (!defects.trusts_unknown_payload_type) return std::nullopt;
  if (payload.type == "AEAD_AES_128_GCM" || payload.type == "AEAD_AES_256_GCM") return std::nullopt;
  auto decoded = codec::base64_decode_lenient(payload.data);
  if (!decoded) return std::nullopt;
  return std::string(decoded->begin(), decoded->end());
}

}  // namespace tigress::client
