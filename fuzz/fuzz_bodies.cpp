// Request/response body validators (reference/codec/bodies.hpp). The first byte selects one of
// the six parsers, the rest is the body. Invariant: an accepted body, serialised with to_json and
// parsed again by the same parser, yields an equal value (the codec loses nothing it accepted).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_input.hpp"
#include "reference/codec/bodies.hpp"

namespace {

using tigress::fuzz::require;

template <class Parse>
void round_trip(Parse parse, std::string_view body) {
  auto first = parse(body);
  if (!first.ok()) return;
  const std::string printed = tigress::codec::dump_json(tigress::codec::to_json(*first));
  auto second = parse(printed);
  require(second.ok());
  require(*second == *first);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace codec = tigress::codec;
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0:
      round_trip(codec::parse_create_request, body);
      break;
    case 1:
      round_trip(codec::parse_update_request, body);
      break;
    case 2:
      round_trip(codec::parse_read_request, body);
      break;
    case 3:
      round_trip(codec::parse_create_response, body);
      break;
    case 4:
      round_trip(codec::parse_update_response, body);
      break;
    default:
      round_trip(codec::parse_read_response, body);
      break;
  }
  return 0;
}
