// Corrections for testing many hypotheses at once, e.g. one paired test per task or per
// slice when comparing two runs: without one, 20 slices at alpha = 0.05 show about one
// "significant" difference by chance alone.
#pragma once

#include <span>
#include <vector>

namespace perseval::metrics {

// Holm–Bonferroni step-down adjusted p-values, in the order of `p_values`. With the inputs
// sorted ascending p_(1) <= ... <= p_(m), adjusted p_(i) = min(1, max_{j <= i} (m - j + 1)
// p_(j)); rejecting every hypothesis whose adjusted p is <= alpha controls the family-wise
// error rate at alpha under any dependence. Equal inputs get equal outputs. Same semantics
// as statsmodels' multipletests(method="holm") and R's p.adjust(method="holm"). Empty input
// gives an empty result. Throws std::invalid_argument if any p-value is NaN or outside [0, 1].
std::vector<double> holm_adjust(std::span<const double> p_values);

}  // namespace perseval::metrics
