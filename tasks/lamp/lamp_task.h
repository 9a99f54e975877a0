// The Task implementation for one LaMP variant with its parameters (DESIGN.md "Core types",
// lamp.md). Immutable after construction; every method is safe to call concurrently.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "harness/core/spec.h"
#include "harness/core/task.h"
#include "tasks/lamp/lamp_options.h"
#include "tasks/lamp/lamp_variant.h"

namespace perseval::lamp {

class LampTask : public Task {
 public:
  LampTask(const Variant& variant, LampOptions options);

  TaskInfo info() const override;

  // [questions, outputs] resolved as in resolve_files; outputs only when the split has
  // golds. Throws InputError naming a missing file and the expected layout.
  std::vector<std::string> data_files(const DataSource& source) const override;

  // Streams the questions (lamp_loader.h). split=test has no public golds, so without an
  // explicit `outputs=` file samples carry a null target and are not scored.
  void load(const DataSource& source, const SampleSink& sink) const override;

  // One user message (no system message, lamp.md §7.3), the task's GenConfig, sample_id
  // and sample_seed = sample_seed(seed param, id) (the random retrievers draw from it), and
  // ReferenceHints for the offline baselines.
  Request render(const Sample& sample) const override;

  // Official reading plus lenient extras (lamp_scoring.h). An errored completion is scored
  // as "". A sample without a gold gets parsed_answer only and no values.
  Scores score(const Sample& sample, const Completion& completion,
               std::span<const Judgement> judgements) const override;

  // info().metrics with n and seeded 95% bootstrap CIs; empty when no sample was scored.
  std::vector<MetricValue> aggregate(std::span<const ScoredSample> samples,
                                     uint64_t seed) const override;

  // lamp_scoring.h's sample_metric_value for this variant.
  std::optional<double> sample_metric(const std::string& metric,
                                      const ScoredSample& sample) const override;

  // The gold output string, or "" when the sample has none (split=test).
  std::string target_text(const Sample& sample) const override;

  // The files a source resolves to: explicit `questions=`/`outputs=` params win; otherwise
  // <root>/lamp/{scheme}/{variant dir}/{split}/{split}_{questions|outputs}.json with root =
  // data_dir, or bundled_dir when data_dir is empty. `outputs` is empty for split=test
  // unless given explicitly. Does not check existence.
  struct Files {
    std::string questions;
    std::string outputs;
  };
  Files resolve_files(const DataSource& source) const;

  // The variant and parsed parameters this task was built with.
  const Variant& variant() const { return variant_; }
  const LampOptions& options() const { return options_; }

 private:
  const Variant& variant_;
  LampOptions options_;
  TaskInfo info_;
};

// Builds the LaMP task named by `spec` ("lamp-1" … "lamp-7", "lamp-2-news"). Returns
// nullptr when the name is not a LaMP variant; throws InputError on bad parameters.
std::unique_ptr<Task> make_lamp_task(const Spec& spec);

}  // namespace perseval::lamp
