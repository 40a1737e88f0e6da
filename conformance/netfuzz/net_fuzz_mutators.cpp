// Generation and mutation of the network fuzzer's requests (net_fuzz_mutators.hpp).
// Function arguments are evaluated in an unspecified order (g++ and clang differ): no call
// below takes two arguments that both draw from the generator, so a seed gives the same
// stream whatever the compiler.
#include "conformance/netfuzz/net_fuzz_mutators.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "conformance/netfuzz/json_mutation.hpp"

namespace tigress::fuzz {
namespace {

using Json = nlohmann::json;
using protocol::Endpoint;

const std::string kMailboxTemplate = protocol::mailbox_path("", "${MAILBOX}");

// Fills `out` with characters of `alphabet` (at most 256), four from each 64-bit draw: a 16-bit
// share modulo the alphabet's size is uneven by less than 0.4%, and the runs of tens of
// kilobytes the size mutations ask for cost a quarter of the draws.
void fill_from(std::mt19937_64& rng, std::string_view alphabet, std::string& out) {
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i % 4 == 0) bits = rng();
    out[i] = alphabet[(bits & 0xffff) % alphabet.size()];
    bits >>= 16;
  }
}

// Printable ASCII without the space at the ends, so header values survive any whitespace trim.
std::string printable_garbage(std::mt19937_64& rng, std::size_t max) {
  static const std::string kPrintable = [] {
    std::string all;
    for (char c = 0x21; c <= 0x7e; ++c) all.push_back(c);
    return all;
  }();
  std::string out(1 + rng() % max, 'x');
  fill_from(rng, kPrintable, out);
  return out;
}

std::string hex_run(std::mt19937_64& rng, std::size_t n) {
  std::string out(n, '0');
  fill_from(rng, "0123456789abcdef", out);
  return out;
}

// Characters RFC 3986 allows in a path, so the wire client sends the path as generated.
std::string path_garbage(std::mt19937_64& rng, std::size_t max) {
  static constexpr std::string_view kSafe =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@";
  std::string out(1 + rng() % max, 'a');
  fill_from(rng, kSafe, out);
  return out;
}

std::string create_body(std::mt19937_64& rng) {
  Json body = {{"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", std::string(kPayloadMarker)}}},
               {"displayInformation",
                {{"title", "Fuzz key"}, {"description", "netfuzz"}, {"imageURL", "https://example.com/i.png"}}}};
  static const char* const kRights[] = {"R", "RD", "RW", "RWD", "DRW"};
  if (chance(rng, 50)) {
    body["mailboxConfiguration"] = {{"accessRights", pick(rng, kRights)}, {"expiration", "2099-01-01T00:00:00Z"}};
  }
  if (chance(rng, 20)) body["notificationToken"] = {{"type", "apns"}, {"tokenData", "dG9rZW4"}};
  return body.dump();
}

std::string read_body(std::mt19937_64& rng) {
  switch (rng() % 3) {
    case 0:
      return {};
    case 1:
      return "{}";
    default:
      return R"({"notificationToken":{"type":"fcm","tokenData":"dG9rZW4"}})";
  }
}

void set_header(NetRequest& request, const std::string& name, const std::string& value) {
  for (auto& header : request.headers) {
    if (to_lower(header.first) == to_lower(name)) {
      header.second = value;
      return;
    }
  }
  request.headers.emplace_back(name, value);
}

// Inserts `bytes` right after a random double quote of the body (inside a key or a value).
void insert_after_quote(std::string& body, const std::string& bytes, std::mt19937_64& rng) {
  std::vector<std::size_t> quotes;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '"') quotes.push_back(i);
  }
  const std::size_t at = quotes.empty() ? body.size() : quotes[rng() % quotes.size()] + 1;
  body.insert(at, bytes);
}

void mutate_header_presence(NetRequest& r, std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0:
      if (!r.headers.empty()) r.headers.erase(r.headers.begin() + static_cast<long>(rng() % r.headers.size()));
      break;
    case 1:
      if (!r.headers.empty()) r.headers.push_back(r.headers[rng() % r.headers.size()]);
      break;
    case 2:
      r.headers.emplace_back("Mailbox-Device-Claim", chance(rng, 50) ? "${CLAIM2}" : "${CLAIM1}");
      break;
    default:
      r.headers.emplace_back("X-Netfuzz-Unknown", printable_garbage(rng, 20));
      break;
  }
}

