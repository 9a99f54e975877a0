// PersonaFeedback scoring beyond the shared pairwise piece: the macro average over track ×
// tier cells, and the reward-model mode (personafeedback.md §4.4, §5).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/types.h"

namespace perseval::personafeedback {

// Unweighted mean of per-cell accuracy (slices["cell"], e.g. "specific/hard"; a failed call
// counts wrong) over the cells present: over the six cells for a whole run, the per-track
// mean over tiers inside a `track` slice. n = cells. Empty input: nothing.
std::vector<MetricValue> macro_tiers(std::span<const ScoredSample> samples, const char* value_key);

// A reward model's reply: the whole reply, trimmed, is one number ("0.73", "-1e2"); anything
// else is unparsed. Values: reward (when parsed), unparsed, failed, is_chosen.
Scores score_reward_reply(std::string_view reply, bool is_chosen, bool failed);

// Pairs "<id>#chosen" with "<id>#reject" and scores each item: correct when the chosen
// response got the strictly higher reward; an exact tie, a missing side, an unparsed or failed
// reply count as wrong and are counted. Metrics (n = items): accuracy (Wilson), n_ties,
// n_unparsed, n_errors, n_incomplete, accuracy_macro_tiers. Per-item cells come from the
// chosen sample's slices.
std::vector<MetricValue> aggregate_reward(std::span<const ScoredSample> samples);

// The names aggregate_reward produces.
std::vector<std::string> reward_metric_names();

}  // namespace perseval::personafeedback
