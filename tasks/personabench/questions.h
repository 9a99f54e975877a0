// Reading PersonaBench's question files: eval_info_all.json and
// qa_gt_context_all_noise_{X}.json (personabench.md §2.1, §2.2).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tasks/personabench/answer_scoring.h"
#include "tasks/personabench/python_format.h"

namespace perseval::personabench {

// One question of one person, validated.
struct Question {
  std::string q_id;
  std::string question;
  std::string type;
  std::string difficulty;
  std::string category;        // category_of(type, difficulty); "" for Subjective
  ordered_json answer;         // string, integer, boolean or list (checked)
  ordered_json outdated_value; // null, or like answer
  GtItems gt;                  // filled from the qa_gt_context file
};

// One {Name, Eval_Info: {qa: [...]}} record.
struct Person {
  std::string name;
  long long record = 0;  // index in eval_info_all.json
  std::vector<Question> questions;
};

// Reads eval_info_all.json. Throws InputError "FILE: record N (id=NAME): qa[I] (q_id=Q):
// field 'answer': ..." on a malformed record: missing or mistyped q_id, question, type,
// difficulty; an answer or outdated_value the official scorer cannot read (float, object,
// null answer).
std::vector<Person> read_eval_info(const std::string& path);

// Reads qa_gt_context_all_noise_{X}.json into q_id → items (a repeated q_id keeps the last
// record, as the official dict lookup does). Throws InputError naming the file, the record
// and the field on a malformed record.
std::map<std::string, GtItems> read_gt_context(const std::string& path);

}  // namespace perseval::personabench