void mutate_header_value(NetRequest& r, std::mt19937_64& rng, int previous_request) {
  switch (rng() % 3) {
    case 0: {
      const std::string claims[] = {printable_garbage(rng, 40), "",
                                    "${CLAIM0_UPPER}",          "${CLAIM1_UPPER}",
                                    random_uuid(rng),           "{${CLAIM1}}",
                                    "urn:uuid:${CLAIM1}",       hex_run(rng, 300 + rng() % 2700),
                                    "${CLAIM1},${CLAIM2}",      "${CLAIM2}"};
      set_header(r, "Mailbox-Device-Claim", pick(rng, claims));
      break;
    }
    case 1: {
      const std::string ids[] = {"",
                                 std::string(256, 'i'),
                                 std::string(257, 'i'),
                                 std::string(1024, 'i'),
                                 printable_garbage(rng, 60),
                                 "nf-" + std::to_string(previous_request)};
      set_header(r, "Mailbox-Request-ID", pick(rng, ids));
      break;
    }
    default: {
      static const char* const kTypes[] = {"text/plain",
                                           "application/json; charset=utf-8",
                                           "APPLICATION/JSON",
                                           "application/jsonx",
                                           "application/x-www-form-urlencoded",
                                           "",
                                           "application/merge-patch+json",
                                           "multipart/form-data; boundary=x"};
      set_header(r, "Content-Type", pick(rng, kTypes));
    }
  }
}

void mutate_json_structure(NetRequest& r, std::mt19937_64& rng) {
  Json doc = parse_for_mutation(r.body);
  if (doc.is_discarded() || chance(rng, 20)) {
    switch (rng() % 4) {
      case 0:
        r.body = r.body.substr(0, r.body.empty() ? 0 : rng() % r.body.size());
        break;  // truncated
      case 1:
        if (r.body.size() > 1) r.body.insert(1, "\"payload\":1,");
        break;  // duplicate key
      case 2:
        r.body = pick(rng, {std::string("[]"), std::string("null"), std::string("\"x\""), std::string("0")});
        break;
      default:
        r.body += pick(rng, {std::string("}"), std::string(","), std::string(" {}"), std::string("\n")});
        break;
    }
    return;
  }
  Json* node = random_node(doc, rng);
  switch (rng() % 4) {
    case 0:
      if (node->is_object() && !node->empty())
        node->erase(std::next(node->begin(), static_cast<long>(rng() % node->size())));
      break;
    case 1:
      if (node->is_object()) (*node)["x-netfuzz"] = random_typed_value(rng);
      break;
    case 2:
      *node = Json::array({*node});
      break;
    default:
      *node = node->is_object() ? Json::object() : Json::array();
      break;
  }
  r.body = dump_json(doc);
}

void mutate_json_type(NetRequest& r, std::mt19937_64& rng) {
  Json doc = parse_for_mutation(r.body);
  if (doc.is_discarded()) {
    r.body = random_typed_value(rng).dump();
    return;
  }
  *random_node(doc, rng) = random_typed_value(rng);
  r.body = dump_json(doc);
}

void mutate_size(NetRequest& r, std::mt19937_64& rng) {
  static const std::size_t kLengths[] = {0, 255, 256, 1000, 1025, 4096, 20000, 65536};
  switch (rng() % 5) {
    case 0: {  // one string member grows (or empties)
      Json doc = parse_for_mutation(r.body);
      Json* node = doc.is_discarded() ? nullptr : random_node(doc, rng, /*strings_only=*/true);
      if (node == nullptr) return;
      *node = std::string(pick(rng, kLengths), 'A');
      r.body = dump_json(doc);
      break;
    }
    case 1: {  // the whole body just under, at and over the reference relay's 64 KiB limit
      const std::size_t target = 65536 - 2 + rng() % 5;
      Json doc = parse_for_mutation(r.body);
      if (!doc.is_object()) doc = Json::object();
      doc["pad"] = "";
      const std::size_t base = dump_json(doc).size();
      doc["pad"] = std::string(target > base ? target - base : 0, 'p');
      r.body = dump_json(doc);
      break;
    }
    case 2: {
      const std::size_t depth = pick(rng, {std::size_t{64}, std::size_t{600}, std::size_t{5000}});
      r.body = nested(depth, chance(rng, 50));
      break;
    }
    case 3: {
      const std::string name = pick(rng, {std::string("Mailbox-Device-Claim"), std::string("Mailbox-Request-ID")});
      set_header(r, name, hex_run(rng, pick(rng, kLengths) + 1));
      break;
    }
    default: {
      const std::size_t length = pick(rng, kLengths);
      r.body = std::string(length, chance(rng, 50) ? ' ' : '{');
      break;
    }
  }
}

