#include "reference/relay/relay.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <functional>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "reference/codec/bodies.hpp"
#include "reference/codec/headers.hpp"
#include "reference/codec/uuid.hpp"
#include "reference/relay/prepared_request.hpp"
#include "reference/relay/preview.hpp"
#include "reference/relay/relay_answers.hpp"
#include "reference/relay/request_checks.hpp"

namespace tigress::relay {
namespace {

using answers::bad_request;
using answers::error;
using answers::json_response;
using answers::method_not_allowed;
using answers::not_found;
using answers::ok_empty;
using answers::unauthorized;
using checks::MissingClaim;
using codec::kRequestIdHeader;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "application/json" with optional parameters, any letter case (RFC 9110 section 8.3.1).
bool is_json_media_type(const std::string* content_type) {
  if (content_type == nullptr) return false;
  std::string_view value = *content_type;
  value = value.substr(0, value.find(';'));
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  return lower(value) == codec::kJsonMediaType;
}

const std::string& no_push_body() {
  // The reference relay delivers no push notifications, so it tells every device to poll
  // (AMB-23: the flag says whether this relay will push to the token given).
  static const std::string body = codec::dump_json(codec::to_json(codec::UpdateMailboxResponse{false}));
  return body;
}

class Call {
 public:
  Call(const Request& request, const PreparedRequest& prepared, Transaction& tx, codec::UnixSeconds now,
       const RelayConfig& config, bool slot_seen_free)
      : request_(request), prepared_(prepared), tx_(tx), now_(now), config_(config), slot_seen_free_(slot_seen_free) {}

  // POST /v1/m (6.1)
  Response create() {
    auto recorded = checks::recorded_call(tx_, request_, MissingClaim::kBadRequest, "", bugs());
    if (recorded.answered) return *recorded.answered;
    if (!is_json_media_type(request_.header("Content-Type"))) {
      return error(415, "unsupported_media_type", "Content-Type: must be application/json");
    }
    const auto& body = *prepared_.create_body;
    if (!body) return invalid_body(body.error());

    Mailbox mailbox;
    mailbox.initiator_claim = recorded.claim;
    mailbox.payload = body->payload;
    mailbox.display = body->display_information;
    mailbox.initiator_token = body->notification_token;
    mailbox.expiration = now_ + std::min(config_.default_ttl, config_.max_ttl);
    if (const auto& configuration = body->mailbox_configuration) {
      // AMB-13: a past (or present) expiration is refused; AMB-14: longer than the relay's
      // maximum lifetime is capped, and Read reports the effective value.
      if (configuration->expiration <= now_ && !bugs().accept_past_expiration &&
          !bugs().past_expiration_dead_on_arrival) {
        return bad_request("mailboxConfiguration.expiration: must be in the future");
      }
      if (configuration->expiration <= now_ && bugs().past_expiration_dead_on_arrival) {
        mailbox.expiration = configuration->expiration;
      }
      if (configuration->expiration > now_) {
        mailbox.expiration =
            bugs().no_ttl_cap ? configuration->expiration : std::min(configuration->expiration, now_ + config_.max_ttl);
      }
      if (configuration->access_rights) mailbox.rights = *configuration->access_rights;
    }
    // The identifier drawn before the transaction, drawn again only while it is taken.
    Result<codec::Uuid> id = *prepared_.fresh_id;
    std::string response_body = prepared_.create_answer;
    const codec::UnixSeconds expiration = mailbox.expiration;
    for (;;) {
      if (!id) return error(500, "internal_error", "identifier generation failed");
      mailbox.id = id->to_string();
      // Refused but not taken: the store failed, and the commit reports it.
      if (tx_.insert(std::move(mailbox)) || !tx_.find(mailbox.id)) break;
      id = draw_mailbox_id(bugs());
      if (id) response_body = create_answer_body(config_, *id);
    }
    checks::remember(tx_, recorded.claim, recorded.request_id, request_, "", response_body, expiration);
    return json_response(bugs().create_answers_201 ? 201 : 200, response_body);
  }

