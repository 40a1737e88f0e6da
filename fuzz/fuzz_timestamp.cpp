// Timestamp parsers (reference/codec/timestamp.hpp). Invariants: an accepted strict timestamp is
// reproduced byte for byte by format_timestamp (one spelling per instant); an accepted RFC 3339
// date-time formats to a strict timestamp that parses back to the same instant.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_input.hpp"
#include "reference/codec/timestamp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace codec = tigress::codec;
  using tigress::fuzz::require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto strict = codec::parse_timestamp_strict(text)) {
    require(codec::format_timestamp(*strict) == text);
    // Everything strict is also RFC 3339, with the same meaning.
    auto loose = codec::parse_rfc3339(text);
    require(loose.ok() && *loose == *strict);
  }
  if (auto loose = codec::parse_rfc3339(text)) {
    const std::string printed = codec::format_timestamp(*loose);
    auto back = codec::parse_timestamp_strict(printed);
    require(back.ok() && *back == *loose);
  }
  return 0;
}
