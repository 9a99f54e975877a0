// Which part of a shared conversation a question sees (personamem.md §3, §7 controls).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "tasks/personamem/personamem_options.h"

namespace perseval::personamem {

// Number of Unicode code points in UTF-8 `text` (an invalid byte counts as one).
long long count_characters(std::string_view text);

// The history of one question from the conversation's message array:
// - ContextMode::none: empty;
// - ContextMode::full: messages[:end_index] (Python slicing; an end beyond the conversation
//   keeps all of it), then, with budget > 0, only its most recent messages whose contents
//   total at most `budget` characters. The kept messages are a contiguous suffix: the walk
//   from the newest message stops at the first one that no longer fits, so a single newest
//   message longer than the budget leaves no history. Message boundaries are never split.
// Precondition: end_index >= 0 (rows with a negative end index are skipped by the loader).
nlohmann::json select_history(const nlohmann::json& messages, long long end_index, ContextMode mode,
                              long long budget);

}  // namespace perseval::personamem
