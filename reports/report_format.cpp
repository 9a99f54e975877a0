#include "reports/report_format.h"

#include <cmath>
#include <cstdio>

namespace perseval::report {

std::string format_metric(double value, const std::string& name) {
  if (!std::isfinite(value)) return "n/a";
  char buf[64];
  if (name.rfind("n_", 0) == 0 && value == std::floor(value) && std::fabs(value) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", value);
  else if (std::fabs(value) >= 1000)
    std::snprintf(buf, sizeof buf, "%.1f", value);
  else
    std::snprintf(buf, sizeof buf, "%.3f", value);
  return buf;
}

std::string format_interval(const std::optional<double>& low, const std::optional<double>& high,
                            const std::string& name) {
  if (!low || !high) return "";
  return "[" + format_metric(*low, name) + ", " + format_metric(*high, name) + "]";
}

std::string format_count(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string format_seconds(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "n/a";
  char buf[64];
  if (seconds < 10)
    std::snprintf(buf, sizeof buf, "%.2f s", seconds);
  else if (seconds < 120)
    std::snprintf(buf, sizeof buf, "%.1f s", seconds);
  else
    std::snprintf(buf, sizeof buf, "%lld min %lld s", static_cast<long long>(seconds) / 60,
                  static_cast<long long>(seconds) % 60);
  return buf;
}

bool has_value(const MetricValue& metric) { return std::isfinite(metric.value); }

}  // namespace perseval::report
