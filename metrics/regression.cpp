// LaMP-3 rating metrics: sklearn's mean_absolute_error and mean_squared_error(squared=False).
#include "metrics/regression.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "metrics/stats.h"

namespace perseval::metrics {

double farthest_extreme(double gold, double lo, double hi) {
  return std::abs(lo - gold) > std::abs(hi - gold) ? lo : hi;
}

// Both errors materialise the per-item terms and go through metrics::mean so they are
// summed in numpy's order; nothing filters non-finite values, so NaN/inf propagate.
double mean_absolute_error(std::span<const double> golds, std::span<const double> preds) {
  const std::size_t n = std::min(golds.size(), preds.size());
  std::vector<double> errors(n);
  for (std::size_t i = 0; i < n; ++i) errors[i] = std::abs(preds[i] - golds[i]);
  return mean(errors);
}

double root_mean_squared_error(std::span<const double> golds, std::span<const double> preds) {
  const std::size_t n = std::min(golds.size(), preds.size());
  std::vector<double> squares(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double diff = golds[i] - preds[i];
    squares[i] = diff * diff;
  }
  return std::sqrt(mean(squares));
}

}  // namespace perseval::metrics
