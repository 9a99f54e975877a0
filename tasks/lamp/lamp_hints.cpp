#include "tasks/lamp/lamp_hints.h"

#include <algorithm>

#include "tasks/lamp/lamp_query.h"
#include "tasks/retrieval/whitespace.h"

namespace perseval::lamp {

namespace {

double best_score(const retrieval::Bm25Okapi& index, const std::string& text) {
  const auto scores = index.scores(retrieval::whitespace_split(text));
  if (scores.empty()) return 0.0;
  return *std::max_element(scores.begin(), scores.end());
}

}  // namespace

ReferenceHints make_hints(const Variant& variant, std::string_view input,
                          const nlohmann::json& profile, const retrieval::Bm25Okapi& index) {
  ReferenceHints hints;
  hints.output_kind = output_kind_name(variant.kind);
  hints.choices = variant.labels;

  if (variant.output_field.empty()) {
    // LaMP-1: the profile holds the author's papers, not answers, so the "nearest" answer
    // is the reference that looks most like something the author wrote.
    const auto refs = citation_references(input);
    const bool second = index.size() > 0 && best_score(index, refs[1]) > best_score(index, refs[0]);
    hints.nearest_outputs = {second ? "[2]" : "[1]"};
    return hints;
  }

  if (profile.is_array()) {
    hints.profile_outputs.reserve(profile.size());
    for (const auto& item : profile) hints.profile_outputs.push_back(item_field(item, variant.output_field));
  }
  const auto order = index.rank_all(retrieval::whitespace_split(extract_query(variant, input)));
  hints.nearest_outputs.reserve(order.size());
  for (size_t i : order)
    if (i < hints.profile_outputs.size()) hints.nearest_outputs.push_back(hints.profile_outputs[i]);
  return hints;
}

}  // namespace perseval::lamp
