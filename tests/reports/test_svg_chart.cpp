// The inline SVG charts of the HTML report.
#include <catch2/catch.hpp>

#include <cmath>

#include "reports/svg_chart.h"

using namespace perseval::report;
using Catch::Matchers::Contains;

namespace {

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("nice_ticks covers the range with round steps", "[report][svg]") {
  const auto ticks = nice_ticks(0.0, 0.87, 5);
  REQUIRE(ticks.size() >= 2);
  CHECK(ticks.front() <= 0.0);
  CHECK(ticks.back() >= 0.87);
  CHECK(ticks[1] - ticks[0] == Approx(0.2));
  const auto flat = nice_ticks(3.0, 3.0, 5);
  CHECK(flat.front() <= 3.0);
  CHECK(flat.back() >= 3.0);
  CHECK(nice_ticks(NAN, 1.0) == std::vector<double>{0.0, 1.0});
  const auto negative = nice_ticks(-2.5, 7.0, 5);
  CHECK(negative.front() <= -2.5);
  CHECK(negative.back() >= 7.0);
}

TEST_CASE("bar chart draws one bar and one error bar per item", "[report][svg]") {
  std::vector<ChartBar> bars{{"model-a", 0.8, 0.7, 0.9}, {"model-b", 0.4, std::nullopt, std::nullopt}};
  const std::string svg = render_bar_chart(bars, {"task: accuracy", "accuracy", 720});
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK_THAT(svg, Contains("</svg>"));
  CHECK(count(svg, "<rect") == 2);
  CHECK_THAT(svg, Contains("model-a"));
  CHECK_THAT(svg, Contains("0.8 [0.7, 0.9]"));  // hover title with the interval
  // One whisker (3 lines: bar and two caps) for the bar with an interval only.
  CHECK(count(svg, "stroke=\"#222\"") == 3);
  CHECK(svg.find("http") == std::string::npos);  // no namespace URL, no external reference
  CHECK(svg.find("<script") == std::string::npos);
}

TEST_CASE("bar chart escapes labels and titles and survives NaN", "[report][svg]") {
  std::vector<ChartBar> bars{{"<script>alert(1)</script>", NAN, std::nullopt, std::nullopt},
                             {"a\"b'c&d", 0.5, 0.4, 0.6}};
  const std::string svg = render_bar_chart(bars, {"<img src=x onerror=alert(1)>", "y", 720});
  CHECK(svg.find("<script>") == std::string::npos);
  CHECK(svg.find("<img") == std::string::npos);
  CHECK_THAT(svg, Contains("&lt;script&gt;"));
  CHECK_THAT(svg, Contains("a&quot;b&#39;c&amp;d"));
  CHECK_THAT(svg, Contains("n/a"));
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("inf") == std::string::npos);
}

TEST_CASE("bar chart of nothing says so", "[report][svg]") {
  const std::string svg = render_bar_chart({}, {"empty", "x", 720});
  CHECK_THAT(svg, Contains("no data"));
  CHECK(count(svg, "<rect") == 0);
}

TEST_CASE("line chart draws a line, points and error bars per series", "[report][svg]") {
  std::vector<ChartSeries> series{
      {"model-a", {{1, 0.9, 0.8, 1.0}, {2, 0.7, 0.6, 0.8}, {4, 0.5, std::nullopt, std::nullopt}}},
      {"<b>model-b</b>", {{1, 0.6, 0.5, 0.7}, {2, NAN, std::nullopt, std::nullopt}, {4, 0.3, 0.2, 0.4}}}};
  const std::string svg = render_line_chart(series, {"acc by distance", "distance", "accuracy", 720, 340});
  CHECK(count(svg, "<polyline") == 2);
  CHECK(count(svg, "<circle") == 5);  // the NaN point is skipped
  CHECK_THAT(svg, Contains("&lt;b&gt;model-b&lt;/b&gt;"));
  CHECK(svg.find("<b>") == std::string::npos);
  CHECK_THAT(svg, Contains(">distance</text>"));  // linear axis: no "(log scale)"
  CHECK(svg.find("log scale") == std::string::npos);
}

TEST_CASE("line chart uses a log axis for values spanning orders of magnitude", "[report][svg]") {
  std::vector<ChartSeries> series{{"m", {{1000, 0.9, {}, {}}, {32000, 0.7, {}, {}}, {1000000, 0.4, {}, {}}}}};
  const std::string svg = render_line_chart(series, {"by context", "context_tokens", "accuracy", 720, 340});
  CHECK_THAT(svg, Contains("context_tokens (log scale)"));
  CHECK_THAT(svg, Contains(">32000<"));  // ticks at the data's values
}

TEST_CASE("line chart of nothing says so", "[report][svg]") {
  std::vector<ChartSeries> series{{"m", {{NAN, 1.0, {}, {}}}}};
  CHECK_THAT(render_line_chart(series, {"t", "x", "y", 720, 340}), Contains("no data"));
}
