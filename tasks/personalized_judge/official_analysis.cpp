#include "tasks/personalized_judge/official_analysis.h"

#include "metrics/judge_uncertainty.h"
#include "tasks/pairwise/choice_extraction.h"
#include "tasks/pairwise/pairwise_scoring.h"

namespace perseval::personalized_judge {
namespace {

bool is_number(const std::string& text) {
  if (text.empty()) return false;
  for (const char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

json tally_json(const Tally& t, bool empty_is_zero = false) {
  const auto acc = t.accuracy();
  return json{{"n", t.n}, {"correct", t.correct},
              {"accuracy", acc ? json(*acc) : empty_is_zero ? json(0.0) : json()}};
}

}  // namespace

std::optional<double> Tally::accuracy() const {
  if (n == 0) return std::nullopt;
  return static_cast<double>(correct) / static_cast<double>(n);
}

OfficialAnalysis analyse_official(std::span<const OfficialCase> cases, const AnalysisOptions& options) {
  OfficialAnalysis a;
  a.high_threshold = options.high_threshold;
  std::vector<metrics::ConfidentOutcome> with_certainty;
  std::vector<std::pair<int, bool>> answered;  // int(certainty), correct
  if (options.tie) {
    a.three_way = Tally{};
    a.tie_gold = Tally{};
  }
  for (const auto& c : cases) {
    ++a.records;
    ++a.answer_counts[c.answer];
    ++a.gold_counts[c.gold];
    const bool correct = c.recorded_acc.value_or(c.answer == c.gold);
    const bool valid = c.answer == "A" || c.answer == "B" || (options.tie && c.answer == "C");
    if (!valid) ++a.parse_failures;
    if (options.tie) {
      ++a.three_way->n;
      a.three_way->correct += correct;
      if (c.gold == "C") {
        ++a.tie_gold->n;
        a.tie_gold->correct += correct;
      }
    }
    if (c.answer != "A" && c.answer != "B") continue;  // the notebook's filter
    ++a.answered.n;
    a.answered.correct += correct;
    const int value = pairwise::official_certainty_value(c.certainty);
    answered.emplace_back(value, correct);
    Tally& side = value >= options.high_threshold ? a.high : a.low;
    ++side.n;
    side.correct += correct;
    Tally& bin = a.bins[pairwise::official_certainty_bin(c.certainty)];
    ++bin.n;
    bin.correct += correct;
    if (is_number(c.certainty)) with_certainty.push_back({static_cast<double>(value), correct});
  }
  for (const int t : options.thresholds) {
    ThresholdRow row;
    row.threshold = t;
    for (const auto& [value, correct] : answered)
      if (value >= t) {
        ++row.covered;
        row.correct += correct;
      }
    if (a.answered.n > 0) row.coverage = static_cast<double>(row.covered) / static_cast<double>(a.answered.n);
    a.thresholds.push_back(row);
  }
  const auto counts = metrics::auroc_counts(with_certainty);
  a.auroc_wins = counts.wins;
  a.auroc_pairs = counts.pairs;
  a.auroc = metrics::auroc(with_certainty);
  return a;
}

json official_json(const OfficialAnalysis& a) {
  json out = json::object();
  out["records"] = a.records;
  out["answered"] = a.answered.n;
  out["correct"] = a.answered.correct;
  const auto acc = a.answered.accuracy();
  out["accuracy"] = acc ? json(*acc) : json();
  out["parse_failures"] = a.parse_failures;
  out["high_threshold"] = a.high_threshold;
  out["high"] = tally_json(a.high, true);
  out["low"] = tally_json(a.low, true);
  out["bins"] = json::object();
  for (const auto& [bin, t] : a.bins) out["bins"][std::to_string(bin)] = json{{"n", t.n}, {"correct", t.correct}};
  out["thresholds"] = json::object();
  for (const auto& row : a.thresholds) {
    const Tally covered{row.covered, row.correct};
    const auto accuracy = covered.accuracy();
    out["thresholds"][std::to_string(row.threshold)] =
        json{{"covered", row.covered}, {"correct", row.correct}, {"coverage", row.coverage},
             {"accuracy", accuracy ? json(*accuracy) : json()}};
  }
  out["auroc_certainty"] = json{{"value", a.auroc ? json(*a.auroc) : json()},
                                {"wins", a.auroc_wins}, {"pairs", a.auroc_pairs}};
  out["answer_counts"] = a.answer_counts;
  out["ground_truth_counts"] = a.gold_counts;
  if (a.three_way) out["three_way_accuracy"] = tally_json(*a.three_way);
  if (a.tie_gold) out["ties_stale_candidates"] = tally_json(*a.tie_gold);
  return out;
}

std::vector<MetricValue> official_metrics(const OfficialAnalysis& a) {
  using pairwise::count_metric;
  using pairwise::proportion_metric;
  std::vector<MetricValue> out;
  if (a.answered.n > 0)
    out.push_back(proportion_metric("accuracy_ab", static_cast<double>(a.answered.correct), a.answered.n));
  out.push_back(count_metric("n_answered_ab", static_cast<double>(a.answered.n), a.records));
  out.push_back(count_metric("n_parse_fail_official", static_cast<double>(a.parse_failures), a.records));
  out.push_back(count_metric("hi_n", static_cast<double>(a.high.n), a.answered.n));
  if (a.high.n > 0) out.push_back(proportion_metric("hi_acc", static_cast<double>(a.high.correct), a.high.n));
  out.push_back(count_metric("lo_n", static_cast<double>(a.low.n), a.answered.n));
  if (a.low.n > 0) out.push_back(proportion_metric("lo_acc", static_cast<double>(a.low.correct), a.low.n));
  for (const auto& [bin, t] : a.bins) {
    const std::string name = "bin_" + std::to_string(bin);
    out.push_back(count_metric(name + "_n", static_cast<double>(t.n), a.answered.n));
    out.push_back(proportion_metric(name + "_acc", static_cast<double>(t.correct), t.n));
  }
  for (const auto& row : a.thresholds) {
    const std::string t = std::to_string(row.threshold);
    out.push_back(proportion_metric("official_coverage@" + t, static_cast<double>(row.covered), a.answered.n));
    if (row.covered > 0)
      out.push_back(proportion_metric("official_sel_acc@" + t, static_cast<double>(row.correct), row.covered));
  }
  if (a.three_way)
    out.push_back(proportion_metric("three_way_accuracy", static_cast<double>(a.three_way->correct), a.three_way->n));
  return out;
}

}  // namespace perseval::personalized_judge
