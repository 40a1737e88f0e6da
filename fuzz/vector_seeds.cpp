#include "fuzz/vector_seeds.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace tigress::fuzz {
namespace {

using Json = nlohmann::json;

Seed bytes(const std::string& text) { return Seed(text.begin(), text.end()); }

Result<Json> load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{file.string(), "cannot open"};
  std::ostringstream text;
  text << in.rdbuf();
  Json document = Json::parse(text.str(), nullptr, false);
  if (document.is_discarded() || !document.contains("testGroups") || !document["testGroups"].is_array()) {
    return Error{file.string(), "not a vector file (no testGroups)"};
  }
  return document;
}

// Calls visit(group, test) for every test of the file.
template <class Visit>
Result<bool> each_test(const std::filesystem::path& file, Visit visit) {
  auto document = load(file);
  if (!document) return document.error();
  for (const Json& group : (*document)["testGroups"]) {
    if (!group.contains("tests") || !group["tests"].is_array()) return Error{file.string(), "group without tests"};
    for (const Json& test : group["tests"]) visit(group, test);
  }
  return true;
}

std::string text_member(const Json& object, const char* name) {
  return object.contains(name) && object[name].is_string() ? object[name].get<std::string>() : std::string();
}

Bytes from_hex(const std::string& hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// fuzz_bodies.cpp's selector byte for each endpoint's request (0..2) and response (3..5) parser.
int body_selector(const std::string& endpoint, bool response) {
  const int base = response ? 3 : 0;
  if (endpoint == "CreateMailbox") return base + 0;
  if (endpoint == "UpdateMailbox") return base + 1;
  if (endpoint == "ReadSecureContent") return base + 2;
  return -1;  // delete and relinquish carry no body the codecs parse
}

// fuzz_aead_open.cpp's framing: type selector, length-prefixed key, then payload.data. A type
// other than the two mandatory names goes through the selector for a free-form string.
Seed aead_seed(const Json& test) {
  Seed seed;
  const Json& payload = test.contains("payload") && test["payload"].is_object() ? test["payload"] : Json::object();
  const std::string type = text_member(payload, "type");
  const bool known = type == "AEAD_AES_128_GCM" || type == "AEAD_AES_256_GCM";
  seed.push_back(type == "AEAD_AES_128_GCM" ? 0 : type == "AEAD_AES_256_GCM" ? 1 : 2);
  const Bytes key = from_hex(text_member(test, "key"));
  seed.push_back(static_cast<std::uint8_t>(key.size()));
  seed.insert(seed.end(), key.begin(), key.end());
  if (!known) {
    seed.push_back(static_cast<std::uint8_t>(std::min<std::size_t>(type.size(), 255)));
    seed.insert(seed.end(), type.begin(), type.begin() + std::min<std::size_t>(type.size(), 255));
  }
  const std::string data = text_member(payload, "data");
  seed.insert(seed.end(), data.begin(), data.end());
  return seed;
}

}  // namespace

Result<std::map<std::string, std::vector<Seed>>> seeds_from_vectors(const std::filesystem::path& dir) {
  std::map<std::string, std::vector<Seed>> out;
  auto add_text = [&](const char* target, const char* member) {
    return [&out, target, member](const Json&, const Json& test) {
      if (test.contains(member) && test[member].is_string())
        out[target].push_back(bytes(test[member].get<std::string>()));
    };
  };
  auto ok = each_test(dir / "share_url_test.json", add_text("share_url", "url"));
  if (!ok) return ok.error();
  if (!(ok = each_test(dir / "timestamp_test.json", add_text("timestamp", "value")))) return ok.error();
  if (!(ok = each_test(dir / "uuid_test.json", add_text("uuid", "value")))) return ok.error();
  ok = each_test(dir / "aead_payload_test.json", [&](const Json&, const Json& test) {
    out["aead_open"].push_back(aead_seed(test));
    // The payload's base64 text is also a base64 decoder input, valid or not.
    if (test.contains("payload") && test["payload"].is_object()) {
      out["base64"].push_back(bytes(text_member(test["payload"], "data")));
    }
  });
  if (!ok) return ok.error();
  for (const auto& [file, response] : {std::pair{"request_body_test.json", false}, {"response_body_test.json", true}}) {
    ok = each_test(dir / file, [&, response = response](const Json& group, const Json& test) {
      const int selector = body_selector(text_member(group, "endpoint"), response);
      if (selector < 0 || !test.contains("body") || !test["body"].is_string()) return;
      Seed seed{static_cast<std::uint8_t>(selector)};
      const std::string body = test["body"].get<std::string>();
      seed.insert(seed.end(), body.begin(), body.end());
      out["bodies"].push_back(seed);
    });
    if (!ok) return ok.error();
  }
  return out;
}

}  // namespace tigress::fuzz
