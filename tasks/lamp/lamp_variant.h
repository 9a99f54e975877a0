// The eight LaMP task variants (lamp-1 … lamp-7 plus the deprecated lamp-2-news) as data:
// task string, label list, output kind, profile field names, query rule and the official
// per-item prompt template (lamp.md §1, §3, §4, §7).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace perseval::lamp {

// What a prediction is scored as.
enum class OutputKind { label, rating, text };

// "label", "rating" or "text" (ReferenceHints::output_kind).
const char* output_kind_name(OutputKind kind);

// How the retrieval query is cut out of a question's `input` (lamp.md §7.1).
enum class QueryRule {
  quoted_references,  // LaMP-1: the 2nd and 3rd double-quoted strings, joined by a space
  after_marker,       // text after the first `marker`, stripped
};

// How the rendered items are combined with the input (lamp.md §7.3 "final prompt").
enum class PromptShape {
  insert_after_title,  // LaMP-1: ", and " + joined, right after the first "title"
  prefix,              // "{joined}{joiner}{input}"
};

// One variant. Immutable; obtained from find_variant / all_variants.
struct Variant {
  std::string name;         // perseval task name, e.g. "lamp-2-news"
  std::string task_string;  // JSON/scorer name, e.g. "LaMP_2"
  std::string directory;    // under lamp/{user|time}/, e.g. "LaMP_2/new"
  OutputKind kind = OutputKind::text;
  std::vector<std::string> labels;  // label/rating kinds; index = class id

  // Profile item fields the variant reads (besides `id` and `date`), in §3.2 order.
  std::vector<std::string> profile_fields;
  // Fields whose values, joined by one space, form an item's BM25 corpus string.
  std::vector<std::string> corpus_fields;
  // The item field that is the user's own output (hints); empty for LaMP-1.
  std::string output_field;

  QueryRule query_rule = QueryRule::after_marker;
  std::string marker;  // after_marker: the text before the query, e.g. "description:"

  // Per-item template: "{field}" placeholders; `free_field` is the one free-text field
  // that token/word budgets truncate.
  std::string item_template;
  std::string free_field;
  // The template with the free text replaced by " ", whose length upstream subtracts as the
  // per-item overhead ("needed_part_len"). Reproduced verbatim, including LaMP-5's missing
  // "for". Empty for LaMP-1, whose overhead is the constant `fixed_overhead`.
  std::string overhead_template;
  int fixed_overhead = 0;
  // A phrase whose length upstream subtracts from the budget once (LaMP-5/7); note LaMP-7
  // measures "are written by user. ..." although the prompt says "by a person".
  std::string budget_phrase;
  // LaMP-1 budgets do not subtract the 1 the other variants subtract.
  bool budget_minus_one = true;

  PromptShape shape = PromptShape::prefix;
  std::string joiner;  // prefix shape: text between the joined items and the input
};

// Every variant, in task-number order (lamp-2 movies before lamp-2-news).
const std::vector<Variant>& all_variants();

// The variant called `name` ("lamp-3"), or nullptr.
const Variant* find_variant(std::string_view name);

// Python `str(value)` for a profile field as an f-string would print it: strings as they
// are, integers in decimal, floats in shortest round-trip form ("4.0"), booleans as
// "True"/"False", null as "None".
std::string python_str(const nlohmann::json& value);

// The item's field as text (python_str), or "" when absent.
std::string item_field(const nlohmann::json& item, const std::string& field);

// Fills `tmpl`'s "{field}" placeholders from `item`; `free_text` replaces the variant's
// free field (so callers can pass a truncated version).
std::string fill_template(const std::string& tmpl, const Variant& variant,
                          const nlohmann::json& item, std::string_view free_text);

}  // namespace perseval::lamp
