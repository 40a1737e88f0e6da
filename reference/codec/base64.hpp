// Base64 (RFC 4648 section 4) and base64url (section 5).
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace tigress::codec {

// Standard alphabet with '=' padding: the encoding the draft's payload.data and the example
// share-URL secret use (draft-vinokurov-tigress-http-00 section 7.2, AMB-45/46 of our digest).
std::string base64_encode(const Bytes& data);
std::string base64url_encode_unpadded(const Bytes& data);

// Strict RFC 4648 decoding of the standard alphabet: padding required, no whitespace, no
// characters outside the alphabet, and the unused trailing bits must be zero (so every byte
// string has exactly one accepted encoding).
Result<Bytes> base64_decode(std::string_view text);

// What a recipient accepts for a share-URL secret (AMB-45): standard or URL-safe alphabet,
// padded or unpadded (but never mixed alphabets, never wrong padding), non-zero trailing bits
// refused.
Result<Bytes> base64_decode_lenient(std::string_view text);

}  // namespace tigress::codec
