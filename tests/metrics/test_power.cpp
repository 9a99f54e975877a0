// The standard normal quantile and minimum detectable effects.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "metrics/normal.h"
#include "metrics/power.h"

using namespace perseval::metrics;

TEST_CASE("normal_quantile matches high-precision reference values", "[metrics][power]") {
  // Published values and, for the rest, the root of Phi(x) = p at the double nearest p,
  // found with mpmath at 60 digits.
  CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-14));
  CHECK(normal_quantile(0.8) == Approx(0.8416212335729143).epsilon(1e-14));
  CHECK(normal_quantile(0.5) == 0.0);
  CHECK(normal_quantile(0.025) == Approx(-1.9599639845400542).epsilon(1e-14));
  CHECK(normal_quantile(0.95) == Approx(1.6448536269514723).epsilon(1e-14));
  CHECK(normal_quantile(0.9) == Approx(1.2815515655446006).epsilon(1e-14));
  CHECK(normal_quantile(0.995) == Approx(2.5758293035489005).epsilon(1e-14));
  CHECK(normal_quantile(0.999) == Approx(3.0902323061678133).epsilon(1e-14));
  CHECK(normal_quantile(0.3) == Approx(-0.52440051270804082).epsilon(1e-14));
  // Either side of the centre/tail switch at |p - 0.5| = 0.425.
  CHECK(normal_quantile(0.075) == Approx(-1.4395314709384559).epsilon(1e-14));
  CHECK(normal_quantile(0.07) == Approx(-1.4757910281791707).epsilon(1e-14));
  // The far tails (r = sqrt(-log p) beyond 5 uses the third approximation).
  CHECK(normal_quantile(1e-10) == Approx(-6.3613409024040562).epsilon(1e-14));
  CHECK(normal_quantile(0.9999999) == Approx(5.1993375822906611).epsilon(1e-13));
  CHECK(normal_quantile(1e-300) == Approx(-37.047096299361199).epsilon(1e-14));
}

TEST_CASE("normal_quantile inverts the normal CDF", "[metrics][power]") {
  // Phi from std::erfc (independent of AS241): Phi(x) = erfc(-x / sqrt 2) / 2, accurate in
  // relative terms in the lower tail, so check p <= 0.5 and use symmetry for the rest.
  for (double p = 1e-15; p <= 0.5; p *= 1.37) {
    const double x = normal_quantile(p);
    CHECK(0.5 * std::erfc(-x / std::sqrt(2.0)) == Approx(p).epsilon(1e-13));
    // Symmetry: u = 1 - p rounds, but 1 - u is then exact, so q(u) = -q(1 - u).
    const double u = 1.0 - p;
    CHECK(normal_quantile(u) == Approx(-normal_quantile(1.0 - u)).epsilon(1e-14));
  }
  CHECK(normal_quantile(0.0) == -std::numeric_limits<double>::infinity());
  CHECK(normal_quantile(1.0) == std::numeric_limits<double>::infinity());
  CHECK(std::isnan(normal_quantile(-0.1)));
  CHECK(std::isnan(normal_quantile(1.5)));
  CHECK(std::isnan(normal_quantile(std::numeric_limits<double>::quiet_NaN())));
}

TEST_CASE("minimum detectable effect for continuous paired differences", "[metrics][power]") {
  // (1.959963984540054 + 0.8416212335729143) * 1 / sqrt(100) = 0.28015852181129686.
  CHECK(minimum_detectable_effect(100, 1.0) == Approx(0.28015852181129686).epsilon(1e-14));
  // Four times the samples and twice the sd: the same effect.
  CHECK(minimum_detectable_effect(400, 2.0) == Approx(0.28015852181129686).epsilon(1e-14));
  // alpha 0.01, power 0.9: (2.5758293035489005 + 1.2815515655446006) * 0.5 / sqrt(25).
  CHECK(minimum_detectable_effect(25, 0.5, 0.01, 0.9) ==
        Approx(3.8573808690935011 * 0.1).epsilon(1e-14));
  CHECK(minimum_detectable_effect(0, 1.0) == std::numeric_limits<double>::infinity());
  CHECK(minimum_detectable_effect(50, 0.0) == 0.0);
  CHECK(std::isnan(minimum_detectable_effect(50, -1.0)));
  CHECK(std::isnan(minimum_detectable_effect(50, 1.0, 0.0)));
  CHECK(std::isnan(minimum_detectable_effect(50, 1.0, 0.05, 1.0)));
}

TEST_CASE("minimum detectable effect for McNemar solves Connor's formula", "[metrics][power]") {
  const double z_alpha = 1.959963984540054;
  const double z_power = 0.8416212335729143;
  // Connor (1987): n = (z_alpha sqrt(psi) + z_power sqrt(psi - delta^2))^2 / delta^2.
  const auto connor_n = [&](double psi, double delta) {
    const double root = z_alpha * std::sqrt(psi) + z_power * std::sqrt(psi - delta * delta);
    return root * root / (delta * delta);
  };
  for (const int64_t n : {20, 100, 1000, 25000}) {
    for (const double psi : {0.05, 0.2, 0.6}) {
      const double delta = minimum_detectable_effect_paired_binary(n, psi);
      if (delta > psi) continue;  // not reached: infinity is returned instead (below)
      REQUIRE(std::isfinite(delta));
      CHECK(connor_n(psi, delta) == Approx(static_cast<double>(n)).epsilon(1e-9));
      // A real difference shrinks Var(d) from psi to psi - delta^2: slightly below the
      // continuous formula with sd = sqrt(psi), and closer as n grows.
      const double continuous = minimum_detectable_effect(n, std::sqrt(psi));
      CHECK(delta < continuous);
      CHECK(delta > 0.9 * continuous);
    }
  }
  // n = 1000, psi = 0.2: 0.0395737066 (closed form) vs 0.0396203981 continuous.
  CHECK(minimum_detectable_effect_paired_binary(1000, 0.2) ==
        Approx(0.039573706615452675).epsilon(1e-12));
  // n = 3 < z_alpha^2 = 3.84: even all flips one way cannot reach significance.
  CHECK(minimum_detectable_effect_paired_binary(3, 0.5) == std::numeric_limits<double>::infinity());
  // n = 4, psi = 0.5: the solution 0.7064 exceeds psi, which no difference can: infinity.
  // (By hand: sqrt(0.5) (2 * 1.95996 + 0.84162 sqrt(4 + 0.70833 - 3.84146)) / 4.70833.)
  CHECK(minimum_detectable_effect_paired_binary(4, 0.5) == std::numeric_limits<double>::infinity());
  CHECK(minimum_detectable_effect_paired_binary(1000, 0.0) ==
        std::numeric_limits<double>::infinity());
  CHECK(std::isnan(minimum_detectable_effect_paired_binary(1000, 1.5)));
  CHECK(std::isnan(minimum_detectable_effect_paired_binary(1000, 0.2, 1.0)));
}
