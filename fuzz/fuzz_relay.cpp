// The relay core in-process (reference/relay/relay.hpp): Relay::handle with a ManualClock and a
// MemoryStore, driven by a short program decoded from the input. Each step is
//   method, path, claim, request id, content type, body, clock advance
// (one selector byte each, some followed by length-prefixed strings; see next_request).
// The oracle is the relay model (conformance/model), told the relay's configuration (its
// request-ID limit, AMB-40; the strict reading of AMB-05 the reference takes) and the exact
// clock. Each request is unvouched: any 4xx refusal fits, and every other answer must be one
// the model allows in its state: no 5xx, the Mailbox-Request-ID echoed, at most one recipient
// per mailbox, the stored payload.data nowhere but in a Read, nothing served after a Delete or
// after expiry, Create and Read bodies as the draft says. The codec must also read every body
// the relay accepted.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "conformance/model/observed.hpp"
#include "fuzz/fuzz_input.hpp"
#include "harness/protocol/vocabulary.hpp"
#include "reference/codec/bodies.hpp"
#include "reference/codec/uuid.hpp"
#include "reference/relay/clock.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/relay.hpp"

namespace {

using tigress::fuzz::FuzzInput;
using tigress::fuzz::require;
using tigress::relay::Request;
using tigress::relay::Response;

constexpr tigress::codec::UnixSeconds kStart = 1'800'000'000;  // 2027-01-15, a fixed "now"
constexpr std::size_t kMaxSteps = 24;

// Fixed claims; index 1 is claim 0 in upper case (claims compare as UUIDs, AMB-57).
const char* const kClaims[] = {"6f1d2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b", "6F1D2A3B-4C5D-4E6F-8A7B-9C0D1E2F3A4B",
                               "0e9c8b7a-6d5c-4b4a-9f8e-7d6c5b4a3f2e", "11111111-2222-4333-8444-555555555555",
                               "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"};
const char* const kMethods[] = {"POST", "GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "post", "", "TRACE"};
const char* const kRights[] = {"R", "RD", "RWD", "W", "WD", "DRW", "", "rd", "RR", "X"};
const char* const kExpirations[] = {"2027-01-15T09:00:00Z",
                                    "2027-01-16T08:00:00Z",
                                    "2027-01-15T10:00:00+01:00",
                                    "2030-01-01T00:00:00Z",
                                    "2000-01-01T00:00:00Z",
                                    "2027-01-15T08:00:00.5z",
                                    "garbage"};
const tigress::codec::UnixSeconds kAdvances[] = {0, 0, 1, 59, 3600, 86'400, 200'000, -1};

// payload.data is base64 (7.2); the input picks the characters.
std::string base64_text(const std::string& bytes) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out(bytes.size(), 'A');
  for (std::size_t i = 0; i < bytes.size(); ++i) out[i] = kAlphabet[static_cast<unsigned char>(bytes[i]) % 64];
  return out;
}

// JSON string literal for strings from the input (escapes only what JSON requires).
std::string quote(const std::string& text) {
  std::string out;
  out.reserve(text.size() * 2 + 2);
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string make_body(FuzzInput& in) {
  const std::uint8_t kind = in.byte();
  switch (kind % 7) {
    case 0:
      return {};
    case 1: {  // Create from a template with fuzzed members.
      const std::uint8_t options = in.byte();
      std::string body = "{\"payload\":{\"type\":\"AEAD_AES_128_GCM\",\"data\":" +
                         quote("U0VDUkVULVBBWUxPQUQt" + base64_text(in.str(24))) + "},";
      body += "\"displayInformation\":{\"title\":" + quote(in.str(32)) + ",\"description\":" + quote(in.str(32)) +
              ",\"imageURL\":" + quote(in.str(16)) + "}";
      if (options & 1) body += ",\"notificationToken\":{\"type\":\"apns\",\"tokenData\":\"t\"}";
      if (options & 2) {
        body += ",\"mailboxConfiguration\":{\"expiration\":\"" +
                std::string(kExpirations[(options >> 2) % std::size(kExpirations)]) + "\"";
        if (options & 0x20) {
          body += ",\"accessRights\":\"" + std::string(kRights[in.byte() % std::size(kRights)]) + "\"";
        }
        body += "}";
      }
      return body + "}";
    }
    case 2:  // Update.
      return "{\"payload\":{\"type\":\"AEAD_AES_256_GCM\",\"data\":" +
             quote("VVBEQVRFRC1QQVlMT0FE" + base64_text(in.str(24))) + "}}";
    case 3:
      return "{\"notificationToken\":{\"type\":\"fcm\",\"tokenData\":\"x\"}}";
    case 4:
      return "{}";
    default:
      return in.str();  // raw bytes
  }
}

Request next_request(FuzzInput& in, const std::vector<std::string>& ids) {
  Request request;
  request.method = kMethods[in.byte() % std::size(kMethods)];
  const std::uint8_t path = in.byte();
  const std::string known = ids.empty() ? "98d80576-482e-427f-8434-7f86890ab222" : ids[(path >> 3) % ids.size()];
  switch (path % 8) {
    case 0:
      request.path = tigress::protocol::collection_path();
      break;
    case 1:
    case 2:
    case 3:
      request.path = tigress::protocol::mailbox_path("", known);
      break;
    case 4: {
      std::string upper = known;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      request.path = tigress::protocol::mailbox_path("", upper);
      break;
    }
    case 5:
      request.path = tigress::protocol::mailbox_path("", known) + "/x";
      break;
    case 6:
      request.path = "/v2/m/" + known;
      break;
    default:
      request.path = in.str(40);
      break;
  }
  if (path & 0x80) request.query = "v=a";
  const std::uint8_t claim = in.byte();
  if (claim % 8 < 5) {
    request.headers.emplace("Mailbox-Device-Claim", kClaims[claim % 8]);
  } else if (claim % 8 == 5) {
    // Usually garbage, but the input may spell a real UUID: then it is a claim like any other.
    request.headers.emplace("Mailbox-Device-Claim", in.str(40));
  } else if (claim % 8 == 6) {  // repeated header
    request.headers.emplace("Mailbox-Device-Claim", kClaims[0]);
    request.headers.emplace("Mailbox-Device-Claim", kClaims[2]);
  }
  const std::uint8_t id = in.byte();
  if (id % 4 == 1) request.headers.emplace("Mailbox-Request-ID", "req-" + std::to_string(id >> 4));
  if (id % 4 == 2) request.headers.emplace("Mailbox-Request-ID", in.str(64));
  if (id % 4 == 3) request.headers.emplace("Mailbox-Request-ID", std::string(300, 'r'));
  const std::uint8_t type = in.byte();
  if (type % 5 == 1) request.headers.emplace("Content-Type", "application/json");
  if (type % 5 == 2) request.headers.emplace("Content-Type", "application/json; charset=utf-8");
  if (type % 5 == 3) request.headers.emplace("Content-Type", "text/plain");
  if (type % 5 == 4) request.headers.emplace("Content-Type", in.str(32));
  request.body = make_body(in);
  return request;
}

tigress::harness::HttpRequest as_sent(const Request& request) {
  tigress::harness::HttpRequest out;
  out.method = request.method;
  out.target = request.path + (request.query.empty() ? "" : "?" + request.query);
  for (const auto& header : request.headers) out.headers.emplace_back(header);
  out.body = request.body;
  return out;
}

// The relay accepted the body, so our codec must read it too.
void require_codec_agrees(const Request& request, const Response& response) {
  if (response.status != 200) return;
  const auto endpoint = tigress::protocol::classify(request.method, request.path).endpoint;
  if (endpoint == tigress::protocol::Endpoint::kCreate) {
    require(tigress::codec::parse_create_request(request.body).ok());
    require(tigress::codec::parse_create_response(response.body).ok());
  }
  if (endpoint == tigress::protocol::Endpoint::kUpdate)
    require(tigress::codec::parse_update_request(request.body).ok());
}

// Refills `ids` (kept across steps, so its strings keep their buffers).
void created_ids(const tigress::model::RelayModel& model, std::vector<std::string>& ids) {
  ids.clear();
  for (int slot = 0; slot < model.slot_count(); ++slot) {
    if (std::string id = tigress::model::slot_mailbox_id(model, slot); !id.empty()) ids.push_back(std::move(id));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(data, size);
  const tigress::relay::Relay relay(tigress::relay::RelayConfig{});
  tigress::relay::ManualClock clock(kStart);
  tigress::relay::MemoryStore store;
  tigress::model::ModelOptions oracle;  // the exact clock: no skew, no grace
  oracle.max_request_id_bytes = relay.config().max_request_id_bytes;
  oracle.strict_echo = true;
  tigress::model::RelayModel model(oracle);
  std::vector<std::string> ids;
  for (std::size_t step = 0; step < kMaxSteps && !in.empty(); ++step) {
    created_ids(model, ids);
    const Request request = next_request(in, ids);
    const auto now = clock.now();
    const Response response = relay.handle(request, clock, store);
    const tigress::harness::HttpRequest sent = as_sent(request);
    tigress::model::Request described = tigress::model::describe_request(model, sent, sent.target, now, now, false);
    described.step = static_cast<int>(step) + 1;
    const tigress::harness::HeaderList headers(response.headers.begin(), response.headers.end());
    const auto outcome =
        model.step(described, tigress::model::describe_response(response.status, headers, response.body));
    if (!outcome.ok) {
      std::fprintf(stderr, "fuzz_relay: step %zu, %s %s: %s\n", step + 1, request.method.c_str(), request.path.c_str(),
                   outcome.violation.c_str());
      require(false);
    }
    require_codec_agrees(request, response);
    const auto advance = kAdvances[in.byte() % std::size(kAdvances)];
    if (advance >= 0) clock.advance(advance);
  }
  return 0;
}
