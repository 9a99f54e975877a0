// Scoring LaMP predictions: per sample (official reading plus labelled lenient extras) and
// aggregated over a run with n and 95% bootstrap intervals (lamp.md §5, §6).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/core/types.h"
#include "tasks/lamp/lamp_variant.h"

namespace perseval::lamp {

// Per-sample values of one prediction against its gold (both raw strings; the official
// str.strip() is applied here). Keys by output kind:
//   label:  gold_id, pred_id (official mapping, -1 = not a label), pred_id_lenient,
//           correct, correct_lenient (1/0)
//   rating: gold, pred (official: float() or the extreme farthest from the gold; may be
//           NaN/inf), unparseable (1 when the extreme was used), pred_lenient, abs_error
//   text:   rouge-1, rouge-L (F-measure of prediction.strip() vs gold.strip())
// parsed_answer is the stripped prediction, i.e. what the official scorer reads.
Scores score_prediction(const Variant& variant, std::string_view prediction,
                        std::string_view gold);

// Metric names aggregate_scores produces, official names first:
//   label:  accuracy, f1, accuracy_lenient, f1_lenient, f1_present_labels, n_errors
//   rating: MAE, RMSE, n_unparseable, n_nonfinite, mae_lenient, rmse_lenient, n_errors
//   text:   rouge-1, rouge-L, rouge-1_bootstrap_median, rouge-L_bootstrap_median, n_errors
std::vector<std::string> metric_names(const Variant& variant);

// "accuracy", "MAE" or "rouge-1"; MAE is the only lower-is-better primary metric.
std::string primary_metric(const Variant& variant);
bool primary_higher_is_better(const Variant& variant);

// Aggregates per-sample values (as score_prediction made them) into metric_names(variant).
// Samples missing a needed key (unscored, e.g. split=test) are skipped; with none left the
// result is empty. Rate metrics carry n and a seeded 95% bootstrap percentile interval
// (1000 resamples over samples; omitted when a value is non-finite); counts carry n only.
// ROUGE's main values are plain means (upstream reports rouge_score's bootstrap median
// with an unseeded RNG; the *_bootstrap_median metrics reproduce it with `seed`).
// `n_errors` is the number of failed model calls among the samples.
std::vector<MetricValue> aggregate_scores(const Variant& variant,
                                          std::span<const std::map<std::string, double>* const> values,
                                          int64_t n_errors, uint64_t seed);

// The per-sample value of `metric` from values score_prediction made (Task::sample_metric):
//   label:  accuracy (gold_id == pred_id), accuracy_lenient (gold_id == pred_id_lenient)
//   rating: MAE |pred - gold|, mae_lenient |pred_lenient - gold| (float32-rounded as stored)
//   text:   rouge-1, rouge-L (the stored per-sample F-measures)
// nullopt for a sample aggregate_scores skips (a needed key missing), for the corpus-level
// metrics (f1, RMSE, bootstrap medians) and counts, and for unknown names.
std::optional<double> sample_metric_value(const Variant& variant, const std::string& metric,
                                          const std::map<std::string, double>& values);

// The official metrics only, with exactly upstream's keys and order (accuracy, f1 /
// MAE, RMSE / rouge-1, rouge-L as plain means), for paired gold/prediction strings.
std::vector<std::pair<std::string, double>> official_metrics(
    const Variant& variant, std::span<const std::string> golds,
    std::span<const std::string> predictions);

}  // namespace perseval::lamp
