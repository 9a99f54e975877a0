#include "metrics/cluster_bootstrap.h"

#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace perseval::metrics {

Interval cluster_bootstrap_mean_interval(std::span<const double> values,
                                         std::span<const std::string> cluster_ids,
                                         uint64_t seed, int resamples, double level) {
  if (values.size() != cluster_ids.size()) {
    throw std::invalid_argument("cluster_bootstrap_mean_interval: " +
                                std::to_string(values.size()) + " values but " +
                                std::to_string(cluster_ids.size()) + " cluster ids");
  }
  // Per cluster only its sum and size matter for the pooled mean, so a resample costs
  // O(clusters), not O(samples).
  std::unordered_map<std::string_view, size_t> cluster_of;
  std::vector<double> sums;
  std::vector<double> sizes;
  for (size_t i = 0; i < values.size(); ++i) {
    const auto [it, inserted] = cluster_of.try_emplace(cluster_ids[i], sums.size());
    if (inserted) {
      sums.push_back(0.0);
      sizes.push_back(0.0);
    }
    sums[it->second] += values[i];
    sizes[it->second] += 1.0;
  }
  const auto pooled_mean = [&](std::span<const size_t> clusters) {
    double sum = 0.0;
    double size = 0.0;
    for (const size_t c : clusters) {
      sum += sums[c];
      size += sizes[c];
    }
    return sum / size;  // size >= 1: every cluster has at least one sample
  };
  return bootstrap_interval(sums.size(), pooled_mean, seed, resamples, level);
}

}  // namespace perseval::metrics
