// Mean, numpy percentile, the seeded RNG and bootstrap intervals.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <mutex>
#include <set>
#include <vector>

#include "metrics/stats.h"

using namespace perseval::metrics;

TEST_CASE("mean", "[metrics]") {
  CHECK(mean(std::vector<double>{}) == 0.0);
  CHECK(mean(std::vector<double>{3.0}) == 3.0);
  CHECK(mean(std::vector<double>{1, 2, 3, 4}) == 2.5);
  // 1000 copies of 0.1 summed pairwise (as numpy does) stay within an ulp or two of 0.1;
  // a naive running sum drifts by ~1e-14 here.
  const std::vector<double> tenths(1000, 0.1);
  CHECK(mean(tenths) == Approx(0.1).epsilon(0).margin(1e-16));
  CHECK(std::isnan(mean(std::vector<double>{1.0, std::numeric_limits<double>::quiet_NaN()})));
}

TEST_CASE("percentile follows numpy's linear method", "[metrics]") {
  // numpy documentation example: np.percentile([[10, 7, 4], [3, 2, 1]], 50) == 3.5.
  CHECK(percentile({10, 7, 4, 3, 2, 1}, 50) == 3.5);
  // Values from a plain-Python transcription of numpy's _quantile/_lerp (virtual index
  // (n-1)*q/100, lerp from the nearer end), checked by hand: sorted [0, 10, 20, 40].
  CHECK(percentile({10, 0, 20, 40}, 90) == Approx(34.0).epsilon(0).margin(1e-12));
  CHECK(percentile({10, 0, 20, 40}, 10) == Approx(3.0).epsilon(0).margin(1e-12));
  CHECK(percentile({10, 0, 20, 40}, 0) == 0.0);
  CHECK(percentile({10, 0, 20, 40}, 100) == 40.0);
  CHECK(percentile({10, 0, 20, 40}, 50) == 15.0);
  CHECK(percentile({1, 2, 3, 4}, 25) == 1.75);
  CHECK(percentile({0.1, 0.2, 0.3}, 2.5) == Approx(0.105).epsilon(0).margin(1e-12));
  CHECK(percentile({3.0}, 37) == 3.0);
  CHECK(percentile({5, 5, 5}, 12.5) == 5.0);
  CHECK(std::isnan(percentile({1.0, std::numeric_limits<double>::quiet_NaN()}, 50)));
}

TEST_CASE("Rng is xoshiro256** seeded by SplitMix64", "[metrics]") {
  // Reference stream from a plain-Python transcription of SplitMix64 + xoshiro256**. Its
  // first SplitMix64(0) output, 0xe220a8397b1dcdaf, is the published reference value.
  Rng zero(0);
  CHECK(zero.next() == 0x99ec5f36cb75f2b4ull);
  CHECK(zero.next() == 0xbf6e1f784956452aull);
  CHECK(zero.next() == 0x1a5f849d4933e6e0ull);
  CHECK(zero.next() == 0x6aa594f1262d2d2cull);
  Rng answer(42);
  CHECK(answer.next() == 0x15780b2e0c2ec716ull);
  CHECK(answer.next() == 0x6104d9866d113a7eull);
  CHECK(answer.next() == 0xae17533239e499a1ull);
  CHECK(answer.next() == 0xecb8ad4703b360a1ull);
  CHECK(Rng(42).uniform() == 0.08386297105988216);  // (0x15780b2e0c2ec716 >> 11) * 2^-53
}

TEST_CASE("Rng::below and uniform stay in range and cover it", "[metrics]") {
  Rng rng(123);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 70000; ++i) {
    const uint64_t v = rng.below(7);
    REQUIRE(v < 7);
    ++counts[v];
  }
  for (int c : counts) CHECK(std::abs(c - 10000) < 500);  // ~5 standard deviations
  CHECK(rng.below(1) == 0);
  const uint64_t huge = (1ull << 63) + 12345;
  for (int i = 0; i < 100; ++i) CHECK(rng.below(huge) < huge);
  double lo = 1, hi = 0;
  for (int i = 0; i < 10000; ++i) {
    const double u = rng.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    lo = std::min(lo, u), hi = std::max(hi, u);
  }
  CHECK(lo < 0.01);
  CHECK(hi > 0.99);
}