  // PUT /v1/m/{id} (6.2)
  Response update(Mailbox& mailbox) {
    auto recorded = checks::recorded_call(tx_, request_, MissingClaim::kBadRequest, mailbox.id, bugs());
    if (recorded.answered) return *recorded.answered;
    // Binding happens only on Read (4.1, AMB-34): an unbound claim cannot write.
    const bool initiator = recorded.claim == mailbox.initiator_claim;
    if (!initiator && recorded.claim != mailbox.recipient_claim && !bugs().stranger_may_update) {
      return unauthorized("Mailbox-Device-Claim: not bound to this mailbox");
    }
    if (!mailbox.rights.write && !bugs().ignore_access_rights) {
      return unauthorized("mailbox access rights do not include W");
    }
    if (!is_json_media_type(request_.header("Content-Type"))) {
      return error(415, "unsupported_media_type", "Content-Type: must be application/json");
    }
    const auto& body = *prepared_.update_body;
    if (!body) return invalid_body(body.error());
    if (readings().queue_back_to_back_updates && mailbox.payload_unread) {
      mailbox.queued_payloads.push_back(body->payload);
    } else {
      mailbox.payload = body->payload;  // 6.2: an update overwrites the stored payload
      mailbox.payload_unread = mailbox.recipient_claim.has_value();
    }
    if (body->notification_token) {
      (initiator ? mailbox.initiator_token : mailbox.recipient_token) = body->notification_token;
    }
    const std::string& response_body = no_push_body();
    checks::remember(tx_, recorded.claim, recorded.request_id, request_, mailbox.id, response_body, mailbox.expiration);
    return json_response(200, response_body);
  }

  // DELETE /v1/m/{id} (6.3). A repeated delete finds no mailbox: 404 (6.3.3, AMB-04).
  Response remove(Mailbox& mailbox) {
    auto claim = checks::device_claim(request_, MissingClaim::kUnauthorized, bugs().claims_compared_as_strings);
    if (claim.failure) return *claim.failure;
    auto rid = checks::request_id(request_);
    if (rid.failure) return *rid.failure;
    if (claim.claim != mailbox.initiator_claim && claim.claim != mailbox.recipient_claim) {
      return unauthorized("Mailbox-Device-Claim: not bound to this mailbox");
    }
    if (!mailbox.rights.remove && !bugs().ignore_access_rights) {
      return unauthorized("mailbox access rights do not include D");
    }
    const codec::UnixSeconds expiration = mailbox.expiration;
    const std::string id = mailbox.id;
    tx_.erase(id);
    checks::remember(tx_, claim.claim, rid.id, request_, id, "", expiration);
    return ok_empty();
  }

  // GET (and HEAD) /v1/m/{id} (6.4): no claim needed, never binds (AMB-54); query ignored so
  // the share URL minus its fragment works as is (7.3.1).
  Response preview(const Mailbox& mailbox) {
    if (bugs().display_types_unchecked && holds_json_text(mailbox.display)) {
      return error(500, "internal_error", "cannot render the preview");
    }
    Response response;
    response.status = 200;
    const PreviewEscaping escaping = bugs().preview_unescaped             ? PreviewEscaping::kNone
                                     : bugs().preview_ampersand_unescaped ? PreviewEscaping::kMarkupOnly
                                     : readings().attribute_mode_escaping ? PreviewEscaping::kSerialization
                                                                          : PreviewEscaping::kAll;
    std::string leaked;
    if (bugs().preview_leaks_payload) leaked = "<!-- " + mailbox.payload.type + " " + mailbox.payload.data + " -->\n";
    render_after_ = [display = mailbox.display, escaping, leaked = std::move(leaked)](Response& answer) {
      answer.body = render_preview(display, escaping) + leaked;
    };
    set_preview_headers(response);
    if (bugs().preview_as_json) response.set_header("Content-Type", "application/json");
    return response;
  }

