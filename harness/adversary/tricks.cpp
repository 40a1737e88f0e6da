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

// The spelling of a payload.data the catalogue accepts (MBX-ENC-01, AMB-45): the tampered
// value is written back in the same one, so only the bit the trick flips differs.
struct DataSpelling {
  bool url_alphabet = false;
  bool padded = true;
};

DataSpelling spelling_of(const std::string& text) {
  return DataSpelling{text.find_first_of("-_") != std::string::npos, !text.empty() && text.back() == '='};
}

std::string encode_as(const Bytes& bytes, DataSpelling spelling) {
  std::string text = spelling.url_alphabet ? codec::base64url_encode_unpadded(bytes) : codec::base64_encode(bytes);
  if (spelling.url_alphabet && spelling.padded) text.append((4 - text.size() % 4) % 4, '=');
  if (!spelling.url_alphabet && !spelling.padded) {
    while (!text.empty() && text.back() == '=') text.pop_back();
  }
  return text;
}

// The Read body's payload.data, decoded, handed to `edit`, and re-encoded in its own spelling.
template <class Edit>
bool edit_payload_bytes(relay::Response& response, Edit edit) {
  json document = json::parse(response.body, nullptr, false);
  if (!document.is_object() || !document.contains("payload") || !document["payload"].is_object()) return false;
  json& payload = document["payload"];
  if (!payload.contains("data") || !payload["data"].is_string()) return false;
  const std::string text = payload["data"].get<std::string>();
  auto bytes = codec::base64_decode_lenient(text);
  if (!bytes || bytes->size() < kIvBytes + kTagBytes) return false;
  edit(*bytes);
  payload["data"] = encode_as(*bytes, spelling_of(text));
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

bool redirect(relay::Response& response, int status, const std::string& host, const RewriteContext& context) {
  response.status = status;
  response.headers.clear();
  response.set_header("Location", "https://" + host + ":" + std::to_string(context.port) +
                                      std::string(kRedirectedPrefix) + context.request_target);
  response.set_header("Content-Type", "text/plain; charset=utf-8");
  response.body = "moved\n";
  return true;
}

// The Create answer's urlLink on the relay's other name: what a relay behind another public
// address than the one the client was configured with says (0.4 / AMB-20).
bool move_url_link(relay::Response& response, int port) {
  json document = json::parse(response.body, nullptr, false);
  if (!document.is_object() || !document.contains("urlLink") || !document["urlLink"].is_string()) return false;
  const std::string link = document["urlLink"].get<std::string>();
  const std::string own = "https://127.0.0.1:" + std::to_string(port) + "/";
  if (link.rfind(own, 0) != 0) return false;
  document["urlLink"] =
      "https://" + std::string(kOtherOriginHost) + ":" + std::to_string(port) + "/" + link.substr(own.size());
  response.body = document.dump();
  return true;
}

}  // namespace

bool is_rewrite(Trick trick) {
  switch (trick) {
    case Trick::kDropResponse:
    case Trick::kSlowResponse:
    case Trick::kForceUnauthorized:
    case Trick::kExpireFirst:
      return false;
    default:
      return true;
  }
}

bool rewrite_response(Trick trick, relay::Response& response, const RewriteContext& context) {
  const std::size_t oversized_bytes = context.oversized_bytes;
  const std::string& stale_payload_json = context.stale_payload_json;
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
    case Trick::kRedirect307OtherOrigin:
      return redirect(response, 307, std::string(kOtherOriginHost), context);
    case Trick::kRedirect308OtherOrigin:
      return redirect(response, 308, std::string(kOtherOriginHost), context);
    case Trick::kRedirect307SameOrigin:
      return redirect(response, 307, "127.0.0.1", context);
    case Trick::kUrlLinkOtherOrigin:
      return response.status == 200 && move_url_link(response, context.port);
    case Trick::kDropResponse:
    case Trick::kSlowResponse:
    case Trick::kForceUnauthorized:
    case Trick::kExpireFirst:
      return false;  // not rewrites: the relay loop carries these out
  }
  return false;
}

}  // namespace tigress::harness::adversary
