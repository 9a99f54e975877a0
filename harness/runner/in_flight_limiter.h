// A counting limit on samples in flight: the loader blocks in acquire() while `capacity`
// samples are between loading and storing. Thread-safe.
#pragma once

#include <condition_variable>
#include <mutex>

namespace perseval {

class InFlightLimiter {
 public:
  explicit InFlightLimiter(int capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  // Blocks until a slot is free, then takes it.
  void acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return in_flight_ < capacity_; });
    ++in_flight_;
  }

  // Frees a slot. Notifies while holding the lock so the limiter may be destroyed as soon
  // as wait_idle() returns in another thread.
  void release() {
    std::lock_guard lock(mu_);
    --in_flight_;
    cv_.notify_all();
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
  int in_flight_ = 0;
};

}  // namespace perseval
