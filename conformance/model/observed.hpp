// Requests the model did not build (the fuzzers' generated and mutated ones) and their answers,
// described in the model's terms, so that the model judges them like its own sequences. The
// description reads only what the request says; it never asks the relay.
#pragma once

#include <string>
#include <string_view>

#include "conformance/model/model.hpp"
#include "harness/wire_client.hpp"

namespace tigress::model {

// Claims compare as UUIDs (AMB-57): lower case, and braces or a "urn:uuid:" prefix stripped, so
// a relay that accepts those spellings is not blamed for a binding it did not make.
std::string claim_key(std::string_view claim);

// `request` as sent; `routed_target` the origin-form target after the base path as the relay
// routes it (protocol::normalise_target when a front end may decode it). The endpoint comes from
// the protocol vocabulary; the slot is the model's mailbox whose ID the path names (-1: none the
// model saw created); claim and request ID from the header fields (empty ones count as absent,
// a repeated request ID as none); payload, display and configuration from a Create or Update body, body_known false
// when they cannot be read. Always unvouched.
Request describe_request(const RelayModel& model, const harness::HttpRequest& request, std::string_view routed_target,
                         Seconds sent, Seconds answered, bool behind_front_end);

Response describe_response(int status, const harness::HeaderList& headers, std::string body);

// The mailbox ID of a slot ("" when none was created for it), lower case.
std::string slot_mailbox_id(const RelayModel& model, int slot);

}  // namespace tigress::model
