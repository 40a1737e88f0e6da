#include "bench/load_generator.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

namespace tigress::bench {

using Clock = std::chrono::steady_clock;

nlohmann::json LoadResult::to_json() const {
  return {{"requests", requests}, {"failures", failures},
          {"seconds", seconds},   {"requests_per_second", requests_per_second()},
          {"p50_ms", p50_ms},     {"p99_ms", p99_ms}};
}

std::unique_ptr<httplib::SSLClient> connect(const LoadTarget& target) {
  auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", target.port);
  client->set_ca_cert_path(target.ca_file.c_str());
  client->enable_server_certificate_verification(true);
  client->set_keep_alive(true);
  client->set_tcp_nodelay(true);
  client->set_read_timeout(10, 0);
  return client;
}

LoadResult run_load(const std::vector<LoadTarget>& targets, int clients, double seconds, const Step& step) {
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> latencies(clients);
  std::vector<std::uint64_t> failures(clients, 0);
  std::vector<Clock::time_point> ended(clients);
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] {
      auto connection = connect(targets[static_cast<std::size_t>(i) % targets.size()]);
      latencies[i].reserve(100000);
      while (!stop.load(std::memory_order_relaxed)) {
        const auto t0 = Clock::now();
        const StepOutcome outcome = step(*connection, i);
        const auto t1 = Clock::now();
        if (outcome == StepOutcome::kExhausted) break;
        if (outcome == StepOutcome::kOk) {
          latencies[i].push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        } else {
          ++failures[i];
        }
      }
      ended[i] = Clock::now();
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& thread : threads) thread.join();
  LoadResult result;
  result.seconds = std::chrono::duration<double>(*std::max_element(ended.begin(), ended.end()) - start).count();
  std::vector<double> all;
  for (int i = 0; i < clients; ++i) {
    all.insert(all.end(), latencies[i].begin(), latencies[i].end());
    result.failures += failures[i];
  }
  result.requests = all.size();
  if (!all.empty()) {
    auto quantile = [&all](double q) {
      const auto index = static_cast<std::size_t>(q * static_cast<double>(all.size() - 1));
      std::nth_element(all.begin(), all.begin() + static_cast<long>(index), all.end());
      return all[index];
    };
    result.p50_ms = quantile(0.50);
    result.p99_ms = quantile(0.99);
  }
  return result;
}

}  // namespace tigress::bench
