// Judging requests that were in flight at the same time. The draft says nothing about order
// between simultaneous requests, only that each is handled as a whole (binding is atomic, 8.1.1,
// MBX-READ-06). So the model does not guess an order: it accepts the answers when at least one
// serial order of the requests, replayed through the ordinary sequential model, accepts every
// answer, and it keeps the state of that order. A relay that lets two claims both win the
// recipient slot has no such order: whichever 200 comes second breaks MBX-READ-05.
#include <algorithm>
#include <numeric>

#include "conformance/model/model.hpp"

namespace tigress::model {
namespace {

// Orders to try grow as n!; the runner races at most a handful of requests.
constexpr std::size_t kMaxConcurrent = 6;

std::string order_text(const std::vector<std::size_t>& order) {
  std::string out;
  for (std::size_t i : order) out += (out.empty() ? "" : ", ") + std::to_string(i + 1);
  return out;
}

}  // namespace

Outcome RelayModel::step_concurrent(const std::vector<Request>& requests, const std::vector<Response>& responses) {
  Outcome outcome;
  if (requests.empty() || requests.size() != responses.size() || requests.size() > kMaxConcurrent) {
    outcome.ok = false;
    outcome.expected = "1.." + std::to_string(kMaxConcurrent) + " requests, each with its answer";
    outcome.violation = "the caller gave " + std::to_string(requests.size()) + " requests and " +
                        std::to_string(responses.size()) + " answers";
    return outcome;
  }
  const bool all_reads =
      std::all_of(requests.begin(), requests.end(), [](const Request& r) { return r.op == Op::kRead; });
  const std::string cite = all_reads ? "MBX-READ-06, MBX-BIND-01: binding the first recipient claim is atomic (8.1.1)"
                                     : "each request is handled atomically";
  const std::string n = std::to_string(requests.size());
  outcome.expected = "answers that some serial order of the " + n + " simultaneous requests explains (" + cite + ")";

  std::vector<std::size_t> order(requests.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  // For the report: the order that fitted longest before an answer broke it.
  std::size_t closest_depth = 0;
  std::vector<std::size_t> closest_order;
  Outcome closest_miss;
  do {
    RelayModel trial = *this;
    std::size_t depth = 0;
    Outcome miss;
    for (; depth < order.size(); ++depth) {
      miss = trial.step(requests[order[depth]], responses[order[depth]]);
      if (!miss.ok) break;
    }
    if (depth == order.size()) {
      *this = std::move(trial);
      outcome.chosen = "as if served in the order " + order_text(order);
      return outcome;
    }
    // Among equally long fits, a wrong body says more than a wrong status: the status may only
    // be wrong because of the order tried.
    const bool closer =
        depth > closest_depth || (depth == closest_depth && miss.status_fits && !closest_miss.status_fits);
    if (closest_order.empty() || closer) {
      closest_depth = depth;
      closest_order = order;
      closest_miss = miss;
    }
  } while (std::next_permutation(order.begin(), order.end()));

  std::string statuses;
  for (const auto& response : responses) statuses += (statuses.empty() ? "" : ", ") + std::to_string(response.status);
  outcome.ok = false;
  outcome.violation = cite + ": no serial order of the " + n + " simultaneous requests explains their answers (" +
                      statuses + "); in the order " + order_text(closest_order) + ", request " +
                      std::to_string(closest_order[closest_depth] + 1) + ": " + closest_miss.violation;
  return outcome;
}

}  // namespace tigress::model
