// What a request's answer needs that depends on the request alone: its route, its parsed body
// and, for a Create, the identifier to try first and the answer that goes with it. The core
// works these out before the store transaction begins, because the in-process store holds one
// lock for the whole transaction (a shared store, one optimistic attempt): parsing a body or
// drawing an identifier inside it would serialise every connection on work no mailbox needs.
#pragma once

#include <optional>
#include <string>

#include "common/result.hpp"
#include "reference/codec/bodies.hpp"
#include "reference/codec/uuid.hpp"
#include "reference/relay/defects.hpp"
#include "reference/relay/http_types.hpp"

namespace tigress::relay {

struct RelayConfig;

// "/v1/m", "/v1/m/{segment}", "/v{N}/..." with another N, or something else.
struct Route {
  enum Kind { kCollection, kMailbox, kUnknownVersion, kNotFound } kind = kNotFound;
  std::string segment;
};

Route route(std::string_view path);

// A new mailbox's identifier: random version 4 (8.1.2), or a counter under predictable-ids.
Result<codec::Uuid> draw_mailbox_id(const RelayDefects& defects);

// The body of a Create's answer for a mailbox with this identifier (6.1.6).
std::string create_answer_body(const RelayConfig& config, const codec::Uuid& id);

struct PreparedRequest {
  Route target;
  // Each is set only for the request it belongs to: POST /v1/m, PUT and POST /v1/m/{id}.
  std::optional<Result<codec::CreateMailboxRequest>> create_body;
  std::optional<Result<codec::UpdateMailboxRequest>> update_body;
  std::optional<Result<codec::ReadSecureContentRequest>> read_body;
  // A Create's first identifier (drawn again inside the transaction only if it is taken) and
  // the answer's body for it.
  std::optional<Result<codec::Uuid>> fresh_id;
  std::string create_answer;
};

// Pure: the same request gives an equivalent preparation, so a transaction that is run again
// after a conflict reuses it.
PreparedRequest prepare(const Request& request, const RelayConfig& config);

}  // namespace tigress::relay
