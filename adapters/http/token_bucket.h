// A token bucket for requests/min and tokens/min limits.
#pragma once

#include <chrono>

namespace perseval {

// Refills continuously at `per_minute / 60` units per second up to `capacity` units.
// A cost larger than what is left is admitted once the bucket is full, leaving the bucket in
// debt: a request bigger than the whole bucket can never starve, and the long-run rate
// still holds because the debt is paid back before anything else is admitted.
// Not thread-safe: owned by the engine's I/O thread.
class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  // `per_minute` <= 0 means unlimited (every take succeeds). `burst_s` is the capacity in
  // seconds of refill (at least one unit): 1 s keeps a per-minute limit from being spent in
  // one burst, which is how hosted APIs enforce it in practice. Starts full.
  explicit TokenBucket(double per_minute = 0.0, double burst_s = 1.0);

  bool unlimited() const { return rate_per_s_ <= 0.0; }

  // Takes `cost` units and returns true when they are available at `now` (or the bucket is
  // full); otherwise takes nothing and returns false.
  bool try_take(double cost, Clock::time_point now);

  // The earliest time at which try_take(cost) would succeed.
  Clock::time_point ready_at(double cost, Clock::time_point now);

 private:
  void refill(Clock::time_point now);
  double rate_per_s_;
  double capacity_;
  double level_;
  Clock::time_point last_{};
  bool started_ = false;
};

}  // namespace perseval
