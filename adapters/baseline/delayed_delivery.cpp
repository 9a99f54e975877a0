#include "adapters/baseline/delayed_delivery.h"

namespace perseval {

DelayedDelivery::DelayedDelivery() : thread_([this] { loop(); }) {}

DelayedDelivery::~DelayedDelivery() {
  drain();
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void DelayedDelivery::schedule(std::chrono::milliseconds delay, std::function<void()> callback) {
  {
    std::lock_guard lock(mu_);
    queue_.push(Item{std::chrono::steady_clock::now() + delay, next_order_++, std::move(callback)});
  }
  cv_.notify_all();
}

void DelayedDelivery::drain() {
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [&] { return queue_.empty() && running_ == 0; });
}

void DelayedDelivery::loop() {
  std::unique_lock lock(mu_);
  while (true) {
    if (stop_ && queue_.empty()) return;
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    const auto due = queue_.top().due;
    if (std::chrono::steady_clock::now() < due) {
      cv_.wait_until(lock, due);
      continue;
    }
    Item item = std::move(const_cast<Item&>(queue_.top()));
    queue_.pop();
    ++running_;
    lock.unlock();
    item.callback();
    lock.lock();
    --running_;
    if (queue_.empty() && running_ == 0) idle_cv_.notify_all();
  }
}

}  // namespace perseval
