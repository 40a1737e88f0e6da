// Base64 codecs (reference/codec/base64.hpp). Invariants: strict decoding accepts only the
// canonical spelling (decode then encode reproduces the input); lenient decoding yields bytes
// whose canonical encoding decodes strictly to the same bytes; encode/decode is a bijection on
// the decoded bytes, and the unpadded URL alphabet never carries '+', '/' or '='.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_input.hpp"
#include "reference/codec/base64.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace codec = tigress::codec;
  using tigress::fuzz::require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto strict = codec::base64_decode(text)) {
    require(codec::base64_encode(*strict) == text);
  }
  if (auto lenient = codec::base64_decode_lenient(text)) {
    auto again = codec::base64_decode(codec::base64_encode(*lenient));
    require(again.ok() && *again == *lenient);
  }
  // The raw bytes as data: encoding must always decode back.
  const tigress::Bytes raw(data, data + size);
  auto back = codec::base64_decode(codec::base64_encode(raw));
  require(back.ok() && *back == raw);
  const std::string url = codec::base64url_encode_unpadded(raw);
  require(url.find_first_of("+/=") == std::string::npos);
  return 0;
}
