#include "conformance/client_cases/evidence.hpp"

#include <cctype>
#include <cstdio>

#include <openssl/sha.h>

#include "reference/codec/base64.hpp"
#include "reference/codec/headers.hpp"
#include "reference/codec/json_in_place.hpp"
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

// Every octet as %XX; with `keep_unreserved`, RFC 3986 unreserved characters stay literal (what
// a URL-encoding routine makes of the raw key).
std::string percent_encoded_bytes(const Bytes& bytes, bool upper, bool keep_unreserved) {
  std::string out;
  for (auto b : bytes) {
    const char c = static_cast<char>(b);
    if (keep_unreserved &&
        (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~')) {
      out.push_back(c);
      continue;
    }
    char buffer[4];
    std::snprintf(buffer, sizeof buffer, upper ? "%%%02X" : "%%%02x", b);
    out += buffer;
  }
  return out;
}

std::string joined_bytes(const Bytes& bytes, const char* format, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, format, bytes[i]);
    out += (i == 0 ? "" : separator) + buffer;
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
  // The raw octets written out: percent-encoded (all, or all but the unreserved ones), as a
  // decimal byte list (a JSON array or a C initialiser), hex with separators, JSON \u escapes.
  for (bool upper : {true, false}) {
    spellings.push_back({upper ? "percent-encoded bytes" : "percent-encoded bytes (lower case)",
                         percent_encoded_bytes(secret, upper, false)});
    spellings.push_back(
        {upper ? "URL-encoded bytes" : "URL-encoded bytes (lower case)", percent_encoded_bytes(secret, upper, true)});
    spellings.push_back(
        {upper ? "HEX with colons" : "hex with colons", joined_bytes(secret, upper ? "%02X" : "%02x", ":")});
    spellings.push_back(
        {upper ? "HEX with spaces" : "hex with spaces", joined_bytes(secret, upper ? "%02X" : "%02x", " ")});
  }
  spellings.push_back({"decimal byte list", joined_bytes(secret, "%u", ",")});
  spellings.push_back({"decimal byte list with spaces", joined_bytes(secret, "%u", ", ")});
  spellings.push_back({"JSON \\u escapes", joined_bytes(secret, "\\u%04x", "")});
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
    // Read in place: the client's payload may nest as deep as its body is long.
    const nlohmann::json& payload = body["payload"];
    uploaded.payload_is_object = payload.is_object();
    if (payload.is_object()) {
      if (payload.contains("type") && payload["type"].is_string()) {
        uploaded.type = payload["type"].get<std::string>();
      }
      if (payload.contains("data") && payload["data"].is_string()) {
        const std::string text = payload["data"].get<std::string>();
        if (auto data = codec::base64_decode_lenient(text)) {
          uploaded.data = *data;
          uploaded.data_strict = codec::base64_decode(text).ok();
          const bool url = text.find_first_of("-_") != std::string::npos;
          const bool padded = text.size() % 4 == 0;
          uploaded.data_spelling = std::string(url ? "base64url" : "base64") + (padded ? "" : " unpadded");
        }
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
    result.why = "the share secret has " + std::to_string(secret.size()) + " bytes but " + payload.type + " needs " +
                 std::to_string(crypto::key_size(*algorithm));
    return result;
  }
  if (!payload.data) {
    result.why = "payload.data is no base64 spelling MBX-ENC-01 accepts (standard or URL-safe, padded or not)";
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

std::optional<std::string> claim_derived_from_key(const Bytes& claim, const Bytes& secret) {
  if (claim.size() != 16) return std::nullopt;
  // A UUIDv4 written over key octets keeps all but the version nibble and the variant bits.
  auto same_but_version = [&](const std::uint8_t* window) {
    for (std::size_t i = 0; i < 16; ++i) {
      const std::uint8_t mask = i == 6 ? 0x0F : i == 8 ? 0x3F : 0xFF;
      if ((claim[i] & mask) != (window[i] & mask)) return false;
    }
    return true;
  };
  for (std::size_t offset = 0; offset + 16 <= secret.size(); ++offset) {
    if (same_but_version(secret.data() + offset))
      return "key octets " + std::to_string(offset) + ".." + std::to_string(offset + 15);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(secret.data(), secret.size(), digest);
  if (same_but_version(digest)) return std::string("the first 16 octets of SHA-256(key)");
  return std::nullopt;
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

// A client's request body may nest as deep as the relay lets it be long: its members are walked
// with json_in_place's explicit stack, not by recursion.
std::vector<std::string> notification_token_data(const std::string& body) {
  std::vector<std::string> out;
  codec::json_in_place::for_each_member(
      nlohmann::json::parse(body, nullptr, false), [&out](const std::string& key, const nlohmann::json& member) {
        if (key != "notificationToken") return;
        const nlohmann::json* data = codec::json_in_place::member(member, "tokenData");
        if (data != nullptr && data->is_string()) out.push_back(data->get<std::string>());
      });
  return out;
}

NotificationTokens notification_tokens(const std::string& body) {
  NotificationTokens out;
  codec::json_in_place::for_each_member(
      nlohmann::json::parse(body, nullptr, false), [&out](const std::string& key, const nlohmann::json& member) {
        if (key != "notificationToken") return;
        if (codec::json_in_place::nests_deeper_than(member, codec::json_in_place::kMaxStructuredDepth)) {
          out.too_deep = true;
        } else {
          out.serialised.insert(member.dump());
        }
      });
  return out;
}

}  // namespace tigress::conformance::client_suite
