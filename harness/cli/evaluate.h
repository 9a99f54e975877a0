// Shared by `run` and `demo`: evaluate task specs × model specs into one store.
#pragma once

#include <string>
#include <vector>

#include "harness/runner/runner.h"

namespace perseval::cli {

// Everything `perseval run` needs besides the task and model lists.
struct EvaluateOptions {
  std::string db_path;
  std::string data_dir;
  uint64_t seed = 1234;
  long long limit = -1;
  int threads = 0;
  int max_in_flight = 256;
  bool progress = true;
  // The request cache: by default a table in the run database; `cache_path` shares one file
  // across runs; `use_cache=false` bypasses it. Offline baselines are never cached.
  bool use_cache = true;
  std::string cache_path;
  std::string prices_path;   // optional JSON price table (see harness/runner/usage_summary.h)
  std::string judge_spec;    // --judge: a model spec grading tasks that ask for judgements
  int judge_samples = 1;     // --judge-samples: draws per judge request
  std::string embedder_spec; // --embedder: embeddings model for tasks with dense retrieval
  int shard_index = 0;       // --shard I/N (see RunOptions)
  int shard_count = 1;
  std::string output_path;   // --output-path DIR: results.json (reports/export_results.h)
  bool log_samples = false;  // --log-samples: also per-sample JSONL in output_path
};

// With --output-path, writes the exports of `runs` (results.json, and with --log-samples
// one JSONL file per run) and prints their paths on stderr. Does nothing otherwise.
void export_if_asked(const EvaluateOptions& options, const std::vector<RunSummary>& runs);

// Parses a --shard value "I/N" (0 <= I < N). Throws InputError naming the value otherwise.
void parse_shard(const std::string& text, int& index, int& count);

// Runs every task spec against every model spec, one run each, in order.
// Stops early (returning what finished) when SIGINT was received. Throws InputError for
// bad specs or data (also a task that needs an embedder without --embedder, before anything
// runs), std::runtime_error for store failures.
std::vector<RunSummary> evaluate_all(const std::vector<std::string>& task_specs,
                                     const std::vector<std::string>& model_specs,
                                     const EvaluateOptions& options, double& wall_s);

// A human-readable table of run summaries (one line per run with its overall metrics).
std::string format_run_table(const std::vector<RunSummary>& runs);

// The --json form: {"runs": [{"run_id","task","model","n","errors","metrics":{...},
// "metrics_ci":{name:[low,high]}}], "wall_s"}.
std::string format_run_json(const std::vector<RunSummary>& runs, double wall_s);

}  // namespace perseval::cli
