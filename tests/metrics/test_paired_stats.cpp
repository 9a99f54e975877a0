// Paired comparison of two runs: flips, paired bootstrap, exact McNemar, sign-flip test.
// Expected values are computed by hand or with exact integer arithmetic (Python fractions
// and math.comb-style recurrences), as noted next to each.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "metrics/paired_stats.h"
#include "metrics/stats.h"

using namespace perseval::metrics;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Two-sided normal-approximation McNemar p with continuity correction, from std::erfc only:
// z = (|b - c| - 1) / sqrt(b + c), p = erfc(z / sqrt 2).
double mcnemar_normal_approximation(double b, double c) {
  const double z = (std::fabs(b - c) - 1.0) / std::sqrt(b + c);
  return std::erfc(z / std::sqrt(2.0));
}

std::vector<double> repeated(double value, int count) { return std::vector<double>(count, value); }

}  // namespace

TEST_CASE("count_paired_flips counts improved, worsened and unchanged", "[metrics][paired]") {
  const std::vector<double> a = {1.0, 0.0, 0.5, 0.5, 1.0, 0.25, 0.3, kNaN};
  const std::vector<double> b = {0.0, 1.0, 0.5, 0.5 + 1e-13, 1.0, 0.25 + 1e-9, 0.2, 0.1};
  const PairedFlips flips = count_paired_flips(a, b);
  // Index 1 and 5 (+1e-9 > 1e-12) improved; 0 and 6 worsened; 2, 3 (+1e-13 is rounding
  // noise), 4 unchanged; 7 has a NaN.
  CHECK(flips.improved == 2);
  CHECK(flips.worsened == 2);
  CHECK(flips.unchanged == 3);
  CHECK(flips.incomparable == 1);

  // A coarser tolerance turns the 0.1 drop and the 1e-9 gain into "unchanged" as well.
  const PairedFlips coarse = count_paired_flips(a, b, 0.15);
  CHECK(coarse.improved == 1);
  CHECK(coarse.worsened == 1);
  CHECK(coarse.unchanged == 5);

  const PairedFlips none = count_paired_flips(std::vector<double>{}, std::vector<double>{});
  CHECK(none.improved + none.worsened + none.unchanged + none.incomparable == 0);
  CHECK_THROWS_AS(count_paired_flips(std::vector<double>{1.0}, std::vector<double>{}),
                  std::invalid_argument);
}

TEST_CASE("binary flips feed McNemar directly", "[metrics][paired]") {
  // 10 samples: A right and B wrong once, A wrong and B right 9 times, 5 ties (3 both right,
  // 2 both wrong): McNemar b = 1, c = 9.
  std::vector<double> a = {1};
  std::vector<double> b = {0};
  for (int i = 0; i < 9; ++i) a.push_back(0), b.push_back(1);
  for (int i = 0; i < 5; ++i) a.push_back(i < 3), b.push_back(i < 3);
  const PairedFlips flips = count_paired_flips(a, b);
  CHECK(flips.worsened == 1);
  CHECK(flips.improved == 9);
  CHECK(flips.unchanged == 5);
  // P(X <= 1) for X ~ Bin(10, 1/2) is (1 + 10) / 1024, doubled: 22/1024.
  CHECK(mcnemar_exact_p_value(flips.worsened, flips.improved) ==
        Approx(0.021484375).epsilon(1e-13));
}

