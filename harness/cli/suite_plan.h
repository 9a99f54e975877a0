// A nightly plan for `perseval suite FILE.json`: models × tasks (with parameter grids),
// judge, limits, database, exports and report, run in one go.
#pragma once

#include <string>
#include <vector>

#include "harness/cli/evaluate.h"

namespace perseval::cli {

// A parsed suite file.
struct SuitePlan {
  std::string name;                      // "name", default: the file's stem
  std::vector<std::string> models;       // "models": model specs (at least one)
  std::vector<std::string> tasks;        // "tasks", grids expanded, in file order
  EvaluateOptions options;               // db, seed, limit, judge, ... (see parse_suite_plan)
  std::string report_path;               // "report": HTML report written at the end ("" = none)
};

// Reads a suite file:
//   {"name": "nightly", "db": "results/nightly.db", "report": "results/nightly.html",
//    "models": ["openai:model=a,base_url=...", "baseline:kind=majority"],
//    "tasks": ["lamp-2", {"task": "personabench", "grid": {"noise": ["0.0", "0.5"], "k": [5]}}],
//    "judge": SPEC, "judge_samples": 3, "embedder": SPEC, "limit": 200, "seed": 1234,
//    "data_dir": DIR, "cache": FILE, "prices": FILE, "max_in_flight": 256, "threads": 0,
//    "output_path": DIR, "log_samples": false}
// A task entry is a spec string (family names like "lamp" expand) or {"task": SPEC,
// "grid": {PARAM: [values]}} for the cartesian product of the values, in order. Relative
// paths (db, report, data_dir, cache, prices, output_path) are relative to the suite file's
// directory, so a plan runs the same from any working directory. Throws InputError naming
// the file and the offending key on unknown keys, wrong types or a missing "models"/"tasks".
SuitePlan parse_suite_plan(const std::string& path);

}  // namespace perseval::cli
