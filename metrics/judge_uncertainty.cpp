#include "metrics/judge_uncertainty.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "metrics/stats.h"

namespace perseval::metrics {
namespace {

double clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

}  // namespace

SelectivePoint selective_at(std::span<const ConfidentOutcome> items, double threshold) {
  SelectivePoint p;
  p.threshold = threshold;
  p.n = static_cast<int64_t>(items.size());
  for (const auto& item : items) {
    if (item.confidence >= threshold) {
      ++p.covered;
      if (item.correct) ++p.correct;
    }
  }
  if (p.n > 0) p.coverage = static_cast<double>(p.covered) / static_cast<double>(p.n);
  if (p.covered > 0) p.accuracy = static_cast<double>(p.correct) / static_cast<double>(p.covered);
  return p;
}

std::vector<CurvePoint> risk_coverage_curve(std::span<const ConfidentOutcome> items) {
  std::vector<ConfidentOutcome> sorted(items.begin(), items.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.confidence > b.confidence; });
  std::vector<CurvePoint> curve;
  const double n = static_cast<double>(sorted.size());
  int64_t covered = 0, correct = 0;
  for (size_t i = 0; i < sorted.size();) {
    const double threshold = sorted[i].confidence;
    for (; i < sorted.size() && sorted[i].confidence == threshold; ++i) {
      ++covered;
      if (sorted[i].correct) ++correct;
    }
    CurvePoint p;
    p.threshold = threshold;
    p.covered = covered;
    p.correct = correct;
    p.coverage = static_cast<double>(covered) / n;
    p.accuracy = static_cast<double>(correct) / static_cast<double>(covered);
    p.risk = 1.0 - p.accuracy;
    curve.push_back(p);
  }
  return curve;
}

double area_under_risk_coverage(std::span<const CurvePoint> curve) {
  double area = 0.0, previous = 0.0;
  for (const auto& p : curve) {
    area += (p.coverage - previous) * p.risk;
    previous = p.coverage;
  }
  return area;
}

double area_under_coverage_accuracy(std::span<const CurvePoint> curve) {
  double area = 0.0, previous = 0.0;
  for (const auto& p : curve) {
    area += (p.coverage - previous) * p.accuracy;
    previous = p.coverage;
  }
  return area;
}

AurocCounts auroc_counts(std::span<const ConfidentOutcome> items) {
  // Rank-free O(n log n): sort all items by confidence and, for every tie group, count the
  // wrong items strictly below and inside the group.
  std::vector<ConfidentOutcome> sorted(items.begin(), items.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.confidence < b.confidence; });
  AurocCounts out;
  double n_correct = 0, n_wrong = 0, wrong_below = 0;
  for (size_t i = 0; i < sorted.size();) {
    double group_correct = 0, group_wrong = 0;
    const double c = sorted[i].confidence;
    for (; i < sorted.size() && sorted[i].confidence == c; ++i)
      (sorted[i].correct ? group_correct : group_wrong) += 1;
    out.wins += group_correct * wrong_below + 0.5 * group_correct * group_wrong;
    wrong_below += group_wrong;
    n_correct += group_correct;
    n_wrong += group_wrong;
  }
  out.pairs = n_correct * n_wrong;
  return out;
}

std::optional<double> auroc(std::span<const ConfidentOutcome> items) {
  const AurocCounts counts = auroc_counts(items);
  if (counts.pairs == 0) return std::nullopt;
  return counts.wins / counts.pairs;
}

std::vector<CalibrationBin> calibration_bins(std::span<const ConfidentOutcome> items, int bins) {
  bins = std::max(1, bins);
  std::vector<CalibrationBin> out(static_cast<size_t>(bins));
  std::vector<double> confidence_sum(out.size(), 0.0), correct_sum(out.size(), 0.0);
  for (int b = 0; b < bins; ++b) {
    out[b].low = static_cast<double>(b) / bins;
    out[b].high = static_cast<double>(b + 1) / bins;
  }
  for (const auto& item : items) {
    const double c = clamp01(item.confidence);
    // The tolerance keeps 0.6 (= 60/100, a hair below 6/10 after scaling) in bin 6.
    int b = static_cast<int>(std::floor(c * bins + 1e-9));
    b = std::clamp(b, 0, bins - 1);
    ++out[b].n;
    confidence_sum[b] += c;
    correct_sum[b] += item.correct ? 1.0 : 0.0;
  }
  for (size_t b = 0; b < out.size(); ++b) {
    if (out[b].n == 0) continue;
    out[b].mean_confidence = confidence_sum[b] / static_cast<double>(out[b].n);
    out[b].accuracy = correct_sum[b] / static_cast<double>(out[b].n);
  }
  return out;
}

