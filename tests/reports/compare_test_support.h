// Builds databases for the comparison tests: hand-made runs of real tasks whose per-sample
// scores are chosen by the test (so expected p-values can be worked out by hand), and real
// runs of bundled tasks against the offline baselines.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "adapters/registry.h"
#include "harness/runner/aggregate.h"
#include "harness/runner/runner.h"
#include "harness/store/store.h"
#include "tasks/registry.h"

namespace perseval::test {

// A hand-made finished run of a real task (`task` is parsed and canonicalised).
struct HandRun {
  std::string run_id;
  std::string task = "lamp-2";
  std::string model = "baseline:kind=majority";
  json model_identity = json::object();
  std::string fingerprint = "fp-1";
  uint64_t seed = 7;
  long long limit = -1;
  std::string started_at = "2026-01-01T00:00:00Z";
  std::vector<SampleRow> rows;
};

// Stores `h` as the runner would: run record with notes, samples, aggregates from the task.
inline RunRecord store_hand_run(Store& store, const HandRun& h) {
  const auto task = make_task(Spec::parse(h.task));
  const TaskInfo info = task->info();
  RunRecord r;
  r.run_id = h.run_id;
  r.config_key = "cfg-" + h.run_id;
  r.task = info.name;
  r.task_version = info.version;
  r.task_params = info.params;
  r.model = h.model;
  r.model_identity = h.model_identity;
  r.gen_config = json{{"max_tokens", 128}};
  r.dataset_fingerprint = h.fingerprint;
  r.seed = h.seed;
  r.limit = h.limit;
  r.started_at = h.started_at;
  r.finished_at = h.started_at;
  r.status = "finished";
  r.n_total = static_cast<long long>(h.rows.size());
  r.notes = json{{"primary_metric", info.primary_metric}, {"higher_is_better", info.higher_is_better}};
  store.create_run(r);
  store.write_samples(r.run_id, h.rows);
  const auto metrics = aggregate_run(*task, h.rows, h.seed);
  store.replace_metrics(r.run_id, metrics);
  return r;
}

// A LaMP-2 row: gold label 0, predicted label 0 (right) or 1 (wrong).
inline SampleRow label_row(int i, bool right, const std::string& output = "") {
  SampleRow row;
  row.sample_id = "s" + std::to_string(i);
  row.seq = i;
  row.user_id = "u" + std::to_string(i % 3);
  row.output = output.empty() ? (right ? "sci-fi" : "comedy") : output;
  const double pred = right ? 0 : 1;
  row.scores = json{{"gold_id", 0}, {"pred_id", pred}, {"pred_id_lenient", pred}, {"correct", right ? 1 : 0},
                    {"correct_lenient", right ? 1 : 0}};
  return row;
}

// A LaMP-3 row: gold rating 3, prediction `pred`.
inline SampleRow rating_row(int i, double pred) {
  SampleRow row;
  row.sample_id = "r" + std::to_string(i);
  row.seq = i;
  row.output = std::to_string(static_cast<int>(pred));
  row.scores = json{{"gold", 3.0}, {"pred", pred}, {"pred_unrounded", pred}, {"unparseable", 0.0},
                    {"pred_lenient", pred}, {"abs_error", std::fabs(pred - 3.0)}};
  return row;
}

// Options for running bundled tasks in tests.
inline RunOptions bundled_options(uint64_t seed = 11, long long limit = -1) {
  RunOptions o;
  o.source.bundled_dir = std::string(PERSEVAL_SOURCE_DIR) + "/datasets/samples";
  o.progress = false;
  o.threads = 2;
  o.seed = seed;
  o.limit = limit;
  return o;
}

// Runs a bundled task against a model spec into `store`.
inline RunSummary run_bundled(Store& store, const std::string& task_spec, const std::string& model_spec,
                              const RunOptions& options = bundled_options()) {
  auto task = make_task(Spec::parse(task_spec));
  auto model = make_model(Spec::parse(model_spec));
  return run_evaluation(*task, *model, store, options);
}

}  // namespace perseval::test
