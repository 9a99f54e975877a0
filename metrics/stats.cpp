// Means, numpy-style percentiles and seeded bootstrap intervals.
#include "metrics/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace perseval::metrics {
namespace {

// numpy's pairwise summation (the order np.sum/np.mean use on a contiguous float64 array):
// plain loop below 8 items, eight interleaved accumulators up to 128, otherwise split at a
// multiple of 8 and recurse. Same order means the same bits as the official Python scorers,
// and an O(log n) rounding error instead of O(n).
double pairwise_sum(const double* a, std::size_t n) {
  if (n < 8) {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += a[i];
    return sum;
  }
  if (n <= 128) {
    double r[8];
    for (std::size_t j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - n % 8; i += 8) {
      for (std::size_t j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) sum += a[i];
    return sum;
  }
  std::size_t half = n / 2;
  half -= half % 8;
  return pairwise_sum(a, half) + pairwise_sum(a + half, n - half);
}

uint64_t rotate_left(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// SplitMix64 step: spreads one 64-bit seed over xoshiro's 256-bit state, so that nearby
// seeds (0, 1, 2, ...) still give unrelated streams and the state is never all zero.
uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

double mean(std::span<const double> values) {
  if (values.empty()) return 0.0;
  return pairwise_sum(values.data(), values.size()) / static_cast<double>(values.size());
}

// numpy.percentile(values, q) with method="linear": virtual index (n-1)·q/100 and numpy's
// two-sided lerp, which is exact at both ends. NaN anywhere gives NaN as in numpy; an empty
// input gives 0 (numpy raises), matching mean(); q outside [0, 100] is clamped.
double percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0.0;
  for (const double v : values) {
    if (std::isnan(v)) return std::numeric_limits<double>::quiet_NaN();
  }
  std::sort(values.begin(), values.end());
  const double fraction = std::clamp(q, 0.0, 100.0) / 100.0;
  const double index = static_cast<double>(values.size() - 1) * fraction;
  const double floor_index = std::floor(index);
  const auto below = static_cast<std::size_t>(floor_index);
  const std::size_t above = std::min(below + 1, values.size() - 1);
  const double t = index - floor_index;
  const double a = values[below];
  const double b = values[above];
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

Interval bootstrap_interval(size_t n,
                            const std::function<double(std::span<const size_t>)>& statistic,
                            uint64_t seed, int resamples, double level) {
  return bootstrap_intervals(n, std::span(&statistic, 1), seed, resamples, level).front();
}

std::vector<Interval> bootstrap_intervals(
    size_t n, std::span<const std::function<double(std::span<const size_t>)>> statistics,
    uint64_t seed, int resamples, double level) {
  std::vector<Interval> out(statistics.size());
  if (n == 0 || resamples <= 0 || statistics.empty()) return out;
  Rng rng(seed);
  std::vector<size_t> indices(n);
  std::vector<std::vector<double>> values(statistics.size());
  for (auto& v : values) v.reserve(static_cast<size_t>(resamples));
  for (int r = 0; r < resamples; ++r) {
    rng.fill_below(n, indices);  // drawn once, shared by every statistic
    for (size_t i = 0; i < statistics.size(); ++i) values[i].push_back(statistics[i](indices));
  }
  const double tail = (1.0 - level) / 2.0;
  for (size_t i = 0; i < statistics.size(); ++i)
    out[i] = {percentile(values[i], 100.0 * tail), percentile(std::move(values[i]), 100.0 * (1.0 - tail))};
  return out;
}

Interval bootstrap_mean_interval(std::span<const double> values, uint64_t seed, int resamples,
                                 double level) {
  std::vector<double> sample(values.size());
  const auto resample_mean = [&](std::span<const size_t> indices) {
    for (size_t i = 0; i < indices.size(); ++i) sample[i] = values[indices[i]];
    return mean(sample);
  };
  return bootstrap_interval(values.size(), resample_mean, seed, resamples, level);
}

Rng::Rng(uint64_t seed) {
  uint64_t state = seed;
  for (uint64_t& word : s_) word = splitmix64(state);
}

// xoshiro256** (Blackman & Vigna): fast, 256-bit state, passes BigCrush; written from the
// published algorithm so every platform draws the same stream for a seed.
uint64_t Rng::next() {
  const uint64_t result = rotate_left(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotate_left(s_[3], 45);
  return result;
}

uint64_t Rng::below(uint64_t bound) {
  if (bound <= 1) return 0;  // precondition is bound > 0; 0 is the only value below 1
  // Reject the 2^64 mod bound smallest raw values so every residue is equally likely.
  const uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const uint64_t raw = next();
    if (raw >= threshold) return raw % bound;
  }
}

void Rng::fill_below(uint64_t bound, std::span<size_t> out) {
  if (bound <= 1) {
    std::fill(out.begin(), out.end(), size_t{0});
    return;
  }
  const uint64_t threshold = (0 - bound) % bound;
  for (size_t& value : out) {
    uint64_t raw = next();
    while (raw < threshold) raw = next();
    value = static_cast<size_t>(raw % bound);
  }
}

double Rng::uniform() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;  // 53 random mantissa bits
}

}  // namespace perseval::metrics
