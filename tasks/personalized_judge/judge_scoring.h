// Scoring one judge reply of the Personalized-Judge protocol and aggregating a run: perseval's
// strict reading (personalized_judge.md §6.1, primary) next to the upstream rules (§4/§5, for
// comparison with the paper), with verbal certainty parsed separately from the verdict.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/types.h"
#include "tasks/pairwise/choice_extraction.h"
#include "tasks/pairwise/pair_layout.h"

namespace perseval::personalized_judge {

// How a reply to one prompt is read.
struct ReadingRules {
  bool open_bracket = true;     // the prompt ends with "[[" (every upstream prompt does)
  bool allow_tie = false;       // "[[C]]" is a valid answer
  bool want_certainty = true;   // the prompt asks for "[[N]]", 1..100
};

// The rules a prompt text implies: open bracket when it ends with "[[", a tie when it offers
// "[[C]]", a certainty when it mentions a "certainty level". Used for recorded prompts.
ReadingRules rules_for_prompt(std::string_view prompt);

// The strict reading of recorded official fields, for recorded files without the raw reply:
// an allowed letter is an answer (C without ties: answer_not_allowed; junk: no_answer), a
// certainty text of 1–3 digits in 1..100 is a certainty ("NA": no_certainty).
pairwise::Choice choice_from_recorded(const std::string& answer, const std::string& certainty,
                                      const ReadingRules& rules);

// Per-sample values: pairwise::score_choice's (strict reading; `certainty`, `no_certainty`,
// `confidence_logprob`) plus
//   official_answer_index    0/1/2 for an upstream-rule answer A/B/C, -1 for junk or none
//   official_certainty       int(upstream certainty), 0 for "NA" (the notebook's reading)
//   official_has_certainty   1 when the upstream rule found a number
//   status_<status>          1 for a strict answer problem (no_answer, answer_not_allowed)
//   certainty_out_of_range   1 when the stated certainty is outside 1..100
// parsed_answer as score_choice. `official` overrides the upstream-rule reading (recorded
// files store it; a fresh reply is read with official_answer / official_certainty).
struct OfficialReading {
  std::string answer;     // "" when none
  std::string certainty;  // "NA" when none
};
Scores score_judge_reply(const pairwise::Choice& strict, const OfficialReading& official,
                         const pairwise::ShownPair& shown, bool failed,
                         std::optional<double> confidence_logprob = std::nullopt);

// Reads a fresh reply both ways (strict under `rules`, upstream rules) and scores it.
Scores score_reply_text(std::string_view reply, const ReadingRules& rules,
                        const pairwise::ShownPair& shown, bool failed, const json& logprobs);

struct JudgeAggregateOptions {
  bool tie = false;        // three-way answers (tie files)
  bool certainty = true;   // certainty metrics
  int high_threshold = 80;
  std::vector<int> thresholds = {60, 70, 80, 90};
};

// Names judge_aggregate can produce (strict first, then official-compatible), for TaskInfo.
std::vector<std::string> judge_metric_names(const JudgeAggregateOptions& options);

// perseval's own metrics only (everything of judge_aggregate before the official ones).
std::vector<MetricValue> strict_judge_metrics(std::span<const ScoredSample> samples, uint64_t seed,
                                              const JudgeAggregateOptions& options);

// Run metrics: accuracy_all (strict, all rows, unparsed wrong; three-way with ties) and the
// rest of pairwise::aggregate_pairwise (renamed from `accuracy`), n_no_answer,
// n_answer_not_allowed, n_certainty_out_of_range, band_<range>_n / band_<range>_acc, then
// official_metrics over the rows whose call succeeded (a failed call has no upstream row).
std::vector<MetricValue> judge_aggregate(std::span<const ScoredSample> samples, uint64_t seed,
                                         const JudgeAggregateOptions& options);

}  // namespace perseval::personalized_judge
