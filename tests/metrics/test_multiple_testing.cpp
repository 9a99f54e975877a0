// Holm–Bonferroni adjusted p-values.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <vector>

#include "metrics/multiple_testing.h"
#include "metrics/stats.h"

using namespace perseval::metrics;

namespace {

void check_all(const std::vector<double>& actual, const std::vector<double>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    CHECK(actual[i] == Approx(expected[i]).epsilon(0).margin(1e-15));
  }
}

}  // namespace

TEST_CASE("holm_adjust on hand-computed examples", "[metrics][multiple_testing]") {
  // m = 4, sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1: 0.02, 0.03, 0.06, 0.04; the
  // running max turns the last into 0.06. Back in input order:
  check_all(holm_adjust(std::vector<double>{0.01, 0.04, 0.03, 0.005}), {0.03, 0.06, 0.06, 0.02});
  // 0.01 * 3 = 0.03, 0.2 * 2 = 0.4, 0.5 * 1 = 0.5.
  check_all(holm_adjust(std::vector<double>{0.2, 0.5, 0.01}), {0.4, 0.5, 0.03});
  // 0.6 * 2 = 1.2 clamps to 1, and the running max carries 1 to 0.7.
  check_all(holm_adjust(std::vector<double>{0.7, 0.6}), {1.0, 1.0});
  // Ties: 0.01 * 3 = 0.03, then 0.04 * 2 = 0.08 and max(0.08, 0.04 * 1) = 0.08 for both.
  check_all(holm_adjust(std::vector<double>{0.04, 0.01, 0.04}), {0.08, 0.03, 0.08});
  check_all(holm_adjust(std::vector<double>{0.3}), {0.3});
  check_all(holm_adjust(std::vector<double>{0.0, 1.0}), {0.0, 1.0});
  CHECK(holm_adjust(std::vector<double>{}).empty());
}

TEST_CASE("holm_adjust is monotone and not below the raw p", "[metrics][multiple_testing]") {
  Rng rng(8);
  std::vector<double> p(40);
  for (double& x : p) x = rng.uniform() * rng.uniform();  // many small values
  const std::vector<double> adjusted = holm_adjust(p);
  REQUIRE(adjusted.size() == p.size());
  const double m = static_cast<double>(p.size());
  for (size_t i = 0; i < p.size(); ++i) {
    CHECK(adjusted[i] >= p[i]);
    CHECK(adjusted[i] <= std::min(1.0, m * p[i]));  // never worse than Bonferroni
    for (size_t j = 0; j < p.size(); ++j) {
      if (p[i] <= p[j]) CHECK(adjusted[i] <= adjusted[j]);
    }
  }
  // The smallest p-value gets exactly Bonferroni's m * p.
  const size_t smallest = static_cast<size_t>(std::min_element(p.begin(), p.end()) - p.begin());
  CHECK(adjusted[smallest] == Approx(std::min(1.0, m * p[smallest])).epsilon(1e-15));
}

TEST_CASE("holm_adjust rejects values that are not p-values", "[metrics][multiple_testing]") {
  CHECK_THROWS_AS(holm_adjust(std::vector<double>{0.1, std::numeric_limits<double>::quiet_NaN()}),
                  std::invalid_argument);
  CHECK_THROWS_AS(holm_adjust(std::vector<double>{1.5}), std::invalid_argument);
  CHECK_THROWS_AS(holm_adjust(std::vector<double>{-0.01}), std::invalid_argument);
}
