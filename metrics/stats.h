// Statistics shared by every task: means and seeded bootstrap percentile intervals.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace perseval::metrics {

// Arithmetic mean; 0 for empty input.
double mean(std::span<const double> values);

// A two-sided interval.
struct Interval {
  double low = 0.0;
  double high = 0.0;
};

// Seeded bootstrap percentile interval of `statistic` over `n` items. Each resample is a
// vector of n indices drawn with replacement; the interval is the (1-level)/2 and
// 1-(1-level)/2 percentiles (linear interpolation, as numpy.percentile) of the resampled
// statistics. Deterministic for a given seed. n == 0 gives {0, 0}.
Interval bootstrap_interval(size_t n,
                            const std::function<double(std::span<const size_t>)>& statistic,
                            uint64_t seed, int resamples = 1000, double level = 0.95);

// Several statistics on the SAME resamples: the n indices of each resample are drawn once
// and handed to every statistic, so result i equals bootstrap_interval(n, statistics[i],
// seed, ...) exactly while drawing (and allocating) only once. Single-threaded, like all of
// metrics/.
std::vector<Interval> bootstrap_intervals(
    size_t n, std::span<const std::function<double(std::span<const size_t>)>> statistics,
    uint64_t seed, int resamples = 1000, double level = 0.95);

// Bootstrap interval of the mean of `values`.
Interval bootstrap_mean_interval(std::span<const double> values, uint64_t seed,
                                 int resamples = 1000, double level = 0.95);

// Percentile of sorted-or-not `values` with numpy's default linear interpolation; q in [0,100].
double percentile(std::vector<double> values, double q);

// A small deterministic PRNG (xoshiro256**) seeded through SplitMix64; the same seed gives
// the same stream on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t next();
  // Uniform integer in [0, bound); bound > 0. Unbiased (rejection sampling).
  uint64_t below(uint64_t bound);
  // Fills `out` with below(bound) draws, in order: the same numbers as calling below() for
  // each element, with the rejection threshold computed once (half the divisions).
  void fill_below(uint64_t bound, std::span<size_t> out);
  // Uniform double in [0, 1).
  double uniform();

 private:
  uint64_t s_[4];
};

}  // namespace perseval::metrics
