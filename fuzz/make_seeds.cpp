// tigress-fuzz-seeds OUTDIR VECTORS_DIR: writes the deterministic seed corpora (the committed
// fuzz/corpus/ is its output): OUTDIR/<target>/seed-NN from hand-picked valid inputs, so the
// fuzzer starts deep inside each parser instead of rediscovering the grammar, and
// OUTDIR/<target>/vec-NNN from every test vector the target parses (vectors/, valid and
// invalid), so it starts at the edges the vectors were written for.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "reference/codec/base64.hpp"
#include "reference/crypto/aead.hpp"
#include "fuzz/vector_seeds.hpp"

namespace {

using tigress::fuzz::Seed;
namespace fs = std::filesystem;

Seed bytes(const std::string& text) { return Seed(text.begin(), text.end()); }

// Length-prefixed string as FuzzInput::str reads it.
void put_str(Seed& out, const std::string& text) {
  out.push_back(static_cast<std::uint8_t>(text.size()));
  out.insert(out.end(), text.begin(), text.end());
}

std::string numbered(const std::string& prefix, std::size_t i, std::size_t width) {
  std::string digits = std::to_string(i);
  return prefix + std::string(digits.size() < width ? width - digits.size() : 0, '0') + digits;
}

bool write_all(const fs::path& dir, const std::vector<Seed>& seeds, const std::string& prefix = "seed-",
               std::size_t width = 2) {
  fs::create_directories(dir);
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    const std::string name = numbered(prefix, i, width);
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(seeds[i].data()), static_cast<std::streamsize>(seeds[i].size()));
    if (!out) return false;
  }
  return true;
}

const std::string kId = "98d80576-482e-427f-8434-7f86890ab222";

std::vector<Seed> share_url_seeds() {
  const std::string secret16 = tigress::codec::base64_encode(tigress::Bytes(16, 0x42));
  const std::string secret32 = tigress::codec::base64_encode(tigress::Bytes(32, 0x17));
  std::vector<Seed> out;
  for (const std::string& url :
       {"https://relay.test/v1/m/" + kId, "https://relay.test:8443/v1/m/" + kId + "?v=c#" + secret16,
        "https://relay.test/v1/m/" + kId + "?v=a#" + secret32, "https://127.0.0.1:8443/v1/m/" + kId + "#" + secret16,
        "https://[::1]/v1/m/" + kId + "?v=h#" + secret16, "https://Relay.Example/v1/m/" + kId}) {
    out.push_back(bytes(url));
  }
  return out;
}

std::vector<Seed> bodies_seeds() {
  const std::vector<std::pair<int, std::string>> bodies = {
      {0,
       R"({"payload":{"type":"AEAD_AES_128_GCM","data":"QUJD"},"displayInformation":{"title":"Key","description":"Car key","imageURL":"https://img.test/k.png"}})"},
      {0,
       R"({"payload":{"type":"t","data":"d"},"displayInformation":{"title":"","description":"","imageURL":""},"notificationToken":{"type":"apns","tokenData":"abc"},"mailboxConfiguration":{"accessRights":"RWD","expiration":"2027-01-15T10:00:00+01:00"}})"},
      {1,
       R"({"payload":{"type":"AEAD_AES_256_GCM","data":"eHl6"},"notificationToken":{"type":"fcm","tokenData":"t"}})"},
      {1, R"({"payload":{"type":"x","data":"\u00e9\ud83d\ude00"}})"},
      {2, ""},
      {2, R"({"notificationToken":{"type":"fcm","tokenData":"t"}})"},
      {3, R"({"urlLink":"https://relay.test/v1/m/)" + kId + R"(","isPushNotificationSupported":false})"},
      {4, R"({"isPushNotificationSupported":true})"},
      {5,
       R"({"payload":{"type":"a","data":"b"},"displayInformation":{"title":"T","description":"D","imageURL":"I"},"expiration":"2027-01-15T08:00:00Z"})"},
  };
  std::vector<Seed> out;
  for (const auto& [selector, body] : bodies) {
    Seed seed{static_cast<std::uint8_t>(selector)};
    seed.insert(seed.end(), body.begin(), body.end());
    out.push_back(seed);
  }
  return out;
}

std::vector<Seed> aead_seeds() {
  namespace crypto = tigress::crypto;
  std::vector<Seed> out;
  const tigress::Bytes iv(crypto::kIvSize, 0x24);
  for (const auto algorithm : {crypto::AeadAlgorithm::kAes128Gcm, crypto::AeadAlgorithm::kAes256Gcm}) {
    const tigress::codec::Secret key(tigress::Bytes(crypto::key_size(algorithm), 0x5a));
    for (const std::string plaintext : {"", "{\"credential\":\"secret\"}"}) {
      auto sealed = crypto::seal_with_iv(algorithm, key, iv, plaintext);
      if (!sealed) continue;
      Seed seed{static_cast<std::uint8_t>(algorithm == crypto::AeadAlgorithm::kAes128Gcm ? 0 : 1)};
      put_str(seed, std::string(key.reveal().begin(), key.reveal().end()));
      seed.insert(seed.end(), sealed->data.begin(), sealed->data.end());
      out.push_back(seed);
    }
  }
  return out;
}

std::vector<Seed> text_seeds(const std::vector<std::string>& texts) {
  std::vector<Seed> out;
  for (const auto& text : texts) out.push_back(bytes(text));
  return out;
}

std::vector<Seed> preview_seeds() {
  std::vector<Seed> out;
  for (const auto& [title, description, image] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"Car key", "A key for your car", "https://img.test/car.png"},
           {"<script>alert(1)</script>", "\"quoted\" & 'single'", "javascript:alert(1)"},
           {"", "", ""}}) {
    Seed seed;
    put_str(seed, title);
    put_str(seed, description);
    seed.insert(seed.end(), image.begin(), image.end());
    out.push_back(seed);
  }
  return out;
}

