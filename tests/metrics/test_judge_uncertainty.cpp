// Judge-uncertainty metrics against values computed by hand (see the comments).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "metrics/judge_uncertainty.h"
#include "metrics/proportion.h"
#include "metrics/stats.h"

using namespace perseval::metrics;

namespace {

// Five items: confidences 0.9, 0.8 (twice), 0.6, 0.3; the second 0.8 and the 0.3 are wrong.
const std::vector<ConfidentOutcome> kItems = {
    {0.9, true}, {0.8, true}, {0.8, false}, {0.6, true}, {0.3, false}};

}  // namespace

TEST_CASE("selective accuracy and coverage at a threshold", "[judge]") {
  const auto p = selective_at(kItems, 0.8);
  CHECK(p.n == 5);
  CHECK(p.covered == 3);
  CHECK(p.correct == 2);
  CHECK(p.coverage == Approx(0.6));
  REQUIRE(p.accuracy);
  CHECK(*p.accuracy == Approx(2.0 / 3.0));
  const auto none = selective_at(kItems, 0.95);
  CHECK(none.covered == 0);
  CHECK(none.coverage == 0.0);
  CHECK_FALSE(none.accuracy);
  CHECK(selective_at({}, 0.5).coverage == 0.0);
}

TEST_CASE("risk-coverage curve groups ties and its area", "[judge]") {
  // Groups by confidence: 0.9 → 1/1; 0.8 → 2/3 at coverage 0.6; 0.6 → 3/4; 0.3 → 3/5.
  const auto curve = risk_coverage_curve(kItems);
  REQUIRE(curve.size() == 4);
  CHECK(curve[0].coverage == Approx(0.2));
  CHECK(curve[0].risk == Approx(0.0));
  CHECK(curve[1].covered == 3);
  CHECK(curve[1].accuracy == Approx(2.0 / 3.0));
  CHECK(curve[2].accuracy == Approx(0.75));
  CHECK(curve[3].coverage == Approx(1.0));
  CHECK(curve[3].accuracy == Approx(0.6));
  // AURC = 0.2·0 + 0.4·(1/3) + 0.2·0.25 + 0.2·0.4 = 0.263333…
  CHECK(area_under_risk_coverage(curve) == Approx(0.2 * 0 + 0.4 / 3 + 0.05 + 0.08));
  CHECK(area_under_coverage_accuracy(curve) == Approx(1.0 - (0.4 / 3 + 0.05 + 0.08)));
  // Order of the input does not matter.
  std::vector<ConfidentOutcome> reversed(kItems.rbegin(), kItems.rend());
  CHECK(area_under_risk_coverage(risk_coverage_curve(reversed)) ==
        Approx(area_under_risk_coverage(curve)));
  // Without ties AURC is the mean selective risk over k = 1..n: risks 0, 1/2, 1/3 → 5/18.
  const std::vector<ConfidentOutcome> distinct = {{3, true}, {2, false}, {1, true}};
  CHECK(area_under_risk_coverage(risk_coverage_curve(distinct)) == Approx(5.0 / 18.0));
  CHECK(risk_coverage_curve({}).empty());
  CHECK(area_under_risk_coverage({}) == 0.0);
}

TEST_CASE("AUROC of confidence is Mann-Whitney with ties at 0.5", "[judge]") {
  // Correct {0.9, 0.8, 0.6} vs wrong {0.8, 0.3}: 1 + 1 + 0.5 + 1 + 0 + 1 = 4.5 of 6 pairs.
  const auto counts = auroc_counts(kItems);
  CHECK(counts.wins == 4.5);
  CHECK(counts.pairs == 6.0);
  REQUIRE(auroc(kItems));
  CHECK(*auroc(kItems) == Approx(0.75));
  // One class only: undefined.
  const std::vector<ConfidentOutcome> all_right = {{0.2, true}, {0.9, true}};
  CHECK_FALSE(auroc(all_right));
  // Every confidence equal: 0.5.
  const std::vector<ConfidentOutcome> flat = {{0.5, true}, {0.5, false}, {0.5, true}};
  CHECK(*auroc(flat) == Approx(0.5));
}

TEST_CASE("ECE over 10 equal-width bins and the Brier score", "[judge]") {
  // Bins 9: {0.9 ✓} → 0.1; 8: {0.8 ✓, 0.8 ✗} → |0.5 − 0.8| = 0.3; 6: {0.6 ✓} → 0.4;
  // 3: {0.3 ✗} → 0.3. ECE = (0.1 + 2·0.3 + 0.4 + 0.3) / 5 = 0.28.
  CHECK(expected_calibration_error(kItems) == Approx(0.28));
  const auto bins = calibration_bins(kItems);
  REQUIRE(bins.size() == 10);
  CHECK(bins[6].n == 1);  // 0.6 lands in [0.6, 0.7), not [0.5, 0.6)
  CHECK(bins[8].n == 2);
  CHECK(bins[8].accuracy == Approx(0.5));
  // 1.0 goes to the last bin; values outside [0, 1] are clamped.
  const std::vector<ConfidentOutcome> edges = {{1.0, true}, {1.7, true}, {-0.2, false}};
  const auto edge_bins = calibration_bins(edges);
  CHECK(edge_bins[9].n == 2);
  CHECK(edge_bins[0].n == 1);
  CHECK(expected_calibration_error(edges) == Approx(0.0));
  // Brier: (0.01 + 0.04 + 0.64 + 0.16 + 0.09) / 5 = 0.188.
  CHECK(brier_score(kItems) == Approx(0.188));
  CHECK(brier_score({}) == 0.0);
  CHECK(expected_calibration_error({}) == 0.0);
}

