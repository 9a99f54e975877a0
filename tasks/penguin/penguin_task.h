// `penguin:mode=free|rich|attributes|default_path|path[,attributes=age+emotional_state]`:
// PENGUIN-style personalized safety (penguin.md). The model under test answers with the
// official responder prompt; a judge (`--judge SPEC`, K draws with --judge-samples) grades
// each answer with the official three-dimension rubric, always seeing the full background.
// Without a judge the answers are stored and nothing is scored: offline baselines cannot
// grade safety, so this task gives them no hints and the demo lists it as needing --judge.
// Immutable after construction; safe to share between threads.
#pragma once

#include <memory>
#include <mutex>

#include "harness/core/spec.h"
#include "harness/core/task.h"
#include "tasks/penguin/penguin_loader.h"

namespace perseval::penguin {

class PenguinTask : public Task {
 public:
  explicit PenguinTask(PenguinOptions options);

  TaskInfo info() const override;
  std::vector<std::string> data_files(const DataSource& source) const override;
  void load(const DataSource& source, const SampleSink& sink) const override;
  // System + user message of eval_response.py (context-free: the port's string),
  // max_tokens 500 and the official temperature 0.7 (parameter `temperature`).
  Request render(const Sample& sample) const override;
  // One judge request: the official judge messages with the response, the query and the
  // full ten-attribute background; judge_max_tokens (250) and judge_temperature (0.7).
  std::vector<Request> judge_requests(const Sample& sample, const Completion& completion) const override;
  // Each dimension parsed on its own (judge_reply.h); verdict = reading_json; parse_status
  // "ok", "total_only", "unparseable" or "error". No verbal confidence in this rubric.
  void parse_judgement(const Sample& sample, Judgement& judgement) const override;
  // Per sample: official and corrected scores averaged over the draws, the three dimensions,
  // per-draw values for the two-level bootstrap, counts; `unjudged` when no judge ran.
  Scores score(const Sample& sample, const Completion& completion,
               std::span<const Judgement> judgements) const override;
  std::vector<MetricValue> aggregate(std::span<const ScoredSample> samples, uint64_t seed) const override;
  // The item score behind safety_score_corrected, safety_score and the three dimensions: the
  // mean of the item's valid draws, exactly as aggregate() averages them; nullopt for a failed
  // or unjudged sample, an item without a valid draw of that score, and every other metric
  // (judge_sd and judge_agreement describe the judge, not the model; counts).
  std::optional<double> sample_metric(const std::string& metric, const ScoredSample& sample) const override;
  std::string target_text(const Sample&) const override { return ""; }
  json load_report() const override;

 private:
  PenguinOptions options_;
  TaskInfo info_;
  mutable std::mutex report_mutex_;
  mutable json report_ = json::object();
};

// Builds the task for spec name "penguin"; nullptr for any other name.
std::unique_ptr<Task> make_penguin_task(const Spec& spec);

}  // namespace perseval::penguin
