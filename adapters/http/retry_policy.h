// When and how long to wait before retrying an HTTP attempt: which failures are worth a
// retry, exponential backoff with full jitter, and the server's Retry-After.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace perseval {

// Retry settings of one endpoint. Plain values; copy freely.
struct RetryOptions {
  int max_retries = 5;                                // retries after the first attempt
  std::chrono::milliseconds base_backoff{500};        // first retry waits up to this long
  std::chrono::milliseconds max_backoff{20000};       // the exponential cap
  std::chrono::milliseconds max_retry_after{600000};  // a longer Retry-After is cut to this
};

// True for statuses that a later attempt may not get: 408, 425, 429 and every 5xx.
bool is_retryable_status(long status);

// The wait before retry number `retry` (1 for the first retry). A Retry-After from the
// server wins (capped at max_retry_after); otherwise full jitter,
// uniform in [0, min(max_backoff, base_backoff * 2^(retry-1))], drawn from `random_unit`
// in [0, 1). Full jitter spreads a crowd of clients that failed together (AWS
// architecture blog, "Exponential Backoff And Jitter").
std::chrono::milliseconds retry_delay(const RetryOptions& options, int retry,
                                      std::optional<std::chrono::milliseconds> retry_after,
                                      double random_unit);

// Parses a Retry-After header value: delta-seconds ("120", decimals accepted) or an HTTP-date
// ("Wed, 21 Oct 2015 07:28:00 GMT", also RFC 850 and asctime forms), relative to `now`.
// A date in the past gives 0. Returns nullopt for an empty or unparseable value.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace perseval
