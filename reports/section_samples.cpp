// The sample browser section of the HTML report. The rows are rendered by report_script()
// from the JSON data block written here.
#include <cstdio>

#include "reports/html_escape.h"
#include "reports/report_format.h"
#include "reports/report_sections.h"

namespace perseval::report {
namespace {

std::string megabytes(size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1e6);
  return buf;
}

std::string notices(const ReportData& data) {
  std::string html;
  size_t shown = 0;
  long long total = 0;
  std::string capped;
  for (size_t r = 0; r < data.runs.size(); ++r) {
    const ReportRun& run = data.runs[r];
    shown += run.samples_shown;
    total += run.samples_total;
    if (static_cast<long long>(run.samples_shown) >= run.samples_total) continue;
    capped += "<li>showing " + format_count(static_cast<long long>(run.samples_shown)) + " of " +
              format_count(run.samples_total) + " samples of run " + html_element("code", run.record.run_id) + " (" +
              escape_html(run.task_name) + " \xC2\xB7 " + escape_html(run.label) + ")</li>";
  }
  html += "<p class=\"note\">" + format_count(static_cast<long long>(shown)) + " of " + format_count(total) +
          " stored samples are embedded in this report.</p>";
  if (!capped.empty())
    html += "<div class=\"notice\"><p>Not every sample is embedded: at most " +
            format_count(static_cast<long long>(data.options.max_samples_per_run)) +
            " per run and about " + megabytes(data.options.max_sample_bytes) +
            " of sample data in all; failed samples are kept first, then dataset order. The database holds them all "
            "(<code>perseval show RUN_ID</code>).</p><ul>" + capped + "</ul></div>";
  if (data.truncated_texts > 0)
    html += "<div class=\"notice\"><p>" + format_count(static_cast<long long>(data.truncated_texts)) +
            " texts longer than " + format_count(static_cast<long long>(data.options.max_text_chars)) +
            " characters were truncated; each ends with \xE2\x80\x9C\xE2\x80\xA6 [truncated: N chars]\xE2\x80\x9D.</p></div>";
  return html;
}

json browser_data(const ReportData& data) {
  json runs = json::array();
  for (const auto& run : data.runs)
    runs.push_back({{"task", run.task_name}, {"model", run.label}, {"run", run.record.run_id}});
  json samples = json::array();
  for (const auto& s : data.samples) samples.push_back(sample_row_json(s));
  return {{"runs", std::move(runs)}, {"samples", std::move(samples)}};
}

}  // namespace

std::string render_samples_section(const ReportData& data) {
  std::string html = "<section id=\"samples\"><h2>Samples</h2>" + notices(data);
  html +=
      "<div class=\"controls\">"
      "<input id=\"sample-search\" type=\"search\" placeholder=\"search id, user, target, output, parsed, error\" "
      "aria-label=\"search samples\">"
      "<select id=\"filter-task\" aria-label=\"task\"><option value=\"\">all tasks</option></select>"
      "<select id=\"filter-model\" aria-label=\"model\"><option value=\"\">all models</option></select>"
      "<label><input type=\"checkbox\" id=\"filter-errors\"> errors only</label>"
      "<button type=\"button\" id=\"page-prev\">\xE2\x97\x80 previous</button>"
      "<span id=\"sample-status\"></span>"
      "<button type=\"button\" id=\"page-next\">next \xE2\x96\xB6</button></div>"
      "<noscript><p class=\"notice\">The sample browser needs JavaScript; the rest of the report works without "
      "it.</p></noscript>"
      "<div class=\"scroll\"><table class=\"samples\"><thead><tr><th>task</th><th>model</th><th>sample</th>"
      "<th>user</th><th>target</th><th>output</th><th>parsed</th><th>scores</th><th>error</th></tr></thead>"
      "<tbody id=\"sample-rows\"></tbody></table></div>";
  html += "<script type=\"application/json\" id=\"sample-data\">" + json_for_script(browser_data(data)) + "</script>";
  return html + "</section>";
}

}  // namespace perseval::report