void mutate_encoding(NetRequest& r, std::mt19937_64& rng) {
  switch (rng() % 7) {
    case 0: {  // valid multi-byte UTF-8 in a string value
      Json doc = parse_for_mutation(r.body);
      Json* node = doc.is_discarded() ? nullptr : random_node(doc, rng, /*strings_only=*/true);
      if (node == nullptr) return;
      *node = node->get<std::string>() + pick(rng, {std::string("\xc3\xa9"), std::string("\xf0\x9f\x98\x80"),
                                                    std::string("\xe2\x80\xae"), std::string("e\xcc\x81")});
      r.body = dump_json(doc);
      break;
    }
    case 1:  // invalid UTF-8: stray continuation, overlong '/', surrogate, truncated sequence
      insert_after_quote(r.body,
                         pick(rng, {std::string("\x80"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80"),
                                    std::string("\xf0\x9f"), std::string("\xff")}),
                         rng);
      break;
    case 2:  // JSON escapes: lone surrogates, NUL, a valid pair
      insert_after_quote(r.body,
                         pick(rng, {std::string("\\ud800"), std::string("\\udc00x"), std::string("\\u0000"),
                                    std::string("\\ud83d\\ude00"), std::string("\\x41")}),
                         rng);
      break;
    case 3:
      r.body = "\xef\xbb\xbf" + r.body;
      break;  // byte order mark
    case 4:
      r.chunked = true;
      break;
    case 5:
      set_header(
          r, "Content-Type",
          pick(rng, {std::string("application/json; charset=utf-16"), std::string("application/json;charset=\"UTF-8\""),
                     std::string("application/json; charset=latin1")}));
      break;
    default:  // percent-encoded path characters
      if (auto at = r.path.find("/m"); at != std::string::npos) r.path.replace(at, 2, "/%6d");
      break;
  }
}

void mutate_method(NetRequest& r, std::mt19937_64& rng) {
  static const char* const kMethods[] = {"GET",   "POST", "PUT", "DELETE", "PATCH",    "HEAD",    "OPTIONS",
                                         "TRACE", "post", "Get", "FOO",    "PROPFIND", "M-SEARCH"};
  r.method = pick(rng, kMethods);
}

void mutate_path(NetRequest& r, std::mt19937_64& rng) {
  const std::string paths[] = {"/v1/m/${MAILBOX}/",
                               "/v1/m/${MAILBOX_UPPER}",
                               "/v1/m/${MAILBOX}/x",
                               "/v2/m/${MAILBOX}",
                               "//v1/m/${MAILBOX}",
                               "/v1/m/${MAILBOX}?v=1",
                               "/v1/m/${MAILBOX}?v=" + std::string(2000, 'q'),
                               "/v1/m/../m/${MAILBOX}",
                               "/v1/m/%2e%2e/m",
                               "/v1/m/",
                               "/v1/m/" + random_uuid(rng),
                               "/v1/m/" + path_garbage(rng, 60),
                               "/v1/M/${MAILBOX}",
                               "/v1",
                               "/",
                               "/v1/m/${CLAIM0}",
                               "/v1/m/" + std::string(2000, 'a'),
                               "/v1/m"};
  r.path = pick(rng, paths);
}

}  // namespace

const char* mutation_class_name(MutationClass c) {
  static const char* const kNames[] = {"header-presence", "header-value", "json-structure", "json-type", "size",
                                       "encoding",        "method",       "path",           "sequence"};
  return kNames[static_cast<std::size_t>(c)];
}

std::string random_uuid(std::mt19937_64& rng) {
  std::string out;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    std::uint64_t nibble = rng() % 16;
    if (i == 12) nibble = 4;
    if (i == 16) nibble = 8 + nibble % 4;
    out += "0123456789abcdef"[nibble];
  }
  return out;
}

Bindings fresh_bindings(std::mt19937_64& rng) {
  Bindings bindings;
  for (auto& claim : bindings.claims) claim = random_uuid(rng);
  return bindings;
}

