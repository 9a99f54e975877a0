// Metrics for judges that state a confidence: selective accuracy and coverage, the
// risk–coverage curve and its area, AUROC of confidence, calibration (ECE, Brier), agreement
// with gold (Cohen's kappa), agreement across repeated draws, and a mean score whose 95%
// interval includes the judge's own variance. Pure functions; see personalized_judge.md §6
// and penguin.md §5. Wilson intervals for the accuracies live in metrics/proportion.h.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace perseval::metrics {

// One judged item: the judge's confidence (any monotone scale, e.g. certainty/100 in [0, 1]
// for calibration metrics) and whether its verdict was right.
struct ConfidentOutcome {
  double confidence = 0.0;
  bool correct = false;
};

// Selective prediction at one threshold: items with confidence >= threshold are "covered".
struct SelectivePoint {
  double threshold = 0.0;
  int64_t n = 0;         // all items
  int64_t covered = 0;   // items with confidence >= threshold
  int64_t correct = 0;   // correct among the covered
  double coverage = 0.0;            // covered / n; 0 when n == 0
  std::optional<double> accuracy;   // correct / covered; empty when nothing is covered
};

// Coverage and selective accuracy at `threshold` (inclusive, as the upstream ">= 80" split).
SelectivePoint selective_at(std::span<const ConfidentOutcome> items, double threshold);

// One step of the risk–coverage curve: everything with confidence >= `threshold` accepted.
struct CurvePoint {
  double threshold = 0.0;
  int64_t covered = 0;
  int64_t correct = 0;
  double coverage = 0.0;
  double accuracy = 0.0;  // selective accuracy at this coverage
  double risk = 0.0;      // 1 - accuracy
};

// The curve from the most to the least confident item. Items with equal confidence enter
// together (one point per distinct confidence), because a threshold cannot separate them;
// so the curve does not depend on the input order. Empty input gives an empty curve.
std::vector<CurvePoint> risk_coverage_curve(std::span<const ConfidentOutcome> items);

// Area under risk vs coverage (AURC): Σ over points of (coverage − previous coverage) × risk,
// i.e. each tie group's coverage width at the risk reached once the group is accepted. With
// no ties this is the usual mean of the selective risk over k = 1..n. 0 for an empty curve.
double area_under_risk_coverage(std::span<const CurvePoint> curve);

// Area under selective accuracy vs coverage, the same step rule; equals final coverage − AURC.
double area_under_coverage_accuracy(std::span<const CurvePoint> curve);

// Mann–Whitney AUROC of confidence separating correct from wrong items: the share of
// (correct, wrong) pairs where the correct one is more confident, ties counting 0.5. Empty
// when either class is empty (undefined).
std::optional<double> auroc(std::span<const ConfidentOutcome> items);

// The Mann–Whitney numerator (pairs won + 0.5 × tied) and denominator (n_correct × n_wrong),
// so reports can show e.g. 428.5 / 704.
struct AurocCounts {
  double wins = 0.0;
  double pairs = 0.0;
};
AurocCounts auroc_counts(std::span<const ConfidentOutcome> items);

// One equal-width calibration bin over [0, 1].
struct CalibrationBin {
  double low = 0.0;
  double high = 0.0;
  int64_t n = 0;
  double mean_confidence = 0.0;  // 0 when empty
  double accuracy = 0.0;         // 0 when empty
};

// `bins` equal-width bins; bin i holds confidences in [i/bins, (i+1)/bins), the last bin also
// 1.0. Confidences are clamped to [0, 1]. A confidence that is an exact bin edge up to
// rounding (0.6 from 60/100) goes to the bin that starts there.
std::vector<CalibrationBin> calibration_bins(std::span<const ConfidentOutcome> items, int bins = 10);

// Expected calibration error Σ_b (n_b / n) |accuracy_b − mean confidence_b| over
// calibration_bins; 0 for empty input.
double expected_calibration_error(std::span<const ConfidentOutcome> items, int bins = 10);

// Brier score: mean (confidence − correct)² with confidences clamped to [0, 1]; 0 when empty.
double brier_score(std::span<const ConfidentOutcome> items);

// Cohen's kappa between two raters labelling the same items (labels are any strings):
// (p_o − p_e) / (1 − p_e). Empty when the inputs are empty, differ in length, or p_e == 1
// (both raters used one and the same label throughout: kappa is 0/0, as sklearn's NaN).
std::optional<double> cohen_kappa(std::span<const std::string> rater_a,
                                  std::span<const std::string> rater_b);

// Agreement across repeated draws of one judge on one item: the most frequent verdict and
// its share. Empty verdicts (unparsed draws) are ignored; ties go to the verdict seen first.
struct DrawAgreement {
  std::string majority;  // "" when no draw has a verdict
  int votes = 0;
  int draws = 0;         // draws with a verdict
  double share = 0.0;    // votes / draws; 0 when draws == 0
};
DrawAgreement draw_agreement(std::span<const std::string> verdicts);

// A judge-scored mean with an interval that includes the judge's own variance.
struct JudgeMeanInterval {
  double mean = 0.0;            // mean over items of each item's mean over its draws
  double low = 0.0;
  double high = 0.0;
  int64_t n_items = 0;          // items with at least one valid draw
  int64_t n_draws = 0;          // valid draws over those items
  double within_item_sd = 0.0;  // root mean of per-item sample variances (items with >= 2 draws)
};

// Two-level seeded bootstrap: each resample draws the items with replacement and, for every
// drawn item, its draws with replacement; the statistic is the mean of the resampled item
// means, and the interval is its percentiles (numpy linear). With one draw per item this is
// the ordinary bootstrap over items. Items without draws are skipped; no item gives zeros.
JudgeMeanInterval judge_mean_interval(const std::vector<std::vector<double>>& draws_per_item,
                                      uint64_t seed, int resamples = 1000, double level = 0.95);

}  // namespace perseval::metrics
