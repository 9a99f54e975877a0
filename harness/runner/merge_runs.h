// `perseval merge OUT.db IN.db...`: joins the databases of shards (`--shard i/N`) and of
// separate machines into one, so that the leaderboard, reports and comparisons see whole runs.
#pragma once

#include <string>
#include <vector>

namespace perseval {

// What a merge did.
struct MergeReport {
  int runs_copied = 0;        // unsharded runs copied (or completed) under their own run id
  int runs_joined = 0;        // sharded configurations joined into one run each
  long long samples_added = 0;
  std::vector<std::string> warnings;  // e.g. a configuration with missing shards
};

// Merges every finished run of `inputs` into the database at `out_path` (created if
// missing). Unsharded runs keep their run id; the shards of one configuration (same base
// configuration key) become one run with a run id derived from that key, its metrics
// recomputed from the joined samples by the task's own scorer. Idempotent: merging the same
// inputs again adds nothing and leaves every number unchanged.
//
// Refuses (InputError, nothing written for that configuration) when: an input file does not
// exist or is OUT itself; shards of one configuration disagree on the shard count; two
// shard sets of the same task and model differ in configuration (data fingerprint, seed,
// limit, task version, model identity, generation config or judge) — the message names the
// differing fields; the task's scorer version differs from the one that stored the run.
// A configuration missing some shards is stored with status "partial" and a warning.
MergeReport merge_databases(const std::string& out_path, const std::vector<std::string>& inputs);

}  // namespace perseval
