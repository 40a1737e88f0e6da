// UUIDs as the draft uses them: mailbox identifiers, device claims, request IDs (RFC 9562).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace tigress::codec {

struct Uuid {
  std::array<std::uint8_t, 16> bytes{};

  int version() const { return bytes[6] >> 4; }
  // True for the RFC 9562 variant (bits 10xx in octet 8).
  bool is_rfc_variant() const { return (bytes[8] & 0xC0) == 0x80; }
  // Canonical lowercase 8-4-4-4-12 form.
  std::string to_string() const;
  friend bool operator==(const Uuid&, const Uuid&) = default;
};

// A fresh version-4 UUID from OpenSSL's CSPRNG (122 random bits).
Result<Uuid> generate_uuid_v4();

// Strict textual form: exactly 36 characters, hyphens at 8, 13, 18, 23, hex digits elsewhere,
// either case. No braces, no "urn:uuid:" prefix, no surrounding whitespace.
Result<Uuid> parse_uuid(std::string_view text);

// parse_uuid plus version 4 and the RFC variant: what the relay emits as mailbox IDs.
Result<Uuid> parse_uuid_v4(std::string_view text);

}  // namespace tigress::codec
