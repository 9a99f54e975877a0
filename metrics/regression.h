// Regression metrics (LaMP-3 product rating) as the official scorer computes them.
#pragma once

#include <span>

namespace perseval::metrics {

// The worst-case stand-in for an unparseable rating in [lo, hi]: `lo` when
// |lo - gold| > |hi - gold|, otherwise `hi` (a tie goes to `hi`).
double farthest_extreme(double gold, double lo, double hi);

// Mean absolute error. NaN/inf predictions propagate (as in the official script). 0 for empty.
double mean_absolute_error(std::span<const double> golds, std::span<const double> preds);

// Root mean squared error: sqrt(mean((pred - gold)^2)). 0 for empty.
double root_mean_squared_error(std::span<const double> golds, std::span<const double> preds);

}  // namespace perseval::metrics
