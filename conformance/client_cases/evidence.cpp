#include "conformance/client_cases/evidence.hpp"

#include <cstdio>

#include "reference/codec/base64.hpp"
#include "reference/codec/headers.hpp"
#include "reference/crypto/aead.hpp"

namespace tigress::conformance::client_suite {
namespace {

std::string hex(const Bytes& bytes, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (auto b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0F]);
  }
  return out;
}

std::string percent_encoded(std::string_view text, bool upper) {
  std::string out;
  for (char c : text) {
    if (c == '+' || c == '/' || c == '=') {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, upper ? "%%%02X" : "%%%02x", static_cast<unsigned char>(c));
      out += buffer;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string unpadded(std::string text) {
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

}  // namespace

std::vector<Spelling> secret_spellings(const Bytes& secret) {
  const std::string standard = codec::base64_encode(secret);
  const std::string url = codec::base64url_encode_unpadded(secret);
  const std::string url_padded = url + std::string(standard.size() - unpadded(standard).size(), '=');
  std::vector<Spelling> spellings{
      {"raw bytes", std::string(secret.begin(), secret.end())},
      {"base64", standard},
      {"base64 unpadded", unpadded(standard)},
      {"base64url", url_padded},
      {"base64url unpadded", url},
      {"hex", hex(secret, false)},
      {"HEX", hex(secret, true)},
  };
  for (const auto& [label, text] : std::vector<Spelling>{{"base64", standard}, {"base64url", url_padded}}) {
    for (bool upper : {true, false}) {
      const std::string encoded = percent_encoded(text, upper);
      if (encoded != text) spellings.push_back({"percent-encoded " + label, encoded});
    }
  }
  return spellings;
}

std::optional<std::string> find_spelling(std::string_view haystack, const std::vector<Spelling>& spellings) {
  for (const auto& spelling : spellings) {
    if (!spelling.text.empty() && haystack.find(spelling.text) != std::string_view::npos) return spelling.label;
  }
  return std::nullopt;
}

Result<Bytes> secret_from_share_url(const std::string& share_url) {
  const auto hash = share_url.find('#');
  if (hash == std::string::npos) return make_error("the share URL has no #fragment");
  return codec::base64_decode_lenient(std::string_view(share_url).substr(hash + 1));
}

std::vector<UploadedPayload> uploaded_payloads(const std::vector<adversary::RecordedExchange>& exchanges) {
  std::vector<UploadedPayload> out;
  for (std::size_t i = 0; i < exchanges.size(); ++i) {
    const auto& exchange = exchanges[i];
    if (exchange.operation != adversary::Operation::kCreate && exchange.operation != adversary::Operation::kUpdate) {
      continue;
    }
    const auto body = nlohmann::json::parse(exchange.body, nullptr, false);
    if (!body.is_object() || !body.contains("payload")) continue;
    UploadedPayload uploaded;
    uploaded.exchange = i;
    uploaded.operation = exchange.operation;
    uploaded.payload = body["payload"];
    if (uploaded.payload.is_object()) {
      if (uploaded.payload.contains("type") && uploaded.payload["type"].is_string()) {
        uploaded.type = uploaded.payload["type"].get<std::string>();
      }
      if (uploaded.payload.contains("data") && uploaded.payload["data"].is_string()) {
        if (auto data = codec::base64_decode(uploaded.payload["data"].get<std::string>())) uploaded.data = *data;
      }
    }
    out.push_back(std::move(uploaded));
  }
  return out;
}

OpenedPayload open_uploaded(const UploadedPayload& payload, const Bytes& secret) {
  OpenedPayload result;
  const auto algorithm = crypto::algorithm_from_name(payload.type);
  if (!algorithm) {
    result.why = "payload.type is not AEAD_AES_128_GCM or AEAD_AES_256_GCM";
    return result;
  }
  if (secret.size() != crypto::key_size(*algorithm)) {
    result.why = "the share secret has " + std::to_string(secret.size()) + " bytes but " + payload.type +
                 " needs " + std::to_string(crypto::key_size(*algorithm));
    return result;
  }
  if (!payload.data) {
    result.why = "payload.data is not standard base64";
    return result;
  }
  if (payload.data->size() < crypto::kIvSize + crypto::kTagSize) {
    result.why = "payload.data has " + std::to_string(payload.data->size()) + " bytes, fewer than IV + tag (28)";
    return result;
  }
  const Bytes iv(payload.data->begin(), payload.data->begin() + crypto::kIvSize);
  const Bytes sealed(payload.data->begin() + crypto::kIvSize, payload.data->end());
  auto plaintext = crypto::aes_gcm_decrypt(secret, iv, {}, sealed);
  if (!plaintext) {
    result.why = "AES-GCM with the share secret fails: " + plaintext.error().message();
    return result;
  }
  result.opened = true;
  result.plaintext.assign(plaintext->begin(), plaintext->end());
  return result;
}

std::vector<std::string> claims_of(const std::vector<adversary::RecordedExchange>& exchanges,
                                   std::optional<adversary::Operation> operation) {
  std::vector<std::string> claims;
  for (const auto& exchange : exchanges) {
    if (operation && exchange.operation != *operation) continue;
    const std::string* claim = exchange.header(codec::kDeviceClaimHeader);
    claims.push_back(claim != nullptr ? *claim : std::string());
  }
  return claims;
}

}  // namespace tigress::conformance::client_suite
