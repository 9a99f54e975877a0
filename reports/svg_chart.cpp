#include "reports/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "reports/html_escape.h"

namespace perseval::report {
namespace {

// Colour-blind-friendly palette (Okabe–Ito), cycled over series.
constexpr const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                    "#CC79A7", "#56B4E9", "#F0E442", "#000000"};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string tick_text(double v) {
  if (!std::isfinite(v)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", std::fabs(v) < 1e-12 ? 0.0 : v);
  return buf;
}

// A label cut to `max_chars` code points with "…" appended; the full text goes into a
// <title> child so it shows on hover.
std::string svg_label(const std::string& text, size_t max_chars) {
  const TruncatedText cut = truncate_text(text, max_chars);
  return escape_html(cut.text) + (cut.truncated ? "\xE2\x80\xA6" : "");
}

std::string text_element(double x, double y, const std::string& escaped, const char* anchor,
                         const char* css_class = "lbl") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor +
         "\" class=\"" + css_class + "\">" + escaped + "</text>";
}

std::string line_element(double x1, double y1, double x2, double y2, const char* stroke,
                         double width = 1.0) {
  return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" +
         num(y2) + "\" stroke=\"" + stroke + "\" stroke-width=\"" + num(width) + "\"/>";
}

std::string svg_open(int width, int height, const std::string& title) {
  return "<svg class=\"chart\" width=\"" + std::to_string(width) + "\" height=\"" +
         std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " +
         std::to_string(height) + "\" role=\"img\" aria-label=\"" + escape_html(title) +
         "\"><title>" + escape_html(title) + "</title>";
}

// Maps a data range onto a pixel range.
struct Scale {
  double d0, d1, p0, p1;
  bool log = false;
  double operator()(double v) const {
    const double a = log ? std::log10(d0) : d0, b = log ? std::log10(d1) : d1;
    const double x = log ? std::log10(v) : v;
    return b == a ? (p0 + p1) / 2 : p0 + (x - a) / (b - a) * (p1 - p0);
  }
};

// "0.75 [0.5, 1]": a value with its interval, unescaped.
std::string value_text(double value, const std::optional<double>& low, const std::optional<double>& high) {
  std::string t = tick_text(value);
  if (low && high) t += " [" + tick_text(*low) + ", " + tick_text(*high) + "]";
  return t;
}

}  // namespace

std::vector<double> nice_ticks(double low, double high, int target) {
  if (!std::isfinite(low) || !std::isfinite(high)) return {0.0, 1.0};
  if (low > high) std::swap(low, high);
  if (low == high) {
    low -= 0.5;
    high += 0.5;
  }
  const double raw = (high - low) / std::max(1, target);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * power;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  const double first = std::floor(low / step + 1e-9) * step;
  for (double t = first; ticks.empty() || ticks.back() < high - step * 1e-9; t += step) {
    ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
    if (ticks.size() > 100) break;  // cannot happen with a sane step; guards the loop
  }
  return ticks;
}

std::string render_bar_chart(std::span<const ChartBar> bars, const BarChartOptions& options) {
  const int width = std::max(options.width, 360);
  const double label_w = 220, right_w = 70, top = 28, row_h = 26, axis_h = 40;
  const int height = static_cast<int>(top + row_h * std::max<size_t>(bars.size(), 1) + axis_h);
  std::string svg = svg_open(width, height, options.title);
  svg += text_element(4, 16, escape_html(options.title), "start", "ttl");
  if (bars.empty()) return svg + text_element(width / 2.0, top + 18, "no data", "middle") + "</svg>";

  double lo = 0, hi = 0;
  for (const auto& b : bars) {
    for (auto v : {std::optional<double>(b.value), b.low, b.high}) {
      if (!v || !std::isfinite(*v)) continue;
      lo = std::min(lo, *v);
      hi = std::max(hi, *v);
    }
  }
  const std::vector<double> ticks = nice_ticks(lo, hi == lo ? lo + 1 : hi, 5);
  const Scale x{ticks.front(), ticks.back(), label_w, width - right_w};
  const double plot_bottom = top + row_h * bars.size();

  for (double t : ticks) {
    svg += line_element(x(t), top - 4, x(t), plot_bottom, "#e3e3e3");
    svg += text_element(x(t), plot_bottom + 14, tick_text(t), "middle", "tick");
  }
  svg += text_element((label_w + width - right_w) / 2, plot_bottom + 32, escape_html(options.value_label),
                      "middle", "axis");
  for (size_t i = 0; i < bars.size(); ++i) {
    const ChartBar& b = bars[i];
    const double cy = top + row_h * i + row_h / 2;
    svg += "<g><title>" + escape_html(b.label + ": " + value_text(b.value, b.low, b.high)) + "</title>";
    svg += text_element(label_w - 8, cy + 4, svg_label(b.label, 30), "end");
    if (!std::isfinite(b.value)) {
      svg += text_element(label_w + 4, cy + 4, "n/a", "start", "tick") + "</g>";
      continue;
    }
    const double x0 = x(std::max(ticks.front(), 0.0)), x1 = x(b.value);
    svg += "<rect x=\"" + num(std::min(x0, x1)) + "\" y=\"" + num(cy - row_h * 0.34) + "\" width=\"" +
           num(std::max(std::fabs(x1 - x0), 1.0)) + "\" height=\"" + num(row_h * 0.68) + "\" fill=\"" +
           kPalette[0] + "\" fill-opacity=\"0.75\"/>";
    if (b.low && b.high && std::isfinite(*b.low) && std::isfinite(*b.high)) {
      const double l = x(*b.low), h = x(*b.high);
      svg += line_element(l, cy, h, cy, "#222", 1.5);
      svg += line_element(l, cy - 6, l, cy + 6, "#222", 1.5);
      svg += line_element(h, cy - 6, h, cy + 6, "#222", 1.5);
    }
    svg += text_element(width - right_w + 6, cy + 4, escape_html(tick_text(std::round(b.value * 1000) / 1000)),
                        "start", "val");
    svg += "</g>";
  }
  return svg + "</svg>";
}

