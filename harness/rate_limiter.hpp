// --rate N: every request the suite sends, from every job, takes the next start slot of one
// shared schedule, so requests start at most N per second, evenly spaced (a token bucket that
// holds one token: no bursts). The clock is injectable so the schedule can be tested without
// sleeping.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>

namespace tigress::harness {

class WaitClock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~WaitClock() = default;
  virtual TimePoint now() const = 0;
  virtual void sleep_until(TimePoint when) = 0;
};

// The real steady clock; shared, stateless.
std::shared_ptr<WaitClock> steady_wait_clock();

class RateLimiter {
 public:
  explicit RateLimiter(double requests_per_second, std::shared_ptr<WaitClock> clock = steady_wait_clock());

  // Blocks until this caller's slot; thread-safe. Slots are handed out under a lock, the wait
  // itself happens outside it, so callers queue in the order they arrived.
  void acquire();
  double rate() const { return rate_; }

 private:
  double rate_;
  std::chrono::steady_clock::duration interval_;
  std::shared_ptr<WaitClock> clock_;
  std::mutex mutex_;
  WaitClock::TimePoint next_{};  // the earliest start of the next request
};

}  // namespace tigress::harness
