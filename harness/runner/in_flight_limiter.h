// A counting limit on samples in flight: the loader blocks in acquire() while `capacity`
// samples are between loading and storing. Thread-safe.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace perseval {

class InFlightLimiter {
 public:
  explicit InFlightLimiter(int capacity)
      : capacity_(capacity < 1 ? 1 : capacity), low_water_(capacity_ - std::max(1, capacity_ / 8)) {}

  // Blocks until a slot is free, then takes it.
  void acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return in_flight_ < capacity_; });
    ++in_flight_;
  }

  // Frees a slot. Waiters are woken only at the low-water mark (capacity minus an eighth)
  // and at zero, not once per sample: a full pipe then refills in batches instead of waking
  // the loader for every answer. Notifies while holding the lock so the limiter may be
  // destroyed as soon as wait_idle() returns in another thread.
  void release() {
    std::lock_guard lock(mu_);
    --in_flight_;
    if (in_flight_ <= low_water_ || in_flight_ == 0) cv_.notify_all();
  }

  // Blocks until no slot is taken.
  void wait_idle() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return in_flight_ == 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int capacity_;
  int low_water_;
  int in_flight_ = 0;
};

}  // namespace perseval
