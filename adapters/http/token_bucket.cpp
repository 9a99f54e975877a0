#include "adapters/http/token_bucket.h"

#include <algorithm>

namespace perseval {

TokenBucket::TokenBucket(double per_minute, double burst_s)
    : rate_per_s_(per_minute > 0.0 ? per_minute / 60.0 : 0.0),
      capacity_(std::max(1.0, rate_per_s_ * burst_s)),
      level_(capacity_) {}

void TokenBucket::refill(Clock::time_point now) {
  // The first use starts the clock (the bucket is full until then).
  if (!started_) {
    started_ = true;
    last_ = now;
    return;
  }
  if (now <= last_) return;
  const double elapsed_s = std::chrono::duration<double>(now - last_).count();
  level_ = std::min(capacity_, level_ + elapsed_s * rate_per_s_);
  last_ = now;
}

bool TokenBucket::try_take(double cost, Clock::time_point now) {
  if (unlimited()) return true;
  refill(now);
  // Full counts as available so that a cost above the capacity is admitted (into debt).
  if (level_ + 1e-9 < std::min(cost, capacity_)) return false;
  level_ -= cost;
  return true;
}

TokenBucket::Clock::time_point TokenBucket::ready_at(double cost, Clock::time_point now) {
  if (unlimited()) return now;
  refill(now);
  const double missing = std::min(cost, capacity_) - level_;
  if (missing <= 0.0) return now;
  return now + std::chrono::duration_cast<Clock::duration>(
                   std::chrono::duration<double>(missing / rate_per_s_));
}

}  // namespace perseval
