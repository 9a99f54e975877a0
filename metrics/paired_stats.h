// Comparing two runs on the same samples. Every function takes the per-sample scores of
// run A and run B in the same sample order (a[i] and b[i] score the same sample), and
// differences are always B - A: positive means B is better when higher scores are better.
// Pairing removes the between-sample variance that two independent intervals would double
// count. Multiple comparisons: metrics/multiple_testing.h; detectable effects:
// metrics/power.h. Pure functions; every function that takes two spans throws
// std::invalid_argument when their lengths differ.
#pragma once

#include <cstdint>
#include <span>

#include "metrics/stats.h"

namespace perseval::metrics {

// Per-sample flips between runs A and B.
struct PairedFlips {
  int64_t improved = 0;      // b[i] - a[i] > tolerance
  int64_t worsened = 0;      // a[i] - b[i] > tolerance
  int64_t unchanged = 0;     // |b[i] - a[i]| <= tolerance
  int64_t incomparable = 0;  // a[i] or b[i] is NaN (never silently counted as unchanged)
};

// Counts improved, worsened and unchanged samples; `tolerance` is absolute and defaults to
// 1e-12 so that rounding noise in float-valued scores is not a flip. For binary (0/1)
// scores, worsened and improved are McNemar's discordant counts:
// mcnemar_exact_p_value(flips.worsened, flips.improved). Empty input gives all zeros.
PairedFlips count_paired_flips(std::span<const double> a, std::span<const double> b,
                               double tolerance = 1e-12);

// Result of paired_bootstrap_difference.
struct PairedBootstrap {
  int64_t n = 0;
  double mean_difference = 0.0;  // mean over samples of b[i] - a[i]
  Interval interval;             // percentile interval of the resampled mean difference
  double p_value = 1.0;          // two-sided, see paired_bootstrap_difference
};

// Seeded paired bootstrap of the mean difference B - A: each resample draws n sample
// indices with replacement and takes the mean of d[i] = b[i] - a[i] over them, the same
// draws as bootstrap_mean_interval(d, seed, resamples, level), so `interval` equals that
// interval exactly. The p-value inverts the percentile interval (not centred at the null):
//   p = min(1, 2 * (min(#{d* <= 0}, #{d* >= 0}) + 1) / (resamples + 1)),
// i.e. twice the bootstrap mass on the far side of zero, with add-one so that a Monte Carlo
// p-value is never 0: its floor 2 / (resamples + 1) is the resolution of the resampling.
// p < 1 - level roughly when `interval` excludes 0. Deterministic for a seed. n == 0 gives
// a zero difference, interval {0, 0} and p = 1; identical runs give p = 1. A NaN in either
// input makes mean_difference, interval and p_value NaN.
PairedBootstrap paired_bootstrap_difference(std::span<const double> a,
                                            std::span<const double> b, uint64_t seed,
                                            int resamples = 1000, double level = 0.95);

// Exact two-sided McNemar test for paired binary outcomes, from the discordant counts only:
// `a_only_right` samples A got right and B wrong, `b_only_right` the reverse. Under the null
// each discordant sample is equally likely either way, so with X ~ Binomial(n = a_only_right
// + b_only_right, 1/2):  p = min(1, 2 * P(X <= min(a_only_right, b_only_right))), which is
// scipy.stats.binomtest(k, n, 0.5).pvalue (for p = 1/2 the two tails are mirror images).
// n == 0 gives 1. Computed as the binomial pmf at the cut-off (from lgamma, in log space)
// times a downward recurrence, so nothing overflows for n up to 10^5 and far beyond; the
// relative error is below 1e-12 for n <= 1000 and about 1e-10 at n = 10^5 (lgamma(n + 1) is
// near 10^6 there), and p below about 1e-308 underflows to 0. Throws std::invalid_argument on a
// negative count.
double mcnemar_exact_p_value(int64_t a_only_right, int64_t b_only_right);

// Result of sign_flip_permutation_test.
struct SignFlipTest {
  int64_t n = 0;
  double mean_difference = 0.0;  // mean over samples of b[i] - a[i]
  double p_value = 1.0;
  bool exact = true;             // all 2^n sign patterns enumerated, else Monte Carlo
  int64_t patterns = 1;          // 2^n when exact, else the Monte Carlo resamples
};

// Two-sided sign-flip (paired permutation) test of mean difference 0 for continuous scores.
// Under the null each difference d[i] = b[i] - a[i] is as likely to have had the opposite
// sign; the statistic is |sum of d| and the p-value is the share of sign patterns whose
// |sum| is at least the observed one (ties, up to a rounding bound of 2 n eps sum|d|, count
// as at least). Zero differences stay in n as they are (they flip to themselves). For
// n <= max_exact_n (capped at 24) all 2^n patterns are enumerated: the exact p-value, never
// below 2 / 2^n. Above that, `resamples` uniformly random patterns drawn from Rng(seed)
// give p = (count + 1) / (resamples + 1), which is never 0 and deterministic for a seed.
// n == 0 and all-zero differences give p = 1; a NaN in either input gives NaN p and mean.
SignFlipTest sign_flip_permutation_test(std::span<const double> a, std::span<const double> b,
                                        uint64_t seed, int resamples = 10000,
                                        int max_exact_n = 20);

}  // namespace perseval::metrics
