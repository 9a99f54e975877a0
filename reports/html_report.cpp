#include "reports/html_report.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <system_error>

#include <unistd.h>

#include "harness/core/sha256.h"
#include "reports/html_escape.h"
#include "reports/report_format.h"
#include "reports/report_sections.h"

namespace perseval::report {
namespace {

const char* kStyle = R"CSS(
:root { --fg: #1d1d1f; --muted: #666; --line: #ddd; --accent: #0072B2; --bad: #b3261e; --bg2: #f6f7f9; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       margin: 0 auto; max-width: 1400px; padding: 0 24px 48px; }
header { border-bottom: 2px solid var(--accent); padding: 16px 0 8px; margin-bottom: 8px; }
h1 { margin: 0 0 4px; font-size: 24px; } h2 { margin-top: 36px; border-bottom: 1px solid var(--line); }
h3 { margin: 28px 0 4px; font-size: 18px; } h4 { margin: 18px 0 6px; }
nav a { margin-right: 14px; } nav .tasks a { margin-right: 10px; font-size: 13px; }
a { color: var(--accent); }
.note, .spec, .meta { color: var(--muted); margin: 4px 0 10px; }
.notice { background: #fff6e0; border: 1px solid #f0d48a; padding: 6px 12px; margin: 8px 0; }
.notice p { margin: 4px 0; } .notice ul { margin: 4px 0; }
table { border-collapse: collapse; margin: 6px 0 14px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--bg2); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ci, .n { color: var(--muted); font-size: 12px; } .rank { font-weight: 600; }
td.cell { white-space: nowrap; font-variant-numeric: tabular-nums; } td.best { background: #e7f3ec; }
td.best .rank { color: #1b7f3b; } .err, td.err { color: var(--bad); } .empty { color: #aaa; }
.scroll { overflow-x: auto; }
svg.chart { display: block; margin: 8px 0; max-width: 100%; height: auto; }
svg .lbl { font-size: 12px; fill: var(--fg); } svg .tick { font-size: 11px; fill: var(--muted); }
svg .ttl { font-size: 13px; font-weight: 600; fill: var(--fg); } svg .axis { font-size: 12px; fill: var(--muted); }
svg .val { font-size: 12px; fill: var(--fg); }
details.slice, details.run { margin: 6px 0; border: 1px solid var(--line); padding: 4px 10px; }
details > summary { cursor: pointer; } details.run .st.bad { color: var(--bad); } .st.ok { color: #1b7f3b; }
.users { display: flex; flex-wrap: wrap; gap: 16px; } table.worst caption { text-align: left; font-weight: 600; }
table.kv th { width: 190px; background: var(--bg2); } pre { margin: 0; white-space: pre-wrap; word-break: break-word;
       max-height: 320px; overflow: auto; font-size: 12px; }
.controls { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 10px 0; }
.controls input[type=search] { min-width: 320px; padding: 4px 6px; }
table.samples td { font-size: 12px; } table.samples td.txt { white-space: pre-wrap; word-break: break-word;
       max-width: 360px; } table.samples td.err { white-space: pre-wrap; max-width: 260px; word-break: break-word; }
table.samples td.sc { max-width: 220px; word-break: break-word; } tr.failed { background: #fdf0ef; }
)CSS";

std::string base64(const std::array<uint8_t, 32>& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const uint32_t b0 = bytes[i], b1 = i + 1 < bytes.size() ? bytes[i + 1] : 0, b2 = i + 2 < bytes.size() ? bytes[i + 2] : 0;
    const uint32_t triple = (b0 << 16) | (b1 << 8) | b2;
    out += kAlphabet[(triple >> 18) & 63];
    out += kAlphabet[(triple >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(triple >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[triple & 63] : '=';
  }
  return out;
}

// Nothing may be loaded from anywhere; the only script allowed is ours, by hash, so even a
// hypothetical escaping bug could not run injected script or event handlers.
std::string content_security_policy(const std::string& script) {
  Sha256 hash;
  hash.update(script);
  return "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
         "script-src 'sha256-" + base64(hash.digest()) + "'";
}

std::string distinct(const ReportData& data, std::string RunRecord::*field) {
  std::set<std::string> values;
  for (const auto& run : data.runs) values.insert(run.record.*field);
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + (v.empty() ? std::string("(none)") : v);
  return out;
}

std::string overview(const ReportData& data) {
  std::set<std::string> models;
  long long samples = 0;
  for (const auto& run : data.runs) {
    models.insert(run.record.model);
    samples += run.samples_total;
  }
  std::string html = "<header>" + html_element("h1", data.options.title);
  html += "<p class=\"meta\">generated " + escape_html(data.generated_at) + " \xC2\xB7 " +
          format_count(static_cast<long long>(data.runs.size())) + " runs \xC2\xB7 " +
          format_count(static_cast<long long>(data.tasks.size())) + " tasks \xC2\xB7 " +
          format_count(static_cast<long long>(models.size())) + " models \xC2\xB7 " + format_count(samples) +
          " samples \xC2\xB7 harness " + escape_html(distinct(data, &RunRecord::harness_version)) + " \xC2\xB7 git " +
          escape_html(distinct(data, &RunRecord::git_revision)) + "</p>";
  html += "<nav><a href=\"#leaderboard\">Leaderboard</a><a href=\"#tasks\">Tasks</a><a href=\"#runs\">Runs</a>";
  if (data.comparison) html += "<a href=\"#compare\">Comparison</a>";
  if (!data.history.empty()) html += "<a href=\"#history\">History</a>";
  html += "<a href=\"#samples\">Samples</a><div class=\"tasks\">";
  for (size_t t = 0; t < data.tasks.size(); ++t)
    html += "<a href=\"#task-" + std::to_string(t) + "\">" + escape_html(data.tasks[t].name) + "</a>";
  return html + "</div></nav></header>";
}

}  // namespace

std::string render_html_report(const ReportData& data) {
  const std::string& script = report_script();
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta http-equiv=\"Content-Security-Policy\" content=\"" +
                     content_security_policy(script) +
                     "\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                     "<meta name=\"generator\" content=\"perseval report\">";
  html += html_element("title", data.options.title) + "<style>" + kStyle + "</style></head><body>";
  html += overview(data);
  html += render_leaderboard_section(data);
  html += render_compare_section(data);
  html += render_task_sections(data);
  html += render_history_section(data);
  html += render_runs_section(data);
  html += render_samples_section(data);
  html += "<script>" + script + "</script></body></html>\n";
  return html;
}

WrittenReport write_html_report(Store& store, const ReportOptions& options, const std::string& path) {
  const ReportData data = collect_report_data(store, options);
  const std::string html = render_html_report(data);
  const std::filesystem::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << html;
    out.close();
    if (!out) {
      std::filesystem::remove(temp, ec);
      throw std::runtime_error("report: cannot write '" + path + "'");
    }
  }
  std::filesystem::rename(temp, target, ec);
  if (ec) {
    const std::string reason = ec.message();
    std::filesystem::remove(temp, ec);
    throw std::runtime_error("report: cannot write '" + path + "': " + reason);
  }
  WrittenReport written;
  written.bytes = html.size();
  written.runs = data.runs.size();
  written.samples_embedded = data.samples.size();
  for (const auto& run : data.runs) written.samples_total += run.samples_total;
  return written;
}

}  // namespace perseval::report
