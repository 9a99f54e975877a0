// LaMP-3 rating metrics.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "metrics/regression.h"

using namespace perseval::metrics;

TEST_CASE("farthest_extreme picks the worst rating", "[metrics]") {
  CHECK(farthest_extreme(1.0, 1.0, 5.0) == 5.0);
  CHECK(farthest_extreme(2.0, 1.0, 5.0) == 5.0);
  CHECK(farthest_extreme(3.0, 1.0, 5.0) == 5.0);  // tie goes to hi
  CHECK(farthest_extreme(4.0, 1.0, 5.0) == 1.0);
  CHECK(farthest_extreme(5.0, 1.0, 5.0) == 1.0);
  CHECK(farthest_extreme(3.5, 1.0, 5.0) == 1.0);
  CHECK(farthest_extreme(2.5, 1.0, 5.0) == 5.0);
}

TEST_CASE("MAE and RMSE", "[metrics]") {
  // Golds 4,3,5,1; predictions "4.5", unparseable (gold 3 -> 5), unparseable (gold 5 -> 1),
  // "1". Errors 0.5, 2, 4, 0: MAE 6.5/4 = 1.625, RMSE sqrt(20.25/4) = 2.25.
  const std::vector<double> golds = {4, 3, 5, 1};
  const std::vector<double> preds = {4.5, farthest_extreme(3, 1, 5), farthest_extreme(5, 1, 5),
                                     1.0};
  CHECK(mean_absolute_error(golds, preds) == 1.625);
  CHECK(root_mean_squared_error(golds, preds) == 2.25);

  // Values from the plain-Python reference: sum(|e|)/5 = 0.9, sqrt(sum(e^2)/5).
  const std::vector<double> golds2 = {1, 2, 3, 4, 5};
  const std::vector<double> preds2 = {1.5, 2.25, 2.0, 4.75, 3.0};
  CHECK(mean_absolute_error(golds2, preds2) == Approx(0.9).epsilon(0).margin(1e-12));
  CHECK(root_mean_squared_error(golds2, preds2) ==
        Approx(1.08397416943394).epsilon(0).margin(1e-12));
  // No clipping: "0" and "7" stay as they are.
  CHECK(mean_absolute_error(std::vector<double>{1, 5}, std::vector<double>{0, 7}) == 1.5);
}

TEST_CASE("MAE and RMSE propagate non-finite predictions", "[metrics]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> golds = {4, 3};
  CHECK(std::isnan(mean_absolute_error(golds, std::vector<double>{4, nan})));
  CHECK(std::isnan(root_mean_squared_error(golds, std::vector<double>{nan, 3})));
  CHECK(mean_absolute_error(golds, std::vector<double>{-inf, 3}) == inf);
  CHECK(root_mean_squared_error(golds, std::vector<double>{4, inf}) == inf);
}

TEST_CASE("MAE and RMSE of nothing are 0", "[metrics]") {
  const std::vector<double> none;
  CHECK(mean_absolute_error(none, none) == 0.0);
  CHECK(root_mean_squared_error(none, none) == 0.0);
}
