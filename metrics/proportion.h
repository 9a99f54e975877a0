// Intervals for a binomial proportion (accuracy over n items). Small cells (17 questions of
// one type) are common in personalization benchmarks, where the Wilson score interval keeps
// sensible coverage and never leaves [0, 1], unlike the normal approximation.
#pragma once

#include "metrics/stats.h"

namespace perseval::metrics {

// The standard normal quantile for a two-sided 95% interval.
inline constexpr double kZ95 = 1.959963984540054;

// Wilson score interval for `successes` out of `n` with normal quantile `z` (kZ95 for 95%).
// n <= 0 gives {0, 0}; successes is clamped to [0, n].
Interval wilson_interval(double successes, double n, double z = kZ95);

}  // namespace perseval::metrics
