// Per-run usage: tokens, cost from an optional price table, latency percentiles, attempts
// and cache hits, computed from the stored rows and kept in the run's notes.
#pragma once

#include <span>

#include "harness/core/model.h"
#include "harness/store/store.h"

namespace perseval {

// Summarises `rows` as {"samples", "errors", "cache_hits", "model_calls", "attempts",
// "prompt_tokens", "completion_tokens", "latency_ms": {"p50","p90","p99","max","mean"}
// (over samples that made a model call), "cost_usd" (only when `prices` has the model)}.
// `prices` maps a model name — the endpoint model (identity "model") or the model spec —
// to {"input_per_million": USD, "output_per_million": USD}.
json usage_summary(std::span<const SampleRow> rows, const ModelInfo& model, const json& prices);

}  // namespace perseval
