// An endpoint as the I/O thread sees it (internal to adapters/http): the FIFO of requests
// waiting for a slot, the replicas with their in-flight counts and (adaptive) limits, and
// the requests/min and tokens/min buckets that decide when the next request may start.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "adapters/http/concurrency_limit.h"
#include "adapters/http/http_request.h"
#include "adapters/http/token_bucket.h"
#include "adapters/http/transfer.h"

namespace perseval {

// Not thread-safe: owned by the engine's I/O thread.
class EndpointState {
 public:
  using Clock = std::chrono::steady_clock;

  // Throws std::invalid_argument when `options` has no base URL.
  EndpointState(uint64_t id, EndpointOptions options);
  ~EndpointState();
  EndpointState(const EndpointState&) = delete;
  EndpointState& operator=(const EndpointState&) = delete;

  uint64_t id() const { return id_; }
  const EndpointOptions& options() const { return options_; }
  curl_slist* headers() const { return headers_; }
  const char* no_proxy() const { return no_proxy_.c_str(); }
  long timeout_ms() const { return timeout_ms_; }

  // New requests join the back of the queue; retries whose wait is over join the front,
  // since they were submitted before anything still queued.
  void push_back(std::unique_ptr<Transfer> transfer);
  void push_front(std::unique_ptr<Transfer> transfer);

  // Takes the queue's head if it may start now: a replica has a free slot and both
  // buckets allow it. Picks the replica with the fewest requests in flight (ties in
  // rotation), charges the buckets and counts the attempt as in flight. Otherwise
  // returns null and, when a bucket is what blocks, lowers `wake` to when it refills.
  std::unique_ptr<Transfer> admit(Clock::time_point now, Clock::time_point& wake);

  // How an attempt ended, as far as the replica's health and limit are concerned.
  struct AttemptEnd {
    bool succeeded = false;
    bool throttled = false;    // 429
    bool unreachable = false;  // no connection (refused, DNS)
  };

  // The attempt of `transfer` has ended: frees its slot and feeds the adaptive limit.
  // An unreachable replica is left out of the rotation for a while (250 ms, doubling per
  // consecutive failure up to 30 s) unless every replica is; otherwise it would look
  // like the least busy one and swallow every retry.
  void end_attempt(const Transfer& transfer, AttemptEnd how, Clock::time_point now);

  // Everything still queued (for cancellation), in order.
  std::deque<std::unique_ptr<Transfer>> take_queue();

  int in_flight() const { return in_flight_; }
  int queued() const { return static_cast<int>(queue_.size()); }
  int retry_waiting = 0;  // kept by the engine: transfers of this endpoint on the timer

 private:
  struct Replica {
    std::string base_url;
    ConcurrencyLimit limit;
    int in_flight = 0;
    int unreachable_streak = 0;
    Clock::time_point resting_until{};
  };
  int pick_replica(Clock::time_point now);

  uint64_t id_;
  EndpointOptions options_;
  curl_slist* headers_ = nullptr;
  std::string no_proxy_;
  long timeout_ms_;
  std::vector<Replica> replicas_;
  size_t rotation_ = 0;
  uint64_t next_dispatch_seq_ = 0;
  int in_flight_ = 0;
  TokenBucket requests_;
  TokenBucket tokens_;
  std::deque<std::unique_ptr<Transfer>> queue_;
};

}  // namespace perseval
