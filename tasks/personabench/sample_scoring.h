// Scoring PersonaBench samples in the task: per-sample values and run aggregates with n and
// 95% intervals (personabench.md §4–§6).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/types.h"
#include "tasks/personabench/options.h"

namespace perseval::personabench {

// Per-sample values for a loaded sample's target (loader.h) and the model's raw text.
// Scored categories:
//   precision, recall, f1                         official (eval.py); absent when eval.py
//                                                 would raise NameError (int answer first)
//   precision_corrected, recall_corrected, f1_corrected   int answers read as their text
//   outdated_recall, outdated_recall_corrected    questions with an outdated_value only
//   recall@K, ndcg@K                              when `retrieved` is given (not oracle):
//                                                 maximised over ground-truth alternatives
//   int_answer, over_k_items                      1/0 flags (over_k_items: more answer items
//                                                 than K, where the official gt-context
//                                                 extraction raises and aborts every run)
// Subjective: subjective_correct (answer_scoring.h subjective_correct), a labelled extra.
// parsed_answer is the stripped prediction.
Scores score_sample(const json& target, std::string_view prediction,
                    const std::optional<std::vector<std::string>>& retrieved, std::size_t k);

// The aggregate metric names, official first: f1, precision, recall, outdated_recall,
// recall@K, ndcg@K (not for oracle), then the _corrected ones, subjective_accuracy and the
// counts n_int_answers, n_over_k_items, n_errors.
std::vector<std::string> metric_names(const Options& options);

// Means over the samples holding each value, with n and a seeded 95% bootstrap interval;
// counts with n only. A metric no sample has is left out; no scored sample gives {}.
std::vector<MetricValue> aggregate_samples(std::span<const ScoredSample> samples,
                                           const Options& options, uint64_t seed);

// The per-sample value of `metric` (Task::sample_metric): every aggregate except the n_*
// counts is the mean of one per-sample value over the samples holding it (subjective_accuracy
// of subjective_correct, the others of the value of the same name), so this is that value,
// or nullopt when the sample lacks it, for the counts and for names not in
// metric_names(options).
std::optional<double> sample_metric_value(const std::string& metric, const ScoredSample& sample,
                                          const Options& options);

}  // namespace perseval::personabench
