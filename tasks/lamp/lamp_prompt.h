// LaMP prompt construction (lamp.md §7.3, LAMP LaMP/prompts/prompts.py): the official
// per-item strings ("PPEP"), joined with ", and " and combined with the question's input.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tasks/lamp/lamp_variant.h"

namespace perseval::lamp {

enum class PromptMode {
  ppep,  // the official retrieval-augmented prompt
  none,  // the raw `input`, no profile (non-personalised baseline)
};

enum class TruncateMode {
  none,   // whole items
  words,  // the official allocation formula, counted in whitespace words
};

// Parameter spellings ("ppep", "words", ...) and their parsers; a parser returns false
// and leaves `out` unchanged when the name is unknown.
const char* prompt_mode_name(PromptMode mode);
const char* truncate_mode_name(TruncateMode mode);
bool parse_prompt_mode(std::string_view name, PromptMode& out);
bool parse_truncate_mode(std::string_view name, TruncateMode& out);

struct PromptOptions {
  PromptMode mode = PromptMode::ppep;
  TruncateMode truncate = TruncateMode::none;
  int budget = 512;  // truncate=words: the prompt length budget, in words
};

// One profile item rendered with the variant's template, free text given explicitly.
std::string render_item(const Variant& variant, const nlohmann::json& item,
                        std::string_view free_text);

// Joins rendered items with ", and " and combines them with `input`: LaMP-1 inserts
// ", and {joined}" right after the first "title" (input unchanged when there is none);
// the others give "{joined}{joiner}{input}". No items → `input` unchanged.
std::string combine_items(const Variant& variant, std::string_view input,
                          const std::vector<std::string>& items);

// The full prompt text for `input` with the profile items `selected` (indices into
// `profile`, in prompt order; repeats allowed). PromptMode::none returns `input`.
//
// truncate=words emulates upstream's allocation with whitespace words where upstream counts
// FlanT5 SentencePiece tokens (including the end-of-sequence token, which words do not
// have), so lengths differ from the official prompt; the mode is part of the run identity.
// Per attempt, with factor starting at 0.6:
//   room  = budget − min(words(input), int(factor·budget))
//   share = (room − 1 − 2(k−1) − words(budget_phrase)) // k   (LaMP-1: (room − 2(k−1)) // k)
//   each item: allowance = share + carried − overhead; its free text keeps `allowance` words;
//              carried += share − kept − overhead
// where overhead = words(overhead_template) (LaMP-1: 2). Where upstream's tokenizer would
// raise (a negative max_length) the factor drops by 0.1 and the attempt restarts; below 0,
// or with no items at all (upstream divides by zero), the raw input is returned.
std::string build_prompt(const Variant& variant, std::string_view input,
                         const nlohmann::json& profile, std::span<const size_t> selected,
                         const PromptOptions& options);

}  // namespace perseval::lamp
