// ReferenceHints for the offline baselines (adapters/baseline): what a random,
// majority-of-profile or nearest-profile-item system may look at instead of the prompt.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "harness/core/types.h"
#include "tasks/lamp/lamp_variant.h"
#include "tasks/retrieval/bm25.h"

namespace perseval::lamp {

// Hints for one question:
//   output_kind: "label" / "rating" / "text";
//   choices: the label list (LaMP-3: "1".."5"), empty for text;
//   profile_outputs: the item's output field in profile order (LaMP-2 tag/category, LaMP-3
//     score as text, LaMP-4/5/6 title, LaMP-7 text); empty for LaMP-1, whose profile holds
//     no answers;
//   nearest_outputs: the same outputs ordered by the BM25 rank of their item for the
//     task's query (bm25.rank_all order), best first. LaMP-1: one entry, "[1]" or "[2]",
//     whichever reference's best BM25 score against the profile (title + abstract) is
//     higher; ties and empty profiles give "[1]".
// `index` must be build_profile_index(variant, profile).
ReferenceHints make_hints(const Variant& variant, std::string_view input,
                          const nlohmann::json& profile, const retrieval::Bm25Okapi& index);

}  // namespace perseval::lamp
