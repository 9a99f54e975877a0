// The nightly history of the report: each model's primary metric over every finished run.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <map>

#include "reports/report_data.h"

namespace perseval::report {

double iso_days(const std::string& iso) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day, &hour, &minute, &second) < 3)
    return std::numeric_limits<double>::quiet_NaN();
  std::tm t{};
  t.tm_year = year - 1900;
  t.tm_mon = month - 1;
  t.tm_mday = day;
  t.tm_hour = hour;
  t.tm_min = minute;
  t.tm_sec = second;
  return static_cast<double>(timegm(&t)) / 86400.0;
}

std::vector<ReportHistory> collect_history(Store& store, const std::vector<ReportTask>& tasks) {
  std::map<std::string, std::map<std::string, std::vector<RunRecord>>> runs;  // task -> model -> runs
  for (auto& run : store.list_runs())  // oldest first
    if (run.status == "finished") runs[run.task][run.model].push_back(std::move(run));
  std::vector<ReportHistory> out;
  for (const auto& task : tasks) {
    const auto it = runs.find(task.task);
    if (it == runs.end()) continue;
    bool repeated = false;
    for (const auto& [model, list] : it->second) repeated |= list.size() >= 2;
    if (!repeated) continue;
    ReportHistory h{task.task, task.name, task.metric, task.higher_is_better, {}};
    double first = std::numeric_limits<double>::infinity();
    for (const auto& [model, list] : it->second)
      for (const auto& run : list) first = std::min(first, iso_days(run.started_at));
    for (const auto& [model, list] : it->second) {
      HistorySeries series{model, {}};
      for (const auto& run : list)
        for (const auto& m : store.read_metrics(run.run_id))
          if (m.slice_key.empty() && m.metric.name == task.metric) {
            const double days = iso_days(run.started_at);
            series.points.push_back(
                {run.run_id, run.started_at, std::isfinite(days) && std::isfinite(first) ? days - first : 0.0, m.metric});
            break;
          }
      if (!series.points.empty()) h.series.push_back(std::move(series));
    }
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace perseval::report