TEST_CASE("exact McNemar matches hand-computed binomial tails", "[metrics][paired]") {
  // 2 * sum_{k <= min} C(n, k) / 2^n, clamped to 1; lgamma rounding leaves ~1e-15.
  CHECK(mcnemar_exact_p_value(1, 9) == Approx(22.0 / 1024).epsilon(1e-13));  // 0.021484375
  CHECK(mcnemar_exact_p_value(9, 1) == Approx(0.021484375).epsilon(1e-13));
  CHECK(mcnemar_exact_p_value(0, 5) == Approx(2.0 / 32).epsilon(1e-13));  // 0.0625
  CHECK(mcnemar_exact_p_value(5, 0) == Approx(0.0625).epsilon(1e-13));
  // (1 + 10 + 45) / 1024 doubled = 112/1024.
  CHECK(mcnemar_exact_p_value(2, 8) == Approx(0.109375).epsilon(1e-13));
  // (1 + 10 + 45 + 120 + 210) / 1024 doubled = 772/1024.
  CHECK(mcnemar_exact_p_value(4, 6) == Approx(0.75390625).epsilon(1e-13));
  // n = 30: sum_{k <= 10} C(30, k) = 53009102, so p = 2 * 53009102 / 2^30
  // = 26504551 / 2^28 = 0.0987371467... (a dyadic fraction, exact in a double).
  CHECK(mcnemar_exact_p_value(10, 20) == Approx(26504551.0 / 268435456.0).epsilon(1e-13));
  // n = 42: sum_{k <= 12} C(42, k) = 17407242328, p = 2175905291 / 2^38 = 0.0079158973...
  CHECK(mcnemar_exact_p_value(12, 30) == Approx(2175905291.0 / 274877906944.0).epsilon(1e-13));
  // n = 240: 0.011664092317677663 (exact integer arithmetic).
  CHECK(mcnemar_exact_p_value(100, 140) == Approx(0.011664092317677663).epsilon(1e-12));
}

TEST_CASE("exact McNemar edge cases", "[metrics][paired]") {
  CHECK(mcnemar_exact_p_value(0, 0) == 1.0);  // no discordant pairs: no evidence
  CHECK(mcnemar_exact_p_value(3, 3) == 1.0);  // 2 P(X <= 3) > 1 for Bin(6, 1/2): clamped
  CHECK(mcnemar_exact_p_value(0, 1) == 1.0);  // 2 * 1/2
  CHECK(mcnemar_exact_p_value(4, 5) == 1.0);  // P(X <= 4) = 1/2 for Bin(9, 1/2)
  CHECK(mcnemar_exact_p_value(50000, 50000) == 1.0);
  CHECK_THROWS_AS(mcnemar_exact_p_value(-1, 3), std::invalid_argument);
  CHECK_THROWS_AS(mcnemar_exact_p_value(3, -1), std::invalid_argument);
}

TEST_CASE("exact McNemar stays accurate for large counts", "[metrics][paired]") {
  // Reference values from exact integer arithmetic (sum of binomial coefficients over 2^n);
  // the continuity-corrected normal approximation agrees to ~1e-4 relative at these n.
  const double p_10k = mcnemar_exact_p_value(4900, 5100);
  CHECK(p_10k == Approx(0.04658552770494738878).epsilon(1e-12));
  CHECK(p_10k == Approx(mcnemar_normal_approximation(4900, 5100)).epsilon(1e-3));  // 0.046591

  const double p_100k = mcnemar_exact_p_value(49500, 50500);
  CHECK(p_100k == Approx(0.0015823598788515956).epsilon(1e-9));
  CHECK(p_100k == Approx(mcnemar_normal_approximation(49500, 50500)).epsilon(1e-3));  // 0.0015825

  CHECK(mcnemar_exact_p_value(49999, 50001) == Approx(0.99747687378580326).epsilon(1e-9));
  CHECK(mcnemar_exact_p_value(50001, 49999) == mcnemar_exact_p_value(49999, 50001));

  // Far tail: 2 * 2^-1000 = 2^-999 needs log space (2^1000 overflows a double).
  CHECK(mcnemar_exact_p_value(0, 1000) == Approx(std::ldexp(1.0, -999)).epsilon(1e-12));
  // 2^-99999 is below the smallest double: underflows to 0, never NaN.
  const double underflow = mcnemar_exact_p_value(0, 100000);
  CHECK_FALSE(std::isnan(underflow));
  CHECK(underflow == 0.0);
}

