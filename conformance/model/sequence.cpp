#include "conformance/model/sequence.hpp"

#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "reference/codec/base64.hpp"

namespace tigress::model {
namespace {

using nlohmann::json;

// Display information samples: plain, non-ASCII (MBX-GEN-05), and markup and quotes that a
// relay must store unchanged (and a script must quote correctly).
const Display kDisplays[] = {
    {"Car Key", "A key to my car", "https://example.com/car.png"},
    {"Schl\xC3\xBCssel Caf\xC3\xA9 \xF0\x9F\x94\x91", "Zugang f\xC3\xBCr 2 Tage", "https://example.com/k.png"},
    {"<b>\"Tom's\" & co</b>", "</title><script>alert(1)</script>", "https://e.example/a\"onerror=\"x"},
};

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

json token_json() { return {{"type", "com.apple.apns"}, {"tokenData", "746f6b656e2d6f662d7468652d6d6f64656c"}}; }

std::string call_text(const WireCall& call) {
  std::string out = call.method + " " + call.target + " HTTP/1.1\r\n";
  for (const auto& [name, value] : call.headers) out += name + ": " + value + "\r\n";
  return out + "\r\n" + call.body;
}

std::string answer_text(const WireAnswer& answer) {
  if (!answer.answered) return "no HTTP answer: " + answer.error;
  std::string out = "HTTP/1.1 " + std::to_string(answer.status) + "\r\n";
  for (const auto& [name, value] : answer.headers) out += name + ": " + value + "\r\n";
  return out + "\r\n" + answer.body;
}

}  // namespace

RecordedExchange record_exchange(const WireCall& call, const WireAnswer& answer) {
  return {call_text(call), answer_text(answer)};
}

const char* actor_name(Actor actor) {
  switch (actor) {
    case Actor::kInitiator:
      return "initiator";
    case Actor::kR1:
      return "r1";
    case Actor::kR2:
      return "r2";
    case Actor::kStranger:
      return "stranger";
    case Actor::kStranger2:
      return "stranger 2";
    case Actor::kNobody:
      return "nobody (no claim)";
  }
  return "?";
}

SequenceRunner::SequenceRunner(ModelTarget& target, ModelOptions options) : target_(target), model_(options) {
  script_.instances = target.instance_count();
  // Claims and request IDs must be new to the relay on every run (it remembers request IDs per
  // claim), so they come from the OS entropy and the clock, not from RapidCheck's seed.
  std::random_device device;
  std::seed_seq seed{device(), device(), device(), device(),
                     static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count())};
  random_.seed(seed);
}

std::string SequenceRunner::uuid() {
  std::uint64_t high = random_(), low = random_();
  high = (high & ~0xF000ULL) | 0x4000ULL;            // version 4
  low = (low & ~(0xC0ULL << 56)) | (0x80ULL << 56);  // RFC 9562 variant
  char text[40];
  std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(high >> 32),
                static_cast<unsigned long long>((high >> 16) & 0xFFFF), static_cast<unsigned long long>(high & 0xFFFF),
                static_cast<unsigned long long>(low >> 48), static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
  return text;
}

std::string SequenceRunner::variable(const std::string& name, const std::string& value) {
  script_.uuids.push_back({name, value});
  return name;
}

std::string SequenceRunner::claim_of(int mailbox, Actor actor) const {
  return actor == Actor::kNobody ? std::string() : claims_.at(mailbox)[static_cast<int>(actor)];
}

std::string SequenceRunner::claim_variable(int mailbox, Actor actor) const {
  static const char* kSuffix[] = {"I", "R1", "R2", "X", "X2"};
  return names_.at(mailbox) + "_" + kSuffix[static_cast<int>(actor)];
}

std::string SequenceRunner::mailbox_label(int mailbox) const {
  const std::string& name = names_.at(mailbox);
  return (name[0] == 'C' ? "race mailbox " : "mailbox ") + name.substr(1);
}

std::string SequenceRunner::mailbox_target(int mailbox) {
  std::string target = model_.mailbox_target(mailbox);
  return target.empty() ? unknown_targets_.at(mailbox) : target;
}

// Over several instances a mailbox's URL is its path after the origin of whichever instance the
// step went to (kInstanceMarker): the deployment's instances share one store and one path prefix.
std::string SequenceRunner::mailbox_url_expr(int mailbox) const {
  if (several_instances()) return "\"$ORIGIN_" + std::string(kInstanceMarker) + "$" + names_.at(mailbox) + "_PATH\"";
  return "\"$" + names_.at(mailbox) + "_URL\"";
}

std::string SequenceRunner::collection_url_expr() const {
  return several_instances() ? "\"$TARGET_" + std::string(kInstanceMarker) + "/v1/m\"" : "\"$RELAY/v1/m\"";
}