  // POST /v1/m/{id} (6.5): the first claim other than the initiator's binds as the recipient,
  // atomically because the whole call runs inside one store transaction (4.1, 8.1.1).
  Response read(Mailbox& mailbox) {
    auto claim = checks::device_claim(request_, MissingClaim::kUnauthorized, bugs().claims_compared_as_strings);
    if (claim.failure) return *claim.failure;
    const auto& body = *prepared_.read_body;  // AMB-07: empty or a token
    if (!body) return bad_request(body.error().message());
    const bool initiator = claim.claim == mailbox.initiator_claim;
    if (!mailbox.rights.read) {
      if (readings().bind_on_refused_read && !initiator && !mailbox.recipient_claim) {
        mailbox.recipient_claim = claim.claim;
      }
      return unauthorized("mailbox access rights do not include R");
    }
    if (!initiator && !bugs().bind_every_reader) {
      if (!mailbox.recipient_claim || (bugs().racy_binding && slot_seen_free_)) {
        mailbox.recipient_claim = claim.claim;
      } else if (*mailbox.recipient_claim != claim.claim) {
        if (bugs().error_names_bound_claims) {
          return unauthorized("mailbox is bound to recipient " + *mailbox.recipient_claim + " by initiator " +
                              mailbox.initiator_claim);
        }
        if (bugs().error_leaks_payload) {
          return unauthorized("mailbox is bound to another recipient; stored payload " + mailbox.payload.data);
        }
        return unauthorized("mailbox is bound to another recipient");
      }
    }
    if (body->notification_token) {
      (initiator ? mailbox.initiator_token : mailbox.recipient_token) = body->notification_token;
    }
    // Reads are never duplicates and are not recorded (AMB-06): a retried read gets content.
    render_after_ = [content = codec::ReadSecureContentResponse{mailbox.payload, mailbox.display, mailbox.expiration},
                     without_zone = bugs().expiration_without_zone](Response& answer) {
      if (!without_zone) {
        answer.body = codec::dump_read_response(content);
        return;
      }
      auto json = codec::to_json(content);
      std::string zoned = json["expiration"];
      json["expiration"] = zoned.substr(0, zoned.size() - 1);
      answer.body = codec::dump_json(json);
    };
    if (readings().queue_back_to_back_updates && !initiator) {
      // The recipient has this one now; the next Read delivers the next queued update.
      mailbox.payload_unread = !mailbox.queued_payloads.empty();
      if (!mailbox.queued_payloads.empty()) {
        mailbox.payload = mailbox.queued_payloads.front();
        mailbox.queued_payloads.erase(mailbox.queued_payloads.begin());
      }
    }
    mailbox.delivered = true;
    return json_response(200, "");
  }

  // PATCH /v1/m/{id} (6.6): only the current recipient may give up its binding. The duplicate
  // check comes first, so a retried relinquish gets 201 although the claim is unbound (AMB-42).
  Response relinquish(Mailbox& mailbox) {
    if (bugs().relinquish_server_error) return error(500, "internal_error", "the relay failed to relinquish");
    auto recorded = checks::recorded_call(tx_, request_, MissingClaim::kUnauthorized, mailbox.id, bugs());
    if (recorded.answered) return *recorded.answered;
    if (!mailbox.recipient_claim || *mailbox.recipient_claim != recorded.claim) {
      return unauthorized("Mailbox-Device-Claim: not the bound recipient");  // AMB-31
    }
    if (!bugs().relinquish_keeps_binding) {
      mailbox.recipient_claim.reset();
      mailbox.recipient_token.reset();
    }
    checks::remember(tx_, recorded.claim, recorded.request_id, request_, mailbox.id, "", mailbox.expiration);
    return ok_empty();
  }

  // The body of an answer rendered from a copy of what the call read, after the transaction has
  // ended: rendering JSON or HTML under the in-process store's lock would hold up every request.
  // Empty when the answer is complete as returned.
  std::function<void(Response&)> render_after_;

 private:
  const RelayDefects& bugs() const { return config_.defects; }
  const RelayReadings& readings() const { return config_.readings; }

  Response invalid_body(const Error& problem) const {
    if (bugs().server_error_on_bad_json) return error(500, "internal_error", problem.message());
    return bad_request(problem.message());
  }

