#include <catch2/catch.hpp>

#include "harness/runner/usage_summary.h"

using namespace perseval;

TEST_CASE("usage summary: tokens, cost, latency percentiles over real calls", "[usage]") {
  std::vector<SampleRow> rows(4);
  const double latencies[] = {100, 200, 300, 9999};
  for (int i = 0; i < 4; ++i) {
    rows[i].latency_ms = latencies[i];
    rows[i].prompt_tokens = 1000;
    rows[i].completion_tokens = 10;
    rows[i].attempts = 1;
  }
  rows[3].cached = true;  // its latency is not a model call's
  rows[3].attempts = 0;
  rows[2].error = "HTTP 503";
  rows[2].attempts = 6;
  const ModelInfo model{"openai:model=m", "openai", json{{"model", "m"}}};
  const json prices{{"m", {{"input_per_million", 2.0}, {"output_per_million", 10.0}}}};
  const json u = usage_summary(rows, model, prices);
  CHECK(u["samples"] == 4);
  CHECK(u["errors"] == 1);
  CHECK(u["cache_hits"] == 1);
  CHECK(u["model_calls"] == 3);
  CHECK(u["attempts"] == 8);
  CHECK(u["prompt_tokens"] == 4000);
  CHECK(u["completion_tokens"] == 40);
  CHECK(u["latency_ms"]["p50"].get<double>() == Approx(200));
  CHECK(u["latency_ms"]["max"].get<double>() == Approx(300));
  CHECK(u["latency_ms"]["p90"].get<double>() == Approx(280));  // numpy linear interpolation
  CHECK(u["cost_usd"].get<double>() == Approx(4000 / 1e6 * 2.0 + 40 / 1e6 * 10.0));
  CHECK_FALSE(usage_summary(rows, model, json::object()).contains("cost_usd"));
}
