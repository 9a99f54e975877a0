// `personalized-judge:file=PATH[,prompt=auto|with_persona|with_persona_with_tie|ec|recorded]
// [,position=recorded|random][,both_orders=true][,high_threshold=80]`: the model under test is
// the judge being measured. Each recorded case (persona, question or article, candidates A/B,
// human/user gold) is rendered with the upstream prompt, the model answers "[[A]] [[80]]", and
// the reply is scored strictly (verdict and verbal certainty parsed separately) and with the
// upstream rules (personalized_judge.md §3–§6). Immutable; safe to share between threads.
#pragma once

#include <memory>
#include <string>

#include "harness/core/spec.h"
#include "harness/core/task.h"
#include "tasks/pairwise/pair_layout.h"
#include "tasks/personalized_judge/judge_prompts.h"

namespace perseval::personalized_judge {

struct PersonalizedJudgeOptions {
  std::string file;                        // a recorded-judgement JSONL file (§8)
  PromptType prompt = PromptType::automatic;
  // recorded: A/B as in the file (upstream already randomised them); random: swapped or not
  // by hash(run seed, sample id). Records sent with their recorded prompt stay as stored.
  pairwise::Arrangement position = pairwise::Arrangement::as_stored;
  bool both_orders = false;                // every rebuildable pair in both orders
  int high_threshold = 80;
};

// Parses `spec.params`; throws InputError naming the parameter and accepted values.
PersonalizedJudgeOptions parse_personalized_judge_options(const Spec& spec);

class PersonalizedJudgeTask : public Task {
 public:
  explicit PersonalizedJudgeTask(PersonalizedJudgeOptions options);

  TaskInfo info() const override;
  // The file: `file=` as given, or relative to --data-dir when it exists there. Throws
  // InputError when missing (the message says how to name one).
  std::vector<std::string> data_files(const DataSource& source) const override;
  // One sample per record ("line-N"; "line-N#swapped" for the second order). Throws
  // InputError for a malformed record or one the chosen prompt type cannot be built from.
  void load(const DataSource& source, const SampleSink& sink) const override;
  // The prompt (one user message ending in "[["), max_tokens 16, temperature 0, and hints
  // for the offline baselines (the bare verdicts "A]]", "B]]", the candidate texts).
  Request render(const Sample& sample) const override;
  Scores score(const Sample& sample, const Completion& completion,
               std::span<const Judgement> judgements) const override;
  std::vector<MetricValue> aggregate(std::span<const ScoredSample> samples,
                                     uint64_t seed) const override;
  // accuracy_all and accuracy_parsed per sample (pairwise::pairwise_sample_metric; a failed
  // call counts wrong in accuracy_all); nullopt for the official, certainty and band metrics.
  std::optional<double> sample_metric(const std::string& metric,
                                      const ScoredSample& sample) const override;
  // The gold letter in the order shown.
  std::string target_text(const Sample& sample) const override;

 private:
  PersonalizedJudgeOptions options_;
  TaskInfo info_;
};

// Builds the task for spec name "personalized-judge"; nullptr for any other name.
std::unique_ptr<Task> make_personalized_judge_task(const Spec& spec);

}  // namespace perseval::personalized_judge
