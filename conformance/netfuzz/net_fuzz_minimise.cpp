#include "conformance/netfuzz/net_fuzz_minimise.hpp"

#include <algorithm>
#include <numeric>

namespace tigress::fuzz {

MinimisedSubset minimise_subset(std::size_t count, const SubsetCheck& reproduces, int replay_budget) {
  std::vector<std::size_t> current(count);
  std::iota(current.begin(), current.end(), std::size_t{0});
  MinimisedSubset result{current, 0, false};
  // A finding that does not come back on a plain replay (a race, a hang that cleared) cannot be
  // minimised: keep the sequence as found.
  if (replay_budget <= 0) return result;
  ++result.replays;
  if (!reproduces(current)) return result;
  result.confirmed = true;
  std::size_t granularity = 2;
  while (current.size() >= 2 && result.replays < replay_budget) {
    const std::size_t chunk = (current.size() + granularity - 1) / granularity;
    bool reduced = false;
    for (std::size_t start = 0; start < current.size() && result.replays < replay_budget; start += chunk) {
      std::vector<std::size_t> candidate;
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
  result.kept = std::move(current);
  return result;
}

Minimised minimise_sequence(const NetSequence& failing, const ReplayCheck& reproduces, int replay_budget) {
  const auto subset = [&failing](const std::vector<std::size_t>& kept) {
    NetSequence steps;
    for (std::size_t i : kept) steps.push_back(failing[i]);
    return steps;
  };
  const MinimisedSubset found = minimise_subset(
      failing.size(), [&](const std::vector<std::size_t>& kept) { return reproduces(subset(kept)); }, replay_budget);
  return Minimised{subset(found.kept), found.replays, found.confirmed};
}

}  // namespace tigress::fuzz
