// Numbers as the HTML report prints them. Plain text (no markup); callers still escape.
#pragma once

#include <optional>
#include <string>

#include "harness/core/types.h"

namespace perseval::report {

// A metric value: "n/a" when not finite, an integer for count metrics (names starting
// with "n_"), otherwise three decimals (one decimal from 1000 on).
std::string format_metric(double value, const std::string& name = "");

// "[low, high]" formatted like format_metric, or "" when the interval is missing.
std::string format_interval(const std::optional<double>& low, const std::optional<double>& high,
                            const std::string& name = "");

// An integer with thousands separators: 10000 -> "10,000".
std::string format_count(long long value);

// A duration in seconds: "0.19 s", "12.4 s", "3 min 20 s".
std::string format_seconds(double seconds);

// Whether the metric has a usable value (finite).
bool has_value(const MetricValue& metric);

}  // namespace perseval::report
