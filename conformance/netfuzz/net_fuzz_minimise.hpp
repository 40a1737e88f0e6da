// Delta debugging (Zeller's ddmin, complement removal only) of a failing request sequence:
// chunks of steps are removed while replaying the rest against the target still produces a
// finding with the same key. Each replay uses fresh claims, so earlier replays cannot help
// or hinder a later one; the number of replays is bounded.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "conformance/netfuzz/net_fuzz_request.hpp"

namespace tigress::fuzz {

// Replays a candidate sequence; true when the finding being minimised reproduced.
using ReplayCheck = std::function<bool(const NetSequence&)>;

struct Minimised {
  NetSequence steps;
  int replays = 0;
  bool confirmed = false;  // the final sequence reproduced in a replay (false: budget ran out first
                           // or the finding did not reproduce at all; then steps is the input)
};

// The same search over any list of `count` items (the client response fuzzer's answer
// mutations): `reproduces` gets the indices kept, ascending; the result's `kept` likewise.
using SubsetCheck = std::function<bool(const std::vector<std::size_t>&)>;
struct MinimisedSubset {
  std::vector<std::size_t> kept;
  int replays = 0;
  bool confirmed = false;  // as Minimised::confirmed; when false, kept is every index
};
MinimisedSubset minimise_subset(std::size_t count, const SubsetCheck& reproduces, int replay_budget);

Minimised minimise_sequence(const NetSequence& failing, const ReplayCheck& reproduces, int replay_budget);

}  // namespace tigress::fuzz
