// The "Checkpoint comparison" section: `perseval compare` of two runs or two models,
// rendered from the Comparison in ReportData.
#include <cmath>
#include <cstdio>

#include "reports/html_escape.h"
#include "reports/report_format.h"
#include "reports/report_sections.h"

namespace perseval::report {
namespace {

std::string p_text(const std::optional<double>& p) {
  if (!p) return "\xE2\x80\x93";
  char buf[32];
  std::snprintf(buf, sizeof buf, *p < 1e-4 ? "%.1e" : "%.4f", *p);
  return buf;
}

std::string diff_text(const MetricComparison& m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.4f", m.diff);
  std::string out = buf;
  if (m.ci_low && m.ci_high) {
    std::snprintf(buf, sizeof buf, " [%+.4f, %+.4f]", *m.ci_low, *m.ci_high);
    out += buf;
  }
  return out;
}

std::string task_block(const TaskComparison& t) {
  std::string html = "<div class=\"compare-task\">" + html_element("h3", t.task);
  html += "<p class=\"note\">" + escape_html("A = run " + t.run_a.run_id + " (" + t.run_a.model + "), B = run " +
                                             t.run_b.run_id + " (" + t.run_b.model + "); ") +
          format_count(t.n_paired) + " samples paired, " + format_count(t.missing_in_a + t.missing_in_b) +
          " present on one side only, " + format_count(t.errored_a) + " / " + format_count(t.errored_b) +
          " failed calls in A / B.</p>";
  html += "<div class=\"scroll\"><table><thead><tr><th>metric</th><th>A</th><th>B</th><th>B \xE2\x88\x92 A [95% CI]</th>"
          "<th>test</th><th>p</th><th>p (Holm)</th><th>better / worse / same</th><th>MDE</th></tr></thead><tbody>";
  for (const auto& m : t.metrics) {
    const std::string name = m.name + (m.higher_is_better ? " \xE2\x86\x91" : " \xE2\x86\x93") + (m.primary ? " (primary)" : "");
    html += "<tr>" + html_element("td", name) + html_element("td", format_metric(m.a, m.name)) +
            html_element("td", format_metric(m.b, m.name)) + html_element("td", diff_text(m)) +
            html_element("td", m.test == "none" ? m.note : m.test) + html_element("td", p_text(m.p)) +
            html_element("td", p_text(m.p_holm)) +
            html_element("td", m.test == "none" ? std::string("\xE2\x80\x93")
                                                : std::to_string(m.improved) + " / " + std::to_string(m.worsened) +
                                                      " / " + std::to_string(m.unchanged)) +
            html_element("td", m.mde ? (std::isfinite(*m.mde) ? format_metric(*m.mde) : std::string("\xE2\x88\x9E"))
                                     : std::string("\xE2\x80\x93")) +
            "</tr>";
  }
  html += "</tbody></table></div>";
  const auto examples = [&](const char* title, const std::vector<FlipExample>& list) {
    if (list.empty()) return std::string();
    std::string out = "<details><summary>" + escape_html(std::string(title) + " (" + t.flips_metric + ")") +
                      "</summary><table><thead><tr><th>sample</th><th>A</th><th>B</th><th>A output</th><th>B output</th>"
                      "</tr></thead><tbody>";
    for (const auto& f : list)
      out += "<tr>" + html_element("td", f.sample_id) + html_element("td", format_metric(f.a_value)) +
             html_element("td", format_metric(f.b_value)) + html_element("td", f.a_output, "text") +
             html_element("td", f.b_output, "text") + "</tr>";
    return out + "</tbody></table></details>";
  };
  html += examples("biggest improvements", t.improved_examples);
  html += examples("biggest regressions", t.worsened_examples);
  return html + "</div>";
}

}  // namespace

std::string render_compare_section(const ReportData& data) {
  if (!data.comparison) return "";
  const Comparison& c = *data.comparison;
  std::string html = "<section id=\"compare\"><h2>Checkpoint comparison</h2>";
  html += "<p class=\"note\">" +
          escape_html("A = " + c.a.arg + " (" + c.a.model + "), B = " + c.b.arg + " (" + c.b.model + "). ") +
          "Paired over the samples both runs answered without error: exact McNemar for 0/1 scores, sign-flip "
          "permutation otherwise, paired bootstrap interval of the mean difference; p-values Holm-adjusted over "
          "every test of the comparison.</p>";
  if (!c.warnings.empty()) {
    html += "<ul class=\"warnings\">";
    for (const auto& w : c.warnings) html += html_element("li", w);
    html += "</ul>";
  }
  for (const auto& t : c.tasks) html += task_block(t);
  if (!c.unpaired.empty()) {
    html += "<p class=\"note\">Tasks on one side only:</p><ul>";
    for (const auto& u : c.unpaired) html += html_element("li", u.task + " (only in " + (u.side == "a" ? "A" : "B") + ")");
    html += "</ul>";
  }
  return html + "</section>";
}

}  // namespace perseval::report