TEST_CASE("paired bootstrap interval is the bootstrap of the differences", "[metrics][paired]") {
  Rng data(11);
  std::vector<double> a(200), b(200), d(200);
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = data.uniform();
    b[i] = a[i] + 0.05 + 0.2 * (data.uniform() - 0.5);
    d[i] = b[i] - a[i];
  }
  const PairedBootstrap result = paired_bootstrap_difference(a, b, 7, 500);
  const Interval expected = bootstrap_mean_interval(d, 7, 500);
  CHECK(result.n == 200);
  CHECK(result.mean_difference == mean(d));
  CHECK(result.interval.low == expected.low);
  CHECK(result.interval.high == expected.high);
  CHECK(result.interval.low < result.mean_difference);
  CHECK(result.interval.high > result.mean_difference);

  // Deterministic for a seed, and the seed matters.
  const PairedBootstrap again = paired_bootstrap_difference(a, b, 7, 500);
  CHECK(again.interval.low == result.interval.low);
  CHECK(again.interval.high == result.interval.high);
  CHECK(again.p_value == result.p_value);
  const PairedBootstrap other = paired_bootstrap_difference(a, b, 8, 500);
  CHECK((other.interval.low != result.interval.low || other.interval.high != result.interval.high));
}

TEST_CASE("paired bootstrap p-value on hand-computed cases", "[metrics][paired]") {
  // Every difference is exactly 1: every resampled mean is 1, none is <= 0, so
  // p = 2 * (0 + 1) / (1000 + 1) and the interval collapses onto 1.
  const std::vector<double> a = {0, 1, 2, 3};
  const std::vector<double> b = {1, 2, 3, 4};
  const PairedBootstrap shifted = paired_bootstrap_difference(a, b, 3, 1000);
  CHECK(shifted.mean_difference == 1.0);
  CHECK(shifted.interval.low == 1.0);
  CHECK(shifted.interval.high == 1.0);
  CHECK(shifted.p_value == Approx(2.0 / 1001).epsilon(0).margin(1e-15));
  // Reversed runs: the same p-value, the mirrored difference.
  const PairedBootstrap reversed = paired_bootstrap_difference(b, a, 3, 1000);
  CHECK(reversed.mean_difference == -1.0);
  CHECK(reversed.p_value == shifted.p_value);

  // Identical runs: every resampled difference is 0, both tails hold everything: p = 1.
  const PairedBootstrap same = paired_bootstrap_difference(a, a, 3, 1000);
  CHECK(same.mean_difference == 0.0);
  CHECK(same.interval.low == 0.0);
  CHECK(same.interval.high == 0.0);
  CHECK(same.p_value == 1.0);

  // d = {3, -1}: the mean of two draws is 3 (prob 1/4), 1 (1/2) or -1 (1/4), so
  // P(d* <= 0) = 1/4 and p = 2 * 1/4 = 0.5 up to Monte Carlo error (sd 0.006 at R = 20000).
  const PairedBootstrap two = paired_bootstrap_difference(std::vector<double>{0, 0},
                                                          std::vector<double>{3, -1}, 5, 20000);
  CHECK(two.mean_difference == 1.0);
  CHECK(two.p_value == Approx(0.5).epsilon(0).margin(0.03));
  CHECK(two.interval.low == -1.0);  // 2.5% percentile falls inside the 25% mass at -1
  CHECK(two.interval.high == 3.0);
}

TEST_CASE("paired bootstrap p-value agrees with the normal approximation", "[metrics][paired]") {
  // 400 differences spread evenly over [-0.47, 0.53): mean 0.03, population sd
  // sqrt(1/12 - 1/(12 * 400^2)) ~ 0.2887, so z = 0.03 / (0.2887 / 20) ~ 2.08. The bootstrap
  // distribution of the mean is close to normal, so p ~ erfc(|z| / sqrt 2) ~ 0.038 (the
  // bootstrap resamples the empirical distribution, hence the population sd). Monte Carlo
  // sd of p at R = 10000 is about 0.004.
  std::vector<double> a(400, 0.0), d(400);
  for (size_t i = 0; i < d.size(); ++i) d[i] = (static_cast<double>(i) + 0.5) / 400.0 - 0.47;
  const double m = mean(d);
  double ss = 0.0;
  for (const double x : d) ss += (x - m) * (x - m);
  const double z = m / (std::sqrt(ss / 400.0) / 20.0);
  const double expected = std::erfc(std::fabs(z) / std::sqrt(2.0));
  REQUIRE(expected == Approx(0.0377).margin(0.001));
  const PairedBootstrap result = paired_bootstrap_difference(a, d, 99, 10000);
  CHECK(result.mean_difference == Approx(0.03).epsilon(1e-12));
  CHECK(result.p_value == Approx(expected).epsilon(0).margin(0.015));
  CHECK(result.interval.low > 0.0);  // p < 0.05: the 95% interval leaves out 0
}

