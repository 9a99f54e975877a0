#include "metrics/proportion.h"

#include <algorithm>
#include <cmath>

namespace perseval::metrics {

Interval wilson_interval(double successes, double n, double z) {
  if (!(n > 0)) return {0.0, 0.0};
  const double k = std::clamp(successes, 0.0, n);
  const double p = k / n;
  const double z2n = z * z / n;
  const double center = (p + z2n / 2) / (1 + z2n);
  const double half = z / (1 + z2n) * std::sqrt(p * (1 - p) / n + z2n / (4 * n));
  // Clamp only rounding noise: mathematically the interval lies inside [0, 1].
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

}  // namespace perseval::metrics
