// The Task implementation of `personamem:size=32k|128k|1M,...` (personamem.md). Immutable
// after construction except for the last load's report, which is guarded; every method is
// safe to call concurrently.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "harness/core/spec.h"
#include "harness/core/task.h"
#include "tasks/personamem/personamem_options.h"

namespace perseval::personamem {

class PersonamemTask : public Task {
 public:
  explicit PersonamemTask(PersonamemOptions options);

  TaskInfo info() const override;

  // [questions CSV, shared-contexts JSONL] as resolve_files gives them. Throws InputError
  // naming a missing file and the expected layout.
  std::vector<std::string> data_files(const DataSource& source) const override;

  // Streams the questions (personamem_loader.h) and keeps the loader's report for
  // load_report().
  void load(const DataSource& source, const SampleSink& sink) const override;

  // The official messages (personamem_prompt.h) from the sample's selected history, the
  // task's GenConfig, and ReferenceHints for the offline baselines: output_kind "label",
  // choices "(a)"…, choice_texts = the option texts (without their labels).
  Request render(const Sample& sample) const override;

  // score_response on the completion; a failed call is scored as failed, not as text.
  Scores score(const Sample& sample, const Completion& completion,
               std::span<const Judgement> judgements) const override;

  // personamem_scoring.h's metrics.
  std::vector<MetricValue> aggregate(std::span<const ScoredSample> samples,
                                     uint64_t seed) const override;

  // personamem_scoring.h's sample_metric_value.
  std::optional<double> sample_metric(const std::string& metric,
                                      const ScoredSample& sample) const override;

  // The raw correct_answer cell, e.g. "(b)".
  std::string target_text(const Sample& sample) const override;

  // The last completed load's report (personamem_loader.h); {} before any load.
  json load_report() const override;

  // Explicit questions=/contexts= paths win; otherwise
  // <root>/personamem/{questions_<size>.csv, shared_contexts_<size>.jsonl} with root =
  // data_dir, or bundled_dir when data_dir is empty. Does not check existence.
  struct Files {
    std::string questions;
    std::string contexts;
  };
  Files resolve_files(const DataSource& source) const;

  const PersonamemOptions& options() const { return options_; }

 private:
  PersonamemOptions options_;
  TaskInfo info_;
  mutable std::mutex report_mutex_;
  mutable json report_ = json::object();
};

// Builds the task when spec.name is "personamem"; nullptr otherwise. Throws InputError on
// bad parameters.
std::unique_ptr<Task> make_personamem_task(const Spec& spec);

}  // namespace perseval::personamem
