// The relay core in-process (reference/relay/relay.hpp): Relay::handle with a ManualClock and a
// MemoryStore, driven by a short program decoded from the input. Each step is
//   method, path, claim, request id, content type, body, clock advance
// (one selector byte each, some followed by length-prefixed strings; see next_request).
// Invariants:
//   - no 5xx, ever (the relay answers client mistakes with 4xx);
//   - a request carrying Mailbox-Request-ID (within the length limit) gets it echoed;
//   - at most one recipient per mailbox: two different non-initiator claims both reading with
//     200 without a successful relinquish in between is a binding bug;
//   - the preview (GET 200) never contains the stored payload.data (unless the display strings
//     themselves contain it, which the input can arrange).
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/fuzz_input.hpp"
#include "reference/codec/bodies.hpp"
#include "reference/codec/uuid.hpp"
#include "reference/relay/clock.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/preview.hpp"
#include "reference/relay/relay.hpp"

namespace {

using tigress::fuzz::FuzzInput;
using tigress::fuzz::require;
using tigress::relay::Request;
using tigress::relay::Response;

constexpr tigress::codec::UnixSeconds kStart = 1'800'000'000;  // 2027-01-15, a fixed "now"
constexpr std::size_t kMaxSteps = 24;

// Fixed claims; index 1 is claim 0 in upper case (claims compare as UUIDs, AMB-57).
const char* const kClaims[] = {
    "6f1d2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b", "6F1D2A3B-4C5D-4E6F-8A7B-9C0D1E2F3A4B",
    "0e9c8b7a-6d5c-4b4a-9f8e-7d6c5b4a3f2e", "11111111-2222-4333-8444-555555555555",
    "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"};
const char* const kMethods[] = {"POST", "GET", "HEAD", "PUT", "DELETE", "PATCH",
                                "OPTIONS", "post", "", "TRACE"};
const char* const kRights[] = {"R", "RD", "RWD", "W", "WD", "DRW", "", "rd", "RR", "X"};
const char* const kExpirations[] = {"2027-01-15T09:00:00Z", "2027-01-16T08:00:00Z",
                                    "2027-01-15T10:00:00+01:00", "2030-01-01T00:00:00Z",
                                    "2000-01-01T00:00:00Z", "2027-01-15T08:00:00.5z", "garbage"};
const tigress::codec::UnixSeconds kAdvances[] = {0, 0, 1, 59, 3600, 86'400, 200'000, -1};

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// JSON string literal for strings from the input (escapes only what JSON requires).
std::string quote(const std::string& text) {
  std::string out = "\"";
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
    case 0: return {};
    case 1: {  // Create from a template with fuzzed members.
      const std::uint8_t options = in.byte();
      std::string body = "{\"payload\":{\"type\":\"AEAD_AES_128_GCM\",\"data\":" +
                         quote("U0VDUkVULVBBWUxPQUQt" + in.str(24)) + "},";
      body += "\"displayInformation\":{\"title\":" + quote(in.str(32)) +
              ",\"description\":" + quote(in.str(32)) + ",\"imageURL\":" + quote(in.str(16)) + "}";
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
             quote("VVBEQVRFRC1QQVlMT0FE" + in.str(24)) + "}}";
    case 3: return "{\"notificationToken\":{\"type\":\"fcm\",\"tokenData\":\"x\"}}";
    case 4: return "{}";
    default: return in.str();  // raw bytes
  }
}

struct Tracked {
  std::string initiator;                 // lower-case claim that created it
  std::optional<std::string> recipient;  // bound recipient as seen through 200 reads
  tigress::codec::Payload payload;
  tigress::codec::DisplayInformation display;
};

Request next_request(FuzzInput& in, const std::vector<std::string>& ids, std::string& claim_out) {
  Request request;
  request.method = kMethods[in.byte() % std::size(kMethods)];
  const std::uint8_t path = in.byte();
  const std::string known = ids.empty() ? "98d80576-482e-427f-8434-7f86890ab222"
                                        : ids[(path >> 3) % ids.size()];
  switch (path % 8) {
    case 0: request.path = "/v1/m"; break;
    case 1: case 2: case 3: request.path = "/v1/m/" + known; break;
    case 4: {
      std::string upper = known;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      request.path = "/v1/m/" + upper;
      break;
    }
    case 5: request.path = "/v1/m/" + known + "/x"; break;
    case 6: request.path = "/v2/m/" + known; break;
    default: request.path = in.str(40); break;
  }
  if (path & 0x80) request.query = "v=a";
  const std::uint8_t claim = in.byte();
  claim_out.clear();
  if (claim % 8 < 5) {
    request.headers.emplace("Mailbox-Device-Claim", kClaims[claim % 8]);
    claim_out = lower(kClaims[claim % 8]);
  } else if (claim % 8 == 5) {
    // Usually garbage, but the input may spell a real UUID: then it is a claim like any other.
    const std::string text = in.str(40);
    request.headers.emplace("Mailbox-Device-Claim", text);
    if (auto uuid = tigress::codec::parse_uuid(text)) claim_out = uuid->to_string();
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

// The mailbox id a Create answered with, from its urlLink.
std::optional<std::string> created_id(const Response& response) {
  auto body = tigress::codec::parse_create_response(response.body);
  if (!body) return std::nullopt;
  const auto at = body->url_link.rfind('/');
  if (at == std::string::npos) return std::nullopt;
  return body->url_link.substr(at + 1);
}

void check_response(const Request& request, const Response& response, const std::string& claim,
                    std::map<std::string, Tracked>& mailboxes, std::vector<std::string>& ids) {
  require(response.status < 500);
  if (const std::string* sent = request.header("Mailbox-Request-ID"); sent && sent->size() <= 256) {
    const std::string* echoed = response.header("Mailbox-Request-ID");
    require(echoed != nullptr && *echoed == *sent);
  }
  if (request.path == "/v1/m") {
    if (response.status != 200) return;
    const auto id = created_id(response);
    require(id.has_value());
    auto parsed = tigress::codec::parse_create_request(request.body);
    require(parsed.ok());  // the relay accepted it, so our codec must too
    if (mailboxes.count(*id) == 0) ids.push_back(*id);
    mailboxes[*id] = Tracked{claim, std::nullopt, parsed->payload, parsed->display_information};
    return;
  }
  const std::string prefix = "/v1/m/";
  if (request.path.rfind(prefix, 0) != 0) return;
  auto uuid = tigress::codec::parse_uuid(request.path.substr(prefix.size()));
  if (!uuid) return;
  auto found = mailboxes.find(uuid->to_string());
  if (found == mailboxes.end()) return;
  Tracked& box = found->second;
  if (request.method == "POST" && response.status == 200 && claim != box.initiator) {
    require(claim.empty() == false);
    require(!box.recipient || *box.recipient == claim);
    box.recipient = claim;
  }
  if (request.method == "PATCH" && response.status == 200) box.recipient.reset();
  if (request.method == "PUT" && response.status == 200) {
    if (auto update = tigress::codec::parse_update_request(request.body)) box.payload = update->payload;
  }
  if (request.method == "GET" && response.status == 200 && !box.payload.data.empty() &&
      response.body.find(box.payload.data) != std::string::npos) {
    // Only a leak if the display strings (rendered by the same code) do not explain it.
    require(tigress::relay::render_preview(box.display).find(box.payload.data) != std::string::npos);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(data, size);
  const tigress::relay::Relay relay(tigress::relay::RelayConfig{});
  tigress::relay::ManualClock clock(kStart);
  tigress::relay::MemoryStore store;
  std::map<std::string, Tracked> mailboxes;  // by lower-case mailbox id
  std::vector<std::string> ids;              // creation order, for path selection
  for (std::size_t step = 0; step < kMaxSteps && !in.empty(); ++step) {
    std::string claim;
    const Request request = next_request(in, ids, claim);
    const Response response = relay.handle(request, clock, store);
    check_response(request, response, claim, mailboxes, ids);
    const auto advance = kAdvances[in.byte() % std::size(kAdvances)];
    if (advance >= 0) clock.advance(advance);
  }
  return 0;
}
