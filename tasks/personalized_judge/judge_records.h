// The recorded-judgement files of the Personalized-Judge study (personalized_judge.md §8):
// JSON Lines, one judged test case per line, with the judge's upstream-extracted answer and
// certainty and the gold label. Fields are read by name, in any order.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "harness/core/types.h"

namespace perseval::personalized_judge {

// Which upstream task a record comes from, decided by its fields: `article` → ec;
// `question` + `asst_A` + `asst_B` → prism; `res` or `similar_*` → ap; else other.
enum class RecordKind { prism, ec, ap, other };
std::string kind_name(RecordKind kind);

// One record. Optional fields are empty when absent.
struct JudgeRecord {
  long long line = 0;          // physical, 1-based
  std::string answer;          // official-rule answer: "A", "B", "C" or junk ("N", "[")
  std::string certainty;       // official-rule certainty as text, "NA" when none
  bool acc = false;            // answer == ground_truth, as recorded
  std::string ground_truth;    // "A", "B" or "C"
  std::string prompt;          // the prompt as sent (ends with "[[")
  std::string user_info;
  std::optional<std::string> question, asst_a, asst_b, article, res, conversation_type;
  RecordKind kind = RecordKind::other;
};

// Streams the records of `path` into `on_record` (false stops). Throws InputError naming the
// file, line and field for a line that is not a JSON object, or lacks `answer`, `certainty`,
// `acc` or `ground_truth`, or has one of the wrong type (`certainty` may also be an integer;
// `acc` must be a boolean), or a `ground_truth` other than A, B or C.
void read_judge_records(const std::string& path,
                        const std::function<bool(JudgeRecord&&)>& on_record);

}  // namespace perseval::personalized_judge
