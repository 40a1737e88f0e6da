// UUID parser (reference/codec/uuid.hpp). Invariants: an accepted UUID prints as the lower-case
// form of its input (only letter case is tolerated, no braces/URN/missing hyphens); the v4
// parser accepts a subset of the general one.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_input.hpp"
#include "reference/codec/uuid.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace codec = tigress::codec;
  using tigress::fuzz::require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto any = codec::parse_uuid(text);
  if (any) {
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    require(any->to_string() == lower);
  }
  if (auto v4 = codec::parse_uuid_v4(text)) {
    require(any.ok() && *any == *v4);
    require(v4->version() == 4 && v4->is_rfc_variant());
  }
  return 0;
}