Payload SequenceRunner::make_payload(int bytes, bool aes256) {
  // Opaque to the relay (3.3): random bytes shaped like IV || ciphertext || tag (7.2), fresh
  // for every write so that a Read shows which write it returns.
  Bytes data(static_cast<std::size_t>(12 + bytes + 16));
  for (auto& b : data) b = static_cast<std::uint8_t>(random_());
  return {aes256 ? "AEAD_AES_256_GCM" : "AEAD_AES_128_GCM", codec::base64_encode(data)};
}

Outcome SequenceRunner::create(const CreateSpec& spec) {
  visible_.push_back(model_.slot_count());
  return create_mailbox(spec, false);
}

Outcome SequenceRunner::create_mailbox(const CreateSpec& spec, bool for_race) {
  const int slot = model_.slot_count();  // step() allocates it
  const int number = steps() + 1;
  const std::string n = for_race ? "C" + std::to_string(++races_) : "M" + std::to_string(visible_.size());
  names_.push_back(n);
  claims_.push_back({uuid(), uuid(), uuid(), uuid(), uuid()});
  unknown_targets_.push_back(protocol::mailbox_path(target_.base_path(), uuid()));
  for (Actor a : {Actor::kInitiator, Actor::kR1, Actor::kR2, Actor::kStranger}) {
    variable(claim_variable(slot, a), claim_of(slot, a));
  }

  Request request;
  request.op = Op::kCreate;
  request.claim = claim_of(slot, Actor::kInitiator);
  request.request_id = uuid();
  request.display = kDisplays[spec.display % 3];
  request.payload = make_payload(spec.payload_bytes, spec.aes256);
  json body = {{"payload", {{"type", request.payload.type}, {"data", request.payload.data}}},
               {"displayInformation",
                {{"title", request.display.title},
                 {"description", request.display.description},
                 {"imageURL", request.display.image_url}}}};
  if (spec.token) body["notificationToken"] = token_json();
  json script_body = body;
  if (spec.configuration) {
    request.has_configuration = true;
    request.access_rights = spec.rights;
    request.expiration = target_.now() + spec.expires_in;
    json configuration = {{"expiration", format_utc(*request.expiration)}};
    if (spec.rights) configuration["accessRights"] = *spec.rights;
    body["mailboxConfiguration"] = configuration;
    configuration["expiration"] = std::string(kExpirationMarker);
    script_body["mailboxConfiguration"] = configuration;
  }
  const WireCall call = to_wire_call(protocol::build_request(
      Op::kCreate, protocol::collection_path(target_.base_path()), {request.claim, request.request_id, dump(body)}));

  ScriptStep step;
  step.number = number;
  step.label = "Create " + mailbox_label(slot) + " as its initiator (" +
               (spec.configuration ? "accessRights " + spec.rights.value_or("absent") + ", expires in " +
                                         std::to_string(spec.expires_in) + " s"
                                   : std::string("no mailboxConfiguration")) +
               ")";
  const std::string req = variable("REQ" + std::to_string(number), request.request_id);
  const std::string body_var = "BODY" + std::to_string(number);
  step.before = body_var + "=" +
                shell_json_word(dump(script_body),
                                spec.configuration ? std::optional<long long>(spec.expires_in) : std::nullopt) +
                "\n";
  step.curl_args = "-X POST " + collection_url_expr() + " -H \"Mailbox-Device-Claim: $" +
                   claim_variable(slot, Actor::kInitiator) + "\" -H \"Mailbox-Request-ID: $" + req +
                   "\" -H 'Content-Type: application/json' --data-binary \"$" + body_var + "\"";
  if (several_instances()) {
    step.after = n + "=$(url_link); if [ -n \"$" + n + "\" ]; then " + n + "_PATH=\"/${" + n + "#https://*/}\"; else " +
                 n + "_PATH=" + shell_quote(unknown_targets_.back()) + "; fi\n";
  } else {
    step.after = n + "=$(url_link); if [ -n \"$" + n + "\" ]; then " + n + "_URL=\"$ORIGIN/${" + n +
                 "#https://*/}\"; else " + n + "_URL=\"$RELAY" +
                 unknown_targets_.back().substr(target_.base_path().size()) + "\"; fi\n";
  }
  Outcome outcome = exchange(request, call, step, !for_race);
  if (!for_race) sent_.back().request.slot = slot;  // a repeat names the slot this Create made
  return outcome;
}

