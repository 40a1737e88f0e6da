// The network fuzzer's request stream: valid requests for every endpoint in valid orders
// (create, read by the recipient, update, preview, relinquish, delete), then mutated by the
// mutation classes: header presence, header values, JSON structure, JSON types, sizes,
// encodings, methods, paths and the sequence itself (repeats, reordering, lost creates). The
// stream depends only on the seed, never on the target's answers, so a seed reproduces it.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <string>

#include "conformance/netfuzz/net_fuzz_request.hpp"
#include "harness/protocol/vocabulary.hpp"

namespace tigress::fuzz {

enum class MutationClass {
  kHeaderPresence,
  kHeaderValue,
  kJsonStructure,
  kJsonType,
  kSize,
  kEncoding,
  kMethod,
  kPath,
  kSequence,
};
constexpr std::size_t kMutationClassCount = 9;
const char* mutation_class_name(MutationClass c);

// A fresh random v4 UUID (lower case) from `rng`.
std::string random_uuid(std::mt19937_64& rng);
// Claims for one run of a sequence.
Bindings fresh_bindings(std::mt19937_64& rng);

class RequestGenerator {
 public:
  // The requests are the seed's; the claims come from a stream of their own, which a campaign
  // seeds afresh on every run: a relay remembers each claim's last request ID (5.1), so a run
  // repeating an earlier run's claims against the same relay would be answered from that run's
  // records and report findings that are not there.
  RequestGenerator(std::uint64_t seed, std::uint64_t claim_seed) : rng_(seed), claim_rng_(claim_seed) {}

  // The next sequence of at most `max_steps` requests, and the claims to run it with.
  NetSequence next_sequence(int max_steps, Bindings& bindings);

  const std::array<std::uint64_t, kMutationClassCount>& mutation_counts() const { return counts_; }

 private:
  NetRequest valid_request(protocol::Endpoint endpoint);
  void mutate(NetRequest& request);
  void mutate_sequence(NetSequence& steps);

  std::mt19937_64 rng_;
  std::mt19937_64 claim_rng_;
  std::uint64_t sequence_number_ = 0;
  int request_counter_ = 0;
  std::array<std::uint64_t, kMutationClassCount> counts_{};
};

}  // namespace tigress::fuzz
