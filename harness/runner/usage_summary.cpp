#include "harness/runner/usage_summary.h"

#include <algorithm>
#include <cmath>

#include "metrics/stats.h"

namespace perseval {
namespace {

const json* price_for(const ModelInfo& model, const json& prices) {
  if (!prices.is_object()) return nullptr;
  if (model.identity.is_object() && model.identity.contains("model") &&
      model.identity["model"].is_string()) {
    auto it = prices.find(model.identity["model"].get<std::string>());
    if (it != prices.end()) return &*it;
  }
  auto it = prices.find(model.name);
  return it == prices.end() ? nullptr : &*it;
}

}  // namespace

json usage_summary(std::span<const SampleRow> rows, const ModelInfo& model, const json& prices) {
  long long errors = 0, cache_hits = 0, attempts = 0, prompt_tokens = 0, completion_tokens = 0;
  std::vector<double> latencies;
  for (const auto& row : rows) {
    if (row.error) ++errors;
    if (row.cached) ++cache_hits;
    attempts += row.attempts;
    prompt_tokens += row.prompt_tokens;
    completion_tokens += row.completion_tokens;
    if (!row.cached && std::isfinite(row.latency_ms)) latencies.push_back(row.latency_ms);
  }
  json out{{"samples", rows.size()},
           {"errors", errors},
           {"cache_hits", cache_hits},
           {"model_calls", static_cast<long long>(rows.size()) - cache_hits},
           {"attempts", attempts},
           {"prompt_tokens", prompt_tokens},
           {"completion_tokens", completion_tokens}};
  if (!latencies.empty()) {
    out["latency_ms"] = {{"p50", metrics::percentile(latencies, 50)},
                         {"p90", metrics::percentile(latencies, 90)},
                         {"p99", metrics::percentile(latencies, 99)},
                         {"max", *std::max_element(latencies.begin(), latencies.end())},
                         {"mean", metrics::mean(latencies)}};
  }
  if (const json* price = price_for(model, prices)) {
    const double input = price->value("input_per_million", 0.0);
    const double output = price->value("output_per_million", 0.0);
    out["cost_usd"] = prompt_tokens / 1e6 * input + completion_tokens / 1e6 * output;
  }
  return out;
}

}  // namespace perseval
