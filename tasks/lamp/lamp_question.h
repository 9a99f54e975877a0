// Checking one LaMP question object against its variant's schema (lamp.md §3.1, §3.2).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tasks/lamp/lamp_variant.h"

namespace perseval::lamp {

// What a question must carry beyond the shared schema.
struct QuestionRules {
  bool require_user_id = false;  // time-based files
  bool require_dates = false;    // recency retrieval
};

// Returns nullopt when `question` is a valid question of `variant`, else a one-line problem
// naming the field and the expected type, e.g. `profile[3]: missing field "abstract"
// (expected string)`. Checks: string `id`, string `input`, array `profile` of objects with
// the variant's fields (strings; LaMP-3 `score` may be a number), a `date` that is an
// integer or dash-separated integer string where present (required with require_dates), and
// a string or integer `user_id` when required.
std::optional<std::string> question_problem(const Variant& variant,
                                            const nlohmann::json& question,
                                            const QuestionRules& rules);

// The question's id when it is a string, else "" (for error messages).
std::string question_id(const nlohmann::json& question);

}  // namespace perseval::lamp