TEST_CASE("Cohen's kappa", "[judge]") {
  // Agreement 4/6; both raters 3 A + 3 B → p_e = 0.5; kappa = (2/3 − 1/2) / (1/2) = 1/3.
  const std::vector<std::string> a = {"A", "A", "B", "B", "A", "B"};
  const std::vector<std::string> b = {"A", "B", "B", "B", "A", "A"};
  REQUIRE(cohen_kappa(a, b));
  CHECK(*cohen_kappa(a, b) == Approx(1.0 / 3.0));
  CHECK(*cohen_kappa(a, a) == Approx(1.0));
  // Three labels, one rater never says C: p_o = 3/4; p_e = (2/4)(2/4) + (1/4)(2/4) = 3/8;
  // kappa = (3/4 − 3/8) / (5/8) = 0.6.
  const std::vector<std::string> gold = {"A", "A", "B", "C"};
  const std::vector<std::string> judge = {"A", "A", "B", "B"};
  CHECK(*cohen_kappa(gold, judge) == Approx(0.6));
  const std::vector<std::string> same = {"A", "A"};
  CHECK_FALSE(cohen_kappa(same, same));  // p_e = 1: 0/0
  CHECK_FALSE(cohen_kappa(a, same));     // lengths differ
}

TEST_CASE("agreement across judge draws", "[judge]") {
  const std::vector<std::string> v = {"B", "A", "", "A", "B", "A"};
  const auto agreement = draw_agreement(v);
  CHECK(agreement.majority == "A");
  CHECK(agreement.votes == 3);
  CHECK(agreement.draws == 5);
  CHECK(agreement.share == Approx(0.6));
  const std::vector<std::string> tie = {"B", "A"};
  CHECK(draw_agreement(tie).majority == "B");  // first seen wins a tie
  CHECK(draw_agreement(std::vector<std::string>{""}).draws == 0);
}

TEST_CASE("judge-scored mean with a two-level bootstrap interval", "[judge]") {
  // Item means 3, 3, 5 → 11/3; per-item variances 2 (for {4, 2}) and 0 → within sd 1.
  const std::vector<std::vector<double>> draws = {{4, 2}, {3}, {5, 5, 5}, {}};
  const auto r = judge_mean_interval(draws, 7);
  CHECK(r.n_items == 3);
  CHECK(r.n_draws == 6);
  CHECK(r.mean == Approx(11.0 / 3.0));
  CHECK(r.within_item_sd == Approx(1.0));
  CHECK(r.low <= r.mean);
  CHECK(r.high >= r.mean);
  CHECK(r.low >= 2.0);
  CHECK(r.high <= 5.0);
  // Seeded: identical twice, different with another seed.
  const auto again = judge_mean_interval(draws, 7);
  CHECK(again.low == r.low);
  CHECK(again.high == r.high);

  // Every item has mean 3 but the judge disagrees with itself (1 or 5): a bootstrap over
  // items alone gives [3, 3]; the judge's variance widens the interval.
  const std::vector<std::vector<double>> noisy(30, std::vector<double>{1, 5});
  std::vector<double> item_means(30, 3.0);
  const auto items_only = bootstrap_mean_interval(item_means, 7);
  CHECK(items_only.high - items_only.low == 0.0);
  const auto two_level = judge_mean_interval(noisy, 7);
  CHECK(two_level.mean == 3.0);
  CHECK(two_level.high - two_level.low > 0.5);
  // A judge that always agrees with itself adds nothing: one level only.
  const std::vector<std::vector<double>> steady = {{2, 2}, {4, 4}, {3, 3}};
  const auto s = judge_mean_interval(steady, 3);
  CHECK(s.within_item_sd == 0.0);
  CHECK(s.low >= 2.0);
  CHECK(s.high <= 4.0);
  const auto empty = judge_mean_interval({}, 1);
  CHECK(empty.n_items == 0);
  CHECK(empty.mean == 0.0);
}

TEST_CASE("Wilson interval used for judge accuracies", "[judge]") {
  // 44 of 60 (PRISM file): centre (p + z²/2n)/(1 + z²/n), 0.60991 … 0.82867 (computed with a few lines of Python).
  const auto w = wilson_interval(44, 60);
  CHECK(w.low == Approx(0.6099129).margin(1e-6));
  CHECK(w.high == Approx(0.8286736).margin(1e-6));
}
