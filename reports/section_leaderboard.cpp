// The leaderboard section of the HTML report.
#include <map>
#include <set>

#include "reports/html_escape.h"
#include "reports/report_format.h"
#include "reports/report_sections.h"

namespace perseval::report {
namespace {

std::string leaderboard_cell(const LeaderboardEntry& e) {
  std::string cell = std::string("<td class=\"cell") + (e.rank == 1 ? " best" : "") + "\">";
  cell += html_element("span", format_metric(e.value.value, e.metric), "v");
  const std::string interval = format_interval(e.value.ci_low, e.value.ci_high, e.metric);
  if (!interval.empty()) cell += " " + html_element("span", interval, "ci");
  cell += " " + html_element("span", "#" + std::to_string(e.rank), "rank");
  cell += "<br>" + html_element("span", "n=" + format_count(e.value.n), "n");
  if (e.errors > 0) cell += " " + html_element("span", format_count(e.errors) + " errors", "err");
  return cell + "</td>";
}

}  // namespace

std::string render_leaderboard_section(const ReportData& data) {
  std::string html = "<section id=\"leaderboard\"><h2>Leaderboard</h2>";
  if (data.leaderboard.empty())
    return html + "<p class=\"note\">No finished run with a primary metric among the selected runs.</p></section>";
  html += "<p class=\"note\">Latest finished run of each task \xC3\x97 model among the selected runs: the task's "
          "primary metric with its 95% bootstrap interval, n and rank within the task (#1 = best, ties share a "
          "rank; \xE2\x86\x91 higher is better, \xE2\x86\x93 lower is better).</p>";

  std::set<std::string> models;
  std::map<std::pair<std::string, std::string>, const LeaderboardEntry*> cells;
  for (const auto& e : data.leaderboard) {
    models.insert(e.model);
    cells[{e.task, e.model}] = &e;
  }
  html += "<div class=\"scroll\"><table class=\"board\"><thead><tr><th>task</th><th>metric</th>";
  for (const auto& model : models) html += html_element("th", model);
  html += "</tr></thead><tbody>";
  for (size_t t = 0; t < data.tasks.size(); ++t) {
    const ReportTask& task = data.tasks[t];
    bool on_board = false;
    for (const auto& model : models) on_board |= cells.count({task.task, model}) > 0;
    if (!on_board) continue;
    html += "<tr><th class=\"task\"><a href=\"#task-" + std::to_string(t) + "\">" + escape_html(task.name) + "</a></th>";
    html += html_element("td", task.metric + (task.higher_is_better ? " \xE2\x86\x91" : " \xE2\x86\x93"), "metric");
    for (const auto& model : models) {
      auto it = cells.find({task.task, model});
      html += it == cells.end() ? std::string("<td class=\"cell empty\">\xE2\x80\x93</td>") : leaderboard_cell(*it->second);
    }
    html += "</tr>";
  }
  return html + "</tbody></table></div></section>";
}

}  // namespace perseval::report
