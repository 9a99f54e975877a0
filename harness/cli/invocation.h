// One `perseval run` (or `demo`) command as a unit that a restart resumes.
#pragma once

#include <string>
#include <vector>

#include "harness/cli/evaluate.h"
#include "harness/store/store.h"

namespace perseval::cli {

// The key of a command: its model and task specs (in order) and every option that changes
// which runs it makes (seed, limit, shard, judge and its draws, embedder, data dir).
// Options that do not change results (threads, in-flight bound, cache, progress) are not in
// it. Pure.
std::string invocation_key(const std::vector<std::string>& task_specs,
                           const std::vector<std::string>& model_specs, const EvaluateOptions& options);

// The invocation to record in this command's runs ({"id", "key", "runs"}): the latest
// invocation with `key` found in `store` when fewer than its `runs` runs finished (the
// command was killed or interrupted and is being started again, so runs it finished are
// skipped); otherwise a new id for `runs` runs.
json resume_or_start_invocation(Store& store, const std::string& key, int runs);

}  // namespace perseval::cli
