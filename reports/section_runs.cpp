// The run metadata section of the HTML report: configuration, provenance, usage, metrics.
#include <cmath>
#include <cstdio>

#include "reports/html_escape.h"
#include "reports/report_format.h"
#include "reports/report_sections.h"

namespace perseval::report {
namespace {

// Notes keys shown in their own rows; everything else in the notes is listed as JSON.
bool is_known_note(const std::string& key) {
  return key == "usage" || key == "primary_metric" || key == "higher_is_better" || key == "task_family";
}

std::string json_text(const json& value, size_t max_chars) {
  const std::string text = value.is_string() ? value.get<std::string>()
                                             : value.dump(2, ' ', false, json::error_handler_t::replace);
  const TruncatedText cut = truncate_text(text, max_chars);
  if (!cut.truncated) return cut.text;
  return cut.text + "\n\xE2\x80\xA6 [truncated: " + format_count(static_cast<long long>(cut.original_chars)) + " chars]";
}

std::string row(const std::string& key, const std::string& value) {
  return "<tr>" + html_element("th", key) + html_element("td", value) + "</tr>";
}

std::string json_row(const std::string& key, const json& value, size_t max_chars) {
  return "<tr>" + html_element("th", key) + "<td>" + html_element("pre", json_text(value, max_chars)) + "</td></tr>";
}

std::string number_text(const json& value, const char* format) {
  if (!value.is_number()) return value.is_null() ? "" : json_text(value, 200);
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value.get<double>());
  return buf;
}

// Milliseconds readable at any scale: "0.0375", "4.2", "812", "15320".
std::string latency_text(const json& value) {
  if (!value.is_number()) return number_text(value, "%g");
  const double ms = value.get<double>();
  return number_text(value, ms >= 100 ? "%.0f" : ms >= 1 ? "%.1f" : "%.3g");
}

std::string count_text(const json& value) {
  if (value.is_number_integer()) return format_count(value.get<long long>());
  return number_text(value, "%g");
}

std::string usage_rows(const json& usage) {
  if (!usage.is_object()) return "";
  std::string html;
  const std::pair<const char*, const char*> counts[] = {
      {"samples", "samples"},         {"errors", "errors"},           {"cache_hits", "cache hits"},
      {"model_calls", "model calls"}, {"attempts", "attempts"},       {"prompt_tokens", "prompt tokens"},
      {"completion_tokens", "completion tokens"}};
  for (const auto& [key, label] : counts)
    if (usage.contains(key)) html += row(label, count_text(usage[key]));
  if (usage.contains("cost_usd")) html += row("cost", "$" + number_text(usage["cost_usd"], "%.4f"));
  if (usage.contains("latency_ms") && usage["latency_ms"].is_object()) {
    const json& latency = usage["latency_ms"];
    std::string text;
    for (const char* key : {"p50", "p90", "p99", "max", "mean"}) {
      if (!latency.contains(key)) continue;
      if (!text.empty()) text += " \xC2\xB7 ";
      text += std::string(key) + " " + latency_text(latency[key]) + " ms";
    }
    html += row("latency per sample", text);
  }
  for (const auto& [key, value] : usage.items()) {  // anything newer runners add
    static const char* shown[] = {"samples", "errors", "cache_hits", "model_calls", "attempts",
                                  "prompt_tokens", "completion_tokens", "cost_usd", "latency_ms"};
    bool known = false;
    for (const char* s : shown) known |= key == s;
    if (!known) html += json_row("usage." + key, value, 2000);
  }
  return html;
}

std::string metrics_table(const ReportRun& run) {
  std::string html = "<table class=\"metrics\"><thead><tr><th>metric (whole run)</th><th>value</th>"
                     "<th>95% interval</th><th>n</th></tr></thead><tbody>";
  bool any = false;
  for (const auto& m : run.metrics) {
    if (!m.slice_key.empty()) continue;
    any = true;
    html += "<tr>" + html_element("td", m.metric.name) + html_element("td", format_metric(m.metric.value, m.metric.name), "num") +
            html_element("td", format_interval(m.metric.ci_low, m.metric.ci_high, m.metric.name), "ci") +
            html_element("td", format_count(m.metric.n), "num") + "</tr>";
  }
  if (!any) html += "<tr><td colspan=\"4\">no metrics stored (unfinished run or a test split)</td></tr>";
  return html + "</tbody></table>";
}

std::string run_block(const ReportData& data, size_t index) {
  const ReportRun& run = data.runs[index];
  const RunRecord& r = run.record;
  const size_t notes_limit = data.options.max_notes_chars;
  std::string html = "<details class=\"run\" id=\"run-" + std::to_string(index) + "\"><summary>" +
                     html_element("span", run.task_name, "t") + " \xC2\xB7 " + html_element("span", run.label, "m") +
                     " \xC2\xB7 " + html_element("code", r.run_id) + " \xC2\xB7 " +
                     html_element("span", r.status, r.status == "finished" ? "st ok" : "st bad") + "</summary>";
  html += "<div class=\"run-body\"><table class=\"kv\"><tbody>";
  html += row("run id", r.run_id) + row("status", r.status) + row("task spec", r.task) +
          row("task version", r.task_version) + json_row("task parameters", r.task_params, notes_limit) +
          row("model spec", r.model) + json_row("model identity", r.model_identity, notes_limit) +
          json_row("generation config", r.gen_config, notes_limit) +
          row("dataset fingerprint", r.dataset_fingerprint) + row("seed", std::to_string(r.seed)) +
          row("limit", r.limit < 0 ? "none" : format_count(r.limit)) + row("harness version", r.harness_version) +
          row("git revision", r.git_revision) + row("config key", r.config_key) + row("started", r.started_at) +
          row("finished", r.finished_at.empty() ? "(not finished)" : r.finished_at) +
          row("wall time", format_seconds(r.wall_s)) + row("samples stored", format_count(run.samples_total)) +
          row("samples with errors", format_count(run.errors_total));
  if (r.notes.is_object()) {
    if (r.notes.contains("usage")) html += usage_rows(r.notes["usage"]);
    for (const auto& [key, value] : r.notes.items())
      if (!is_known_note(key)) html += json_row("notes." + key, value, notes_limit);
  } else if (!r.notes.is_null()) {
    html += json_row("notes", r.notes, notes_limit);
  }
  html += "</tbody></table>" + metrics_table(run) + "</div></details>";
  return html;
}

}  // namespace

std::string render_runs_section(const ReportData& data) {
  std::string html = "<section id=\"runs\"><h2>Runs</h2><p class=\"note\">Everything needed to reproduce each run: "
                     "configuration, dataset fingerprint, seed, harness version and git revision, with timings and "
                     "usage from the run's notes. Click a run to open it.</p>";
  for (size_t r = 0; r < data.runs.size(); ++r) html += run_block(data, r);
  return html + "</section>";
}

}  // namespace perseval::report
