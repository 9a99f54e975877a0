// Counters of one endpoint: every attempt's status and latency, outcomes, and how full
// the pipe is. Read at any time from any thread (a snapshot), written by the I/O thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace perseval {

// One HTTP attempt as the engine saw it (handed to EndpointOptions::on_attempt).
struct HttpAttempt {
  size_t replica = 0;
  int attempt = 1;                 // 1 for the first try of a request
  long status = 0;                 // HTTP status; 0 when no response arrived
  std::string failure;             // why the attempt failed ("" on success), never headers
  double latency_ms = 0.0;         // from sending to the last byte (or the failure)
  std::chrono::steady_clock::time_point started;
  bool will_retry = false;
  std::chrono::milliseconds retry_delay{0};  // the wait scheduled before the next attempt
};

// A snapshot of an endpoint's counters. Latency percentiles come from a log-scale
// histogram (buckets 19% apart), so they are accurate to about that.
struct HttpEndpointStats {
  long long submitted = 0;
  long long succeeded = 0;
  long long failed = 0;       // retries exhausted or a permanent error
  long long cancelled = 0;    // the endpoint or engine shut down first
  long long attempts = 0;
  long long retries = 0;
  std::map<long, long long> attempts_by_status;       // 0: no HTTP response
  std::map<std::string, long long> failures_by_kind;  // "429", "timeout", "malformed body", ...
  std::vector<long long> attempts_by_replica;
  int in_flight = 0;
  int peak_in_flight = 0;
  int waiting = 0;            // queued for a slot, or waiting to retry
  double latency_ms_mean = 0.0;
  double latency_ms_p50 = 0.0;
  double latency_ms_p90 = 0.0;
  double latency_ms_p99 = 0.0;
  double latency_ms_max = 0.0;
};

// Thread-safe accumulator behind HttpEndpointStats.
class HttpStatsRecorder {
 public:
  explicit HttpStatsRecorder(size_t replicas);

  void on_submitted();
  // Records one finished attempt; `kind` is the failure class ("" on success).
  void on_attempt(const HttpAttempt& attempt, const std::string& kind);
  void on_outcome(bool succeeded, bool cancelled);
  // The current in-flight and waiting counts (the peak is tracked here).
  void set_load(int in_flight, int waiting);

  HttpEndpointStats snapshot() const;

 private:
  static constexpr size_t kBuckets = 128;
  mutable std::mutex mu_;
  HttpEndpointStats stats_;
  std::array<long long, kBuckets> histogram_{};
  double latency_sum_ms_ = 0.0;
};

}  // namespace perseval
