#include "reports/report_data.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "harness/core/errors.h"
#include "harness/core/time_text.h"
#include "reports/html_escape.h"
#include "reports/report_format.h"

namespace perseval::report {
namespace {

std::string cut(const std::string& text, size_t max_chars, int& truncated_count) {
  TruncatedText t = truncate_text(text, max_chars);
  if (!t.truncated) return std::move(t.text);
  ++truncated_count;
  return t.text + " \xE2\x80\xA6 [truncated: " + format_count(static_cast<long long>(t.original_chars)) +
         " chars]";
}

std::string scores_text(const json& scores) {
  std::string out;
  if (!scores.is_object()) return scores.is_null() ? "" : scores.dump(-1, ' ', false, json::error_handler_t::replace);
  for (const auto& [name, value] : scores.items()) {
    if (!out.empty()) out += ' ';
    char buf[48];
    if (value.is_number()) {
      std::snprintf(buf, sizeof buf, "%.4g", value.get<double>());
      out += name + "=" + buf;
    } else {
      out += name + "=" + value.dump(-1, ' ', false, json::error_handler_t::replace);
    }
  }
  return out;
}

std::vector<RunRecord> select_runs(Store& store, const ReportOptions& options,
                                   std::vector<LeaderboardEntry>& leaderboard) {
  std::vector<RunRecord> records;
  if (options.run_ids.empty()) {
    leaderboard = build_leaderboard(store);
    for (const auto& entry : leaderboard)
      if (auto run = store.get_run(entry.run_id)) records.push_back(std::move(*run));
    return records;
  }
  std::set<std::string> seen;
  for (const auto& id : options.run_ids) {
    if (!seen.insert(id).second) continue;
    auto run = store.get_run(id);
    if (!run) throw InputError("report: no run '" + id + "' in the database (see `perseval list runs`)");
    records.push_back(std::move(*run));
  }
  std::vector<RunRecord> oldest_first = records;
  std::stable_sort(oldest_first.begin(), oldest_first.end(),
                   [](const auto& a, const auto& b) { return a.started_at < b.started_at; });
  leaderboard = build_leaderboard(store, oldest_first);
  return records;
}

// The run's samples to embed: failed ones first, then the rest in dataset order.
std::vector<ReportSample> candidate_samples(Store& store, ReportRun& run, size_t run_index,
                                            const ReportOptions& options) {
  std::vector<SampleRow> rows = store.read_samples(run.record.run_id);
  run.samples_total = static_cast<long long>(rows.size());
  for (const auto& row : rows)
    if (row.error) ++run.errors_total;
  std::stable_partition(rows.begin(), rows.end(), [](const SampleRow& r) { return r.error.has_value(); });
  if (rows.size() > options.max_samples_per_run) rows.resize(options.max_samples_per_run);
  std::vector<ReportSample> out;
  out.reserve(rows.size());
  const size_t limit = options.max_text_chars;
  for (const auto& row : rows) {
    ReportSample s;
    s.run_index = run_index;
    s.seq = row.seq;
    int& truncated_count = s.truncated_fields;
    s.sample_id = cut(row.sample_id, limit, truncated_count);
    s.user_id = cut(row.user_id, limit, truncated_count);
    s.target = cut(row.target, limit, truncated_count);
    s.output = cut(row.output, limit, truncated_count);
    s.parsed = cut(row.parsed, limit, truncated_count);
    s.scores = cut(scores_text(row.scores), limit, truncated_count);
    s.error = row.error ? cut(row.error->empty() ? "(error)" : *row.error, limit, truncated_count) : "";
    out.push_back(std::move(s));
  }
  return out;
}

// Shares the byte budget round-robin over the runs' candidates and appends the chosen
// samples to data.samples, each run's in its stored order.
void embed_samples(ReportData& data, std::vector<std::vector<ReportSample>>& candidates) {
  std::vector<size_t> taken(candidates.size(), 0);
  std::vector<bool> full(candidates.size(), false);
  size_t used = 0;
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t r = 0; r < candidates.size(); ++r) {
      if (full[r] || taken[r] >= candidates[r].size()) continue;
      const size_t bytes = json_for_script(sample_row_json(candidates[r][taken[r]])).size() + 1;
      if (used + bytes > data.options.max_sample_bytes) {
        full[r] = true;
        continue;
      }
      used += bytes;
      ++taken[r];
      progress = true;
    }
  }
  for (size_t r = 0; r < candidates.size(); ++r) {
    candidates[r].resize(taken[r]);
    std::stable_sort(candidates[r].begin(), candidates[r].end(),
                     [](const auto& a, const auto& b) { return a.seq < b.seq; });
    for (auto& sample : candidates[r]) {
      data.truncated_texts += static_cast<size_t>(sample.truncated_fields);
      data.samples.push_back(std::move(sample));
    }
    data.runs[r].samples_shown = taken[r];
  }
}

}  // namespace

