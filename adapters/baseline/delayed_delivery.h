// Delivers callbacks after a delay from one timer thread, so a simulated model latency
// never blocks the caller (or a TBB worker). Used by baselines with `latency_ms` to behave
// like a remote model: many requests in flight, completions arriving later.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

namespace perseval {

// Thread-safe. The destructor delivers nothing more: it waits for the queue to drain first.
class DelayedDelivery {
 public:
  DelayedDelivery();
  ~DelayedDelivery();
  DelayedDelivery(const DelayedDelivery&) = delete;
  DelayedDelivery& operator=(const DelayedDelivery&) = delete;

  // Runs `callback` on the timer thread once `delay` has passed.
  void schedule(std::chrono::milliseconds delay, std::function<void()> callback);
  // Blocks until every scheduled callback has run.
  void drain();

 private:
  struct Item {
    std::chrono::steady_clock::time_point due;
    unsigned long long order;
    std::function<void()> callback;
    bool operator>(const Item& o) const { return due != o.due ? due > o.due : order > o.order; }
  };
  void loop();
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> queue_;
  unsigned long long next_order_ = 0;
  int running_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace perseval