std::string render_line_chart(std::span<const ChartSeries> series, const LineChartOptions& options) {
  const int width = std::max(options.width, 360), height = std::max(options.height, 200);
  const double left = 60, right = 170, top = 30, bottom = 50;
  std::string svg = svg_open(width, height, options.title);
  svg += text_element(4, 16, escape_html(options.title), "start", "ttl");

  std::set<double> xs;
  double y_lo = INFINITY, y_hi = -INFINITY;
  for (const auto& s : series) {
    for (const auto& p : s.points) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
      xs.insert(p.x);
      for (auto v : {std::optional<double>(p.y), p.low, p.high}) {
        if (!v || !std::isfinite(*v)) continue;
        y_lo = std::min(y_lo, *v);
        y_hi = std::max(y_hi, *v);
      }
    }
  }
  if (xs.empty()) return svg + text_element(width / 2.0, height / 2.0, "no data", "middle") + "</svg>";

  const bool log_x = *xs.begin() > 0 && *xs.rbegin() / *xs.begin() >= 100;
  std::vector<double> x_ticks(xs.begin(), xs.end());
  if (x_ticks.size() > 12) x_ticks = log_x ? std::vector<double>{} : nice_ticks(*xs.begin(), *xs.rbegin(), 6);
  if (log_x && x_ticks.empty())
    for (double p = std::floor(std::log10(*xs.begin())); p <= std::ceil(std::log10(*xs.rbegin())); ++p)
      x_ticks.push_back(std::pow(10.0, p));
  double x0 = std::min(*xs.begin(), x_ticks.front()), x1 = std::max(*xs.rbegin(), x_ticks.back());
  if (x0 == x1) x0 -= 1, x1 += 1;
  const double pad = 12;
  const Scale x{x0, x1, left + pad, width - right - pad, log_x};
  const std::vector<double> y_ticks = nice_ticks(y_lo, y_hi, 5);
  const Scale y{y_ticks.front(), y_ticks.back(), height - bottom, top};

  for (double t : y_ticks) {
    svg += line_element(left, y(t), width - right, y(t), "#e3e3e3");
    svg += text_element(left - 6, y(t) + 4, tick_text(t), "end", "tick");
  }
  for (double t : x_ticks) {
    if (t < x0 || t > x1) continue;
    svg += line_element(x(t), height - bottom, x(t), height - bottom + 5, "#888");
    svg += text_element(x(t), height - bottom + 18, tick_text(t), "middle", "tick");
  }
  svg += line_element(left, height - bottom, width - right, height - bottom, "#888");
  svg += line_element(left, top, left, height - bottom, "#888");
  svg += text_element((left + width - right) / 2, height - 12,
                      escape_html(options.x_label + (log_x ? " (log scale)" : "")), "middle", "axis");
  svg += "<text transform=\"translate(14," + num((top + height - bottom) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\" class=\"axis\">" + escape_html(options.y_label) + "</text>";

  for (size_t i = 0; i < series.size(); ++i) {
    const char* colour = kPalette[i % 8];
    std::vector<ChartPoint> points;
    for (const auto& p : series[i].points)
      if (std::isfinite(p.x) && std::isfinite(p.y)) points.push_back(p);
    std::sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.x < b.x; });
    svg += "<g>";
    if (points.size() > 1) {
      svg += "<polyline fill=\"none\" stroke=\"" + std::string(colour) + "\" stroke-width=\"2\" points=\"";
      for (const auto& p : points) svg += num(x(p.x)) + "," + num(y(p.y)) + " ";
      svg += "\"/>";
    }
    for (const auto& p : points) {
      const double px = x(p.x) + (static_cast<double>(i) - (series.size() - 1) / 2.0) * 3;  // dodge
      if (p.low && p.high && std::isfinite(*p.low) && std::isfinite(*p.high)) {
        svg += line_element(px, y(*p.low), px, y(*p.high), colour, 1.2);
        svg += line_element(px - 4, y(*p.low), px + 4, y(*p.low), colour, 1.2);
        svg += line_element(px - 4, y(*p.high), px + 4, y(*p.high), colour, 1.2);
      }
      svg += "<circle cx=\"" + num(px) + "\" cy=\"" + num(y(p.y)) + "\" r=\"3.5\" fill=\"" + colour +
             "\"><title>" + escape_html(series[i].name + " @ " + tick_text(p.x) + ": " + value_text(p.y, p.low, p.high)) +
             "</title></circle>";
    }
    const double ly = top + 6 + 18 * i;
    svg += line_element(width - right + 12, ly, width - right + 30, ly, colour, 3);
    svg += "<text x=\"" + num(width - right + 36) + "\" y=\"" + num(ly + 4) + "\" class=\"lbl\"><title>" +
           escape_html(series[i].name) + "</title>" + svg_label(series[i].name, 20) + "</text>";
    svg += "</g>";
  }
  return svg + "</svg>";
}

}  // namespace perseval::report
