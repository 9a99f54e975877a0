// `perseval report`: one self-contained HTML file (inline CSS, inline SVG charts, one inline
// script; nothing fetched from anywhere, so it works offline from file://). Every piece of
// data is escaped; a Content-Security-Policy additionally allows only the report's own script.
#pragma once

#include <cstddef>
#include <string>

#include "reports/report_data.h"

namespace perseval::report {

// The complete page for `data`: overview, leaderboard, tasks, runs, samples.
std::string render_html_report(const ReportData& data);

// What write_html_report wrote.
struct WrittenReport {
  size_t bytes = 0;
  size_t runs = 0;
  size_t samples_embedded = 0;
  long long samples_total = 0;
};

// Collects the data from `store`, renders it and writes the page to `path` (through a
// temporary file in the same directory, renamed into place; parent directories are created).
// Throws InputError for an unknown run id and std::runtime_error naming the path when the
// file cannot be written.
WrittenReport write_html_report(Store& store, const ReportOptions& options, const std::string& path);

}  // namespace perseval::report
