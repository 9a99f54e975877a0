// The standard normal quantile, for test sizes and power calculations (metrics/power.h) and
// for interval levels other than the 95% of proportion.h's kZ95.
#pragma once

namespace perseval::metrics {

// Inverse of the standard normal CDF: the z with P(Z <= z) = p. Wichura's AS241 (PPND16),
// relative error about 1e-16 over the whole range (e.g. 0.975 -> 1.959963984540054,
// 0.5 -> 0, 1e-300 -> -37.0471). p == 0 gives -infinity, p == 1 +infinity; p outside [0, 1]
// or NaN gives NaN.
double normal_quantile(double p);

}  // namespace perseval::metrics
