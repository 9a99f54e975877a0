#include "metrics/multiple_testing.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

namespace perseval::metrics {

std::vector<double> holm_adjust(std::span<const double> p_values) {
  for (const double p : p_values) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw std::invalid_argument("holm_adjust: p-value outside [0, 1]: " + std::to_string(p));
    }
  }
  const size_t m = p_values.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t i, size_t j) { return p_values[i] < p_values[j]; });
  std::vector<double> adjusted(m);
  double running_max = 0.0;  // the step-down max keeps adjusted p monotone in the raw p
  for (size_t rank = 0; rank < m; ++rank) {
    const size_t index = order[rank];
    const double scaled = static_cast<double>(m - rank) * p_values[index];
    running_max = std::max(running_max, std::min(1.0, scaled));
    adjusted[index] = running_max;
  }
  return adjusted;
}

}  // namespace perseval::metrics
