// The client response fuzzer's mutation engine: structure-aware rewrites of one relay answer
// (status, headers, body) of the kinds a broken or hostile relay sends: JSON members removed,
// retyped, duplicated, huge or deeply nested; headers and statuses changed; bodies truncated,
// padded, re-encoded; the AEAD fields of payload.data bit-flipped. A mutation is drawn from a
// seeded generator against the answer it will change and written down as a descriptor (what,
// where, with which value), so a reproducer can apply the same change to the fresh answer of a
// replay, whose ids, IVs and ciphertexts differ. Drawing is deterministic: the same generator
// state and the same answer shape give the same mutation.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "reference/relay/http_types.hpp"

namespace tigress::fuzz::client {

enum class AnswerMutationClass { kJsonStructure, kJsonType, kSize, kHeader, kStatus, kBody, kEncoding, kAead };
constexpr std::size_t kAnswerMutationClassCount = 8;
const char* answer_mutation_class_name(AnswerMutationClass c);

enum class AnswerMutationKind {
  kRemoveMember,     // where: JSON pointer of the member
  kDuplicateMember,  // where: the member; value: JSON text of the later duplicate
  kAddMember,        // where: the object; value: JSON text of the new member "x-fuzz"
  kReplaceRoot,      // value: JSON text of the whole body
  kRetype,           // where: a node; value: JSON text of its new value
  kHugeString,       // where: a node; amount: bytes of the string put there
  kDeepNesting,      // where: a node; amount: depth; value: "arrays" or "objects"
  kDropHeader,       // where: header name
  kSetHeader,        // where: header name; value: its only value
  kAddHeader,        // where: header name; value: one more value
  kSetStatus,        // amount: the status
  kTruncate,         // amount: bytes of the body kept
  kPad,              // amount: index into the padding table, repeated `repeat` times
  kEscapeStrings,    // every string character written as \uXXXX
  kByteOrderMark,    // U+FEFF in UTF-8 before the body
  kInvalidUtf8,      // amount: index into the invalid-sequence table, after the first quote
  kDataEncoding,     // value: base64url | unpadded | wrapped | spaced (payload.data re-encoded)
  kFlipBit,          // where: iv | ciphertext | tag; amount: bit index in that part
  kTruncateData,     // amount: bytes of decoded payload.data kept
  kSetType,          // value: the new payload.type string
};
constexpr std::size_t kAnswerMutationKindCount = 20;
const char* answer_mutation_kind_name(AnswerMutationKind k);
AnswerMutationClass class_of(AnswerMutationKind k);

struct AnswerMutation {
  AnswerMutationKind kind = AnswerMutationKind::kTruncate;
  std::string where;
  std::string value;
  std::int64_t amount = 0;
  std::int64_t repeat = 1;

  friend bool operator==(const AnswerMutation&, const AnswerMutation&) = default;
};

// One line for people, e.g. "retype /payload/type to 1" (values cut to a few dozen bytes).
std::string describe(const AnswerMutation& mutation);

// A mutation that fits `answer` (JSON kinds only when the body is JSON, AEAD kinds only when it
// carries payload.data).
AnswerMutation draw_mutation(const relay::Response& answer, std::mt19937_64& rng);

// The places of `document` a JSON mutation may name (non-root pointers). The walk stops a fixed
// number of levels down, so a deeply nested answer offers a bounded set of bounded pointers:
// what drawing costs is linear in the answer, whatever its depth.
std::vector<nlohmann::json::json_pointer> mutation_sites(const nlohmann::json& document);

// Applies it; false when the answer offers nothing to change (e.g. the pointer is missing), and
// then `answer` is unchanged. The Content-Length is the serialiser's business, never changed here.
bool apply_mutation(const AnswerMutation& mutation, relay::Response& answer);

nlohmann::json to_json(const AnswerMutation& mutation);
Result<AnswerMutation> mutation_from_json(const nlohmann::json& document);

}  // namespace tigress::fuzz::client
