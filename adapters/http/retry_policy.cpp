#include "adapters/http/retry_policy.h"

#include <curl/curl.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace perseval {

bool is_retryable_status(long status) {
  return status == 408 || status == 425 || status == 429 || (status >= 500 && status <= 599);
}

std::chrono::milliseconds retry_delay(const RetryOptions& options, int retry,
                                      std::optional<std::chrono::milliseconds> retry_after,
                                      double random_unit) {
  using std::chrono::milliseconds;
  if (retry_after) return std::min(*retry_after, options.max_retry_after);
  // 2^(retry-1) overflows quickly; cap the exponent well before it can.
  const double factor = std::ldexp(1.0, std::clamp(retry - 1, 0, 40));
  const double cap = std::min(static_cast<double>(options.max_backoff.count()),
                              static_cast<double>(options.base_backoff.count()) * factor);
  const double unit = std::clamp(random_unit, 0.0, 1.0);
  return milliseconds(static_cast<long long>(cap * unit));
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// Non-negative decimal seconds, digits with at most one '.'; nullopt otherwise.
std::optional<double> parse_seconds(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  bool dot = false;
  bool digit = false;
  for (char c : s) {
    if (c == '.' && !dot) dot = true;
    else if (c >= '0' && c <= '9') digit = true;
    else return std::nullopt;
  }
  if (!digit) return std::nullopt;
  return std::stod(std::string(s));
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  using namespace std::chrono;
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (auto seconds = parse_seconds(value))
    return milliseconds(static_cast<long long>(std::llround(*seconds * 1000.0)));
  // Every HTTP-date names a month; curl_getdate is lenient enough to read "-5" as a time.
  if (std::none_of(value.begin(), value.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }))
    return std::nullopt;
  // curl_getdate knows the three date forms HTTP allows (RFC 9110 section 5.6.7).
  const std::string text(value);
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  const auto delta = system_clock::from_time_t(when) - now;
  if (delta <= system_clock::duration::zero()) return milliseconds(0);
  return ceil<milliseconds>(delta);
}

}  // namespace perseval
