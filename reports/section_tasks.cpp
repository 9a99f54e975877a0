// The per-task sections of the HTML report: bar chart, slice tables and charts, worst users.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "reports/html_escape.h"
#include "reports/report_format.h"
#include "reports/report_sections.h"
#include "reports/svg_chart.h"

namespace perseval::report {
namespace {

// Slices with more values than this start collapsed.
constexpr size_t kOpenSliceValues = 20;

std::optional<double> parse_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// Keys whose numeric values are identifiers, not quantities: no line chart for them.
bool is_identifier_key(const std::string& key) {
  return key == "user" || key == "persona" || key == "id" ||
         (key.size() > 3 && key.compare(key.size() - 3, 3, "_id") == 0);
}

// A slice key's values in display order: numerically when every value is a number.
struct SliceValues {
  std::vector<std::string> values;
  bool numeric = false;
};

std::map<std::string, SliceValues> slices_of(const ReportData& data, const ReportTask& task) {
  std::map<std::string, std::set<std::string>> keys;
  for (size_t r : task.runs)
    for (const auto& m : data.runs[r].metrics)
      if (!m.slice_key.empty()) keys[m.slice_key].insert(m.slice_value);
  std::map<std::string, SliceValues> out;
  for (const auto& [key, values] : keys) {
    SliceValues& slice = out[key];
    slice.values.assign(values.begin(), values.end());
    slice.numeric = std::all_of(values.begin(), values.end(), [](const auto& v) { return parse_number(v).has_value(); });
    if (slice.numeric)
      std::stable_sort(slice.values.begin(), slice.values.end(),
                       [](const auto& a, const auto& b) { return *parse_number(a) < *parse_number(b); });
  }
  return out;
}

std::string metric_cells(const MetricValue* m, const std::string& metric) {
  if (!m) return "<td class=\"empty\">\xE2\x80\x93</td><td></td><td></td>";
  return html_element("td", format_metric(m->value, metric), "num") +
         html_element("td", format_interval(m->ci_low, m->ci_high, metric), "ci") +
         html_element("td", format_count(m->n), "num");
}

std::string run_summary_table(const ReportData& data, const ReportTask& task) {
  std::string html = "<table class=\"runs\"><thead><tr><th>model</th>" + html_element("th", task.metric) +
                     "<th>95% interval</th><th>n</th><th>errors</th><th>status</th><th>run</th></tr></thead><tbody>";
  for (size_t r : task.runs) {
    const ReportRun& run = data.runs[r];
    html += "<tr>" + html_element("td", run.label) + metric_cells(find_metric(run, task.metric), task.metric);
    html += html_element("td", format_count(run.errors_total), run.errors_total > 0 ? "num err" : "num");
    html += html_element("td", run.record.status);
    html += "<td><a href=\"#run-" + std::to_string(r) + "\">" + escape_html(run.record.run_id) + "</a></td></tr>";
  }
  return html + "</tbody></table>";
}

std::string bar_chart(const ReportData& data, const ReportTask& task) {
  std::vector<ChartBar> bars;
  for (size_t r : task.runs) {
    const MetricValue* m = find_metric(data.runs[r], task.metric);
    if (!m) continue;
    bars.push_back({data.runs[r].label, m->value, m->ci_low, m->ci_high});
  }
  BarChartOptions options;
  options.title = task.name + ": " + task.metric + " by model (95% interval)";
  options.value_label = task.metric + (task.higher_is_better ? " (higher is better)" : " (lower is better)");
  return render_bar_chart(bars, options);
}

std::string slice_chart(const ReportData& data, const ReportTask& task, const std::string& key,
                        const SliceValues& slice) {
  std::vector<ChartSeries> series;
  for (size_t r : task.runs) {
    ChartSeries s{data.runs[r].label, {}};
    for (const auto& value : slice.values)
      if (const MetricValue* m = find_metric(data.runs[r], task.metric, key, value))
        s.points.push_back({*parse_number(value), m->value, m->ci_low, m->ci_high});
    if (!s.points.empty()) series.push_back(std::move(s));
  }
  LineChartOptions options;
  options.title = task.name + ": " + task.metric + " by " + key;
  options.x_label = key;
  options.y_label = task.metric;
  return render_line_chart(series, options);
}

std::string slice_table(const ReportData& data, const ReportTask& task, const std::string& key,
                        const SliceValues& slice) {
  std::string html = "<div class=\"scroll\"><table class=\"slice\"><thead><tr>" + html_element("th", key);
  for (size_t r : task.runs) html += "<th colspan=\"3\">" + escape_html(data.runs[r].label) + "</th>";
  html += "</tr><tr><th></th>";
  for (size_t i = 0; i < task.runs.size(); ++i)
    html += html_element("th", task.metric) + "<th>95% interval</th><th>n</th>";
  html += "</tr></thead><tbody>";
  for (const auto& value : slice.values) {
    html += "<tr>" + html_element("th", value);
    for (size_t r : task.runs) html += metric_cells(find_metric(data.runs[r], task.metric, key, value), task.metric);
    html += "</tr>";
  }
  return html + "</tbody></table></div>";
}

std::string worst_users(const ReportData& data, const ReportTask& task) {
  const size_t limit = data.options.worst_users;
  if (limit == 0) return "";
  std::string html = "<h4>Worst users</h4><p class=\"note\">The " + std::to_string(limit) + " users with the " +
                     (task.higher_is_better ? "lowest " : "highest ") + escape_html(task.metric) +
                     " per run (slice <code>user</code>; small n means a wide interval).</p><div class=\"users\">";
  for (size_t r : task.runs) {
    std::vector<const StoredMetric*> users;
    for (const auto& m : data.runs[r].metrics)
      if (m.slice_key == "user" && m.metric.name == task.metric && std::isfinite(m.metric.value)) users.push_back(&m);
    if (users.empty()) continue;
    std::stable_sort(users.begin(), users.end(), [&](const StoredMetric* a, const StoredMetric* b) {
      return task.higher_is_better ? a->metric.value < b->metric.value : a->metric.value > b->metric.value;
    });
    if (users.size() > limit) users.resize(limit);
    html += "<table class=\"worst\"><caption>" + escape_html(data.runs[r].label) +
            "</caption><thead><tr><th>user</th>" + html_element("th", task.metric) +
            "<th>95% interval</th><th>n</th></tr></thead><tbody>";
    for (const StoredMetric* m : users)
      html += "<tr>" + html_element("td", m->slice_value) + metric_cells(&m->metric, task.metric) + "</tr>";
    html += "</tbody></table>";
  }
  return html + "</div>";
}

// For judge tasks: selective accuracy against coverage at each confidence threshold (the
// overall metrics "coverage@T" and "sel_acc@T"), one line per run; "" when no run has them.
std::string coverage_accuracy_chart(const ReportData& data, const ReportTask& task) {
  std::vector<ChartSeries> series;
  for (size_t r : task.runs) {
    ChartSeries line{data.runs[r].label, {}};
    for (const auto& m : data.runs[r].metrics) {
      if (!m.slice_key.empty() || m.metric.name.rfind("coverage@", 0) != 0) continue;
      const std::string threshold = m.metric.name.substr(9);
      if (const MetricValue* accuracy = find_metric(data.runs[r], "sel_acc@" + threshold))
        line.points.push_back({m.metric.value, accuracy->value, accuracy->ci_low, accuracy->ci_high});
    }
    if (line.points.size() >= 2) series.push_back(std::move(line));
  }
  if (series.empty()) return "";
  LineChartOptions options;
  options.title = "coverage \xE2\x80\x93 accuracy of the judge's confident answers";
  options.x_label = "coverage (share of items at or above a certainty threshold)";
  options.y_label = "selective accuracy";
  return "<h4>Coverage \xE2\x80\x93 accuracy</h4><p class=\"note\">Each point is one certainty threshold: the share "
         "of items the judge is at least that certain about, and its accuracy on them (95% interval).</p>" +
         render_line_chart(series, options);
}

std::string task_section(const ReportData& data, size_t index) {
  const ReportTask& task = data.tasks[index];
  std::string html = "<section class=\"task\" id=\"task-" + std::to_string(index) + "\">" + html_element("h3", task.name);
  html += "<p class=\"spec\">spec: " + html_element("code", task.task) + " \xC2\xB7 primary metric: " +
          html_element("code", task.metric.empty() ? "(none recorded)" : task.metric) +
          (task.higher_is_better ? " (higher is better)" : " (lower is better)") + "</p>";
  html += bar_chart(data, task) + run_summary_table(data, task) + coverage_accuracy_chart(data, task);
  const auto slices = slices_of(data, task);
  if (slices.empty()) return html + "<p class=\"note\">No slices stored for this task.</p></section>";
  html += "<h4>Slices</h4><p class=\"note\">" + escape_html(task.metric) +
          " per slice value with its 95% interval and n.</p>";
  for (const auto& [key, slice] : slices) {
    html += std::string("<details class=\"slice\"") + (slice.values.size() <= kOpenSliceValues ? " open" : "") +
            "><summary>" + html_element("code", key) + " (" + format_count(static_cast<long long>(slice.values.size())) +
            " values" + (slice.numeric ? ", numeric" : "") + ")</summary>";
    if (slice.numeric && !is_identifier_key(key)) html += slice_chart(data, task, key, slice);
    html += slice_table(data, task, key, slice) + "</details>";
  }
  if (slices.count("user")) html += worst_users(data, task);
  return html + "</section>";
}

}  // namespace

std::string render_task_sections(const ReportData& data) {
  std::string html = "<section id=\"tasks\"><h2>Tasks</h2>";
  if (data.tasks.empty()) html += "<p class=\"note\">No runs selected.</p>";
  for (size_t t = 0; t < data.tasks.size(); ++t) html += task_section(data, t);
  return html + "</section>";
}

}  // namespace perseval::report
