// Time as the relay sees it; tests and fuzz targets inject a ManualClock.
#pragma once

#include <atomic>

#include "reference/codec/timestamp.hpp"

namespace tigress::relay {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual codec::UnixSeconds now() const = 0;
};

class SystemClock final : public Clock {
 public:
  codec::UnixSeconds now() const override;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(codec::UnixSeconds start) : now_(start) {}
  codec::UnixSeconds now() const override { return now_.load(); }
  void set(codec::UnixSeconds value) { now_.store(value); }
  void advance(codec::UnixSeconds seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<codec::UnixSeconds> now_;
};

}  // namespace tigress::relay
