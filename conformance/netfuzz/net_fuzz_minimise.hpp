// Delta debugging (Zeller's ddmin, complement removal only) of a failing request sequence:
// chunks of steps are removed while replaying the rest against the target still produces a
// finding with the same key. Each replay uses fresh claims, so earlier replays cannot help
// or hinder a later one; the number of replays is bounded.
#pragma once

#include <functional>
#include <string>

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

Minimised minimise_sequence(const NetSequence& failing, const ReplayCheck& reproduces, int replay_budget);

}  // namespace tigress::fuzz
