// The upstream analysis of Personalized-Judge outputs (visualization.ipynb, personalized_judge.md
// §5): accuracy over rows answered A/B, the high/low certainty split, the clamped decile bins,
// and coverage/accuracy at raw-certainty thresholds. Computed on the official-rule answer and
// certainty (first character, first integer), so it reproduces the study's numbers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/core/types.h"

namespace perseval::personalized_judge {

// One judged case as the notebook sees it.
struct OfficialCase {
  std::string gold;       // "A", "B" or "C"
  std::string answer;     // official-rule answer: "A", "B", "C" or junk ("" when none)
  std::string certainty;  // official-rule certainty text; "NA" when none
  // The recorded `acc` field, which the notebook averages; answer == gold when absent (a
  // fresh reply). The two agree on every released record.
  std::optional<bool> recorded_acc;
};

struct AnalysisOptions {
  int high_threshold = 80;                         // high = int(certainty) >= this
  std::vector<int> thresholds = {60, 70, 80, 90};  // coverage/accuracy rows
  bool tie = false;                                // C is a valid answer (tie files)
};

// n and correct, with accuracy = correct / n (empty when n == 0; the notebook prints 0).
struct Tally {
  int64_t n = 0;
  int64_t correct = 0;
  std::optional<double> accuracy() const;
};

struct ThresholdRow {
  int threshold = 0;
  int64_t covered = 0;   // answered rows with int(certainty) >= threshold
  int64_t correct = 0;
  double coverage = 0.0;  // covered / answered
};

struct OfficialAnalysis {
  int64_t records = 0;
  Tally answered;          // rows answered A or B; correct = answer == gold
  int64_t parse_failures = 0;  // answers outside A/B (A/B/C with ties): junk such as "N"
  int high_threshold = 80;
  Tally high, low;
  std::map<int, Tally> bins;   // clamped bin 4..9 → rows (only bins with rows)
  std::vector<ThresholdRow> thresholds;
  // Mann–Whitney AUROC of int(certainty) over answered rows whose certainty is a number;
  // empty when there are none or one class is empty. wins / pairs kept for reports.
  std::optional<double> auroc;
  double auroc_wins = 0.0, auroc_pairs = 0.0;
  std::optional<Tally> three_way;  // tie mode: answer == gold over all records
  std::optional<Tally> tie_gold;   // tie mode: the gold-C rows (stale candidates upstream, §9.2)
  std::map<std::string, int64_t> answer_counts, gold_counts;
};

// Runs the notebook's rules over `cases` in order.
OfficialAnalysis analyse_official(std::span<const OfficialCase> cases, const AnalysisOptions& options);

// The analysis as the `perseval score personalized-judge --json` object: records, answered,
// correct, accuracy, parse_failures, high/low {n, correct, accuracy}, bins {"4": {n, correct}},
// thresholds {"60": {covered, correct, coverage, accuracy}}, auroc_certainty {value, wins,
// pairs}, answer_counts, ground_truth_counts, and with ties three_way_accuracy and
// ties_stale_candidates. An empty high/low group has accuracy 0, as the notebook prints it;
// other accuracies of empty groups are null.
json official_json(const OfficialAnalysis& analysis);

// The analysis as run metrics: accuracy_ab, n_answered_ab, n_parse_fail_official, hi_n, hi_acc,
// lo_n, lo_acc, bin_K_n and bin_K_acc, official_coverage@T / official_sel_acc@T, and with ties
// three_way_accuracy. Proportions carry Wilson intervals.
std::vector<MetricValue> official_metrics(const OfficialAnalysis& analysis);

}  // namespace perseval::personalized_judge
