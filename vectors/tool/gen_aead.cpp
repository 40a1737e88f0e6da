// AEAD payload vectors (draft section 7.2, layout per AMB-46): data = base64(IV || ct || tag),
// empty AAD. Ciphertexts are computed here with OpenSSL EVP directly, independently of the
// reference aead wrapper, which `verify` then checks against them.
#include <openssl/evp.h>

#include <memory>

#include "reference/codec/base64.hpp"
#include "vectors/tool/generators.hpp"

namespace tigress::vectors {
namespace {

constexpr std::uint64_t kAeadSeed = 0x7469677265737301ULL;  // "tigress\x01"

Result<Bytes> evp_gcm_seal(const Bytes& key, const Bytes& iv, const Bytes& plaintext) {
  const EVP_CIPHER* cipher = key.size() == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      &EVP_CIPHER_CTX_free);
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv.data()) != 1) {
    return make_error("EVP setup failed");
  }
  Bytes out(plaintext.size() + 16);
  int written = 0;
  if (!plaintext.empty() &&
      EVP_EncryptUpdate(ctx.get(), out.data(), &written, plaintext.data(), static_cast<int>(plaintext.size())) != 1) {
    return make_error("EVP encrypt failed");
  }
  int final_written = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), out.data() + written, &final_written) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, out.data() + plaintext.size()) != 1) {
    return make_error("EVP tag failed");
  }
  return out;
}

struct Sealed {
  Bytes key, iv;
  std::string plaintext;
  Bytes wire;  // IV || ct || tag
};

Result<Sealed> seal(DeterministicRng& rng, std::size_t key_size, std::string plaintext) {
  Sealed s{rng.bytes(key_size), rng.bytes(12), std::move(plaintext), {}};
  auto body = evp_gcm_seal(s.key, s.iv, to_bytes(s.plaintext));
  if (!body) return body.error();
  s.wire = s.iv;
  s.wire.insert(s.wire.end(), body->begin(), body->end());
  return s;
}

OJson payload(std::string_view type, std::string data) {
  OJson p;
  p["type"] = type;
  p["data"] = std::move(data);
  return p;
}

void add_aead_notes(VectorFile& file) {
  file.note("Pseudorandom", "FUNCTIONALITY", "Key, IV and plaintext drawn from the generator's fixed-seed PRNG.");
  file.note("EmptyPlaintext", "EDGE_CASE", "The plaintext is empty: data is exactly IV and tag (28 octets).");
  file.note("ProvisioningPlaintext", "FUNCTIONALITY", "The plaintext is a Provisioning Information JSON object (section 7.1).");
  file.note("NonAsciiPlaintext", "FUNCTIONALITY", "The plaintext holds multi-byte UTF-8.");
  file.note("ModifiedTag", "AUTH_BYPASS", "One bit of the 16-octet tag is flipped; opening must fail.");
  file.note("ModifiedCiphertext", "AUTH_BYPASS", "One bit of the ciphertext is flipped; opening must fail.");
  file.note("ModifiedIv", "AUTH_BYPASS", "One bit of the 12-octet IV is flipped; opening must fail.");
  file.note("TruncatedData", "MODIFIED_CIPHERTEXT", "data is shorter than the sealed value (bytes removed from the end or shorter than IV plus tag).");
  file.note("WrongKey", "AUTH_BYPASS", "A different key of the right size; opening must fail.");
  file.note("WrongKeySize", "MISSING_STEP", "The key size does not match payload.type (16 octets for AES-128, 32 for AES-256).");
  file.note("NonBase64", "MALFORMED_INPUT", "data contains characters outside the standard base64 alphabet (including whitespace and the URL-safe alphabet).");
  file.note("MisPaddedBase64", "MALFORMED_INPUT", "data has missing, extra or misplaced '=' padding, or non-zero unused trailing bits (RFC 4648 section 3.5: one byte string, one encoding).");
  file.note("WrongType", "MISSING_STEP", "payload.type is not one of AEAD_AES_128_GCM and AEAD_AES_256_GCM (names are case-sensitive, RFC 5116).");
}

