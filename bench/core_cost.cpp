#include "bench/core_cost.hpp"

#include <ctime>
#include <functional>
#include <vector>

#include "bench/relay_operations.hpp"
#include "reference/relay/memory_store.hpp"
#include "reference/relay/relay.hpp"

namespace tigress::bench {
namespace {

double thread_cpu_microseconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

}  // namespace

std::map<std::string, double> core_cpu_microseconds(int requests) {
  relay::SystemClock clock;
  relay::MemoryStore store;
  const relay::Relay core{relay::RelayConfig{}};
  const std::string claim = fresh_uuid();
  const auto expiration = clock.now() + 3600;
  const relay::Response made = core.handle(create_request(claim, expiration), clock, store);
  if (made.status != 200) return {};
  const std::optional<std::string> found = mailbox_path(made.body);
  if (!found) return {};
  const std::string path = *found;

  // The requests are built before the clock starts: only handle() is measured.
  auto measure = [&](const std::function<relay::Request()>& build) -> double {
    std::vector<relay::Request> batch;
    batch.reserve(static_cast<std::size_t>(requests));
    for (int i = 0; i < requests; ++i) batch.push_back(build());
    const double start = thread_cpu_microseconds();
    for (const auto& request : batch) {
      if (core.handle(request, clock, store).status != 200) return -1;
    }
    return (thread_cpu_microseconds() - start) / requests;
  };
  std::map<std::string, double> cost;
  cost["create"] = measure([&] { return create_request(claim, expiration); });
  cost["read"] = measure([&] { return read_request(claim, path); });
  cost["update"] = measure([&] { return update_request(claim, path); });
  for (const auto& [name, microseconds] : cost) {
    if (microseconds < 0) return {};
  }
  return cost;
}

}  // namespace tigress::bench
