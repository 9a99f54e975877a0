// Offline reference systems for the leaderboard. They never see the prompt text; they read
// the ReferenceHints the task attaches to each Request (label space, the user's own profile
// outputs, and those outputs ranked by BM25 against the query).
//
//   baseline:kind=random    a uniformly random label/rating from the label space; for text
//                           tasks a random one of the user's profile outputs. Seeded by
//                           hash(run seed, sample id), so reruns are identical.
//   baseline:kind=majority  the user's most frequent profile label (ties: label-list order;
//                           no profile labels: the first label); for ratings the median of the
//                           user's profile ratings; for text the most frequent profile output
//                           (ties: profile order). Free text rarely repeats, so for text tasks
//                           this is usually the user's first profile output.
//   baseline:kind=nearest   the output of the BM25-nearest profile item (LaMP-1: the reference
//                           closer to the author's papers). Falls back to majority when the
//                           task gives no ranking.
//   baseline:kind=longest   the longest answer candidate ("longest-option"): the choice whose
//                           text (ReferenceHints::choice_texts) is longest in code points, for
//                           multiple-choice tasks such as PERSONAMEM; without choice texts the
//                           longest entry of the pool kind=random draws from. Ties: first.
//
// `latency_ms=N` (default 0) delivers each answer N ms later from a timer thread, to
// simulate a remote model (requests in flight, asynchronous completions) in tests and
// benchmarks; it changes timing only, never answers.
//
// Thread-safe: submit() computes the answer the answer at once and, without latency_ms, calls back before returning.
#pragma once

#include <memory>
#include <string>

#include "harness/core/model.h"
#include "harness/core/spec.h"

namespace perseval {

// Which reference system a baseline model runs.
enum class BaselineKind { random, majority, nearest, longest };

// Creates `baseline:kind=...`. Throws InputError for an unknown kind or parameter.
std::unique_ptr<Model> make_baseline_model(const Spec& spec);

// The baseline's answer for a set of hints; exposed for tests. `seed` drives kind=random.
std::string baseline_answer(BaselineKind kind, const ReferenceHints& hints, uint64_t seed);

}  // namespace perseval