// Flips bit 0 of the octet at `index` of the wire value.
std::string flipped(const Bytes& wire, std::size_t index) {
  Bytes copy = wire;
  copy[index] ^= 0x01;
  return codec::base64_encode(copy);
}

Status add_group(VectorFile& file, DeterministicRng& rng, std::string_view type, std::size_t key_size) {
  OJson params;
  params["type"] = "AeadPayloadTest";
  params["payloadType"] = type;
  params["keySize"] = key_size * 8;
  params["ivSize"] = 96;
  params["tagSize"] = 128;
  const std::size_t g = file.group(params);
  auto add_valid = [&](const std::string& comment, std::vector<std::string> flags, std::string plaintext) -> Status {
    auto s = seal(rng, key_size, std::move(plaintext));
    if (!s) return s.error();
    OJson t = file.test(comment, flags);
    t["key"] = to_hex(s->key);
    t["iv"] = to_hex(s->iv);
    t["plaintext"] = s->plaintext;
    t["payload"] = payload(type, codec::base64_encode(s->wire));
    t["result"] = "valid";
    file.add_test(g, std::move(t));
    return {};
  };
  if (auto st = add_valid("empty plaintext", {"EmptyPlaintext"}, ""); !st) return st;
  if (auto st = add_valid("provisioning information", {"ProvisioningPlaintext"},
                          R"({"format":"digitalwallet.carkey.ccc","content":{"vehicle":"VIN0001","slot":1}})");
      !st) return st;
  if (auto st = add_valid("non-ASCII plaintext", {"NonAsciiPlaintext"}, "Schl\xc3\xbc" "ssel \xf0\x9f\x94\x91 \xe9\x8d\xb5"); !st) return st;
  for (std::size_t length : {1, 15, 16, 17, 31, 64, 255}) {
    if (auto st = add_valid("pseudorandom plaintext of " + std::to_string(length) + " octets", {"Pseudorandom"},
                            rng.printable(length));
        !st) return st;
  }

  // Invalid cases derive from one sealed value whose wire length (28 + 20 = 48) is a multiple
  // of 3 and from one (28 + 21 = 49) that needs padding.
  auto base = seal(rng, key_size, rng.printable(20));
  auto padded = seal(rng, key_size, rng.printable(21));
  if (!base || !padded) return make_error("seal failed");
  auto add_invalid = [&](const std::string& comment, std::vector<std::string> flags, const Bytes& key,
                         std::string_view payload_type, std::string data) {
    OJson t = file.test(comment, flags);
    t["key"] = to_hex(key);
    t["payload"] = payload(payload_type, std::move(data));
    t["result"] = "invalid";
    file.add_test(g, std::move(t));
  };
  const Bytes& wire = base->wire;
  const std::string good = codec::base64_encode(wire);
  add_invalid("first tag octet modified", {"ModifiedTag"}, base->key, type, flipped(wire, wire.size() - 16));
  add_invalid("last tag octet modified", {"ModifiedTag"}, base->key, type, flipped(wire, wire.size() - 1));
  add_invalid("first ciphertext octet modified", {"ModifiedCiphertext"}, base->key, type, flipped(wire, 12));
  add_invalid("last ciphertext octet modified", {"ModifiedCiphertext"}, base->key, type, flipped(wire, wire.size() - 17));
  add_invalid("first IV octet modified", {"ModifiedIv"}, base->key, type, flipped(wire, 0));
  add_invalid("last IV octet modified", {"ModifiedIv"}, base->key, type, flipped(wire, 11));
  add_invalid("last octet removed", {"TruncatedData"}, base->key, type,
              codec::base64_encode(Bytes(wire.begin(), wire.end() - 1)));
  add_invalid("tag removed", {"TruncatedData"}, base->key, type,
              codec::base64_encode(Bytes(wire.begin(), wire.end() - 16)));
  add_invalid("27 octets: shorter than IV and tag", {"TruncatedData"}, base->key, type,
              codec::base64_encode(Bytes(wire.begin(), wire.begin() + 27)));
  add_invalid("IV only", {"TruncatedData"}, base->key, type, codec::base64_encode(Bytes(wire.begin(), wire.begin() + 12)));
  add_invalid("empty data", {"TruncatedData"}, base->key, type, "");
  add_invalid("another key of the right size", {"WrongKey"}, rng.bytes(key_size), type, good);
  add_invalid("24-octet key", {"WrongKeySize"}, rng.bytes(24), type, good);
  add_invalid("key of the other algorithm's size", {"WrongKeySize"}, rng.bytes(key_size == 16 ? 32 : 16), type, good);
  add_invalid("empty key", {"WrongKeySize"}, {}, type, good);
  add_invalid("'!' inside data", {"NonBase64"}, base->key, type, good.substr(0, 8) + "!" + good.substr(9));
  add_invalid("line break inside data", {"NonBase64"}, base->key, type, good.substr(0, 32) + "\n" + good.substr(32));
  add_invalid("leading space", {"NonBase64"}, base->key, type, " " + good);
  std::string url_safe = good;
  for (char& c : url_safe) c = c == '+' ? '-' : c == '/' ? '_' : c;
  if (url_safe != good) add_invalid("base64url alphabet", {"NonBase64"}, base->key, type, url_safe);
  const std::string needs_padding = codec::base64_encode(padded->wire);
  add_invalid("padding removed", {"MisPaddedBase64"}, padded->key, type,
              needs_padding.substr(0, needs_padding.find('=')));
  add_invalid("extra padding", {"MisPaddedBase64"}, base->key, type, good + "==");
  add_invalid("padding in the middle", {"MisPaddedBase64"}, base->key, type, good.substr(0, 4) + "=" + good.substr(4));
  std::string trailing_bits = needs_padding;
  const std::size_t last = trailing_bits.find('=') - 1;
  // 49 octets leave 4 unused bits in the last symbol; setting the lowest one keeps the alphabet.
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  trailing_bits[last] = kAlphabet[kAlphabet.find(trailing_bits[last]) | 1];
  add_invalid("non-zero unused trailing bits", {"MisPaddedBase64"}, padded->key, type, trailing_bits);
  add_invalid("unknown algorithm AEAD_AES_192_GCM", {"WrongType"}, base->key, "AEAD_AES_192_GCM", good);
  std::string lower(type);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  add_invalid("algorithm name in lower case", {"WrongType"}, base->key, lower, good);
  add_invalid("empty type", {"WrongType"}, base->key, "", good);
  add_invalid("type of the other algorithm", {"WrongType", "WrongKeySize"}, base->key,
              key_size == 16 ? "AEAD_AES_256_GCM" : "AEAD_AES_128_GCM", good);
  return {};
}

}  // namespace

Result<std::vector<GeneratedFile>> generate_aead_vectors() {
  VectorFile file("AEAD payload (draft-vinokurov-tigress-http-00 section 7.2)", "aead_payload_test_schema_v1.json",
                  {"Sealed payloads {type, data} with data = base64(IV[12] || ciphertext || tag[16]), empty AAD (AMB-46).",
                   "Valid: sealing plaintext with key and IV gives exactly payload.data, and opening it gives plaintext.",
                   "Invalid: opening payload with key must fail and release no plaintext."});
  add_aead_notes(file);
  DeterministicRng rng(kAeadSeed);
  if (auto st = add_group(file, rng, "AEAD_AES_128_GCM", 16); !st) return st.error();
  if (auto st = add_group(file, rng, "AEAD_AES_256_GCM", 32); !st) return st.error();
  auto doc = file.finish();
  if (!doc) return doc.error();
  return std::vector<GeneratedFile>{{"aead_payload_test.json", std::move(*doc)}};
}

}  // namespace tigress::vectors
