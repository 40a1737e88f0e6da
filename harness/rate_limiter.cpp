#include "harness/rate_limiter.hpp"

#include <thread>

namespace tigress::harness {
namespace {

class SteadyWaitClock final : public WaitClock {
 public:
  TimePoint now() const override { return std::chrono::steady_clock::now(); }
  void sleep_until(TimePoint when) override { std::this_thread::sleep_until(when); }
};

}  // namespace

std::shared_ptr<WaitClock> steady_wait_clock() {
  static const auto clock = std::make_shared<SteadyWaitClock>();
  return clock;
}

RateLimiter::RateLimiter(double requests_per_second, std::shared_ptr<WaitClock> clock)
    : rate_(requests_per_second),
      interval_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(1.0 / requests_per_second))),
      clock_(std::move(clock)) {}

void RateLimiter::acquire() {
  WaitClock::TimePoint slot;
  {
    std::lock_guard lock(mutex_);
    const auto now = clock_->now();
    // An idle period earns no credit: the bucket holds one token, never a burst.
    slot = next_ > now ? next_ : now;
    next_ = slot + interval_;
  }
  if (slot > clock_->now()) clock_->sleep_until(slot);
}

}  // namespace tigress::harness
