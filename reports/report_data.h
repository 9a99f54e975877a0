// What an HTML report shows, gathered from the store in one place: the selected runs, their
// metrics, the leaderboard over them and the (capped, truncated) samples to embed. The
// section renderers only format this; they never read the store.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "harness/store/store.h"
#include "reports/compare.h"
#include "reports/leaderboard.h"

namespace perseval::report {

// How much a report holds. The defaults keep a report of tens of thousands of samples a few
// megabytes large.
struct ReportOptions {
  std::vector<std::string> run_ids;      // empty: the leaderboard's runs (latest finished run
                                         // of every task x model pair)
  size_t max_samples_per_run = 2000;     // samples embedded per run (0: none)
  size_t max_text_chars = 600;           // longer target/output/parsed/error texts are cut
  size_t max_sample_bytes = 3'000'000;   // budget of the embedded sample JSON for all runs
  size_t max_notes_chars = 20'000;       // a run's notes JSON is cut beyond this
  size_t worst_users = 10;               // rows of each "worst users" list
  std::string title = "perseval report";
  // Checkpoint comparison (reports/compare.h): A and B as for `perseval compare` (run ids or
  // model specs); both empty = no comparison section.
  std::string compare_a, compare_b;
};

// One embedded sample; every text is already cut to ReportOptions::max_text_chars (a cut
// text ends with a visible "… [truncated: N chars]" marker).
struct ReportSample {
  size_t run_index = 0;   // into ReportData::runs
  std::string sample_id;
  std::string user_id;
  std::string target;
  std::string output;
  std::string parsed;
  std::string scores;     // "name=value name=value"
  std::string error;      // empty when the sample succeeded
  long long seq = 0;      // position in the run's dataset order
  int truncated_fields = 0;  // how many of the texts above were cut
};

// One selected run with everything shown about it.
struct ReportRun {
  RunRecord record;
  std::string task_name;              // display name of the task (see display_task_name)
  std::string label;                  // the model spec, plus the run id when one task has
                                      // two runs of the same model
  std::vector<StoredMetric> metrics;  // every stored metric, whole run and slices
  long long samples_total = 0;        // stored samples of the run
  long long errors_total = 0;         // of those, samples whose model call failed
  size_t samples_shown = 0;           // how many are embedded in ReportData::samples
};

// The runs of one task, in leaderboard order (best first, then unranked runs).
struct ReportTask {
  std::string task;             // canonical task spec
  std::string name;             // display name
  std::string metric;           // primary metric (from the runs' notes)
  bool higher_is_better = true;
  std::vector<size_t> runs;     // indices into ReportData::runs
};

// One model's primary metric over time for one task: every finished run in the database,
// oldest first (the nightly history).
struct HistoryPoint {
  std::string run_id;
  std::string started_at;   // ISO-8601 UTC
  double day = 0.0;         // days since the task's first run (fractional)
  MetricValue value;
};
struct HistorySeries {
  std::string model;
  std::vector<HistoryPoint> points;
};
struct ReportHistory {
  std::string task;             // canonical task spec
  std::string name;             // display name
  std::string metric;           // primary metric
  bool higher_is_better = true;
  std::vector<HistorySeries> series;  // by model spec
};

struct ReportData {
  ReportOptions options;
  std::string generated_at;                 // ISO-8601 UTC
  std::vector<LeaderboardEntry> leaderboard;
  std::vector<ReportRun> runs;
  std::vector<ReportTask> tasks;            // sorted by task spec
  std::vector<ReportSample> samples;        // grouped by run, each run in dataset order
  size_t truncated_texts = 0;               // embedded texts that were cut
  std::vector<ReportHistory> history;       // tasks where some model has >= 2 finished runs
  std::optional<Comparison> comparison;     // when options.compare_a/compare_b are set
};

// Days since 1970-01-01 of an ISO-8601 UTC time "YYYY-MM-DDTHH:MM:SS..." (fractional); NaN
// when it does not parse.
double iso_days(const std::string& iso);

// The history of every task of `tasks` (all finished runs in `store`, whatever the run
// selection): the primary metric of each run per model, oldest first. Only tasks where at
// least one model has two or more finished runs are returned.
std::vector<ReportHistory> collect_history(Store& store, const std::vector<ReportTask>& tasks);

// Reads what the report needs from `store`. Throws InputError when a run id of
// options.run_ids is not in the store; store errors propagate as std::runtime_error.
// Embedded samples: per run the samples whose model call failed come first, then the rest in
// dataset order, up to max_samples_per_run; then the runs share max_sample_bytes round-robin
// (one sample of each run in turn) so no single run can crowd out the others.
ReportData collect_report_data(Store& store, const ReportOptions& options);

// The sample as one row of the sample browser's JSON:
// [run_index, sample_id, user_id, target, output, parsed, scores, error].
json sample_row_json(const ReportSample& sample);

// The metric named `name` of `run` for the slice (key, value) ("" and "" = whole run), or
// nullptr.
const MetricValue* find_metric(const ReportRun& run, const std::string& name,
                               const std::string& slice_key = "", const std::string& slice_value = "");

}  // namespace perseval::report
