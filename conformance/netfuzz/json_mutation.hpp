// The JSON building blocks both fuzzers mutate with: the network fuzzer's request bodies
// (net_fuzz_mutators.cpp) and the client response fuzzer's answers (conformance/fuzzclient).
// Every choice draws from the caller's generator, so a seed gives the same values.
#pragma once

#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "reference/codec/plain_json.hpp"

namespace tigress::fuzz {

template <class T, std::size_t N>
const T& pick(std::mt19937_64& rng, const T (&options)[N]) {
  return options[rng() % N];
}

inline bool chance(std::mt19937_64& rng, int percent) { return static_cast<int>(rng() % 100) < percent; }

// Bodies that nest deeper than this are mutated as text only: nlohmann copies, compares and
// dumps recursively, and so does the node walk below.
using codec::plain_json::kMaxStructuredDepth;

// `body` as a JSON document to mutate, or a discarded value when it is not JSON or nests deeper
// than kMaxStructuredDepth (the depth is counted on the text, before anything is built).
nlohmann::json parse_for_mutation(std::string_view body);

// Every node of a JSON document (the root first, then depth first), so a mutation can pick any.
void collect_nodes(nlohmann::json& node, std::vector<nlohmann::json*>& out);
// The same walk as JSON pointers ("" is the root), for mutations that must be written down; it
// stops `max_depth` levels down (a pointer per level of a 20,000-deep body would be quadratic).
void collect_pointers(const nlohmann::json& node, std::vector<nlohmann::json::json_pointer>& out,
                      std::size_t max_depth = 32);

nlohmann::json* random_node(nlohmann::json& root, std::mt19937_64& rng, bool strings_only = false);

// A value of some JSON type: numbers at the edges, booleans, null, strings, arrays, objects.
nlohmann::json random_typed_value(std::mt19937_64& rng);

// doc.dump(), byte for byte, without nlohmann's escaping walk over the long strings the size
// mutations make (64 KiB of 'A' or 'p'): such a string is set aside while the rest is dumped and
// copied in where its placeholder landed. `doc` is as before on return.
std::string dump_json(nlohmann::json& doc);

// `depth` arrays ("[[[1]]]") or objects ({"a":{"a":1}}) around the number 1.
std::string nested(std::size_t depth, bool arrays);

}  // namespace tigress::fuzz
