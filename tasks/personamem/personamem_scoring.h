// Scoring PERSONAMEM completions: per sample with the official extraction, and over a run
// (or a slice) with n and 95% intervals (personamem.md §6, §7).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/types.h"

namespace perseval::personamem {

// Per-sample values: correct (1/0, upstream's extract_answer), failed (1 when the model call
// failed; then correct = 0), unparseable (1 when neither the tail nor the whole response
// names any option letter). parsed_answer is the letter set that decided, as "(b)" or
// "(a)(b)": the tail's when it has letters, else the whole response's; "" when none.
Scores score_response(std::string_view response, std::string_view correct_answer, bool failed);

// The names aggregate_scores produces, official-compatible first:
//   accuracy                     mean correct over samples whose model call succeeded (upstream
//                                drops failed calls from its result file); Wilson 95% CI
//   accuracy_corrected           mean correct over all samples, failures counted wrong; Wilson
//   accuracy_persona_bootstrap   `accuracy` again, with n = personas and a seeded percentile
//                                bootstrap over personas (questions of one persona share a
//                                conversation, so they are not independent); only with >= 2
//   n_failed                     failed model calls (n = all samples)
//   n_unparseable                successful answers naming no option (n = answered samples)
const std::vector<std::string>& metric_names();

// Aggregates scored samples (values as score_response made them; a sample flagged failed or
// without values counts as failed). Personas are ScoredSample::user_id. Empty input gives
// an empty result; `accuracy` is left out when every call failed.
std::vector<MetricValue> aggregate_scores(std::span<const ScoredSample> samples, uint64_t seed);

// The per-sample value of `metric` (Task::sample_metric): `accuracy` is `correct` for a
// sample whose call succeeded (nullopt for a failed one, which `accuracy` leaves out);
// `accuracy_corrected` is `correct`, 0 for a failed call. nullopt for everything else
// (accuracy_persona_bootstrap is the same number as `accuracy`; counts).
std::optional<double> sample_metric_value(const std::string& metric, const ScoredSample& sample);

}  // namespace perseval::personamem
