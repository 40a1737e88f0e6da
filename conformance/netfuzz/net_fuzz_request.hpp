// The network fuzzer's unit of work: a request template whose path and header values may name
// the sequence's variables (${MAILBOX}, ${CLAIM0}, ...). Templates are what the generator
// produces, what a reproducer stores and what the curl script re-creates, so a replay against
// any relay uses fresh claims and whatever mailbox its own Create returned.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "harness/wire_client.hpp"

namespace tigress::fuzz {

struct NetRequest {
  std::string method;
  std::string path;             // after the target's base path; may contain ${VARIABLE}s
  harness::HeaderList headers;  // values may contain ${VARIABLE}s; printable bytes only
  std::string body;             // sent byte for byte (any bytes)
  bool chunked = false;         // send the body with Transfer-Encoding: chunked
};

using NetSequence = std::vector<NetRequest>;

// Variables a template may use. Claims are UUIDs drawn per run of a sequence; the mailbox is
// the id of the sequence's first successful Create (a fixed unknown id before that).
constexpr std::array<std::string_view, 7> kVariables = {"MAILBOX", "MAILBOX_UPPER", "CLAIM0",      "CLAIM1",
                                                        "CLAIM2",  "CLAIM0_UPPER",  "CLAIM1_UPPER"};
constexpr std::string_view kUnknownMailbox = "00000000-0000-4000-8000-000000000000";

// Marker inside every payload.data the fuzzer stores: it may leave the relay only in a Read.
constexpr std::string_view kPayloadMarker = "TkVURlVaWi1QQVlMT0FE";

struct Bindings {
  std::array<std::string, 3> claims;  // lower-case UUIDs; [0] is the initiator
  std::string mailbox;                // empty until a Create succeeded

  std::string value_of(std::string_view variable) const;
  std::string substitute(std::string_view text) const;
};

// What the request addresses, for finding names and de-duplication: create, read, update,
// delete, relinquish, preview, preview-head, or "<METHOD> collection|mailbox|other-path".
std::string endpoint_of(const NetRequest& request);

// The request as the wire client sends it: variables substituted, base path prepended, a
// chunked body framed.
harness::HttpRequest to_http(const NetRequest& request, const Bindings& bindings, const std::string& base_path);

std::string to_upper(std::string text);
std::string to_lower(std::string text);

}  // namespace tigress::fuzz
