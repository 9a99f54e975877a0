// Small inline SVG charts for the HTML report: no script, no external resource, every label
// escaped. The returned markup is an <svg> element ready to paste into an HTML body.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace perseval::report {

// One horizontal bar: a value with an optional 95% interval drawn as an error bar.
struct ChartBar {
  std::string label;  // untrusted text; escaped by the renderer
  double value = 0.0;
  std::optional<double> low, high;
};

struct BarChartOptions {
  std::string title;        // shown above the bars (escaped)
  std::string value_label;  // axis caption, e.g. "accuracy (higher is better)"
  int width = 720;
};

// Horizontal bars in the given order, from zero to each value, with a whisker from low to
// high when both are set. A non-finite value gets an empty row marked "n/a". An empty span
// gives a small chart saying "no data".
std::string render_bar_chart(std::span<const ChartBar> bars, const BarChartOptions& options);

// One point of a line chart, with an optional interval drawn as a vertical error bar.
struct ChartPoint {
  double x = 0.0;
  double y = 0.0;
  std::optional<double> low, high;
};

// One line: a named series of points (drawn sorted by x; non-finite points are skipped).
struct ChartSeries {
  std::string name;  // untrusted text; escaped by the renderer
  std::vector<ChartPoint> points;
};

struct LineChartOptions {
  std::string title;
  std::string x_label;
  std::string y_label;
  int width = 720;
  int height = 340;
};

// Points joined by lines, one colour per series, with a legend. The x axis is logarithmic
// when every x is positive and they span at least two orders of magnitude; ticks sit at the
// data's x values when there are at most 12 of them.
std::string render_line_chart(std::span<const ChartSeries> series, const LineChartOptions& options);

// About `target` round tick values (steps of 1, 2 or 5 times a power of ten) covering
// [low, high]: the first tick is <= low and the last >= high. low == high gets a unit range
// around the value; non-finite input gives {0, 1}.
std::vector<double> nice_ticks(double low, double high, int target = 5);

}  // namespace perseval::report
