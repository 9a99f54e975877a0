// Cluster (per-user) bootstrap of a pooled mean.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "metrics/cluster_bootstrap.h"
#include "metrics/stats.h"

using namespace perseval::metrics;

TEST_CASE("cluster bootstrap weighs clusters by their size", "[metrics][cluster_bootstrap]") {
  // User u1 has three samples scoring 0, u2 one scoring 1. Drawing two users with
  // replacement gives {u1,u1} -> 0 (prob 1/4), {u1,u2} -> 1/4 (prob 1/2: pooled 1 of 4
  // samples) or {u2,u2} -> 1 (1/4). At level 0 both ends are the median, which is 1/4 for
  // any plausible draw of 1001 resamples. (A mean of per-user means would give 1/2.)
  const std::vector<double> values = {0, 0, 1, 0};
  const std::vector<std::string> users = {"u1", "u1", "u2", "u1"};
  const Interval median = cluster_bootstrap_mean_interval(values, users, 17, 1001, 0.0);
  CHECK(median.low == 0.25);
  CHECK(median.high == 0.25);
  // At level 0.999 the 0.05% and 99.95% percentiles sit inside the 1/4 masses at 0 and 1.
  const Interval wide = cluster_bootstrap_mean_interval(values, users, 17, 4000, 0.999);
  CHECK(wide.low == 0.0);
  CHECK(wide.high == 1.0);
}

TEST_CASE("cluster bootstrap reduces to known bootstraps", "[metrics][cluster_bootstrap]") {
  // One sample per user: the ordinary bootstrap over samples, same seed, same draws.
  std::vector<double> values;
  std::vector<std::string> singletons;
  Rng data(3);
  for (int i = 0; i < 60; ++i) {
    values.push_back(data.uniform());
    singletons.push_back("user-" + std::to_string(i));
  }
  const Interval per_sample = bootstrap_mean_interval(values, 21, 800);
  const Interval per_user = cluster_bootstrap_mean_interval(values, singletons, 21, 800);
  CHECK(per_user.low == Approx(per_sample.low).epsilon(0).margin(1e-12));
  CHECK(per_user.high == Approx(per_sample.high).epsilon(0).margin(1e-12));

  // Ten users with ten identical scores each (user k scores k), samples interleaved (sample i
  // belongs to user i % 10, so users first appear in order 0..9). Equal sizes make the pooled
  // mean the mean of the drawn users' scores: the ordinary bootstrap of {0, ..., 9}.
  std::vector<double> clustered;
  std::vector<std::string> users;
  for (int i = 0; i < 100; ++i) {
    clustered.push_back(i % 10);
    users.push_back("u" + std::to_string(i % 10));
  }
  const std::vector<double> user_scores = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const Interval expected = bootstrap_mean_interval(user_scores, 5, 1000);
  const Interval actual = cluster_bootstrap_mean_interval(clustered, users, 5, 1000);
  CHECK(actual.low == Approx(expected.low).epsilon(0).margin(1e-12));
  CHECK(actual.high == Approx(expected.high).epsilon(0).margin(1e-12));
  // Those 100 samples carry the information of 10: resampling samples as if independent
  // gives an interval about sqrt(10) ~ 3.2 times too narrow.
  const Interval naive = bootstrap_mean_interval(clustered, 5, 1000);
  CHECK((actual.high - actual.low) > 2.0 * (naive.high - naive.low));
}

TEST_CASE("cluster bootstrap determinism and edge cases", "[metrics][cluster_bootstrap]") {
  const std::vector<double> values = {1, 2, 3, 6, 4, 0};
  const std::vector<std::string> users = {"a", "a", "b", "b", "c", "c"};
  const Interval first = cluster_bootstrap_mean_interval(values, users, 9, 300);
  const Interval second = cluster_bootstrap_mean_interval(values, users, 9, 300);
  CHECK(first.low == second.low);
  CHECK(first.high == second.high);
  // The per-user means are 1.5, 4.5 and 2: every resampled mean lies between them.
  CHECK(first.low >= 1.5);
  CHECK(first.high <= 4.5);

  // A single user: every resample draws that user, so the interval is its mean, 12/4 = 3.
  const std::vector<std::string> one_user(4, "only");
  const Interval single = cluster_bootstrap_mean_interval(std::vector<double>{1, 2, 3, 6},
                                                          one_user, 9);
  CHECK(single.low == 3.0);
  CHECK(single.high == 3.0);

  const Interval empty = cluster_bootstrap_mean_interval(std::vector<double>{},
                                                         std::vector<std::string>{}, 9);
  CHECK(empty.low == 0.0);
  CHECK(empty.high == 0.0);
  CHECK_THROWS_AS(cluster_bootstrap_mean_interval(values, one_user, 9), std::invalid_argument);
}