TEST_CASE("paired bootstrap edge cases", "[metrics][paired]") {
  const PairedBootstrap empty =
      paired_bootstrap_difference(std::vector<double>{}, std::vector<double>{}, 1);
  CHECK(empty.n == 0);
  CHECK(empty.mean_difference == 0.0);
  CHECK(empty.interval.low == 0.0);
  CHECK(empty.interval.high == 0.0);
  CHECK(empty.p_value == 1.0);
  const PairedBootstrap nan = paired_bootstrap_difference(std::vector<double>{1, kNaN},
                                                          std::vector<double>{2, 3}, 1, 100);
  CHECK(std::isnan(nan.mean_difference));
  CHECK(std::isnan(nan.p_value));
  CHECK_THROWS_AS(paired_bootstrap_difference(std::vector<double>{1, 2},
                                              std::vector<double>{1}, 1),
                  std::invalid_argument);
}

TEST_CASE("sign-flip test enumerates small cases exactly", "[metrics][paired]") {
  const std::vector<double> zeros3(3, 0.0);
  // d = {1, 2, 3}: the 8 signed sums are +-6, +-4, +-2, 0, 0; |S| >= 6 for 2 of 8.
  SignFlipTest t = sign_flip_permutation_test(zeros3, std::vector<double>{1, 2, 3}, 1);
  CHECK(t.exact);
  CHECK(t.patterns == 8);
  CHECK(t.n == 3);
  CHECK(t.mean_difference == 2.0);
  CHECK(t.p_value == 0.25);
  // d = {1, -2, 3}: observed |S| = 2; the sums are +-6, +-4, +-2 (from 1-2+3 and -1+2-3,
  // a tie that counts), 0, 0, so 6 of 8.
  t = sign_flip_permutation_test(zeros3, std::vector<double>{1, -2, 3}, 1);
  CHECK(t.p_value == 0.75);
  // d = {0.1, 0.2, -0.3, 0.5}: flipping the first three gives 0.5 exactly as the observed
  // sum does, though in doubles the observed sum is 0.5 and that one 0.49999999999999994;
  // the tie must still count (8 of 16 without it). With d4 = +0.5 the sums are
  // 0.5 + {+-0.6, +-0.4, +-0.2, 0, 0}, i.e. 1.1, 0.9, 0.7, 0.5, 0.5 reach 0.5, and the
  // mirrored half likewise: 10 of 16.
  t = sign_flip_permutation_test(std::vector<double>(4, 0.0),
                                 std::vector<double>{0.1, 0.2, -0.3, 0.5}, 1);
  CHECK(t.p_value == 0.625);
}

TEST_CASE("sign-flip test on +-1 differences is the exact McNemar test", "[metrics][paired]") {
  // With differences in {-1, 0, +1} the sum is (#plus - #minus) and flipping signs of the
  // nonzero ones is a fair coin per discordant pair: exactly McNemar's binomial test. Zero
  // differences stay in n (2^15 patterns) but every one of them doubles both counts.
  std::vector<double> d = repeated(1.0, 9);
  d.push_back(-1.0);
  for (int i = 0; i < 5; ++i) d.push_back(0.0);
  const SignFlipTest t = sign_flip_permutation_test(std::vector<double>(15, 0.0), d, 1);
  CHECK(t.exact);
  CHECK(t.n == 15);
  CHECK(t.patterns == 32768);
  CHECK(t.p_value == 0.021484375);  // 22/1024, as mcnemar_exact_p_value(1, 9)

  // Monte Carlo on 200 pairs (110 up, 90 down) against the exact McNemar value 0.1789640395
  // (exact integer arithmetic); Monte Carlo sd at R = 20000 is about 0.0027.
  std::vector<double> large = repeated(1.0, 110);
  for (int i = 0; i < 90; ++i) large.push_back(-1.0);
  const SignFlipTest mc = sign_flip_permutation_test(std::vector<double>(200, 0.0), large, 3,
                                                     20000);
  CHECK_FALSE(mc.exact);
  CHECK(mc.patterns == 20000);
  CHECK(mc.p_value == Approx(0.17896403953325127).epsilon(0).margin(0.012));
  CHECK(mcnemar_exact_p_value(90, 110) == Approx(0.17896403953325127).epsilon(1e-12));
}

