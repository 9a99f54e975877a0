// Exports for other tools: a results file in the spirit of lm-evaluation-harness's
// results JSON, and per-sample JSON lines (`--log-samples`). Reads only the store.
#pragma once

#include <string>
#include <vector>

#include "harness/store/store.h"

namespace perseval {

// The results document of `runs` (read from `store`), lm-evaluation-harness style:
//   {"results": {TASK: {"alias": TASK, "METRIC,none": value, "METRIC_ci95,none": [low, high],
//                       "METRIC_n,none": n, ...}},       overall metrics only
//    "slices": {TASK: {"KEY=VALUE": {"METRIC,none": value, ...}}},
//    "versions": {TASK: version}, "n-samples": {TASK: {"original": n, "effective": n}},
//    "configs": {TASK: {"task": TASK, "params": {...}, "dataset_fingerprint": ...}},
//    "config": {"model": MODEL, "model_args": identity, "seed", "limit", "gen": {...}},
//    "runs": [{"run_id", "task", "model", "status", "started_at", "finished_at", "wall_s",
//              "usage"}],
//    "perseval_version", "git_hash", "date"}
// TASK is the run's canonical task spec; with runs of several models, "config.model" is the
// list of models and each results entry also carries "model". Non-finite values are null.
json results_document(Store& store, const std::vector<RunRecord>& runs);

// One JSON object per line for every stored sample of `run`, in stream order:
//   {"doc_id": seq, "sample_id", "user_id", "slices", "target", "output", "parsed",
//    "scores", "error", "latency_ms", "prompt_tokens", "completion_tokens", "attempts",
//    "cached", "judgements": [{"request_index", "draw", "raw_text", "verdict",
//    "confidence", "parse_status", "error"}]}
// Returns the number of lines written. Throws std::runtime_error naming `path` when it cannot
// be written.
long long write_samples_jsonl(Store& store, const RunRecord& run, const std::string& path);

// A file-name-safe form of a task or model spec: [A-Za-z0-9._-] kept, anything else '_',
// at most 80 characters.
std::string file_slug(const std::string& text);

// Writes `results_document` to DIR/results.json and, when `log_samples`, every run's
// samples to DIR/samples_<task slug>_<run id>.jsonl (creating DIR). Returns the paths
// written. Throws std::runtime_error naming the path on failure.
std::vector<std::string> export_runs(Store& store, const std::vector<RunRecord>& runs,
                                     const std::string& dir, bool log_samples);

}  // namespace perseval