Outcome SequenceRunner::mailbox_request(Op op, int slot, Actor actor, const std::string& body,
                                        const std::string& body_word, const Payload& payload) {
  const int number = steps() + 1;
  const std::string method(protocol::method_of(op));
  Request request;
  request.op = op;
  request.slot = slot;
  request.claim = claim_of(slot, actor);
  request.payload = payload;
  ScriptStep step;
  step.number = number;
  step.label = std::string(protocol::endpoint_name(op)) + " " + mailbox_label(slot) + " as " + actor_name(actor);
  step.curl_args = "-X " + method + " " + mailbox_url_expr(slot);
  if (!request.claim.empty()) {
    step.curl_args += " -H \"Mailbox-Device-Claim: $" + claim_variable(slot, actor) + "\"";
  }
  // Read defines no Mailbox-Request-ID (6.5.2, AMB-06); the four mutating requests require one.
  const bool with_id = op != Op::kRead;
  if (with_id) {
    request.request_id = uuid();
    step.curl_args +=
        " -H \"Mailbox-Request-ID: $" + variable("REQ" + std::to_string(number), request.request_id) + "\"";
  }
  const WireCall call = to_wire_call(protocol::build_request(
      op, mailbox_target(slot),
      {request.claim.empty() ? std::nullopt : std::optional<std::string>(request.claim), request.request_id, body}));
  if (body.empty() && method != "DELETE") {
    // What the wire client sends for a bodiless POST or PATCH; without it curl sends no length
    // at all, which some servers refuse (411/400) before the relay sees the request.
    step.curl_args += " -H 'Content-Length: 0'";
  }
  if (!body.empty()) {
    const std::string body_var = "BODY" + std::to_string(number);
    step.before = body_var + "=" + body_word + "\n";
    step.curl_args += " -H 'Content-Type: application/json' --data-binary \"$" + body_var + "\"";
  }
  return exchange(request, call, step, with_id);
}

Outcome SequenceRunner::read(int slot, Actor actor) {
  return mailbox_request(Op::kRead, visible_.at(slot), actor, "", "", {});
}

Outcome SequenceRunner::update(int slot, Actor actor, int payload_bytes, bool token) {
  const Payload payload = make_payload(payload_bytes, false);
  json body = {{"payload", {{"type", payload.type}, {"data", payload.data}}}};
  if (token) body["notificationToken"] = token_json();
  return mailbox_request(Op::kUpdate, visible_.at(slot), actor, dump(body), shell_json_word(dump(body), std::nullopt),
                         payload);
}

Outcome SequenceRunner::remove(int slot, Actor actor) {
  return mailbox_request(Op::kDelete, visible_.at(slot), actor, "", "", {});
}

Outcome SequenceRunner::relinquish(int slot, Actor actor) {
  return mailbox_request(Op::kRelinquish, visible_.at(slot), actor, "", "", {});
}

Outcome SequenceRunner::preview(int mailbox, bool with_vertical) {
  const int slot = visible_.at(mailbox);
  Request request;
  request.op = Op::kPreview;
  request.slot = slot;
  ScriptStep step;
  step.number = steps() + 1;
  step.label = "Preview " + mailbox_label(slot) + (with_vertical ? " with ?v=c" : "");
  // MBX-PREVIEW-06: messaging apps fetch the share URL minus the fragment, query included.
  const std::string target = mailbox_target(slot);
  const bool add_query = with_vertical && target.find('?') == std::string::npos;
  const WireCall call = to_wire_call(protocol::build_request(Op::kPreview, target + (add_query ? "?v=c" : ""), {}));
  step.curl_args = mailbox_url_expr(slot);
  if (add_query) step.curl_args.insert(step.curl_args.size() - 1, "?v=c");
  return exchange(request, call, step, false);
}

Outcome SequenceRunner::repeat(int index) {
  const Sent original = sent_.at(index);
  ScriptStep step;
  step.number = steps() + 1;
  step.label = "Repeat, byte for byte: " + original.label;
  step.curl_args = original.curl_args;
  return exchange(original.request, original.call, step, false);
}

Outcome SequenceRunner::pass_time(Seconds seconds) {
  target_.pass_time(seconds);
  ScriptStep step;
  step.number = steps() + 1;
  step.label = std::to_string(seconds) + " s pass";
  step.sleep_seconds = seconds;
  script_.steps.push_back(step);
  return {};
}

Outcome SequenceRunner::exchange(Request request, const WireCall& call, ScriptStep step, bool keep_for_repeat) {
  const WireAnswer answer = target_.send(call);
  request.sent = answer.sent;
  request.answered = answer.received;
  request.step = step.number;
  exchanges_.push_back(record_exchange(call, answer));
  Outcome outcome;
  if (!answer.answered) {
    outcome.ok = false;
    outcome.expected = "an HTTP answer";
    outcome.violation = "no HTTP answer: " + answer.error;
  } else {
    Response response{answer.status, answer.header("Content-Type").value_or(""), answer.header("Mailbox-Request-ID"),
                      answer.body};
    outcome = model_.step(request, response);
  }
  step.instance = answer.instance;
  step.expected = outcome.expected;
  step.observed_status = answer.status;
  step.violation = outcome.violation;
  if (keep_for_repeat) sent_.push_back({request, call, step.curl_args, step.label});
  script_.steps.push_back(std::move(step));
  if (!outcome.ok) {
    outcome.violation =
        "step " + std::to_string(request.step) + " (" + script_.steps.back().label + "): " + outcome.violation;
  }
  return outcome;
}

}  // namespace tigress::model
