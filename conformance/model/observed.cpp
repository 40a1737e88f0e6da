#include "conformance/model/observed.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "harness/http_text.hpp"
#include "harness/protocol/vocabulary.hpp"

namespace tigress::model {
namespace {

using nlohmann::json;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Fields with an empty value count as absent: HTTP servers may drop them (RFC 9110 5.5 allows
// empty values, and some frameworks never pass them on).
std::size_t count_of(const harness::HeaderList& headers, std::string_view name) {
  std::size_t n = 0;
  for (const auto& header : headers) n += harness::iequals(header.first, name) && !header.second.empty() ? 1 : 0;
  return n;
}

const std::string* first_of(const harness::HeaderList& headers, std::string_view name) {
  for (const auto& header : headers) {
    if (harness::iequals(header.first, name) && !header.second.empty()) return &header.second;
  }
  return nullptr;
}

bool text_member(const json& object, const char* name, std::string& out) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

bool read_payload(const json& body, Payload& payload) {
  auto it = body.find("payload");
  return it != body.end() && it->is_object() && text_member(*it, "type", payload.type) &&
         text_member(*it, "data", payload.data);
}

// 6.1.5 accessRights, strictly (AMB-11): one to three distinct letters of R, W, D.
bool valid_rights(const std::string& rights) {
  if (rights.empty() || rights.size() > 3) return false;
  for (std::size_t i = 0; i < rights.size(); ++i) {
    if (std::string_view("RWD").find(rights[i]) == std::string_view::npos) return false;
    if (rights.find(rights[i], i + 1) != std::string::npos) return false;
  }
  return true;
}

// What a Create body says; false when the model cannot tell.
bool read_create(const std::string& text, Request& request) {
  const json body = json::parse(text, nullptr, false);
  if (!body.is_object() || !read_payload(body, request.payload)) return false;
  auto display = body.find("displayInformation");
  if (display == body.end() || !display->is_object() || !text_member(*display, "title", request.display.title) ||
      !text_member(*display, "description", request.display.description) ||
      !text_member(*display, "imageURL", request.display.image_url)) {
    return false;
  }
  auto configuration = body.find("mailboxConfiguration");
  if (configuration == body.end()) return true;
  if (!configuration->is_object()) return false;
  request.has_configuration = true;
  if (configuration->contains("accessRights")) {
    std::string rights;
    if (!text_member(*configuration, "accessRights", rights) || !valid_rights(rights)) return false;
    request.access_rights = rights;
  }
  std::string expiration;
  if (!text_member(*configuration, "expiration", expiration)) return false;
  request.expiration = parse_expiration(expiration);
  return request.expiration.has_value();
}

bool read_update(const std::string& text, Request& request) {
  const json body = json::parse(text, nullptr, false);
  return body.is_object() && read_payload(body, request.payload);
}

// The model's slot of the mailbox with this ID (any letter case), or -1.
int slot_of(const RelayModel& model, const std::string& id) {
  if (id.empty()) return -1;
  for (int slot = 0; slot < model.slot_count(); ++slot) {
    if (slot_mailbox_id(model, slot) == id) return slot;
  }
  return -1;
}

// The slot of a known mailbox whose ID appears anywhere in the path, or -1.
int slot_named_in(const RelayModel& model, const std::string& path) {
  for (int slot = 0; slot < model.slot_count(); ++slot) {
    const std::string id = slot_mailbox_id(model, slot);
    if (!id.empty() && path.find(id) != std::string::npos) return slot;
  }
  return -1;
}

}  // namespace

std::string claim_key(std::string_view claim) {
  std::string key = lower(claim);
  if (key.rfind("urn:uuid:", 0) == 0) key.erase(0, 9);
  if (key.size() >= 2 && key.front() == '{' && key.back() == '}') key = key.substr(1, key.size() - 2);
  return key;
}

std::string slot_mailbox_id(const RelayModel& model, int slot) {
  const std::string target = model.mailbox_target(slot);
  return target.empty() ? std::string() : lower(protocol::mailbox_id_of(target));
}

Request describe_request(const RelayModel& model, const harness::HttpRequest& request, std::string_view routed_target,
                         Seconds sent, Seconds answered, bool behind_front_end) {
  Request out;
  out.unvouched = true;
  out.sent = sent;
  out.answered = answered;
  out.front_end_may_answer = behind_front_end && protocol::front_end_may_answer(request);
  const protocol::Classification c = protocol::classify(request.method, routed_target);
  out.op = c.endpoint;
  if (c.resource == protocol::Resource::kMailbox) {
    out.slot = slot_of(model, lower(c.mailbox));
  } else if (c.resource == protocol::Resource::kOther) {
    out.slot = slot_named_in(model, lower(routed_target.substr(0, routed_target.find('?'))));
  }
  if (const std::string* claim = first_of(request.headers, "Mailbox-Device-Claim")) out.claim = claim_key(*claim);
  // 5.1 asks for the request's one value back. An empty field line is a field line all the same
  // (RFC 9110 section 5.3: with another it combines to ", X"), so an empty one beside a value
  // leaves no single value to echo, like any repeat.
  const auto request_id_lines = std::count_if(request.headers.begin(), request.headers.end(), [](const auto& header) {
    return harness::iequals(header.first, "Mailbox-Request-ID");
  });
  if (request_id_lines == 1 && count_of(request.headers, "Mailbox-Request-ID") == 1) {
    out.request_id = *first_of(request.headers, "Mailbox-Request-ID");
  }
  if (out.op == Op::kCreate) out.body_known = read_create(request.body, out);
  if (out.op == Op::kUpdate) out.body_known = read_update(request.body, out);
  // Appended piece by piece: this runs for every request a fuzzer sends, and temporaries per
  // header field were a measurable share of fuzz_relay's time (fuzz/README.md).
  std::size_t size = request.method.size() + request.target.size() + 2 + request.body.size();
  for (const auto& [name, value] : request.headers) size += name.size() + value.size() + 3;
  out.wire.reserve(size);
  out.wire.append(request.method).append(" ").append(request.target).append("\n");
  for (const auto& [name, value] : request.headers) out.wire.append(name).append(": ").append(value).append("\n");
  out.wire.append(request.body);
  return out;
}

Response describe_response(int status, const harness::HeaderList& headers, std::string body) {
  Response out;
  out.status = status;
  if (const std::string* type = first_of(headers, "Content-Type")) out.content_type = *type;
  if (const std::string* echo = first_of(headers, "Mailbox-Request-ID")) out.request_id_echo = *echo;
  out.body = std::move(body);
  return out;
}

}  // namespace tigress::model
