#include "reference/codec/uuid.hpp"

#include <cstddef>

#include "reference/codec/ascii.hpp"
#include "reference/crypto/random.hpp"

namespace tigress::codec {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::size_t kTextLength = 36;

constexpr bool is_hyphen_position(std::size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

std::string Uuid::to_string() const {
  std::string out;
  out.reserve(kTextLength);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHexDigits[bytes[i] >> 4]);
    out.push_back(kHexDigits[bytes[i] & 0x0F]);
  }
  return out;
}

Result<Uuid> generate_uuid_v4() {
  Uuid uuid;
  if (auto filled = crypto::fill_random(uuid.bytes); !filled) return filled.error();
  // RFC 9562 section 5.4: version nibble 0100 and variant bits 10; the other 122 bits stay
  // random, which is what section 8.1.2 of the draft relies on for unguessable mailbox IDs.
  uuid.bytes[6] = static_cast<std::uint8_t>((uuid.bytes[6] & 0x0F) | 0x40);
  uuid.bytes[8] = static_cast<std::uint8_t>((uuid.bytes[8] & 0x3F) | 0x80);
  return uuid;
}

Result<Uuid> parse_uuid(std::string_view text) {
  if (text.size() != kTextLength) {
    return make_error("a UUID has 36 characters, got " + std::to_string(text.size()));
  }
  Uuid uuid;
  std::size_t out = 0;
  for (std::size_t i = 0; i < kTextLength;) {
    if (is_hyphen_position(i)) {
      if (text[i] != '-') {
        return make_error("expected '-' at offset " + std::to_string(i));
      }
      ++i;
      continue;
    }
    const int high = hex_value(text[i]);
    // Every group has an even number of digits, so a pair never straddles a hyphen.
    const int low = hex_value(text[i + 1]);
    if (high < 0 || low < 0) {
      const std::size_t bad = high < 0 ? i : i + 1;
      return make_error("expected a hex digit at offset " + std::to_string(bad));
    }
    uuid.bytes[out++] = static_cast<std::uint8_t>((high << 4) | low);
    i += 2;
  }
  return uuid;
}

Result<Uuid> parse_uuid_v4(std::string_view text) {
  auto uuid = parse_uuid(text);
  if (!uuid) return uuid;
  if (uuid->version() != 4) {
    return make_error("UUID version is " + std::to_string(uuid->version()) + ", expected 4");
  }
  if (!uuid->is_rfc_variant()) {
    return make_error("UUID variant is not the RFC 9562 one (octet 8 must be 10xxxxxx)");
  }
  return uuid;
}

}  // namespace tigress::codec
