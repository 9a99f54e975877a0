#include "metrics/paired_stats.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace perseval::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void require_same_length(const char* function, std::span<const double> a,
                         std::span<const double> b) {
  if (a.size() != b.size()) {
    throw std::invalid_argument(std::string(function) + ": run A has " +
                                std::to_string(a.size()) + " scores but run B has " +
                                std::to_string(b.size()));
  }
}

std::vector<double> differences(std::span<const double> a, std::span<const double> b) {
  std::vector<double> d(a.size());
  for (size_t i = 0; i < d.size(); ++i) d[i] = b[i] - a[i];
  return d;
}

// sum_i sign_i * d[i] in index order, where bit i of `negated` flips the sign of d[i]; for
// d.size() <= 64. Summing in the same order as the observed sum keeps the identity pattern
// bit-identical to it.
double signed_sum(const std::vector<double>& d, uint64_t negated) {
  double sum = 0.0;
  for (size_t i = 0; i < d.size(); ++i) sum += ((negated >> i) & 1u) ? -d[i] : d[i];
  return sum;
}

}  // namespace

PairedFlips count_paired_flips(std::span<const double> a, std::span<const double> b,
                               double tolerance) {
  require_same_length("count_paired_flips", a, b);
  PairedFlips flips;
  for (size_t i = 0; i < a.size(); ++i) {
    const double d = b[i] - a[i];
    if (std::isnan(d)) {
      ++flips.incomparable;
    } else if (d > tolerance) {
      ++flips.improved;
    } else if (d < -tolerance) {
      ++flips.worsened;
    } else {
      ++flips.unchanged;
    }
  }
  return flips;
}

PairedBootstrap paired_bootstrap_difference(std::span<const double> a,
                                            std::span<const double> b, uint64_t seed,
                                            int resamples, double level) {
  require_same_length("paired_bootstrap_difference", a, b);
  PairedBootstrap result;
  result.n = static_cast<int64_t>(a.size());
  if (a.empty()) return result;
  const std::vector<double> d = differences(a, b);
  result.mean_difference = mean(d);
  // Same statistic and draws as bootstrap_mean_interval. bootstrap_interval may evaluate
  // resamples concurrently and in any order, so the statistic keeps no shared buffer and the
  // p-value's tail counts are atomic sums, which do not depend on the order.
  std::atomic<int64_t> at_most_zero{0};
  std::atomic<int64_t> at_least_zero{0};
  std::atomic<int64_t> evaluated{0};
  const auto resample_mean = [&](std::span<const size_t> indices) {
    std::vector<double> sample(indices.size());
    for (size_t i = 0; i < indices.size(); ++i) sample[i] = d[indices[i]];
    const double m = mean(sample);
    if (m <= 0.0) at_most_zero.fetch_add(1, std::memory_order_relaxed);
    if (m >= 0.0) at_least_zero.fetch_add(1, std::memory_order_relaxed);
    evaluated.fetch_add(1, std::memory_order_relaxed);
    return m;
  };
  result.interval = bootstrap_interval(d.size(), resample_mean, seed, resamples, level);
  if (std::isnan(result.mean_difference)) {
    result.p_value = kNaN;
    return result;
  }
  const double tail = static_cast<double>(std::min(at_most_zero.load(), at_least_zero.load()) + 1);
  result.p_value = std::min(1.0, 2.0 * tail / static_cast<double>(evaluated.load() + 1));
  return result;
}

double mcnemar_exact_p_value(int64_t a_only_right, int64_t b_only_right) {
  if (a_only_right < 0 || b_only_right < 0) {
    throw std::invalid_argument("mcnemar_exact_p_value: negative count (" +
                                std::to_string(a_only_right) + ", " +
                                std::to_string(b_only_right) + ")");
  }
  const int64_t n = a_only_right + b_only_right;
  const int64_t cut = std::min(a_only_right, b_only_right);
  // The lower tail up to cut >= n/2 already holds at least half the mass: p = 1 (and n == 0).
  if (2 * cut >= n) return 1.0;
  const double size = static_cast<double>(n);
  const double k = static_cast<double>(cut);
  // P(X = cut) for X ~ Binomial(n, 1/2), in logs: 2^-n and C(n, cut) alone overflow.
  const double log_pmf_at_cut = std::lgamma(size + 1.0) - std::lgamma(k + 1.0) -
                                std::lgamma(size - k + 1.0) - size * std::log(2.0);
  // P(X <= cut) / P(X = cut) = sum over j <= cut of pmf(j)/pmf(cut); consecutive ratios
  // pmf(j-1)/pmf(j) = j / (n - j + 1) are below 1 here, so terms fall and the sum stops
  // once they no longer change it.
  double tail_ratio = 1.0;
  double term = 1.0;
  for (int64_t j = cut; j > 0; --j) {
    term *= static_cast<double>(j) / static_cast<double>(n - j + 1);
    tail_ratio += term;
    if (term < tail_ratio * 1e-17) break;
  }
  return std::min(1.0, 2.0 * std::exp(log_pmf_at_cut + std::log(tail_ratio)));
}

SignFlipTest sign_flip_permutation_test(std::span<const double> a, std::span<const double> b,
                                        uint64_t seed, int resamples, int max_exact_n) {
  require_same_length("sign_flip_permutation_test", a, b);
  const std::vector<double> d = differences(a, b);
  SignFlipTest result;
  result.n = static_cast<int64_t>(d.size());
  result.mean_difference = mean(d);
  if (std::isnan(result.mean_difference)) {
    result.p_value = kNaN;
    return result;
  }
  double observed = 0.0;
  double magnitude = 0.0;
  for (const double x : d) {
    observed += x;
    magnitude += std::fabs(x);
  }
  // A recursive sum of n terms is off by at most (n - 1) eps sum|d| (first order), so two
  // sign patterns whose |sums| are equal in exact arithmetic differ by less than this.
  const double tie_tolerance =
      2.0 * static_cast<double>(d.size()) * std::numeric_limits<double>::epsilon() * magnitude;
  const double threshold = std::fabs(observed) - tie_tolerance;

  if (static_cast<int64_t>(d.size()) <= std::min(max_exact_n, 24)) {
    result.exact = true;
    result.patterns = int64_t{1} << d.size();
    if (d.empty()) return result;  // one (empty) pattern, which ties: p = 1
    // A pattern and its complement have sums of opposite sign and the same magnitude
    // (negation is exact), so enumerate the half with the last sign fixed and double.
    const uint64_t half = uint64_t{1} << (d.size() - 1);
    int64_t extreme = 0;
    for (uint64_t negated = 0; negated < half; ++negated) {
      if (std::fabs(signed_sum(d, negated)) >= threshold) ++extreme;
    }
    result.p_value = static_cast<double>(2 * extreme) / static_cast<double>(result.patterns);
    return result;
  }

  result.exact = false;
  result.patterns = std::max(resamples, 0);
  Rng rng(seed);
  int64_t extreme = 0;
  for (int r = 0; r < resamples; ++r) {
    double sum = 0.0;
    uint64_t bits = 0;
    for (size_t i = 0; i < d.size(); ++i) {
      if (i % 64 == 0) bits = rng.next();
      sum += (bits & 1u) ? -d[i] : d[i];
      bits >>= 1;
    }
    if (std::fabs(sum) >= threshold) ++extreme;
  }
  result.p_value =
      static_cast<double>(extreme + 1) / static_cast<double>(result.patterns + 1);
  return result;
}

}  // namespace perseval::metrics
