// `perseval score personalized-judge --preds FILE`: the upstream analysis of a recorded-
// judgement file (personalized_judge.md §5, §8), plus perseval's strict metrics (§6).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/core/types.h"
#include "tasks/personalized_judge/judge_records.h"
#include "tasks/personalized_judge/official_analysis.h"

namespace perseval::personalized_judge {

struct RecordedFileOptions {
  bool force_tie = false;    // --tie: C is a valid answer even without gold-C rows
  int high_threshold = 80;   // --high-threshold
  uint64_t seed = 1234;      // bootstrap of the strict metrics' intervals
};

// Everything the command reports about one file.
struct RecordedFileReport {
  std::string path;
  RecordKind kind = RecordKind::other;  // of the first record
  bool tie = false;          // tie mode: forced, a gold "C", or a prompt offering "[[C]]"
  bool certainty = true;     // the prompts ask for a certainty
  OfficialAnalysis official;
  // "res" when the raw replies are stored (AP files) and read strictly; otherwise
  // "recorded_fields": the strict reading of the stored answer/certainty.
  std::string extraction;
  std::vector<MetricValue> strict;       // strict_judge_metrics
  std::vector<std::string> flags;        // "degenerate_distractor" (AP, §9.1), "ties_stale_candidates"
};

// Reads and analyses `path`. Throws InputError for a malformed file (file, line, field).
RecordedFileReport analyse_recorded_file(const std::string& path, const RecordedFileOptions& options);

// The --json object: official_json(...) plus "file", "kind", "tie", "flags" and "perseval":
// {"extraction", "metrics": {name: {"value", "n", "ci": [low, high] | null}}}.
json report_json(const RecordedFileReport& report);

// The text form: one "key value" line per official key, then the perseval section.
std::string report_text(const RecordedFileReport& report);

}  // namespace perseval::personalized_judge
