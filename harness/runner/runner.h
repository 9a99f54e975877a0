// The runner: streams a task's samples through render → generate → score → store.
//
// Render and score run as TBB tasks in an arena of `threads` workers; model calls are
// asynchronous (Model::submit returns at once), so no TBB thread waits on the network.
// At most `max_in_flight` samples are between loading and storing at any time, which
// bounds memory whatever the data set size. Results go to one writer thread (batched
// SQLite transactions). Everything random is seeded from hash(run seed, sample id), so the
// stored results do not depend on thread count or timing.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/model.h"
#include "harness/core/task.h"
#include "harness/store/store.h"

namespace perseval {

// How to run one (task, model) pair.
struct RunOptions {
  DataSource source;
  uint64_t seed = 1234;
  long long limit = -1;          // first N samples of the stream; -1 = all
  int threads = 0;               // TBB workers for render/score; 0 = hardware concurrency
  int max_in_flight = 256;       // samples between load and store (memory bound)
  bool progress = true;          // draw the progress line when stderr is a terminal
  const std::atomic<bool>* stop = nullptr;  // set (e.g. by SIGINT) to stop cleanly
  json prices;                   // optional price table for cost (see usage_summary.h)
  Model* judge = nullptr;        // --judge: grades completions of tasks that ask for it
  int judge_samples = 1;         // --judge-samples: draws per judge request (self-consistency)
  // --shard i/N: this run takes only the samples whose id hashes to i (of 0..N-1), after
  // --limit; the shards of one configuration partition its samples and `perseval merge`
  // joins them. count 1 = unsharded.
  int shard_index = 0;
  int shard_count = 1;
  // The command invocation this run belongs to (see cli/invocation.h); empty: none. Stored
  // in the run's notes. When a run of this configuration already finished within the same
  // invocation, run_evaluation returns it (resumed, no samples run) instead of starting a
  // new one: the restart of a killed multi-task command skips the tasks it had finished.
  json invocation;
};

// True when the sample with id `sample_id` belongs to shard `index` of `count`
// (fnv1a64(id) mod count; every id is in exactly one shard).
bool in_shard(const std::string& sample_id, int index, int count);

// What a run did.
struct RunSummary {
  RunRecord run;
  bool resumed = false;
  long long resumed_samples = 0;   // samples found already stored
  long long new_samples = 0;       // samples run now
  long long errors = 0;            // samples whose model call failed (whole run)
  bool interrupted = false;
  bool skipped = false;            // already finished within this invocation (see RunOptions)
  std::vector<StoredMetric> metrics;  // empty when interrupted
};

// Runs `task` against `model`, storing into `store`. A previous unfinished run with the
// same configuration is resumed: its stored samples are kept and skipped, the rest run,
// none twice. Per-sample failures (model errors, render/score exceptions) are stored with
// the sample and the run goes on. Throws InputError for malformed data (samples stored so
// far stay stored and the run stays resumable) and std::runtime_error for store failures.
RunSummary run_evaluation(const Task& task, Model& model, Store& store, const RunOptions& options);

}  // namespace perseval