TEST_CASE("sign-flip test switches to Monte Carlo above the exact limit", "[metrics][paired]") {
  // 20 equal differences: only the all-plus and all-minus patterns reach |S| = 20, so
  // p = 2 / 2^20 exactly.
  const SignFlipTest at_limit =
      sign_flip_permutation_test(std::vector<double>(20, 0.0), repeated(1.0, 20), 1);
  CHECK(at_limit.exact);
  CHECK(at_limit.patterns == (int64_t{1} << 20));
  CHECK(at_limit.p_value == 2.0 / 1048576.0);
  // 21: Monte Carlo. A random pattern reaches |S| = 21 with probability 2 / 2^21, so with
  // this seed none of the 9999 draws does and p = (0 + 1) / (9999 + 1).
  const SignFlipTest above =
      sign_flip_permutation_test(std::vector<double>(21, 0.0), repeated(1.0, 21), 1, 9999);
  CHECK_FALSE(above.exact);
  CHECK(above.patterns == 9999);
  CHECK(above.p_value == Approx(1e-4).epsilon(0).margin(1e-18));
}

TEST_CASE("sign-flip Monte Carlo agrees with exact enumeration", "[metrics][paired]") {
  Rng data(5);
  std::vector<double> d(16);
  for (double& x : d) x = data.uniform() - 0.46;
  const std::vector<double> zeros(16, 0.0);
  const SignFlipTest exact = sign_flip_permutation_test(zeros, d, 1);
  REQUIRE(exact.exact);
  REQUIRE(exact.p_value > 0.01);
  REQUIRE(exact.p_value < 0.5);
  // max_exact_n = 0 forces Monte Carlo; the estimate's binomial sd is
  // sqrt(p (1 - p) / 20000) <= 0.0036: allow 5 sd plus the add-one bias.
  const SignFlipTest mc = sign_flip_permutation_test(zeros, d, 42, 20000, 0);
  CHECK_FALSE(mc.exact);
  const double sd = std::sqrt(exact.p_value * (1.0 - exact.p_value) / 20000.0);
  CHECK(mc.p_value == Approx(exact.p_value).epsilon(0).margin(5.0 * sd + 1.0 / 20000.0));
  // Deterministic per seed.
  const SignFlipTest again = sign_flip_permutation_test(zeros, d, 42, 20000, 0);
  CHECK(again.p_value == mc.p_value);
  const SignFlipTest other = sign_flip_permutation_test(zeros, d, 43, 20000, 0);
  CHECK(other.p_value != mc.p_value);
}

TEST_CASE("sign-flip test edge cases", "[metrics][paired]") {
  const std::vector<double> none;
  const SignFlipTest empty = sign_flip_permutation_test(none, none, 1);
  CHECK(empty.n == 0);
  CHECK(empty.exact);
  CHECK(empty.patterns == 1);
  CHECK(empty.p_value == 1.0);
  // All ties: every pattern has sum 0 >= 0, exact and Monte Carlo alike.
  CHECK(sign_flip_permutation_test(repeated(0.5, 6), repeated(0.5, 6), 1).p_value == 1.0);
  CHECK(sign_flip_permutation_test(repeated(0.5, 40), repeated(0.5, 40), 1, 500).p_value == 1.0);
  // A NaN difference gives a NaN p-value instead of a spuriously small one.
  const SignFlipTest nan =
      sign_flip_permutation_test(std::vector<double>{0, 0}, std::vector<double>{kNaN, 1}, 1);
  CHECK(std::isnan(nan.p_value));
  CHECK_THROWS_AS(sign_flip_permutation_test(std::vector<double>{1}, none, 1),
                  std::invalid_argument);
}