json sample_row_json(const ReportSample& s) {
  return json::array({s.run_index, s.sample_id, s.user_id, s.target, s.output, s.parsed, s.scores, s.error});
}

const MetricValue* find_metric(const ReportRun& run, const std::string& name, const std::string& slice_key,
                               const std::string& slice_value) {
  for (const auto& m : run.metrics)
    if (m.metric.name == name && m.slice_key == slice_key && m.slice_value == slice_value) return &m.metric;
  return nullptr;
}

ReportData collect_report_data(Store& store, const ReportOptions& options) {
  ReportData data;
  data.options = options;
  data.generated_at = utc_now_iso();
  std::vector<RunRecord> records = select_runs(store, options, data.leaderboard);

  std::set<std::string> specs;
  for (const auto& r : records) specs.insert(r.task);
  std::map<std::string, int> rank_of;  // run id -> leaderboard rank
  for (const auto& e : data.leaderboard) rank_of[e.run_id] = e.rank;
  std::stable_sort(records.begin(), records.end(), [&](const RunRecord& a, const RunRecord& b) {
    const int ra = rank_of.count(a.run_id) ? rank_of[a.run_id] : 1 << 20;
    const int rb = rank_of.count(b.run_id) ? rank_of[b.run_id] : 1 << 20;
    return std::tie(a.task, ra, a.model, a.started_at) < std::tie(b.task, rb, b.model, b.started_at);
  });

  std::map<std::pair<std::string, std::string>, int> runs_per_model;
  for (const auto& r : records) ++runs_per_model[{r.task, r.model}];
  for (auto& record : records) {
    ReportRun run;
    run.task_name = display_task_name(record.task, specs);
    run.label = record.model;
    if (runs_per_model[{record.task, record.model}] > 1) run.label += " (run " + record.run_id + ")";
    run.metrics = store.read_metrics(record.run_id);
    run.record = std::move(record);
    if (data.tasks.empty() || data.tasks.back().task != run.record.task) {
      ReportTask task;
      task.task = run.record.task;
      task.name = run.task_name;
      data.tasks.push_back(task);
    }
    ReportTask& task = data.tasks.back();
    if (task.metric.empty() && run.record.notes.is_object()) {
      const json& notes = run.record.notes;
      if (notes.contains("primary_metric") && notes["primary_metric"].is_string())
        task.metric = notes["primary_metric"].get<std::string>();
      if (notes.contains("higher_is_better") && notes["higher_is_better"].is_boolean())
        task.higher_is_better = notes["higher_is_better"].get<bool>();
    }
    task.runs.push_back(data.runs.size());
    data.runs.push_back(std::move(run));
  }

  std::vector<std::vector<ReportSample>> candidates(data.runs.size());
  for (size_t r = 0; r < data.runs.size(); ++r)
    candidates[r] = candidate_samples(store, data.runs[r], r, options);
  embed_samples(data, candidates);
  // Refuses (InputError) runs that cannot be compared, like `perseval compare`.
  if (!options.compare_a.empty() || !options.compare_b.empty())
    data.comparison = compare(store, options.compare_a, options.compare_b, CompareOptions{});
  data.history = collect_history(store, data.tasks);
  return data;
}

}  // namespace perseval::report
