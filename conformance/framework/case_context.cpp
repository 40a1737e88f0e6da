#include "conformance/framework/case_context.hpp"

#include <chrono>
#include <functional>
#include <sstream>

#include "harness/protocol/vocabulary.hpp"
#include "reference/codec/base64.hpp"
#include "reference/codec/uuid.hpp"

namespace tigress::conformance {
namespace {

using protocol::Endpoint;

// The statistics cases send hundreds of alike requests: the first ones show what happened.
constexpr std::size_t kWireEntries = 64;
// The answers check_status looks a response up among (a case judges what it just received).
constexpr std::size_t kRecentAnswers = 32;

std::uint64_t case_seed(std::uint64_t run_seed, const std::string& id) {
  return run_seed ^ (std::hash<std::string>{}(id)*0x9E3779B97F4A7C15ull);
}

std::string render_response(const harness::HttpResponse& response) {
  std::ostringstream out;
  // Waits a gateway asked for (Retry-After) are part of the exchange, not a verdict.
  for (const auto& earlier : response.retried) {
    out << "HTTP " << earlier.status << " " << earlier.reason << "\n";
    for (const auto& [name, value] : earlier.headers) out << name << ": " << value << "\n";
    out << "[Retry-After: waited " << earlier.waited_seconds << " s and sent the same request again]\n\n";
  }
  out << "HTTP " << response.status << " " << response.reason << "\n";
  for (const auto& [name, value] : response.headers) out << name << ": " << value << "\n";
  out << "\n" << response.body;
  if (response.body_truncated) out << "\n[body truncated by the suite's size limit]";
  return out.str();
}

}  // namespace

// In the wire log of a raw exchange, whose bytes may name another host: which instance got it.
std::string CaseContext::sent_to(const harness::WireClient& client) const {
  return clients_.size() > 1 ? " to " + client.target().url() : "";
}

CaseContext::CaseContext(const CaseDefinition& definition, const RunOptions& options)
    : CaseRecorder(definition, options.strict, kWireEntries),
      options_(options),
      rng_(case_seed(options.seed, definition.id)),
      identity_rng_(std::random_device{}() ^ (static_cast<std::uint64_t>(std::random_device{}()) << 32)) {
  for (const auto& instance : options.instances()) {
    clients_.emplace_back(instance.target, instance.tls, options.limits, options.connection);
  }
  options.connection.register_secrets(configured_secrets());
}

std::vector<harness::TargetInstance> RunOptions::instances() const {
  std::vector<harness::TargetInstance> all = {{target, tls}};
  all.insert(all.end(), more_instances.begin(), more_instances.end());
  return all;
}

const harness::WireClient& CaseContext::next_client() { return clients_[turn_++ % clients_.size()]; }

// ---- identities and data ------------------------------------------------------------------

std::string CaseContext::uuid() {
  std::uniform_int_distribution<unsigned> byte(0, 255);
  codec::Uuid id;
  for (auto& b : id.bytes) b = static_cast<std::uint8_t>(byte(identity_rng_));
  id.bytes[6] = static_cast<std::uint8_t>((id.bytes[6] & 0x0F) | 0x40);
  id.bytes[8] = static_cast<std::uint8_t>((id.bytes[8] & 0x3F) | 0x80);
  return id.to_string();
}

std::string CaseContext::random_base64(std::size_t bytes) {
  std::uniform_int_distribution<unsigned> byte(0, 255);
  Bytes data(bytes);
  for (auto& b : data) b = static_cast<std::uint8_t>(byte(rng_));
  return codec::base64_encode(data);
}

nlohmann::json CaseContext::payload(std::size_t bytes) {
  // Looks like a sealed payload (IV, ciphertext, tag); the relay must treat it as opaque.
  return {{"type", "AEAD_AES_128_GCM"}, {"data", random_base64(std::max<std::size_t>(bytes, 28))}};
}

nlohmann::json CaseContext::create_body(std::optional<std::string> rights,
                                        std::optional<codec::UnixSeconds> expires_in) {
  nlohmann::json body = {{"payload", payload()},
                         {"displayInformation",
                          {{"title", "Car Key"},
                           {"description", "Conformance test " + definition().id},
                           {"imageURL", "https://example.com/key.png"}}}};
  if (rights || expires_in) {
    nlohmann::json configuration = nlohmann::json::object();
    if (rights) configuration["accessRights"] = *rights;
    if (expires_in) configuration["expiration"] = codec::format_timestamp(now() + *expires_in);
    body["mailboxConfiguration"] = std::move(configuration);
  }
  return body;
}

codec::UnixSeconds CaseContext::now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string CaseContext::collection_path() const { return protocol::collection_path(options_.target.base_path); }

std::string CaseContext::mailbox_path(const std::string& id) const {
  return protocol::mailbox_path(options_.target.base_path, id);
}

// ---- requests ------------------------------------------------------------------------------

CaseRecorder::Answer CaseContext::remember_answer(std::string exchange, const harness::HttpResponse& response) {
  Answer answer = summarize_answer(std::move(exchange), response);
  set_last_answer(answer);
  if (recent_answers_.size() >= kRecentAnswers) recent_answers_.erase(recent_answers_.begin());
  recent_answers_.push_back(answer);
  return answer;
}

CaseRecorder::Answer CaseContext::answer_for(const harness::HttpResponse& response) const {
  Answer answer = summarize_answer("", response);
  for (auto it = recent_answers_.rbegin(); it != recent_answers_.rend(); ++it) {
    if (it->status == answer.status && it->text == answer.text) return *it;
  }
  return answer;
}

void CaseContext::scan_claims(const Answer& answer, const harness::HttpResponse& response,
                              const std::string& requester) {
  std::lock_guard lock(claims_mutex_);
  for (std::string& claim : claims_.foreign_claims_in(response, requester)) {
    if (reported_claims_.insert(claim).second) leaked_.push_back({std::move(claim), answer});
  }
}

void CaseContext::record_claim_leaks() {
  std::vector<ClaimLeak> leaked;
  {
    std::lock_guard lock(claims_mutex_);
    leaked.swap(leaked_);
  }
  for (const ClaimLeak& leak : leaked) {
    check_answer(false,
                 leak.answer.exchange + ": the answer carries the device claim " + leak.claim +
                     " of another party than the requester (MBX-BIND-02, 8.1.1)",
                 leak.answer, "MBX-BIND-02");
  }
}

Result<harness::HttpResponse> CaseContext::try_send(const harness::HttpRequest& request) {
  const std::string requester = [&] {
    std::lock_guard lock(claims_mutex_);
    return claims_.sent(request);
  }();
  const harness::WireClient& client = next_client();
  auto response = client.send(request);
  const std::string wire_request = client.wire_bytes(request);
  if (response) {
    log(wire_request, render_response(*response), response->elapsed_ms);
    scan_claims(remember_answer(exchange_name(request, options_.target.base_path), *response), *response, requester);
    record_claim_leaks();
  } else {
    log(wire_request, "transport error: " + response.error().message(), 0);
  }
  return response;
}

Result<harness::HttpResponse> CaseContext::send_from_thread(const harness::WireClient& client,
                                                            const harness::HttpRequest& request) {
  const std::string requester = [&] {
    std::lock_guard lock(claims_mutex_);
    return claims_.sent(request);
  }();
  auto response = client.send(request);
  if (response) {
    scan_claims(summarize_answer(exchange_name(request, options_.target.base_path), *response), *response, requester);
  }
  return response;
}

Result<harness::HttpResponse> CaseContext::try_send_raw(const std::string& bytes, const std::string& label) {
  return try_send_raw([&bytes](const harness::Target&) { return bytes; }, label);
}

Result<harness::HttpResponse> CaseContext::try_send_raw(const RawBytesFor& bytes_for, const std::string& label) {
  const harness::WireClient& client = next_client();
  const std::string bytes = bytes_for(client.target());
  const std::string requester = [&] {
    std::lock_guard lock(claims_mutex_);
    return claims_.sent_raw(bytes);
  }();
  auto response = client.send_raw(bytes);
  log("[raw " + label + sent_to(client) + "]\n" + client.wire_bytes_raw(bytes),
      response ? render_response(*response) : "transport error: " + response.error().message(),
      response ? response->elapsed_ms : 0);
  if (response) {
    scan_claims(remember_answer("raw " + label, *response), *response, requester);
    record_claim_leaks();
  }
  return response;
}

Result<harness::HttpResponse> CaseContext::try_send_cleartext(const std::string& bytes) {
  return try_send_cleartext([&bytes](const harness::Target&) { return bytes; });
}

Result<harness::HttpResponse> CaseContext::try_send_cleartext(const RawBytesFor& bytes_for) {
  const harness::WireClient& client = next_client();
  const std::string bytes = bytes_for(client.target());
  const std::string requester = [&] {
    std::lock_guard lock(claims_mutex_);
    return claims_.sent_raw(bytes);
  }();
  auto response = client.send_cleartext(bytes);
  log("[cleartext TCP" + sent_to(client) + "]\n" + bytes,
      response ? render_response(*response) : "no HTTP answer: " + response.error().message(),
      response ? response->elapsed_ms : 0);
  if (response) {
    scan_claims(remember_answer("cleartext TCP", *response), *response, requester);
    record_claim_leaks();
  }
  return response;
}

Status CaseContext::try_handshake(int min_version, int max_version) {
  const harness::WireClient& client = next_client();
  auto status = client.handshake(min_version, max_version);
  log("[TLS handshake, protocol versions " + std::to_string(min_version) + ".." + std::to_string(max_version) +
          sent_to(client) + "]",
      status ? "handshake completed" : "handshake failed: " + status.error().message(), 0);
  return status;
}

harness::HttpResponse CaseContext::must(Result<harness::HttpResponse> result) {
  if (!result) abort_error("no HTTP response: " + result.error().message());
  return std::move(result).value();
}

harness::HttpResponse CaseContext::send(const harness::HttpRequest& request) { return must(try_send(request)); }

harness::HttpRequest CaseContext::create_request(std::optional<std::string> claim, const nlohmann::json& body,
                                                 std::optional<std::string> request_id) {
  return protocol::build_request(Endpoint::kCreate, collection_path(),
                                 {claim, request_id.value_or(uuid()), body.dump()});
}

harness::HttpRequest CaseContext::update_request(const MailboxRef& box, std::optional<std::string> claim,
                                                 const nlohmann::json& body, std::optional<std::string> request_id) {
  return protocol::build_request(Endpoint::kUpdate, box.path, {claim, request_id.value_or(uuid()), body.dump()});
}

harness::HttpRequest CaseContext::read_request(const MailboxRef& box, std::optional<std::string> claim,
                                               const std::string& body, std::optional<std::string> request_id) {
  return protocol::build_request(Endpoint::kRead, box.path, {claim, request_id.value_or(uuid()), body});
}

harness::HttpRequest CaseContext::remove_request(const MailboxRef& box, std::optional<std::string> claim,
                                                 std::optional<std::string> request_id) {
  return protocol::build_request(Endpoint::kDelete, box.path, {claim, request_id.value_or(uuid()), ""});
}

harness::HttpRequest CaseContext::relinquish_request(const MailboxRef& box, std::optional<std::string> claim,
                                                     std::optional<std::string> request_id) {
  return protocol::build_request(Endpoint::kRelinquish, box.path, {claim, request_id.value_or(uuid()), ""});
}

harness::HttpResponse CaseContext::create(std::optional<std::string> claim, const nlohmann::json& body,
                                          std::optional<std::string> request_id) {
  return send(create_request(std::move(claim), body, std::move(request_id)));
}

harness::HttpResponse CaseContext::update(const MailboxRef& box, std::optional<std::string> claim,
                                          const nlohmann::json& body, std::optional<std::string> request_id) {
  return send(update_request(box, std::move(claim), body, std::move(request_id)));
}

harness::HttpResponse CaseContext::remove(const MailboxRef& box, std::optional<std::string> claim,
                                          std::optional<std::string> request_id) {
  return send(remove_request(box, std::move(claim), std::move(request_id)));
}

harness::HttpResponse CaseContext::read(const MailboxRef& box, std::optional<std::string> claim,
                                        const std::string& body, std::optional<std::string> request_id) {
  return send(read_request(box, std::move(claim), body, std::move(request_id)));
}

harness::HttpResponse CaseContext::relinquish(const MailboxRef& box, std::optional<std::string> claim,
                                              std::optional<std::string> request_id) {
  return send(relinquish_request(box, std::move(claim), std::move(request_id)));
}

harness::HttpResponse CaseContext::preview(const MailboxRef& box, const std::string& query) {
  return send(protocol::build_request(Endpoint::kPreview, box.path + (query.empty() ? "" : "?" + query), {}));
}

MailboxRef CaseContext::create_mailbox(const nlohmann::json& body) {
  const std::string initiator = uuid();
  auto response = create(initiator, body);
  if (response.status != 200 && response.status != 201) setup_refused("CreateMailbox", response);
  return mailbox_from(response, initiator, body);
}

MailboxRef CaseContext::mailbox_from(const harness::HttpResponse& created, const std::string& initiator,
                                     const nlohmann::json& body) {
  auto json = nlohmann::json::parse(created.body, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("urlLink") || !json["urlLink"].is_string()) {
    abort_setup("CreateMailbox answered " + std::to_string(created.status) +
                " without a urlLink: " + redacted(created.body, kShownBodyBytes));
  }
  MailboxRef box;
  box.initiator = initiator;
  box.created = body;
  box.url_link = json["urlLink"].get<std::string>();
  // Mailboxes are addressed through urlLink (AMB-20): its path is the request target.
  const std::string target = protocol::link_target(box.url_link);
  box.path = target.substr(0, target.find('?'));
  box.id = protocol::mailbox_id_of(box.path);
  if (box.id.empty())
    abort_setup("CreateMailbox answered urlLink \"" + redacted(box.url_link, kShownBodyBytes) +
                "\", which has no mailbox identifier");
  return box;
}

MailboxRef CaseContext::create_mailbox(std::optional<std::string> rights, codec::UnixSeconds expires_in) {
  return create_mailbox(create_body(std::move(rights), expires_in));
}

std::string CaseContext::bind_recipient(const MailboxRef& box) {
  std::string claim = uuid();
  auto response = read(box, claim);
  if (response.status != 200) setup_refused("the first recipient's ReadMailbox", response);
  return claim;
}

void CaseContext::setup_refused(const std::string& what, const harness::HttpResponse& response,
                                const std::string& hint) {
  abort_setup(what + " answered " + answer_of(response) + (hint.empty() ? "" : " (" + hint + ")"));
}

// ---- positive controls ---------------------------------------------------------------------

harness::HttpResponse CaseContext::control(const harness::HttpRequest& request, const std::string& what) {
  harness::HttpResponse response = send(request);
  if (response.status / 100 != 2) {
    std::string requirements;
    for (const auto& id : definition().requirements) requirements += (requirements.empty() ? "" : ", ") + id;
    abort_blocked("positive control refused: " + what + " (the request without the varied element) answered " +
                  answer_of(response) + "; a refusal of the varied request would say nothing about " +
                  (requirements.empty() ? "the case's requirements" : requirements));
  }
  control_passed();
  return response;
}

harness::HttpResponse CaseContext::control_create() {
  return control(create_request(uuid(), create_body()), "CreateMailbox with a valid body");
}

harness::HttpResponse CaseContext::control_update(const MailboxRef& box) {
  return control(update_request(box, box.initiator, {{"payload", box.created["payload"]}}),
                 "UPDATE(I) with the mailbox's own payload");
}

std::string CaseContext::answer_of(const harness::HttpResponse& response) const {
  std::string answer = std::to_string(response.status);
  if (!response.reason.empty()) answer += " " + response.reason;
  return answer + ": " +
         (response.body.empty() ? std::string("(empty body)") : redacted(response.body, kShownBodyBytes));
}

// ---- verdicts ------------------------------------------------------------------------------

bool CaseContext::check_status(const harness::HttpResponse& response, std::initializer_list<int> accepted,
                               const std::string& what) {
  return check_status(response, std::vector<int>(accepted), what);
}

std::vector<int> CaseContext::accepted_statuses(const std::string& ambiguity, const std::string& reading) {
  if (options_.catalogue == nullptr) abort_error("no catalogue to take the statuses of " + ambiguity + " from");
  std::vector<int> statuses = options_.catalogue->accepted_statuses(ambiguity, reading);
  if (statuses.empty()) {
    abort_error("the catalogue has no " + (reading.empty() ? std::string("readings") : "reading \"" + reading + "\"") +
                " of " + ambiguity);
  }
  return statuses;
}

bool CaseContext::check_status(const harness::HttpResponse& response, const std::vector<int>& accepted,
                               const std::string& what) {
  for (int status : accepted) {
    if (response.status == status) return true;
  }
  std::string expected;
  for (int status : accepted) expected += (expected.empty() ? "" : " or ") + std::to_string(status);
  return check_answer(false, what + ": got " + std::to_string(response.status) + ", expected " + expected,
                      answer_for(response));
}

nlohmann::json CaseContext::json_body(const harness::HttpResponse& response, const std::string& what) {
  auto json = nlohmann::json::parse(response.body, nullptr, false);
  check_answer(!json.is_discarded() && !response.body_truncated, what + ": body is not JSON", answer_for(response));
  return json;
}

}  // namespace tigress::conformance
