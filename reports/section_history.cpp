// The "History" section: each task's primary metric over the nights, one line per model.
#include "reports/html_escape.h"
#include "reports/report_format.h"
#include "reports/report_sections.h"
#include "reports/svg_chart.h"

namespace perseval::report {

std::string render_history_section(const ReportData& data) {
  if (data.history.empty()) return "";
  std::string html = "<section id=\"history\"><h2>History</h2><p class=\"note\">Every finished run in the "
                     "database, oldest first: the task's primary metric per model with its 95% interval, "
                     "by days since the task's first run.</p>";
  for (const auto& h : data.history) {
    std::vector<ChartSeries> series;
    for (const auto& s : h.series) {
      ChartSeries line{s.model, {}};
      for (const auto& p : s.points) line.points.push_back({p.day, p.value.value, p.value.ci_low, p.value.ci_high});
      series.push_back(std::move(line));
    }
    LineChartOptions options;
    options.title = h.name + " \xE2\x80\x94 " + h.metric + (h.higher_is_better ? " \xE2\x86\x91" : " \xE2\x86\x93");
    options.x_label = "days since the first run";
    options.y_label = h.metric;
    html += "<div class=\"history\">" + html_element("h3", h.name) + render_line_chart(series, options);
    html += "<details><summary>values</summary><table><thead><tr><th>model</th><th>run</th><th>started</th><th>" +
            escape_html(h.metric) + "</th><th>n</th></tr></thead><tbody>";
    for (const auto& s : h.series)
      for (const auto& p : s.points)
        html += "<tr>" + html_element("td", s.model) + html_element("td", p.run_id) + html_element("td", p.started_at) +
                html_element("td", format_metric(p.value.value, h.metric) + " " +
                                       format_interval(p.value.ci_low, p.value.ci_high, h.metric)) +
                html_element("td", std::to_string(p.value.n)) + "</tr>";
    html += "</tbody></table></details></div>";
  }
  return html + "</section>";
}

}  // namespace perseval::report
