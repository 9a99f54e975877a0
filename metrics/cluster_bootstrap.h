// Bootstrap intervals over users. Personalization samples are nested inside users, and the
// samples of one user are correlated (same profile, same history); resampling samples as if
// independent gives intervals that are too narrow. Resampling whole users does not.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "metrics/stats.h"

namespace perseval::metrics {

// Seeded cluster bootstrap percentile interval of the pooled mean of `values`, where
// `cluster_ids[i]` names the cluster (user) of values[i]. Each resample draws as many
// clusters as there are distinct ids, with replacement, and takes the mean over all samples
// of the drawn clusters (sum of their values / sum of their sizes, so larger clusters weigh
// more, as in the point estimate mean(values)). The interval is the (1-level)/2 and
// 1-(1-level)/2 percentiles of the resampled means, as bootstrap_interval; clusters are
// numbered in order of first appearance and drawn with bootstrap_interval's index stream, so
// the result is deterministic for a seed, and with one sample per cluster it equals
// bootstrap_mean_interval(values, seed, ...) up to summation rounding. Samples of one cluster
// need not be contiguous. Empty input gives {0, 0}; NaN values propagate. Throws
// std::invalid_argument when the two spans differ in length.
Interval cluster_bootstrap_mean_interval(std::span<const double> values,
                                         std::span<const std::string> cluster_ids,
                                         uint64_t seed, int resamples = 1000,
                                         double level = 0.95);

}  // namespace perseval::metrics
