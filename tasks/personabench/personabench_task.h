// The PersonaBench task (personabench.md): per-user retrieval-augmented QA over one user's
// synthetic private documents, `personabench:noise=0.5,retriever=bm25,k=5,prompt=official`.
//
// Thread safety: every Task method is const and safe to call concurrently. Each user's
// corpus (chunks, BM25 index, dense vectors) is built once, during load(), and shared
// through an internal mutex-guarded cache; render/score of a sample that did not come from
// this task's load() build its corpus on first use. set_embedder must be called before load()
// and not concurrently with it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "harness/core/embedder.h"
#include "harness/core/spec.h"
#include "harness/core/task.h"
#include "tasks/personabench/corpus.h"
#include "tasks/personabench/options.h"

namespace perseval::personabench {

class PersonaBenchTask : public Task {
 public:
  explicit PersonaBenchTask(Options options);
  PersonaBenchTask(const PersonaBenchTask&) = delete;
  PersonaBenchTask& operator=(const PersonaBenchTask&) = delete;

  TaskInfo info() const override;

  // Every file of every community at this noise level (eval info, ground truth, the three
  // document files), from data_dir (see resolve_root) or the bundled samples. Throws
  // InputError naming the first missing file or the directory that holds no data.
  std::vector<std::string> data_files(const DataSource& source) const override;

  // Streams the questions (loader.h) and builds every user's corpus once; with
  // retriever=dense the embeddings are computed here (set_embedder is required).
  void load(const DataSource& source, const SampleSink& sink) const override;

  // One user message (the official prompt, no system message) with the retrieved chunks,
  // the task's GenConfig and ReferenceHints for the offline baselines:
  //   scored questions: output_kind "text"; profile_outputs = the user's entities (each
  //   conversation session's contact, each purchased item's brand, in chunk order, repeats
  //   kept), nearest_outputs = the plain text of the BM25-nearest K chunks, best first;
  //   Subjective: output_kind "label", choices = the letters the question offers
  //   (subjective_choices; "A", "B" for the usual two-way question).
  // Throws (recorded as the sample's error) when an oracle segment is not among the chunks.
  Request render(const Sample& sample) const override;

  // sample_scoring.h's values; an errored completion is scored as "".
  Scores score(const Sample& sample, const Completion& completion,
               std::span<const Judgement> judgements) const override;

  std::vector<MetricValue> aggregate(std::span<const ScoredSample> samples,
                                     uint64_t seed) const override;

  // sample_scoring.h's sample_metric_value for these options.
  std::optional<double> sample_metric(const std::string& metric,
                                      const ScoredSample& sample) const override;

  // The answer as text: a string answer itself, anything else as Python's str() ("39",
  // "['American']").
  std::string target_text(const Sample& sample) const override;

  // The segment ids shown to the model for `sample`, in prompt order: BM25 or dense top-K,
  // or the oracle's padded ground truth.
  std::vector<std::string> retrieved_segment_ids(const Sample& sample) const;

  // Attaches the embeddings model used by retriever=dense (not owned; must outlive load()).
  // Its identity becomes part of info().params (the run identity). With any other
  // retriever the embedder is not used and not recorded.
  void set_embedder(Embedder* embedder);
  void attach_embedder(Embedder* embedder) override { set_embedder(embedder); }

  // True for retriever=dense.
  bool needs_embedder() const override;

  // The eval_data_v1 directory for a source: find_data_root(data_dir), or the bundled
  // samples' datasets/samples/personabench when data_dir is empty. Throws InputError naming
  // the directory and the expected layout when no synthetic_data/ is found.
  std::string resolve_root(const DataSource& source) const;

  const Options& options() const { return options_; }

 private:
  std::shared_ptr<const UserCorpus> corpus_for(const Sample& sample) const;

  Options options_;
  TaskInfo info_;
  Embedder* embedder_ = nullptr;
  mutable CorpusCache cache_;
};

// Builds the task for a spec named "personabench"; nullptr for any other name. Throws
// InputError on bad parameters.
std::unique_ptr<Task> make_personabench_task(const Spec& spec);

}  // namespace perseval::personabench
