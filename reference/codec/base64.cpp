#include "reference/codec/base64.hpp"

#include <array>
#include <cstddef>
#include <cstdint>

namespace tigress::codec {
namespace {

constexpr std::string_view kStandardAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::uint8_t kInvalid = 0xFF;

using DecodeTable = std::array<std::uint8_t, 256>;

constexpr DecodeTable make_table(std::string_view alphabet) {
  DecodeTable table{};
  for (auto& entry : table) entry = kInvalid;
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
  }
  return table;
}

constexpr DecodeTable kStandardTable = make_table(kStandardAlphabet);
constexpr DecodeTable kUrlTable = make_table(kUrlAlphabet);

std::string encode(const Bytes& data, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const std::uint32_t group = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8) | data[i + 2];
    out.push_back(alphabet[(group >> 18) & 0x3F]);
    out.push_back(alphabet[(group >> 12) & 0x3F]);
    out.push_back(alphabet[(group >> 6) & 0x3F]);
    out.push_back(alphabet[group & 0x3F]);
  }
  const std::size_t rest = data.size() - i;
  if (rest == 1) {
    const std::uint32_t group = std::uint32_t{data[i]} << 16;
    out.push_back(alphabet[(group >> 18) & 0x3F]);
    out.push_back(alphabet[(group >> 12) & 0x3F]);
    if (pad) out.append("==");
  } else if (rest == 2) {
    const std::uint32_t group = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8);
    out.push_back(alphabet[(group >> 18) & 0x3F]);
    out.push_back(alphabet[(group >> 12) & 0x3F]);
    out.push_back(alphabet[(group >> 6) & 0x3F]);
    if (pad) out.push_back('=');
  }
  return out;
}

// Decodes alphabet characters only (padding already removed). Offsets in errors count from the
// start of the caller's text. Error reasons name positions, never the characters themselves:
// the same decoder reads share-URL secrets, and a typo'd secret is still mostly a secret.
Result<Bytes> decode_symbols(std::string_view symbols, const DecodeTable& table) {
  if (symbols.size() % 4 == 1) {
    return make_error("length leaves a single dangling base64 character (truncated input?)");
  }
  Bytes out;
  out.reserve(symbols.size() / 4 * 3 + 2);
  std::uint32_t accumulator = 0;
  int bits = 0;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    const std::uint8_t value = table[static_cast<unsigned char>(symbols[i])];
    if (value == kInvalid) {
      return make_error("character at offset " + std::to_string(i) + " is not in the base64 alphabet");
    }
    accumulator = (accumulator << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((accumulator >> bits) & 0xFF));
    }
  }
  // RFC 4648 section 3.5: leftover bits must be zero, otherwise two encodings map to one byte
  // string and a relay or log could not compare payloads textually.
  if (bits > 0 && (accumulator & ((1U << bits) - 1)) != 0) {
    return make_error("non-zero unused bits in the final base64 character");
  }
  return out;
}

// Splits off trailing '=' and checks that the padding is what the length demands.
// `required` makes padding mandatory (strict RFC 4648 section 4); otherwise it is optional but,
// when present, must be complete and correct.
Result<std::string_view> strip_padding(std::string_view text, bool required) {
  std::size_t data_len = text.size();
  while (data_len > 0 && text[data_len - 1] == '=') --data_len;
  const std::size_t pad = text.size() - data_len;
  const std::string_view symbols = text.substr(0, data_len);
  if (const auto pos = symbols.find('='); pos != std::string_view::npos) {
    return make_error("'=' at offset " + std::to_string(pos) + " before the end of the input");
  }
  if (pad == 0) {
    if (required && symbols.size() % 4 != 0) {
      return make_error("missing '=' padding (length " + std::to_string(text.size()) + " is not a multiple of 4)");
    }
    return symbols;
  }
  if (pad > 2) return make_error("more than two '=' padding characters");
  if (text.size() % 4 != 0) {
    return make_error("wrong amount of '=' padding for " + std::to_string(symbols.size()) + " base64 characters");
  }
  // With the total a multiple of 4, two pads need 2 symbols in the last quantum, one needs 3.
  if (symbols.size() % 4 != 4 - pad) {
    return make_error("wrong amount of '=' padding");
  }
  return symbols;
}

}  // namespace

std::string base64_encode(const Bytes& data) { return encode(data, kStandardAlphabet, true); }

std::string base64url_encode_unpadded(const Bytes& data) { return encode(data, kUrlAlphabet, false); }

Result<Bytes> base64_decode(std::string_view text) {
  auto symbols = strip_padding(text, /*required=*/true);
  if (!symbols) return symbols.error();
  return decode_symbols(*symbols, kStandardTable);
}

Result<Bytes> base64_decode_lenient(std::string_view text) {
  auto symbols = strip_padding(text, /*required=*/false);
  if (!symbols) return symbols.error();
  const std::string_view body = *symbols;
  const bool has_standard = body.find_first_of("+/") != std::string_view::npos;
  const bool has_url = body.find_first_of("-_") != std::string_view::npos;
  // A string using both alphabets was damaged somewhere (or assembled from two sources);
  // accepting it would let two different texts name the same secret (AMB-45).
  if (has_standard && has_url) {
    return make_error("mixes the standard (+/) and URL-safe (-_) base64 alphabets");
  }
  return decode_symbols(body, has_url ? kUrlTable : kStandardTable);
}

}  // namespace tigress::codec
