// Shortcuts a careless client takes with a relay's answers, planted as client defects
// (defects.hpp) that only the client response fuzzer (`tigress-conform fuzz-client`) finds: no
// client case sends an answer with a member of another type, a body nested past the parser's
// limit or a payload.type nobody defined. Each does nothing unless its defect is switched on.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "reference/client/defects.hpp"
#include "reference/codec/bodies.hpp"

namespace tigress::client {

// Before the Read answer is parsed. aborts-on-member-type: a member the client reads (payload,
// its type and data, displayInformation and its strings, expiration) present with another JSON
// type aborts the process, as an unchecked typed accessor whose exception nobody catches does.
// hangs-on-deep-nesting: a body nested deeper than the codec's 64 levels is taken for a document
// still arriving, and the client waits for the rest forever, outside its read timeout.
void scan_read_answer(const ClientDefects& defects, std::string_view body);

// trusts-unknown-payload-type: a payload.type other than the two AES-GCM names is taken for an
// unencrypted payload, so payload.data decoded is the "plaintext" (nullopt: the defect is off or
// the type is known, decrypt as usual).
std::optional<std::string> unencrypted_fallback(const ClientDefects& defects, const codec::Payload& payload);

}  // namespace tigress::client
