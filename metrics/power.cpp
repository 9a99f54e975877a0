#include "metrics/power.h"

#include <cmath>
#include <limits>

#include "metrics/normal.h"

namespace perseval::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

bool is_open_probability(double x) { return x > 0.0 && x < 1.0; }  // false for NaN

}  // namespace

double minimum_detectable_effect(int64_t n, double sd_difference, double alpha, double power) {
  if (!is_open_probability(alpha) || !is_open_probability(power)) return kNaN;
  if (!(sd_difference >= 0.0)) return kNaN;
  if (n <= 0) return kInfinity;
  const double z_alpha = normal_quantile(1.0 - alpha / 2.0);
  const double z_power = normal_quantile(power);
  return (z_alpha + z_power) * sd_difference / std::sqrt(static_cast<double>(n));
}

double minimum_detectable_effect_paired_binary(int64_t n, double discordant_rate, double alpha,
                                               double power) {
  if (!is_open_probability(alpha) || !is_open_probability(power)) return kNaN;
  if (!(discordant_rate >= 0.0 && discordant_rate <= 1.0)) return kNaN;
  const double z_alpha = normal_quantile(1.0 - alpha / 2.0);
  const double z_power = normal_quantile(power);
  const double size = static_cast<double>(n);
  // Below z_alpha^2 samples even a difference equal to the whole flip rate gives a test
  // statistic sqrt(n * psi) < z_alpha: nothing can reach significance.
  if (discordant_rate == 0.0 || size < z_alpha * z_alpha) return kInfinity;
  // Squaring Connor's formula gives a quadratic in delta; with a = z_alpha, b = z_power its
  // root on the right branch (sqrt(n) delta - a sqrt(psi) has the sign of b) is
  //   delta = sqrt(psi) (sqrt(n) a + b sqrt(n + b^2 - a^2)) / (n + b^2),
  // valid for every power in (0, 1) once n >= a^2.
  const double delta = std::sqrt(discordant_rate) *
                       (std::sqrt(size) * z_alpha +
                        z_power * std::sqrt(size + z_power * z_power - z_alpha * z_alpha)) /
                       (size + z_power * z_power);
  return delta > discordant_rate ? kInfinity : delta;
}

}  // namespace perseval::metrics
