// `personafeedback:track=all|general|specific,tier=all|easy|medium|hard,...`: given an explicit
// persona, a question and two responses, the model picks the one that fits the persona
// (personafeedback.md). Choice mode goes through the shared pairwise piece (seeded A/B
// position, both orders, lenient-but-counted extraction); reward mode scores each response
// and picks the higher. Immutable after construction; safe to share between threads.
#pragma once

#include <memory>
#include <mutex>

#include "harness/core/spec.h"
#include "harness/core/task.h"
#include "tasks/personafeedback/pf_options.h"

namespace perseval::personafeedback {

class PersonaFeedbackTask : public Task {
 public:
  explicit PersonaFeedbackTask(PfOptions options);

  TaskInfo info() const override;
  // The selected tier files, then the persona file. Throws InputError naming a missing one.
  std::vector<std::string> data_files(const DataSource& source) const override;
  void load(const DataSource& source, const SampleSink& sink) const override;
  // Choice: one user message (pf_prompt.h), max_tokens 16 (64 with certainty), temperature
  // 0, and hints for the offline baselines (choices "[[A]]"/"[[B]]" with the response texts,
  // so kind=longest is the length-bias control). Reward: the persona + question / response
  // conversation, max_tokens 16, no hints.
  Request render(const Sample& sample) const override;
  Scores score(const Sample& sample, const Completion& completion,
               std::span<const Judgement> judgements) const override;
  // Choice: pairwise::aggregate_pairwise + accuracy_macro_tiers. Reward: aggregate_reward.
  std::vector<MetricValue> aggregate(std::span<const ScoredSample> samples, uint64_t seed) const override;
  // Choice: pairwise::pairwise_sample_metric (accuracy, accuracy_parsed). Reward mode:
  // nullopt, since its accuracy is per item (a chosen and a rejected sample), not per sample.
  std::optional<double> sample_metric(const std::string& metric,
                                      const ScoredSample& sample) const override;
  // Choice: the gold letter as shown ("A"/"B"); reward: "chosen"/"reject".
  std::string target_text(const Sample& sample) const override;
  json load_report() const override;

 private:
  PfOptions options_;
  TaskInfo info_;
  mutable std::mutex report_mutex_;
  mutable json report_ = json::object();
};

// Builds the task for spec name "personafeedback"; nullptr for any other name.
std::unique_ptr<Task> make_personafeedback_task(const Spec& spec);

}  // namespace perseval::personafeedback