NetRequest RequestGenerator::valid_request(Endpoint endpoint) {
  NetRequest r;
  r.method = std::string(protocol::method_of(endpoint));
  r.path = endpoint == Endpoint::kCreate ? protocol::collection_path() : kMailboxTemplate;
  const auto claim = [&](int initiator_percent, int recipient_percent) {
    const auto roll = static_cast<int>(rng_() % 100);
    return roll < initiator_percent                       ? "${CLAIM0}"
           : roll < initiator_percent + recipient_percent ? "${CLAIM1}"
                                                          : "${CLAIM2}";
  };
  const auto request_id = [&] {
    r.headers.emplace_back("Mailbox-Request-ID", "nf-" + std::to_string(++request_counter_));
  };
  switch (endpoint) {
    case Endpoint::kCreate:
      r.headers.emplace_back("Mailbox-Device-Claim", "${CLAIM0}");
      request_id();
      r.headers.emplace_back("Content-Type", "application/json");
      r.body = create_body(rng_);
      break;
    case Endpoint::kRead:
      r.headers.emplace_back("Mailbox-Device-Claim", claim(15, 60));
      if (chance(rng_, 50)) request_id();
      r.body = read_body(rng_);
      if (!r.body.empty()) r.headers.emplace_back("Content-Type", "application/json");
      break;
    case Endpoint::kUpdate:
      r.headers.emplace_back("Mailbox-Device-Claim", claim(80, 15));
      request_id();
      r.headers.emplace_back("Content-Type", "application/json");
      r.body = Json{{"payload", {{"type", "AEAD_AES_256_GCM"}, {"data", std::string(kPayloadMarker) + "-2"}}}}.dump();
      break;
    case Endpoint::kDelete:
      r.headers.emplace_back("Mailbox-Device-Claim", claim(70, 25));
      request_id();
      break;
    case Endpoint::kRelinquish:
      r.headers.emplace_back("Mailbox-Device-Claim", claim(10, 75));
      request_id();
      break;
    default:
      if (chance(rng_, 30)) r.path += "?v=1";
      break;
  }
  return r;
}

void RequestGenerator::mutate(NetRequest& r) {
  const auto c = static_cast<MutationClass>(rng_() % (kMutationClassCount - 1));  // not kSequence
  ++counts_[static_cast<std::size_t>(c)];
  switch (c) {
    case MutationClass::kHeaderPresence:
      mutate_header_presence(r, rng_);
      break;
    case MutationClass::kHeaderValue:
      mutate_header_value(r, rng_, request_counter_ - 1);
      break;
    case MutationClass::kJsonStructure:
      mutate_json_structure(r, rng_);
      break;
    case MutationClass::kJsonType:
      mutate_json_type(r, rng_);
      break;
    case MutationClass::kSize:
      mutate_size(r, rng_);
      break;
    case MutationClass::kEncoding:
      mutate_encoding(r, rng_);
      break;
    case MutationClass::kMethod:
      mutate_method(r, rng_);
      break;
    default:
      mutate_path(r, rng_);
      break;
  }
}

void RequestGenerator::mutate_sequence(NetSequence& steps) {
  ++counts_[static_cast<std::size_t>(MutationClass::kSequence)];
  if (steps.size() < 2) return;
  const std::size_t a = rng_() % steps.size();
  const std::size_t b = rng_() % steps.size();
  switch (rng_() % 4) {
    case 0:
      steps.insert(steps.begin() + static_cast<long>(std::max(a, b)) + 1, steps[std::min(a, b)]);
      break;  // replay
    case 1:
      std::swap(steps[a], steps[b]);
      break;
    case 2:
      steps.erase(steps.begin());
      break;  // the create is lost
    default:
      steps.insert(steps.begin() + static_cast<long>(a), valid_request(Endpoint::kCreate));
      break;
  }
}

NetSequence RequestGenerator::next_sequence(int max_steps, Bindings& bindings) {
  ++sequence_number_;
  bindings = fresh_bindings(claim_rng_);
  // A valid flow: Create first, then mostly Reads and previews, with Update, Relinquish and
  // Delete mixed in; weights per endpoint.
  // Weights in the order of protocol::kEndpoints.
  static const int kWeights[] = {1, 8, 3, 2, 3, 3};
  int total = 0;
  for (int w : kWeights) total += w;
  NetSequence steps;
  const int length = 1 + static_cast<int>(rng_() % static_cast<std::uint64_t>(std::max(1, max_steps)));
  for (int i = 0; i < length; ++i) {
    std::size_t endpoint = 0;  // Create
    if (i > 0) {
      int roll = static_cast<int>(rng_() % static_cast<std::uint64_t>(total));
      while (roll >= kWeights[endpoint]) roll -= kWeights[endpoint++];
    }
    NetRequest r = valid_request(protocol::kEndpoints[endpoint]);
    if (chance(rng_, i == 0 ? 35 : 55)) {
      const int mutations = 1 + static_cast<int>(rng_() % 3);
      for (int m = 0; m < mutations; ++m) mutate(r);
    }
    steps.push_back(std::move(r));
  }
  if (chance(rng_, 15)) mutate_sequence(steps);
  if (static_cast<int>(steps.size()) > max_steps) steps.resize(static_cast<std::size_t>(max_steps));
  return steps;
}

}  // namespace tigress::fuzz
