#include "bench/load_generator.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include <sys/resource.h>
#include <time.h>

namespace tigress::bench {

using Clock = std::chrono::steady_clock;

namespace {

double seconds_of(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

// User and system time of every thread of this process, those already ended included.
double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
}

double this_thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

}  // namespace

double LoadResult::other_threads_cpu_microseconds_per_request() const {
  if (requests == 0) return 0;
  return std::max(0.0, process_cpu_seconds - client_cpu_seconds) * 1e6 / static_cast<double>(requests);
}

nlohmann::json LoadResult::to_json() const {
  return {{"requests", requests},
          {"failures", failures},
          {"seconds", seconds},
          {"requests_per_second", requests_per_second()},
          {"p50_ms", p50_ms},
          {"p99_ms", p99_ms},
          {"client_cpu_seconds", client_cpu_seconds},
          {"process_cpu_seconds", process_cpu_seconds}};
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
  std::vector<double> client_cpu(clients, 0.0);
  std::vector<std::thread> threads;
  const double process_cpu_at_start = process_cpu_seconds();
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
      connection.reset();
      client_cpu[i] = this_thread_cpu_seconds();  // a fresh thread: its whole life is this load
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& thread : threads) thread.join();
  LoadResult result;
  result.process_cpu_seconds = process_cpu_seconds() - process_cpu_at_start;
  for (double cpu : client_cpu) result.client_cpu_seconds += cpu;
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
