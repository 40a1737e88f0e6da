// Drawing answer mutations (answer_mutation.hpp). Function arguments are evaluated in an
// unspecified order (g++ and clang differ): no call below takes two arguments that both draw from
// the generator, so a seed gives the same mutations whatever the compiler.
#include <vector>

#include "conformance/fuzzclient/answer_mutation.hpp"
#include "conformance/fuzzclient/answer_mutation_parts.hpp"
#include "conformance/netfuzz/json_mutation.hpp"

namespace tigress::fuzz::client {
namespace {

using namespace mutation_parts;
using Kind = AnswerMutationKind;

std::string draw_value_text(std::mt19937_64& rng) { return dump(random_typed_value(rng)); }

AnswerMutation draw_json_structure(const Json& document, std::mt19937_64& rng) {
  const auto nodes = mutation_sites(document);
  AnswerMutation m;
  const auto choice = rng() % 5;
  if (nodes.empty() || choice == 4) {
    static const char* const kRoots[] = {"[]", "null", "\"x\"", "0", "{}", "[{}]"};
    m.kind = Kind::kReplaceRoot;
    m.value = pick(rng, kRoots);
    return m;
  }
  const Json::json_pointer& at = nodes[rng() % nodes.size()];
  m.where = at.to_string();
  if (choice == 0 || choice == 1) {
    m.kind = Kind::kRemoveMember;
  } else if (choice == 2) {
    m.kind = Kind::kDuplicateMember;
    m.value = chance(rng, 50) ? dump(document[at]) : draw_value_text(rng);
  } else {
    m.kind = Kind::kAddMember;
    m.where = document[at].is_object() ? m.where : at.parent_pointer().to_string();
    m.value = draw_value_text(rng);
  }
  return m;
}

AnswerMutation draw_json_type(const Json& document, std::mt19937_64& rng) {
  const auto nodes = mutation_sites(document);
  AnswerMutation m;
  m.kind = Kind::kRetype;
  m.where = nodes.empty() ? "" : nodes[rng() % nodes.size()].to_string();
  m.value = draw_value_text(rng);
  return m;
}

AnswerMutation draw_size(const Json& document, std::mt19937_64& rng) {
  const auto nodes = mutation_sites(document);
  AnswerMutation m;
  m.where = nodes.empty() ? "" : nodes[rng() % nodes.size()].to_string();
  if (chance(rng, 50)) {
    static const std::int64_t kLengths[] = {0, 4096, 65536, 1 << 20, (1 << 20) + 1, 3 << 20};
    m.kind = Kind::kHugeString;
    m.amount = pick(rng, kLengths);
  } else {
    static const std::int64_t kDepths[] = {64, 65, 600, 5000, 20000};
    m.kind = Kind::kDeepNesting;
    m.amount = pick(rng, kDepths);
    m.value = chance(rng, 50) ? "arrays" : "objects";
  }
  return m;
}

AnswerMutation draw_header(std::mt19937_64& rng) {
  AnswerMutation m;
  static const char* const kNames[] = {"Content-Type",      "Mailbox-Request-ID", "Content-Type", "Mailbox-Request-ID",
                                       "Transfer-Encoding", "Content-Encoding",   "X-Fuzz"};
  m.where = pick(rng, kNames);
  switch (rng() % 3) {
    case 0:
      m.kind = Kind::kDropHeader;
      break;
    case 1:
      m.kind = Kind::kSetHeader;
      break;
    default:
      m.kind = Kind::kAddHeader;
      break;
  }
  if (m.kind == Kind::kDropHeader) return m;
  if (m.where == "Content-Type") {
    static const char* const kTypes[] = {
        "text/plain", "application/json; charset=utf-16", "APPLICATION/JSON", "application/json;",
        "",           "application/problem+json",         "text/html"};
    m.value = pick(rng, kTypes);
  } else if (m.where == "Mailbox-Request-ID") {
    static const char* const kIds[] = {"", "00000000-0000-4000-8000-000000000000", "not-a-uuid",
                                       "\t00000000-0000-4000-8000-000000000000"};
    m.value = pick(rng, kIds);
  } else if (m.where == "Transfer-Encoding") {
    m.value = chance(rng, 50) ? "chunked" : "gzip";
  } else if (m.where == "Content-Encoding") {
    m.value = chance(rng, 50) ? "gzip" : "br";
  } else {
    m.value = std::string(static_cast<std::size_t>(1 + rng() % 8000), 'v');
  }
  return m;
}

AnswerMutation draw_status(std::mt19937_64& rng) {
  static const std::int64_t kStatuses[] = {200, 201, 202, 204, 206, 299, 301, 304, 307, 400, 401,
                                           404, 409, 410, 413, 429, 500, 503, 599, 600, 999};
  AnswerMutation m;
  m.kind = Kind::kSetStatus;
  m.amount = pick(rng, kStatuses);
  return m;
}

AnswerMutation draw_body(const relay::Response& answer, std::mt19937_64& rng) {
  AnswerMutation m;
  if (chance(rng, 50) && !answer.body.empty()) {
    m.kind = Kind::kTruncate;
    m.amount = static_cast<std::int64_t>(rng() % answer.body.size());
  } else {
    static const std::int64_t kRepeats[] = {1, 2, 100, 70000, 1 << 20};
    m.kind = Kind::kPad;
    m.amount = static_cast<std::int64_t>(rng() % kPadding.size());
    m.repeat = pick(rng, kRepeats);
  }
  return m;
}

AnswerMutation draw_encoding(const Json& document, std::mt19937_64& rng) {
  AnswerMutation m;
  switch (rng() % (is_payload_answer(document) ? 4 : 3)) {
    case 0:
      m.kind = Kind::kEscapeStrings;
      break;
    case 1:
      m.kind = Kind::kByteOrderMark;
      break;
    case 2:
      m.kind = Kind::kInvalidUtf8;
      m.amount = static_cast<std::int64_t>(rng() % kInvalidUtf8.size());
      break;
    default: {
      static const char* const kEncodings[] = {"base64url", "unpadded", "wrapped", "spaced"};
      m.kind = Kind::kDataEncoding;
      m.value = pick(rng, kEncodings);
      break;
    }
  }
  return m;
}

AnswerMutation draw_aead(std::mt19937_64& rng) {
  AnswerMutation m;
  switch (rng() % 5) {
    case 0:
    case 1: {
      static const char* const kParts[] = {"iv", "ciphertext", "tag"};
      m.kind = Kind::kFlipBit;
      m.where = pick(rng, kParts);
      m.amount = static_cast<std::int64_t>(rng() % 4096);
      break;
    }
    case 2: {
      static const std::int64_t kKept[] = {0, 11, 12, 27, 28, 29};
      m.kind = Kind::kTruncateData;
      m.amount = pick(rng, kKept);
      break;
    }
    default: {
      static const char* const kTypes[] = {
          "AEAD_AES_128_GCM", "AEAD_AES_256_GCM", "aead_aes_128_gcm", "AEAD_CHACHA20_POLY1305", "", "none",
          "AEAD_AES_128_GCM "};
      m.kind = Kind::kSetType;
      m.value = pick(rng, kTypes);
      break;
    }
  }
  return m;
}

}  // namespace

// Non-root pointers of the document: the walk stops where collect_pointers does, so a deeply
// nested answer offers a bounded number of places, each a bounded pointer.
std::vector<Json::json_pointer> mutation_sites(const Json& document) {
  std::vector<Json::json_pointer> all;
  collect_pointers(document, all);
  std::vector<Json::json_pointer> out;
  for (auto& p : all) {
    if (!p.empty()) out.push_back(std::move(p));
  }
  return out;
}

AnswerMutation draw_mutation(const relay::Response& answer, std::mt19937_64& rng) {
  const Json document = parse(answer.body);
  const bool json = !document.is_discarded();
  const bool payload = json && is_payload_answer(document);
  // Weights per class; a class the answer cannot take gets none.
  const std::array<int, kAnswerMutationClassCount> weights = {json ? 3 : 0, json ? 3 : 0,   json ? 2 : 0, 2, 1, 2,
                                                              json ? 2 : 0, payload ? 3 : 0};
  int total = 0;
  for (int w : weights) total += w;
  int roll = static_cast<int>(rng() % static_cast<std::uint64_t>(total));
  std::size_t chosen = 0;
  while (roll >= weights[chosen]) roll -= weights[chosen++];
  switch (static_cast<AnswerMutationClass>(chosen)) {
    case AnswerMutationClass::kJsonStructure:
      return draw_json_structure(document, rng);
    case AnswerMutationClass::kJsonType:
      return draw_json_type(document, rng);
    case AnswerMutationClass::kSize:
      return draw_size(document, rng);
    case AnswerMutationClass::kHeader:
      return draw_header(rng);
    case AnswerMutationClass::kStatus:
      return draw_status(rng);
    case AnswerMutationClass::kBody:
      return draw_body(answer, rng);
    case AnswerMutationClass::kEncoding:
      return draw_encoding(document, rng);
    case AnswerMutationClass::kAead:
      return draw_aead(rng);
  }
  return draw_status(rng);
}

}  // namespace tigress::fuzz::client
