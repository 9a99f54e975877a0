// The Task interface: one benchmark variant (e.g. lamp-2 with k=4, retriever=bm25).
// Implementations are pure: no threads, no network, no database. All methods are const
// and safe to call concurrently from many threads.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/core/embedder.h"
#include "harness/core/spec.h"
#include "harness/core/types.h"

namespace perseval {

// Static description of a task variant, recorded in the run identity.
struct TaskInfo {
  std::string name;          // canonical spec, e.g. "lamp-2:k=1,retriever=bm25,scheme=user,split=dev"
  std::string family;        // e.g. "lamp"
  std::string version;       // bumped whenever prompts or scoring change
  std::string primary_metric;
  bool higher_is_better = true;
  std::vector<std::string> metrics;      // names produced by aggregate, official ones first
  std::vector<std::string> slice_keys;   // keys of Sample::slices worth aggregating over
  GenConfig gen;                         // default generation settings for this task
  json params;                           // every parameter, including defaults (run identity)
};

// Where a task's files are: a data directory and/or explicit file paths from the spec.
struct DataSource {
  std::string data_dir;        // empty: the task uses its bundled samples or explicit paths
  std::string bundled_dir;     // the project's datasets/samples directory
};

// Receives samples as the loader streams them. Returning false asks the loader to stop
// early (e.g. --limit reached or Ctrl-C); the loader then returns promptly.
using SampleSink = std::function<bool(Sample&&)>;

class Task {
 public:
  virtual ~Task() = default;

  // Name, version, metrics and slices of this variant.
  virtual TaskInfo info() const = 0;

  // The files this variant will read, resolved; used for the dataset fingerprint.
  // Throws InputError when a required file is missing.
  virtual std::vector<std::string> data_files(const DataSource& source) const = 0;

  // How many samples load() will deliver, when the task can tell cheaply (for progress and
  // ETA); nullopt when unknown. Must not parse the whole data set.
  virtual std::optional<long long> count_samples(const DataSource&) const { return std::nullopt; }

  // Streams samples into `sink` in file order. Throws InputError (one line: file, record,
  // problem) on malformed input; samples already delivered stay delivered.
  virtual void load(const DataSource& source, const SampleSink& sink) const = 0;

  // Builds the model request for a sample (official prompt, retrieval). Pure.
  virtual Request render(const Sample& sample) const = 0;

  // Optional judge requests for a completion; none by default. The runner sends each to
  // the --judge model K times (--judge-samples) and hands the replies to parse_judgement.
  virtual std::vector<Request> judge_requests(const Sample&, const Completion&) const {
    return {};
  }

  // Reads one judge reply (`judgement.raw_text`, or `judgement.error` when the call
  // failed) into verdict, confidence and parse_status. Pure. The default keeps the raw
  // text and marks it "unparsed".
  virtual void parse_judgement(const Sample&, Judgement& judgement) const {
    judgement.parse_status = judgement.error ? "error" : "unparsed";
  }

  // Scores one completion (an errored completion is scored as empty text). Pure.
  virtual Scores score(const Sample& sample, const Completion& completion,
                       std::span<const Judgement> judgements) const = 0;

  // Turns the scored samples of a run (or of one slice) into metrics with n and 95% CIs.
  // `seed` drives the bootstrap so results are reproducible.
  virtual std::vector<MetricValue> aggregate(std::span<const ScoredSample> samples,
                                             uint64_t seed) const = 0;

  // The gold answer of a sample as text (stored with each result); empty if unknown.
  virtual std::string target_text(const Sample& sample) const = 0;

  // The per-sample value of aggregate metric `metric` for one scored sample, read from the
  // values score() stored, such that the mean of the values over the samples where it is
  // set equals what aggregate() reports for `metric` (e.g. LaMP accuracy: 1 when gold_id ==
  // pred_id, else 0; MAE: the sample's absolute error). nullopt when the sample does not
  // count towards `metric` (aggregate() leaves it out, e.g. a failed call for PERSONAMEM's
  // `accuracy`), for corpus-level metrics that are no mean over samples (macro-F1, RMSE,
  // kappa, counts) and for unknown names. Used for paired comparisons of two runs. Pure.
  virtual std::optional<double> sample_metric(const std::string& /*metric*/,
                                              const ScoredSample& /*sample*/) const {
    return std::nullopt;
  }

  // What the most recent completed load() skipped or noticed (e.g. rows skipped for a data
  // defect, with counts and reasons), stored in the run's notes under "load". An empty
  // object (the default) when there is nothing to report. Safe to call concurrently.
  virtual json load_report() const { return json::object(); }

  // True when this variant cannot run without an embeddings model (e.g. dense retrieval);
  // the runner's caller then requires `--embedder SPEC`.
  virtual bool needs_embedder() const { return false; }

  // Hands the task the embeddings model from `--embedder` (not owned; outlives every
  // load()). Called once, before load() and never concurrently with it. Tasks that use it
  // record its identity in info().params so that runs with different embedders differ.
  // The default ignores it.
  virtual void attach_embedder(Embedder*) {}
};

}  // namespace perseval
