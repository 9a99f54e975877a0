#include "adapters/http/http_stats.h"

#include <algorithm>
#include <cmath>

namespace perseval {
namespace {

// Bucket i holds latencies up to 0.05 ms * 2^(i/4): 0.05 ms ... about 200 days.
constexpr double kFirstBoundMs = 0.05;

size_t bucket_of(double latency_ms) {
  if (latency_ms <= kFirstBoundMs) return 0;
  const double index = std::ceil(4.0 * std::log2(latency_ms / kFirstBoundMs));
  return static_cast<size_t>(std::min(index, 127.0));
}

double bucket_bound(size_t index) { return kFirstBoundMs * std::exp2(index / 4.0); }

}  // namespace

HttpStatsRecorder::HttpStatsRecorder(size_t replicas) {
  stats_.attempts_by_replica.assign(replicas, 0);
}

void HttpStatsRecorder::on_submitted() {
  std::lock_guard lock(mu_);
  ++stats_.submitted;
}

void HttpStatsRecorder::on_attempt(const HttpAttempt& attempt, const std::string& kind) {
  std::lock_guard lock(mu_);
  ++stats_.attempts;
  if (attempt.attempt > 1) ++stats_.retries;
  ++stats_.attempts_by_status[attempt.status];
  if (!kind.empty()) ++stats_.failures_by_kind[kind];
  if (attempt.replica < stats_.attempts_by_replica.size()) ++stats_.attempts_by_replica[attempt.replica];
  ++histogram_[bucket_of(attempt.latency_ms)];
  latency_sum_ms_ += attempt.latency_ms;
  stats_.latency_ms_max = std::max(stats_.latency_ms_max, attempt.latency_ms);
}

void HttpStatsRecorder::on_outcome(bool succeeded, bool cancelled) {
  std::lock_guard lock(mu_);
  if (cancelled) ++stats_.cancelled;
  else if (succeeded) ++stats_.succeeded;
  else ++stats_.failed;
}

void HttpStatsRecorder::set_load(int in_flight, int waiting) {
  std::lock_guard lock(mu_);
  stats_.in_flight = in_flight;
  stats_.waiting = waiting;
  stats_.peak_in_flight = std::max(stats_.peak_in_flight, in_flight);
}

HttpEndpointStats HttpStatsRecorder::snapshot() const {
  std::lock_guard lock(mu_);
  HttpEndpointStats out = stats_;
  if (stats_.attempts == 0) return out;
  out.latency_ms_mean = latency_sum_ms_ / static_cast<double>(stats_.attempts);
  auto percentile = [&](double q) {
    const long long rank = static_cast<long long>(std::ceil(q * static_cast<double>(stats_.attempts)));
    long long seen = 0;
    for (size_t i = 0; i < kBuckets; ++i) {
      seen += histogram_[i];
      if (seen >= rank) return std::min(bucket_bound(i), stats_.latency_ms_max);
    }
    return stats_.latency_ms_max;
  };
  out.latency_ms_p50 = percentile(0.50);
  out.latency_ms_p90 = percentile(0.90);
  out.latency_ms_p99 = percentile(0.99);
  return out;
}

}  // namespace perseval
