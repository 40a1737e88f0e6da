#include "harness/adversary/tricks.hpp"

#include <nlohmann/json.hpp>

#include "reference/codec/base64.hpp"
#include "reference/codec/headers.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::harness::adversary {
namespace {

using nlohmann::json;

constexpr std::size_t kIvBytes = 12;
constexpr std::size_t kTagBytes = 16;

// The Read body's payload.data, decoded, handed to `edit`, and re-encoded.
template <class Edit>
bool edit_payload_bytes(relay::Response& response, Edit edit) {
  json document = json::parse(response.body, nullptr, false);
  if (!document.is_object() || !document.contains("payload") || !document["payload"].is_object()) return false;
  json& payload = document["payload"];
  if (!payload.contains("data") || !payload["data"].is_string()) return false;
  auto bytes = codec::base64_decode(payload["data"].get<std::string>());
  if (!bytes || bytes->size() < kIvBytes + kTagBytes) return false;
  edit(*bytes);
  payload["data"] = codec::base64_encode(*bytes);
  response.body = document.dump();
  return true;
}

bool swap_algorithm(relay::Response& response) {
  json document = json::parse(response.body, nullptr, false);
  if (!document.is_object() || !document.contains("payload") || !document["payload"].is_object()) return false;
  json& type = document["payload"]["type"];
  if (!type.is_string()) return false;
  type = type.get<std::string>() == "AEAD_AES_256_GCM" ? "AEAD_AES_128_GCM" : "AEAD_AES_256_GCM";
  response.body = document.dump();
  return true;
}

bool replace_payload(relay::Response& response, const std::string& stale_payload_json) {
  json document = json::parse(response.body, nullptr, false);
  json stale = json::parse(stale_payload_json, nullptr, false);
  if (!document.is_object() || !document.contains("payload") || !stale.is_object()) return false;
  document["payload"] = stale;
  response.body = document.dump();
  return true;
}

bool pad(relay::Response& response, std::size_t bytes) {
  json document = json::parse(response.body, nullptr, false);
  if (!document.is_object()) return false;
  // Unknown members are legal (AMB-58), so only the size makes this answer unacceptable.
  document["padding"] = std::string(bytes, 'A');
  response.body = document.dump();
  return true;
}

}  // namespace

bool rewrite_response(Trick trick, relay::Response& response, std::size_t oversized_bytes,
                      const std::string& stale_payload_json) {
  const bool success = response.status >= 200 && response.status < 300;
  switch (trick) {
    case Trick::kTamperCiphertext:
      // The byte right after the IV: ciphertext whenever the plaintext is non-empty.
      return success && edit_payload_bytes(response, [](Bytes& b) { b[kIvBytes] ^= 0x01; });
    case Trick::kTamperTag:
      return success && edit_payload_bytes(response, [](Bytes& b) { b.back() ^= 0x80; });
    case Trick::kTamperIv:
      return success && edit_payload_bytes(response, [](Bytes& b) { b.front() ^= 0x01; });
    case Trick::kTruncatePayload:
      return success && edit_payload_bytes(response, [](Bytes& b) { b.resize(20); });
    case Trick::kWrongAlgorithm:
      return success && swap_algorithm(response);
    case Trick::kStaleReplay:
      return success && !stale_payload_json.empty() && replace_payload(response, stale_payload_json);
    case Trick::kMalformedJson:
      if (!success || response.body.size() < 2) return false;
      response.body.resize(response.body.size() / 2);
      return true;
    case Trick::kWrongContentType:
      if (!success) return false;
      response.set_header("Content-Type", "text/plain; charset=utf-8");
      return true;
    case Trick::kMismatchedRequestId: {
      if (response.header(codec::kRequestIdHeader) == nullptr) return false;
      auto other = codec::generate_uuid_v4();
      if (!other) return false;
      response.set_header(codec::kRequestIdHeader, other->to_string());
      return true;
    }
    case Trick::kMissingEcho:
      return response.headers.erase(std::string(codec::kRequestIdHeader)) > 0;
    case Trick::kOversizedResponse:
      return success && pad(response, oversized_bytes);
    case Trick::kDropResponse:
    case Trick::kSlowResponse:
    case Trick::kForceUnauthorized:
    case Trick::kExpireFirst:
      return false;  // not rewrites: the relay loop carries these out
  }
  return false;
}

}  // namespace tigress::harness::adversary
