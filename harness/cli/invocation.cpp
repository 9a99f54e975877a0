#include "harness/cli/invocation.h"

#include "harness/core/hash.h"
#include "harness/runner/run_identity.h"

namespace perseval::cli {

std::string invocation_key(const std::vector<std::string>& task_specs,
                           const std::vector<std::string>& model_specs, const EvaluateOptions& options) {
  const json identity{{"tasks", task_specs},
                      {"models", model_specs},
                      {"seed", options.seed},
                      {"limit", options.limit},
                      {"shard", {options.shard_index, options.shard_count}},
                      {"judge", options.judge_spec},
                      {"judge_samples", options.judge_samples},
                      {"embedder", options.embedder_spec},
                      {"data_dir", options.data_dir}};
  return hex64(fnv1a64(identity.dump()));
}

json resume_or_start_invocation(Store& store, const std::string& key, int runs) {
  json latest;  // list_runs is oldest first: the last match is the latest invocation
  for (const auto& run : store.list_runs())
    if (run.notes.is_object() && run.notes.contains("invocation") &&
        run.notes["invocation"].value("key", "") == key)
      latest = run.notes["invocation"];
  if (latest.is_object() && latest.contains("id")) {
    int finished = 0;
    for (const auto& run : store.list_runs())
      if (run.status == "finished" && run.notes.is_object() && run.notes.contains("invocation") &&
          run.notes["invocation"]["id"] == latest["id"])
        ++finished;
    if (finished < latest.value("runs", 0)) return latest;
  }
  return json{{"id", new_run_id(key)}, {"key", key}, {"runs", runs}};
}

}  // namespace perseval::cli
