// Paired comparison of two runs, or of two models task by task (`perseval compare`): the
// stored aggregates of both sides, and for every metric that is a mean over samples the
// paired difference B - A over the samples both runs answered, with its bootstrap interval,
// an exact test (McNemar for 0/1 values, sign-flip permutation otherwise), Holm-adjusted
// p-values over the whole comparison, flip counts, the minimum detectable effect and the
// samples that flipped most. Reads only the store; per-sample metric values come from the
// task's Task::sample_metric (the task registry is used for that and nothing else).
// Everything is deterministic for the runs' seed. Not thread-safe (one Store).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/store/store.h"

namespace perseval {

// Options of a comparison.
struct CompareOptions {
  double alpha = 0.05;                  // level of the tests, the gate and the MDE
  std::optional<double> fail_if_worse;  // the gate's DELTA (>= 0); unset: no gate
  int resamples = 1000;                 // paired bootstrap resamples
  size_t max_flips = 5;                 // example samples per direction
  size_t max_output_chars = 200;        // outputs of example samples are cut to this
};

// One metric of one task. `a`/`b` are the stored whole-run aggregates; the paired fields are
// set only when `test` is not "none".
struct MetricComparison {
  std::string name;
  bool primary = false;
  bool higher_is_better = true;
  double a = 0.0;
  double b = 0.0;
  double diff = 0.0;                  // paired mean of B - A; without a test: b - a
  std::optional<double> ci_low, ci_high;  // paired bootstrap 95% interval of diff
  std::optional<double> p;            // the exact test's two-sided p-value
  std::optional<double> p_holm;       // p adjusted over every test of the comparison
  std::optional<double> p_bootstrap;  // paired_bootstrap_difference's p-value
  std::string test = "none";          // "mcnemar_exact", "sign_flip_exact", "sign_flip_monte_carlo"
  std::string note;                   // why there is no paired test, when there is none
  int64_t n = 0;                      // samples in the paired test
  int64_t improved = 0, worsened = 0, unchanged = 0;  // in the metric's own direction
  // Minimum detectable effect at alpha with power 0.8 for n, from the observed flip rate
  // (0/1 values) or sd of the differences; +inf when n is too small to detect any difference;
  // unset when the runs never differ on the metric (no variability to base it on).
  std::optional<double> mde;
};

// A sample whose value moved between the runs; outputs cut to max_output_chars.
struct FlipExample {
  std::string sample_id;
  double a_value = 0.0;
  double b_value = 0.0;
  std::string a_output;
  std::string b_output;
};

// The comparison of the runs of one task.
struct TaskComparison {
  std::string task;
  RunRecord run_a, run_b;
  int64_t n_a = 0, n_b = 0;                 // samples stored in each run
  int64_t n_paired = 0;                     // present and error-free in both
  int64_t missing_in_a = 0, missing_in_b = 0;  // present in only one run
  int64_t errored_a = 0, errored_b = 0;     // present in both, failed call on that side
  std::vector<MetricComparison> metrics;    // A's stored order, metrics both runs have
  std::string flips_metric;                 // the metric the examples are for ("" = none)
  std::vector<FlipExample> improved_examples, worsened_examples;  // biggest moves first
};

// A task only one side has a run of.
struct UnpairedTask {
  std::string task;
  std::string side;  // "a" or "b"
  std::string run_id;
};

// A primary metric that tripped --fail-if-worse.
struct GateFailure {
  std::string task;
  std::string metric;
  double worse_by = 0.0;  // in the metric's direction, > DELTA
  double p_holm = 1.0;
};

// One side as the user named it.
struct CompareSide {
  std::string arg;    // as given
  std::string kind;   // "run" or "model"
  std::string model;  // the resolved model spec
};

// A whole comparison.
struct Comparison {
  CompareSide a, b;
  CompareOptions options;
  std::vector<TaskComparison> tasks;
  std::vector<UnpairedTask> unpaired;
  std::vector<std::string> warnings;
  std::vector<GateFailure> gate_failures;
  bool failed_gate = false;
};

// Two runs to compare, and the tasks that had no partner.
struct RunSelection {
  CompareSide a, b;
  std::vector<std::pair<RunRecord, RunRecord>> pairs;
  std::vector<UnpairedTask> unpaired;
};

// Resolves A and B. Each is a run id, or a model spec as stored in runs.model (an exact
// match, else a unique prefix). Two run ids: that one pair. Two models: per task, the latest
// finished run of each. A run id and a model: the model's latest finished run of the run's
// task. Throws InputError naming the argument when it matches nothing, matches several
// models, a model has no finished run of the needed task, or two models share no task.
RunSelection select_runs(Store& store, const std::string& a, const std::string& b);

// Throws InputError ("tasks, data or scorers differ: ...") naming every field that differs
// between the two runs: task spec, task version, task parameters, dataset fingerprint, seed,
// limit, judge. Returns normally when they may be compared.
void check_comparable(const RunRecord& a, const RunRecord& b);

// Notes worth a warning for a comparable pair: different model backends (model_identity
// "backend", else the model spec's name), different generation settings, unfinished runs,
// a run compared with itself.
std::vector<std::string> pair_warnings(const RunRecord& a, const RunRecord& b);

// The direction of `metric`: for the task's primary metric the run's own higher_is_better;
// otherwise lower is better for error-like names (MAE, RMSE, *error*, ece, brier, aurc,
// failure and parse-problem counts), higher for everything else.
bool metric_higher_is_better(const std::string& metric, const std::string& primary,
                             bool primary_higher_is_better);

// Compares two comparable runs of one task (no Holm adjustment: see compare). Reads both
// runs' samples and metrics from `store`.
TaskComparison compare_pair(Store& store, const RunRecord& a, const RunRecord& b,
                            const CompareOptions& options, std::vector<std::string>& warnings);

// The whole comparison: select_runs, check_comparable on every pair (throws InputError on
// the first that differs), compare_pair, Holm over every p-value of every task, and the gate
// when options.fail_if_worse is set: a task fails when its primary metric's paired
// difference is worse than A's by more than DELTA with Holm-adjusted p < alpha.
Comparison compare(Store& store, const std::string& a, const std::string& b,
                   const CompareOptions& options);

// The comparison as readable text: one block per task, unpaired tasks, the number of
// warnings (their text is for stderr: the caller prints Comparison::warnings), the gate.
std::string format_comparison_text(const Comparison& comparison);

// The comparison as JSON: {"a", "b", "alpha", "fail_if_worse", "tasks": [{"task", "run_a",
// "run_b", "n_a", "n_b", "n_paired", "missing_in_a", "missing_in_b", "errored_a",
// "errored_b", "metrics": [{"name", "primary", "higher_is_better", "a", "b", "diff", "ci_low",
// "ci_high", "p", "p_holm", "p_bootstrap", "test", "note", "n", "improved", "worsened",
// "unchanged", "mde"}], "flips": {"metric", "improved": [...], "worsened": [...]}}],
// "unpaired": [{"task", "side", "run_id"}], "warnings": [...], "gate_failures": [...],
// "failed_gate"}. Absent and non-finite numbers are null.
json comparison_json(const Comparison& comparison);

}  // namespace perseval