double expected_calibration_error(std::span<const ConfidentOutcome> items, int bins) {
  if (items.empty()) return 0.0;
  double ece = 0.0;
  for (const auto& bin : calibration_bins(items, bins))
    ece += static_cast<double>(bin.n) / static_cast<double>(items.size()) *
           std::abs(bin.accuracy - bin.mean_confidence);
  return ece;
}

double brier_score(std::span<const ConfidentOutcome> items) {
  if (items.empty()) return 0.0;
  std::vector<double> squared;
  squared.reserve(items.size());
  for (const auto& item : items) {
    const double d = clamp01(item.confidence) - (item.correct ? 1.0 : 0.0);
    squared.push_back(d * d);
  }
  return mean(squared);
}

std::optional<double> cohen_kappa(std::span<const std::string> rater_a,
                                  std::span<const std::string> rater_b) {
  if (rater_a.empty() || rater_a.size() != rater_b.size()) return std::nullopt;
  const double n = static_cast<double>(rater_a.size());
  std::map<std::string, double> count_a, count_b;
  double agree = 0;
  for (size_t i = 0; i < rater_a.size(); ++i) {
    ++count_a[rater_a[i]];
    ++count_b[rater_b[i]];
    if (rater_a[i] == rater_b[i]) ++agree;
  }
  double expected = 0;
  for (const auto& [label, ca] : count_a) {
    const auto it = count_b.find(label);
    if (it != count_b.end()) expected += (ca / n) * (it->second / n);
  }
  if (expected >= 1.0) return std::nullopt;
  return (agree / n - expected) / (1.0 - expected);
}

DrawAgreement draw_agreement(std::span<const std::string> verdicts) {
  DrawAgreement out;
  std::vector<std::pair<std::string, int>> counts;  // first-seen order decides ties
  for (const auto& v : verdicts) {
    if (v.empty()) continue;
    ++out.draws;
    auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == v; });
    if (it == counts.end()) counts.emplace_back(v, 1);
    else ++it->second;
  }
  for (const auto& [verdict, votes] : counts)
    if (votes > out.votes) {
      out.majority = verdict;
      out.votes = votes;
    }
  if (out.draws > 0) out.share = static_cast<double>(out.votes) / out.draws;
  return out;
}

JudgeMeanInterval judge_mean_interval(const std::vector<std::vector<double>>& draws_per_item,
                                      uint64_t seed, int resamples, double level) {
  JudgeMeanInterval out;
  std::vector<const std::vector<double>*> items;
  std::vector<double> item_means;
  double variance_sum = 0.0;
  int64_t variance_items = 0;
  for (const auto& draws : draws_per_item) {
    if (draws.empty()) continue;
    items.push_back(&draws);
    out.n_draws += static_cast<int64_t>(draws.size());
    const double m = mean(draws);
    item_means.push_back(m);
    if (draws.size() >= 2) {
      double ss = 0.0;
      for (const double d : draws) ss += (d - m) * (d - m);
      variance_sum += ss / static_cast<double>(draws.size() - 1);
      ++variance_items;
    }
  }
  out.n_items = static_cast<int64_t>(items.size());
  if (items.empty()) return out;
  out.mean = mean(item_means);
  if (variance_items > 0) out.within_item_sd = std::sqrt(variance_sum / variance_items);
  if (resamples <= 0) {
    out.low = out.high = out.mean;
    return out;
  }

  Rng rng(seed);
  std::vector<double> statistics, resampled_means(items.size()), resampled_draws;
  statistics.reserve(static_cast<size_t>(resamples));
  for (int r = 0; r < resamples; ++r) {
    for (size_t k = 0; k < items.size(); ++k) {
      const auto& draws = *items[rng.below(items.size())];
      resampled_draws.resize(draws.size());
      for (double& d : resampled_draws) d = draws[rng.below(draws.size())];
      resampled_means[k] = mean(resampled_draws);
    }
    statistics.push_back(mean(resampled_means));
  }
  const double tail = (1.0 - level) / 2.0;
  out.low = percentile(statistics, 100.0 * tail);
  out.high = percentile(statistics, 100.0 * (1.0 - tail));
  return out;
}

}  // namespace perseval::metrics
