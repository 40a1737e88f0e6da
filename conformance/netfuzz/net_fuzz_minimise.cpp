#include "conformance/netfuzz/net_fuzz_minimise.hpp"

#include <algorithm>

namespace tigress::fuzz {

Minimised minimise_sequence(const NetSequence& failing, const ReplayCheck& reproduces, int replay_budget) {
  Minimised result{failing, 0, false};
  // A finding that does not come back on a plain replay (a race, a hang that cleared) cannot be
  // minimised: keep the sequence as found.
  if (replay_budget <= 0) return result;
  ++result.replays;
  if (!reproduces(failing)) return result;
  result.confirmed = true;
  NetSequence current = failing;
  std::size_t granularity = 2;
  while (current.size() >= 2 && result.replays < replay_budget) {
    const std::size_t chunk = (current.size() + granularity - 1) / granularity;
    bool reduced = false;
    for (std::size_t start = 0; start < current.size() && result.replays < replay_budget; start += chunk) {
      NetSequence candidate;
      for (std::size_t i = 0; i < current.size(); ++i) {
        if (i < start || i >= start + chunk) candidate.push_back(current[i]);
      }
      if (candidate.empty()) continue;
      ++result.replays;
      if (reproduces(candidate)) {
        current = std::move(candidate);
        granularity = std::max<std::size_t>(granularity - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (granularity >= current.size()) break;
      granularity = std::min(granularity * 2, current.size());
    }
  }
  result.steps = std::move(current);
  return result;
}

}  // namespace tigress::fuzz
