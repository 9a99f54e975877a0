// Minimum detectable effects for paired comparisons: before reading "B beats A by 0.4
// points", a report can say whether n samples could have shown a difference that small.
// Normal approximations (two-sided test at level alpha, power 1 - beta).
#pragma once

#include <cstdint>

namespace perseval::metrics {

// Smallest true mean difference a two-sided paired test at level `alpha` detects with
// probability `power` on `n` paired samples whose per-sample differences have standard
// deviation `sd_difference`: (z_{1-alpha/2} + z_{power}) * sd_difference / sqrt(n).
// n <= 0 gives +infinity (nothing is detectable); sd_difference == 0 gives 0. NaN when
// sd_difference is negative or NaN, or alpha or power lies outside (0, 1).
double minimum_detectable_effect(int64_t n, double sd_difference, double alpha = 0.05,
                                 double power = 0.8);

// The same for binary outcomes compared with McNemar's test: the smallest difference of
// accuracies |acc_B - acc_A| detectable on `n` paired samples when a share
// `discordant_rate` of them flips between the runs (A right and B wrong, or the reverse).
// Solves Connor's (1987) sample-size formula
//   n = (z_{1-alpha/2} sqrt(psi) + z_{power} sqrt(psi - delta^2))^2 / delta^2,  psi = rate,
// for delta in closed form. Slightly below minimum_detectable_effect(n, sqrt(psi)), which
// ignores that a real difference shrinks the variance of the flips. +infinity when no
// feasible difference is detectable: n < z_{1-alpha/2}^2, discordant_rate == 0, or the
// solution exceeds discordant_rate (a difference cannot exceed the share of flips). NaN when
// discordant_rate is outside [0, 1] or NaN, or alpha or power lies outside (0, 1).
double minimum_detectable_effect_paired_binary(int64_t n, double discordant_rate,
                                               double alpha = 0.05, double power = 0.8);

}  // namespace perseval::metrics
