// Scoring an A/B choice per sample and aggregating a run of them: accuracy (unparsed counts as
// wrong and is counted), position bias, consistency across both orders, length bias, and the
// judge-uncertainty metrics when the model stated a certainty (personafeedback.md §5,
// personalized_judge.md §6).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/core/types.h"
#include "tasks/pairwise/choice_extraction.h"
#include "tasks/pairwise/pair_layout.h"

namespace perseval::pairwise {

// Per-sample values (Scores::values); a key is absent when it does not apply:
//   correct               1 when the parsed answer is the shown gold, else 0 (also when unparsed)
//   unparsed              1 when no valid answer was read (and the call did not fail)
//   failed                1 when the model call failed (then correct = 0)
//   answer_index          0 / 1 / 2 for a parsed A / B / C
//   gold_index            0 / 1 / 2 for the gold shown as A / B / tie (C)
//   picked_stored_first   1 when the chosen response is the stored first one (A/B answers)
//   longer_is_gold        1 / 0 / 0.5: the gold response is longer / shorter / equally long,
//                         in code points (the "always pick the longer" control)
//   certainty             the stated certainty 1..100 (with want_certainty, when valid)
//   no_certainty          with a certainty asked for and an answer read: 1 when no valid
//                         certainty was read, else 0
//   confidence_logprob    the verdict token's probability, when the endpoint sent logprobs
// (tasks may add `lenient_form` = 1 when the answer was not written as "[[X]]").
// parsed_answer is the letter, or "(" + status + ")" when none was read ("(no_answer)").
Scores score_choice(const Choice& choice, const ShownPair& shown, bool failed,
                    std::optional<double> confidence_logprob = std::nullopt);

// What aggregate_pairwise adds besides the always-present accuracy metrics.
struct PairwiseAggregateOptions {
  bool certainty = false;                          // the model was asked for a 1..100 certainty
  std::vector<int> thresholds = {60, 70, 80, 90};  // certainty thresholds (inclusive)
};

// The metric names aggregate_pairwise can produce, in output order.
std::vector<std::string> pairwise_metric_names(const PairwiseAggregateOptions& options);

// Run (or slice) metrics, each with n and a 95% interval (Wilson for proportions, seeded
// bootstrap over users for accuracy_user_bootstrap):
//   accuracy, accuracy_parsed, n_unparsed, n_errors, n_lenient_parse (answers read from a
//   form other than "[[X]]", value `lenient_form` set by the task), p_choose_A, acc_longer_baseline, kappa
//   (Cohen's kappa of answer vs gold, unparsed as its own label), accuracy_user_bootstrap
//   (with >= 2 users); with both orders in the samples: accuracy_both_orders (right in both),
//   position_consistency (same response picked in both; an unparsed side is inconsistent),
//   n_pairs; with options.certainty: n_no_certainty, coverage@T and sel_acc@T per threshold,
//   aurc, auroc_certainty, ece_10, brier (confidence = certainty / 100); when any sample has
//   confidence_logprob: auroc_logprob, ece_10_logprob, brier_logprob. Empty input: empty.
std::vector<MetricValue> aggregate_pairwise(std::span<const ScoredSample> samples, uint64_t seed,
                                            const PairwiseAggregateOptions& options);

// The per-sample value of aggregate_pairwise's `metric` (Task::sample_metric): `accuracy` is
// `correct`, 0 for a failed call; `accuracy_parsed` is `correct` for a sample whose answer was
// read (nullopt otherwise). nullopt for the rest: kappa and the pair, certainty and
// calibration metrics are not means over samples; p_choose_A and acc_longer_baseline have no
// better direction.
std::optional<double> pairwise_sample_metric(const std::string& metric, const ScoredSample& sample);

// Helpers shared by the pairwise tasks: a proportion with its Wilson interval, and a count.
MetricValue proportion_metric(const std::string& name, double successes, int64_t n);
MetricValue count_metric(const std::string& name, double count, int64_t n);

// Length of UTF-8 text in code points.
size_t code_points(std::string_view text);

}  // namespace perseval::pairwise
