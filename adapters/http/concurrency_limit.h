// The in-flight limit of one replica, optionally adaptive (AIMD, like TCP congestion
// control): halve on 429, then recover additively as requests succeed.
#pragma once

#include <cstdint>

namespace perseval {

// Not thread-safe: owned by the engine's I/O thread.
class ConcurrencyLimit {
 public:
  // `maximum` requests in flight (at least 1). Without `adaptive` the limit stays there.
  ConcurrencyLimit(int maximum, bool adaptive);

  // How many requests may be in flight now (1 ... maximum).
  int current() const { return static_cast<int>(limit_); }

  // A request dispatched as number `dispatch_seq` was throttled (429). Halves the limit,
  // but only once per window: answers to requests sent before the previous cut are the
  // same congestion event, and counting each would collapse the limit to 1 at once.
  // `next_dispatch_seq` is the number the next dispatched request will get.
  void on_throttled(uint64_t dispatch_seq, uint64_t next_dispatch_seq);

  // A request succeeded: +1/limit, i.e. about +1 per limit's worth of successes.
  void on_success();

 private:
  double maximum_;
  bool adaptive_;
  double limit_;
  uint64_t window_start_ = 0;  // requests dispatched before this belong to the last cut
};

}  // namespace perseval