// Relay programs, in fuzz_relay.cpp's encoding: method, path, claim, request id, content type,
// body kind (+ its bytes), clock advance.
struct Program {
  Seed seed;
  void step(std::initializer_list<std::uint8_t> head) { seed.insert(seed.end(), head); }
  void create(std::uint8_t claim, std::uint8_t rid, std::uint8_t options) {
    step({0, 0, claim, rid, 1, 1, options, 0});
    put_str(seed, "Title");
    put_str(seed, "Desc");
    put_str(seed, "https://i");
    if ((options & 0x22) == 0x22) seed.push_back(2);  // access rights "RWD"
    seed.push_back(0);                                // no clock advance
  }
  void read(std::uint8_t claim) { step({0, 1, claim, 0, 0, 0, 0}); }
  void preview() { step({1, 1, 7, 0, 0, 0, 0}); }
  void update(std::uint8_t claim, std::uint8_t rid) { step({3, 1, claim, rid, 1, 2, 0, 0}); }
  void remove(std::uint8_t claim, std::uint8_t rid) { step({4, 1, claim, rid, 0, 0, 0}); }
  void relinquish(std::uint8_t claim, std::uint8_t rid) { step({5, 1, claim, rid, 0, 0, 0}); }
  void odd_method() { step({6, 1, 0, 0, 0, 0, 0}); }                      // OPTIONS on a mailbox: 405, never 5xx
  void wait(std::uint8_t advance) { step({1, 6, 7, 0, 0, 0, advance}); }  // a 404 plus a tick
};

std::vector<Seed> relay_seeds() {
  std::vector<Seed> out;
  Program exchange;  // the full two-device flow
  exchange.create(0, 0x11, 0x22);
  exchange.preview();
  exchange.read(2);
  exchange.update(2, 0x21);
  exchange.read(0);
  exchange.relinquish(2, 0x31);
  exchange.read(3);
  exchange.remove(1, 0x41);
  out.push_back(exchange.seed);
  Program duplicate;  // request-ID replay
  duplicate.create(0, 0x11, 0);
  duplicate.create(0, 0x11, 0);
  duplicate.read(2);
  duplicate.read(3);
  duplicate.relinquish(2, 0x21);
  duplicate.relinquish(2, 0x21);
  duplicate.odd_method();
  out.push_back(duplicate.seed);
  Program expiry;  // lifetime and sweeping
  expiry.create(0, 0x11, 0x02);
  expiry.read(2);
  expiry.wait(4);
  expiry.read(2);
  expiry.wait(6);
  expiry.preview();
  out.push_back(expiry.seed);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: tigress-fuzz-seeds OUTDIR VECTORS_DIR (normally fuzz/corpus vectors)\n";
    return 2;
  }
  const fs::path root(argv[1]);
  auto from_vectors = tigress::fuzz::seeds_from_vectors(argv[2]);
  if (!from_vectors) {
    std::cerr << "tigress-fuzz-seeds: " << from_vectors.error().message() << "\n";
    return 1;
  }
  bool ok = write_all(root / "share_url", share_url_seeds()) && write_all(root / "bodies", bodies_seeds()) &&
            write_all(root / "aead_open", aead_seeds()) &&
            write_all(root / "timestamp",
                      text_seeds({"2027-01-15T08:00:00Z", "1970-01-01T00:00:00Z", "2027-01-15T10:00:00+01:00",
                                  "2027-01-15t08:00:00.123456z", "9999-12-31T23:59:59-23:59"})) &&
            write_all(root / "uuid",
                      text_seeds({kId, "98D80576-482E-427F-8434-7F86890AB222", "00000000-0000-0000-0000-000000000000",
                                  "6f1d2a3b-4c5d-1e6f-ca7b-9c0d1e2f3a4b"})) &&
            write_all(root / "base64", text_seeds({"", "QQ==", "QUI=", "QUJD", "AAECAwQFBgcICQoLDA0ODw==", "-_8"})) &&
            write_all(root / "preview", preview_seeds()) && write_all(root / "relay", relay_seeds());
  for (const auto& [target, seeds] : *from_vectors) ok = ok && write_all(root / target, seeds, "vec-", 3);
  if (!ok) {
    std::cerr << "tigress-fuzz-seeds: cannot write under " << root << "\n";
    return 1;
  }
  return 0;
}