  const Request& request_;
  const PreparedRequest& prepared_;
  Transaction& tx_;
  codec::UnixSeconds now_;
  const RelayConfig& config_;
  bool slot_seen_free_;  // only for the racy-binding defect
};

Response dispatch(Call& call, const Request& request, const PreparedRequest& prepared, Transaction& tx,
                  codec::UnixSeconds now, const RelayConfig& config) {
  const RelayDefects& bugs = config.defects;
  const Route& target = prepared.target;
  switch (target.kind) {
    case Route::kNotFound:
      return not_found("no such resource");
    case Route::kUnknownVersion:
      return not_found("unsupported API version");
    case Route::kCollection:
      if (request.method != "POST") return method_not_allowed("POST");
      return call.create();
    case Route::kMailbox:
      break;
  }
  static constexpr std::string_view kMailboxMethods = "GET, HEAD, POST, PUT, DELETE, PATCH";
  const std::string& method = request.method;
  if (method != "GET" && method != "HEAD" && method != "POST" && method != "PUT" && method != "DELETE" &&
      method != "PATCH") {
    if (bugs.server_error_on_unknown_method) return error(500, "internal_error", "unexpected method");
    return method_not_allowed(std::string(kMailboxMethods));
  }
  // Unknown and malformed identifiers are both "not found" (6.3.3, 6.6.3, AMB-26); expired
  // mailboxes were swept before dispatch, so they are not found either (AMB-16).
  auto id = codec::parse_uuid(target.segment);
  if (!id) return not_found("mailbox not found");
  Mailbox* mailbox = tx.find(id->to_string());
  if (mailbox == nullptr) return not_found("mailbox not found");
  const bool expired = mailbox->expiration <= now;
  const bool expiry_ignored =
      bugs.never_expire || (bugs.preview_ignores_expiry && (method == "GET" || method == "HEAD"));
  if (expired && !expiry_ignored) return not_found("mailbox not found");
  if (method == "GET" || method == "HEAD") return call.preview(*mailbox);
  if (method == "POST") return call.read(*mailbox);
  if (method == "PUT") return call.update(*mailbox);
  if (method == "DELETE") return call.remove(*mailbox);
  return call.relinquish(*mailbox);
}

// The racy-binding defect looks at the recipient slot in a transaction of its own, before the
// one that binds: the window a check-then-act relay leaves open.
bool recipient_slot_free(const Request& request, Store& store, const RelayDefects& bugs) {
  if (!bugs.racy_binding || request.method != "POST") return false;
  const Route target = route(request.path);
  auto id = codec::parse_uuid(target.segment);
  if (target.kind != Route::kMailbox || !id) return false;
  bool free = false;
  {
    auto tx = store.begin();
    const Mailbox* mailbox = tx->find(id->to_string());
    free = mailbox != nullptr && !mailbox->recipient_claim;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return free;
}

// The planted refusals that depend on the mailbox's state (refuse-binding-reads,
// refuse-bound-deletes, refuse-undelivered-deletes, read-needs-write-right): the 400 detail,
// std::nullopt when none applies. The preflight's exchange (the initiator's Read of an unbound
// "RWD" mailbox, then its Delete) is taken, so the cases run and those whose positive control is
// such a request must end BLOCKED.
std::optional<std::string> planted_binding_refusal(const Request& request, Store& store, const RelayDefects& bugs) {
  const bool read = (bugs.refuse_binding_reads || bugs.read_needs_write_right) && request.method == "POST";
  const bool remove = (bugs.refuse_bound_deletes || bugs.refuse_undelivered_deletes) && request.method == "DELETE";
  if (!read && !remove) return std::nullopt;
  const Route target = route(request.path);
  auto id = codec::parse_uuid(target.segment);
  if (target.kind != Route::kMailbox || !id) return std::nullopt;
  const std::string* claim = request.header(codec::kDeviceClaimHeader);
  auto tx = store.begin();
  const Mailbox* mailbox = tx->find(id->to_string());
  if (mailbox == nullptr) return std::nullopt;
  if (remove && bugs.refuse_bound_deletes && mailbox->recipient_claim) {
    return "this relay does not delete a mailbox once a recipient is bound";
  }
  if (remove && bugs.refuse_undelivered_deletes && !mailbox->delivered) {
    return "this relay deletes a mailbox only once a Read has been served from it";
  }
  if (read && bugs.read_needs_write_right && mailbox->rights.read && !mailbox->rights.write) {
    return "this relay serves a Read only where accessRights grant W";
  }
  std::string canonical;
  if (claim != nullptr) {
    if (auto parsed = codec::parse_uuid(*claim)) canonical = parsed->to_string();
  }
  if (read && bugs.refuse_binding_reads && claim != nullptr && canonical != mailbox->initiator_claim &&
      canonical != mailbox->recipient_claim.value_or("")) {
    return "this relay binds no recipient";
  }
  return std::nullopt;
}

}  // namespace

Relay::Relay(RelayConfig config) : config_(std::move(config)) {}

void Relay::sweep(Clock& clock, Store& store) const {
  const RelayDefects& bugs = config_.defects;
  if (bugs.never_expire || bugs.preview_ignores_expiry || bugs.sweep_races_requests) return;
  auto tx = store.begin();
  tx->erase_expired(clock.now());
  (void)tx->commit();  // an unreachable store is retried at the next interval
}

// One request in one committed transaction. A conflict means another relay process sharing the
// store changed what this one read, so the request runs again on the new state; its first
// response is thrown away unseen.
Response Relay::run_committed(const Request& request, Clock& clock, Store& store, bool slot_seen_free) const {
  const PreparedRequest prepared = prepare(request, config_);
  constexpr int kMaxAttempts = 64;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    const codec::UnixSeconds now = clock.now();
    auto tx = store.begin();
    if (!config_.defects.never_expire && !config_.defects.preview_ignores_expiry) {
      // expired = deleted everywhere (4.3, 8.1.2)
      if (tx->erase_expired(now) > 0 && config_.defects.sweep_races_requests) {
        (void)tx->commit();
        return error(500, "internal_error", "the mailbox index changed while it was read");
      }
    }
    Response response;
    std::function<void(Response&)> render_after;
    {
      Call call(request, prepared, *tx, now, config_, slot_seen_free);
      response = dispatch(call, request, prepared, *tx, now, config_);
      render_after = std::move(call.render_after_);
    }
    auto committed = tx->commit();
    tx.reset();  // the in-memory store's lock is released here, before any rendering
    if (!committed) return error(503, "store_unavailable", "the relay's store is unreachable; retry later");
    if (*committed == CommitOutcome::kCommitted) {
      if (render_after) render_after(response);
      return response;
    }
  }
  return error(503, "store_contention", "the mailbox kept changing; retry the request");
}

Response Relay::handle(const Request& request, Clock& clock, Store& store) const {
  if (config_.defects.poison_date_only_expiration) {
    if (poisoned_->load()) return error(500, "internal_error", "the relay failed to handle the request");
    if (auto accepted = date_only_expiration_accepted(request)) {
      Response response = serve(*accepted, clock, store);
      if (response.status == 200) poisoned_->store(true);
      return response;
    }
  }
  return serve(request, clock, store);
}

// Section 5.1: the response echoes the request's value, on errors too (AMB-05).
void Relay::echo_request_id(const std::string& id, Response& response) const {
  if (!config_.defects.omit_request_id_echo) response.set_header(kRequestIdHeader, id);
}

Response Relay::refuse(HttpRefusal refusal, const Request& seen) const {
  Response response;
  switch (refusal) {
    case HttpRefusal::kBodyTooLarge:
      response = error(413, "payload_too_large", "body exceeds " + std::to_string(config_.max_body_bytes) + " bytes");
      break;
    case HttpRefusal::kTargetTooLong:
      response = error(414, "uri_too_long", "request target too long");
      break;
    case HttpRefusal::kHeadersTooLarge:
      response = error(431, "header_fields_too_large", "request header fields too large");
      break;
    case HttpRefusal::kMalformed:
      response = bad_request("request is not well-formed HTTP/1.1");
      break;
  }
  const std::string* echo = seen.header(kRequestIdHeader);
  if (echo != nullptr && echo->size() <= config_.max_request_id_bytes) echo_request_id(*echo, response);
  if (seen.method == "HEAD") response.body.clear();
  return response;
}

Response Relay::serve(const Request& request, Clock& clock, Store& store) const {
  Response response;
  try {
    const std::string* echo = request.header(kRequestIdHeader);
    if (request.body.size() > config_.max_body_bytes) {
      response = error(413, "payload_too_large", "body exceeds " + std::to_string(config_.max_body_bytes) + " bytes");
    } else if (echo != nullptr && echo->size() > config_.max_request_id_bytes) {
      response =
          bad_request("Mailbox-Request-ID: longer than " + std::to_string(config_.max_request_id_bytes) + " bytes");
      echo = nullptr;
    } else if (auto refusal = planted_refusal(config_.defects, request)) {
      response = bad_request(*refusal);
    } else if (auto bound = planted_binding_refusal(request, store, config_.defects)) {
      response = bad_request(*bound);
    } else {
      const bool slot_seen_free = recipient_slot_free(request, store, config_.defects);
      response = run_committed(request, clock, store, slot_seen_free);
    }
    if (echo != nullptr) echo_request_id(*echo, response);
    if (request.method == "HEAD") response.body.clear();
  } catch (const std::exception&) {
    response = error(500, "internal_error", "the relay failed to handle the request");
  }
  return response;
}

}  // namespace tigress::relay
