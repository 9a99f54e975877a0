// The sections of the HTML report. Each function renders one <section> from ReportData
// alone (no store access) and escapes every piece of data it prints; the page skeleton in
// html_report.cpp puts them together. A new section (e.g. checkpoint comparison) is a new
// function here and one line in html_report.cpp.
#pragma once

#include <string>

#include "reports/report_data.h"

namespace perseval::report {

// Tasks x models: primary metric, 95% interval, rank, n and errors per cell
// (section_leaderboard.cpp).
std::string render_leaderboard_section(const ReportData& data);

// One block per task: a bar chart of the primary metric per run, the stored slices as
// tables (plus a line chart when a slice's values are all numbers) and the worst users when
// a "user" slice exists (section_tasks.cpp).
std::string render_task_sections(const ReportData& data);

// Each task's primary metric over every finished run in the database, one line per model
// (the nightly history); empty when no model has two runs of a task (section_history.cpp).
std::string render_history_section(const ReportData& data);

// The checkpoint comparison of options.compare_a / compare_b, per task and metric: A, B,
// the paired difference with its interval, test, p (raw and Holm), flips and the biggest
// improvements/regressions; empty without a comparison (section_compare.cpp).
std::string render_compare_section(const ReportData& data);

// Per run: configuration, provenance, status, timings and the usage notes (tokens, cost,
// latency percentiles, errors), then every whole-run metric (section_runs.cpp).
std::string render_runs_section(const ReportData& data);

// The sample browser: notices about capped runs and cut texts, the filter controls, an
// empty table filled by the page script, and the samples as a JSON data block
// (section_samples.cpp).
std::string render_samples_section(const ReportData& data);

// The page's only script: the sample browser. It renders data with textContent only, sets
// <body data-report-ready="1"> when done and records uncaught errors in
// <body data-report-error="..."> (report_script.cpp).
const std::string& report_script();

}  // namespace perseval::report
