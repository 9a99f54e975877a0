#include "reports/leaderboard.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <map>
#include <set>

namespace perseval {
namespace {

std::string format_cell(const LeaderboardEntry& e) {
  char buf[96];
  if (e.value.ci_low && e.value.ci_high)
    std::snprintf(buf, sizeof buf, "%.3f [%.3f,%.3f] #%d", e.value.value, *e.value.ci_low,
                  *e.value.ci_high, e.rank);
  else
    std::snprintf(buf, sizeof buf, "%.3f #%d", e.value.value, e.rank);
  return buf;
}

}  // namespace

std::string display_task_name(const std::string& spec, const std::set<std::string>& all_specs) {
  const std::string base = spec.substr(0, spec.find(':'));
  int same_base = 0;
  for (const auto& other : all_specs)
    if (other.substr(0, other.find(':')) == base) ++same_base;
  return same_base > 1 ? spec : base;
}

std::vector<LeaderboardEntry> build_leaderboard(Store& store) {
  const std::vector<RunRecord> runs = store.list_runs();
  return build_leaderboard(store, runs);
}

std::vector<LeaderboardEntry> build_leaderboard(Store& store, std::span<const RunRecord> runs) {
  std::map<std::pair<std::string, std::string>, LeaderboardEntry> latest;
  for (const auto& run : runs) {  // oldest first, so later runs overwrite
    if (run.status != "finished") continue;
    LeaderboardEntry entry;
    entry.task = run.task;
    entry.model = run.model;
    entry.run_id = run.run_id;
    entry.metric = run.notes.value("primary_metric", std::string());
    entry.higher_is_better = run.notes.value("higher_is_better", true);
    bool found = false;
    for (const auto& stored : store.read_metrics(run.run_id)) {
      if (!stored.slice_key.empty()) continue;
      if (stored.metric.name == entry.metric) {
        entry.value = stored.metric;
        found = true;
      }
      if (stored.metric.name == "n_errors") entry.errors = static_cast<long long>(stored.metric.value);
    }
    if (found) latest[{run.task, run.model}] = entry;
  }
  std::vector<LeaderboardEntry> entries;
  for (auto& [key, entry] : latest) entries.push_back(entry);
  for (auto& e : entries) {
    int better = 0;
    for (const auto& other : entries) {
      if (other.task != e.task) continue;
      const bool is_better = e.higher_is_better ? other.value.value > e.value.value
                                                : other.value.value < e.value.value;
      if (is_better) ++better;
    }
    e.rank = better + 1;
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return std::tie(a.task, a.rank, a.model) < std::tie(b.task, b.rank, b.model);
  });
  return entries;
}

namespace {

// Header ("task", "metric", one column per model) and one row per task.
std::vector<std::vector<std::string>> leaderboard_grid(const std::vector<LeaderboardEntry>& entries) {
  std::set<std::string> tasks, models;
  std::map<std::pair<std::string, std::string>, const LeaderboardEntry*> cells;
  std::map<std::string, std::string> metric_of;
  for (const auto& e : entries) {
    tasks.insert(e.task);
    models.insert(e.model);
    cells[{e.task, e.model}] = &e;
    metric_of[e.task] = e.metric + (e.higher_is_better ? " ↑" : " ↓");
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"task", "metric"};
  header.insert(header.end(), models.begin(), models.end());
  rows.push_back(header);
  for (const auto& task : tasks) {
    std::vector<std::string> row{display_task_name(task, tasks), metric_of[task]};
    for (const auto& model : models) {
      auto it = cells.find({task, model});
      row.push_back(it == cells.end() ? "-" : format_cell(*it->second));
    }
    rows.push_back(row);
  }
  return rows;
}

// A Markdown table cell: '|' escaped, line breaks flattened (names are data, not markup).
std::string markdown_cell(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

// An RFC 4180 CSV field; text that a spreadsheet would run as a formula (= + - @ tab CR
// first) gets a leading apostrophe (OWASP CSV injection advice).
std::string csv_text(const std::string& text) {
  std::string value = text;
  if (!value.empty() && std::string("=+-@\t\r").find(value[0]) != std::string::npos) value = "'" + value;
  if (value.find_first_of(",\"\n\r") == std::string::npos) return value;
  std::string out = "\"";
  for (const char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv_number(const std::optional<double>& value) {
  if (!value || !std::isfinite(*value)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", *value);
  return buf;
}

}  // namespace

std::string format_leaderboard_markdown(const std::vector<LeaderboardEntry>& entries) {
  if (entries.empty()) return "(no finished runs)\n";
  const auto rows = leaderboard_grid(entries);
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    out += "|";
    for (const auto& cell : rows[r]) out += " " + markdown_cell(cell) + " |";
    out += "\n";
    if (r == 0) {
      out += "|";
      for (size_t i = 0; i < rows[0].size(); ++i) out += i < 2 ? " --- |" : " ---: |";
      out += "\n";
    }
  }
  return out;
}

std::string format_leaderboard_csv(const std::vector<LeaderboardEntry>& entries) {
  std::string out = "task,model,run_id,metric,higher_is_better,value,n,ci_low,ci_high,rank,errors\r\n";
  for (const auto& e : entries) {
    out += csv_text(e.task) + "," + csv_text(e.model) + "," + csv_text(e.run_id) + "," + csv_text(e.metric) + "," +
           (e.higher_is_better ? "true" : "false") + "," + csv_number(e.value.value) + "," +
           std::to_string(e.value.n) + "," + csv_number(e.value.ci_low) + "," + csv_number(e.value.ci_high) + "," +
           std::to_string(e.rank) + "," + std::to_string(e.errors) + "\r\n";
  }
  return out;
}

std::string format_leaderboard_text(const std::vector<LeaderboardEntry>& entries) {
  if (entries.empty()) return "(no finished runs)\n";
  const auto rows = leaderboard_grid(entries);
  const auto& header = rows.front();
  // Column widths in code points, so the arrows do not skew the alignment.
  auto width = [](const std::string& s) {
    size_t w = 0;
    for (unsigned char c : s) w += (c & 0xC0) != 0x80;
    return w;
  };
  std::vector<size_t> widths(header.size(), 0);
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t i = 0; i < rows[r].size(); ++i) {
      out += rows[r][i];
      if (i + 1 < rows[r].size()) out += std::string(widths[i] - width(rows[r][i]) + 2, ' ');
    }
    out += "\n";
    if (r == 0) {
      size_t total = 0;
      for (auto w : widths) total += w + 2;
      out += std::string(total - 2, '-') + "\n";
    }
  }
  return out;
}

std::string format_leaderboard_json(const std::vector<LeaderboardEntry>& entries) {
  json out = json::array();
  for (const auto& e : entries) {
    json j{{"task", e.task},   {"model", e.model},           {"run_id", e.run_id},
           {"metric", e.metric}, {"higher_is_better", e.higher_is_better},
           {"value", e.value.value}, {"n", e.value.n}, {"errors", e.errors}, {"rank", e.rank}};
    j["ci_low"] = e.value.ci_low ? json(*e.value.ci_low) : json(nullptr);
    j["ci_high"] = e.value.ci_high ? json(*e.value.ci_high) : json(nullptr);
    out.push_back(j);
  }
  return out.dump(2);
}

}  // namespace perseval