TEST_CASE("bootstrap intervals are deterministic per seed", "[metrics]") {
  std::vector<double> values;
  for (int i = 0; i < 100; ++i) values.push_back(i);
  const Interval a = bootstrap_mean_interval(values, 2024);
  const Interval b = bootstrap_mean_interval(values, 2024);
  CHECK(a.low == b.low);
  CHECK(a.high == b.high);
  const Interval c = bootstrap_mean_interval(values, 2025);
  CHECK((c.low != a.low || c.high != a.high));
  // Mean 49.5, standard error 28.9/sqrt(100) = 2.9: the 95% interval is about ±5.7.
  CHECK(a.low < 49.5);
  CHECK(a.high > 49.5);
  CHECK(a.low > 42.0);
  CHECK(a.high < 57.0);
  CHECK(a.high - a.low > 8.0);
  CHECK(a.high - a.low < 15.0);
  // A narrower level gives a nested, narrower interval from the same resamples.
  const Interval narrow = bootstrap_mean_interval(values, 2024, 1000, 0.5);
  CHECK(narrow.low > a.low);
  CHECK(narrow.high < a.high);
}

TEST_CASE("bootstrap_interval passes index resamples to the statistic", "[metrics]") {
  const size_t n = 10;
  std::set<size_t> sizes;
  size_t max_index = 0;
  int calls = 0;
  std::mutex mu;  // statistics may run concurrently (bootstrap_intervals' contract)
  const Interval constant = bootstrap_interval(
      n,
      [&](std::span<const size_t> indices) {
        std::lock_guard lock(mu);
        ++calls;
        sizes.insert(indices.size());
        for (size_t i : indices) max_index = std::max(max_index, i);
        return 1.5;
      },
      9, 250);
  CHECK(calls == 250);
  CHECK(sizes == std::set<size_t>{n});
  CHECK(max_index < n);
  CHECK(constant.low == 1.5);
  CHECK(constant.high == 1.5);
  const Interval empty = bootstrap_interval(0, [](std::span<const size_t>) { return 1.0; }, 9);
  CHECK(empty.low == 0.0);
  CHECK(empty.high == 0.0);
  const Interval none = bootstrap_mean_interval(std::vector<double>{}, 9);
  CHECK(none.low == 0.0);
  CHECK(none.high == 0.0);
}

TEST_CASE("bootstrap mean interval has roughly nominal coverage", "[metrics]") {
  // 200 synthetic data sets of 50 uniform(0,1) draws; the true mean is 0.5. A 95% percentile
  // bootstrap interval should contain it in roughly 93% of them (it under-covers slightly
  // at n = 50); the binomial standard deviation over 200 trials is ~1.6%.
  Rng data_rng(77);
  int covered = 0;
  const int trials = 200;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> sample(50);
    for (double& v : sample) v = data_rng.uniform();
    const Interval ci = bootstrap_mean_interval(sample, 1000 + t, 400);
    if (ci.low <= 0.5 && 0.5 <= ci.high) ++covered;
  }
  const double coverage = covered / static_cast<double>(trials);
  CHECK(coverage > 0.87);
  CHECK(coverage < 0.99);
}

TEST_CASE("bootstrap_intervals: shared resamples equal a sequential bootstrap per statistic", "[metrics]") {
  // Reference: the plain sequential algorithm (one Rng stream, n draws per resample, then
  // numpy-style 2.5/97.5 percentiles), written out here independently of the library.
  std::vector<double> values;
  for (int i = 0; i < 3000; ++i) values.push_back(std::fmod(i * 0.7311, 5.0));
  const size_t n = values.size();
  const auto mean_of = [&](std::span<const size_t> idx) {
    double s = 0;
    for (size_t i : idx) s += values[i];
    return s / static_cast<double>(idx.size());
  };
  const auto max_of = [&](std::span<const size_t> idx) {
    double m = -1;
    for (size_t i : idx) m = std::max(m, values[i]);
    return m;
  };
  const int resamples = 1500;
  const uint64_t seed = 77;
  Rng rng(seed);
  std::vector<double> means, maxes;
  std::vector<size_t> idx(n);
  for (int r = 0; r < resamples; ++r) {
    for (auto& i : idx) i = static_cast<size_t>(rng.below(n));
    means.push_back(mean_of(idx));
    maxes.push_back(max_of(idx));
  }
  const std::vector<std::function<double(std::span<const size_t>)>> stats{mean_of, max_of};
  const auto cis = bootstrap_intervals(n, stats, seed, resamples);
  REQUIRE(cis.size() == 2);
  CHECK(cis[0].low == percentile(means, 2.5));
  CHECK(cis[0].high == percentile(means, 97.5));
  CHECK(cis[1].low == percentile(maxes, 2.5));
  CHECK(cis[1].high == percentile(maxes, 97.5));
  const auto single = bootstrap_interval(n, mean_of, seed, resamples);
  CHECK(single.low == cis[0].low);
  CHECK(single.high == cis[0].high);
  CHECK(bootstrap_intervals(0, stats, seed).size() == 2);
}
