// The leaderboard: for every (task, model) pair the latest finished run's primary metric
// with its 95% interval, ranked within each task. Reads only the store.
#pragma once

#include <set>
#include <span>
#include <string>
#include <vector>

#include "harness/store/store.h"

namespace perseval {

// One cell of the leaderboard.
struct LeaderboardEntry {
  std::string task;      // canonical task spec
  std::string model;     // canonical model spec
  std::string run_id;
  std::string metric;    // the task's primary metric
  bool higher_is_better = true;
  MetricValue value;
  long long errors = 0;  // from the run's stored metric n_errors, when present
  int rank = 0;          // 1 = best within the task; ties share a rank
};

// Builds the leaderboard from every finished run in `store` (latest run per pair wins).
std::vector<LeaderboardEntry> build_leaderboard(Store& store);

// The same over a chosen set of runs (oldest first; unfinished ones are skipped), reading
// their metrics from `store`. Used by the HTML report for `--runs`.
std::vector<LeaderboardEntry> build_leaderboard(Store& store, std::span<const RunRecord> runs);

// A task spec as shown to people: its name ("lamp-2"), or the whole spec when another spec
// in `all_specs` has the same name (two variants of one task).
std::string display_task_name(const std::string& spec, const std::set<std::string>& all_specs);

// A plain-text table: one row per task, one column per model, "value [low, high] #rank".
// Tasks are shown by name; the parameters are added only where two variants would collide.
std::string format_leaderboard_text(const std::vector<LeaderboardEntry>& entries);

// The same table in GitHub Markdown (value [low, high] #rank per cell; '|' in names escaped).
std::string format_leaderboard_markdown(const std::vector<LeaderboardEntry>& entries);

// One CSV row per (task, model): task,model,run_id,metric,higher_is_better,value,n,ci_low,
// ci_high,rank,errors (RFC 4180 quoting, CRLF line ends, full precision; text cells that a
// spreadsheet would treat as a formula get a leading apostrophe).
std::string format_leaderboard_csv(const std::vector<LeaderboardEntry>& entries);

// The same as JSON: [{"task","model","run_id","metric","value","n","ci_low","ci_high","rank"}].
std::string format_leaderboard_json(const std::vector<LeaderboardEntry>& entries);

}  // namespace perseval
