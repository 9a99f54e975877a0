// Turning one questions-CSV row into a Sample (personamem.md §2, §4, §7 slices). Pure: the
// caller supplies the already selected history.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/types.h"
#include "tasks/personamem/question_types.h"
#include "tasks/personamem/questions_csv.h"

namespace perseval::personamem {

// What a row says once checked.
struct RowFacts {
  std::string question_id;
  long long end_index = 0;  // may be negative (a known 128k defect; the loader skips it)
  std::string gold;         // "a".."d"
  std::vector<std::string> option_texts;  // parsed all_options, each without its "(x) " label
  bool options_labelled = true;           // every element started with its positional "(a)".."(d)"
  bool four_options = true;
};

// Checks the cells perseval relies on. Throws InputError "FILE:LINE: question_id=ID: field
// NAME: PROBLEM" for an empty question_id or shared_context_id, an end index that is not an
// integer, a correct_answer that is not (a)-(d), or an all_options cell that is not a list
// of strings (with the character where reading failed). Other columns are kept as they are.
RowFacts check_row(const QuestionRow& row, const std::string& file);

// Python int() for a CSV cell: surrounding whitespace, a sign, digits with single
// underscores between them. nullopt otherwise (or on overflow).
std::optional<long long> parse_python_int(std::string_view text);

// The slice label of a token count: "<8k", "8k-16k", "16k-32k", ... "512k-1M", ">=1M"
// (k = 1000, powers of two from 8k), or "unknown" when not an integer.
std::string context_tokens_bucket(std::string_view tokens_cell);

// The sample of a checked row:
//   id = question_id, user_id = persona_id;
//   input = {"row": every column as text, "options": option texts, "context": history};
//   target = {"correct_answer": raw cell, "letter": gold};
//   slices = {size, type (canonical slug, or the raw label when unknown), raw_type, topic,
//             distance_sessions (distance_to_ref_in_blocks as written), context_tokens
//             (bucket), persona, and stereotypical when the file has that column}.
Sample make_sample(const QuestionRow& row, const RowFacts& facts, const std::string& size,
                   TypeMap map, nlohmann::json history);

}  // namespace perseval::personamem
