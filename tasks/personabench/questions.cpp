#include "tasks/personabench/questions.h"

#include <stdexcept>

#include "harness/core/errors.h"
#include "tasks/personabench/documents.h"

namespace perseval::personabench {
namespace {

// Validates one qa object; `fail` receives the problem text.
template <typename Fail>
Question read_question(const ordered_json& qa, const std::string& where, const Fail& fail) {
  if (!qa.is_object()) fail(where + ": expected an object");
  Question q;
  const auto text_field = [&](const char* key, std::string& out) {
    const auto it = qa.find(key);
    if (it == qa.end() || !it->is_string())
      fail(where + (q.q_id.empty() ? "" : " (q_id=" + q.q_id + ")") + ": field '" + key +
           "' missing or not a string");
    out = it->template get<std::string>();
  };
  text_field("q_id", q.q_id);
  text_field("question", q.question);
  text_field("type", q.type);
  text_field("difficulty", q.difficulty);
  const std::string here = where + " (q_id=" + q.q_id + ")";
  if (!qa.contains("answer")) fail(here + ": field 'answer' missing");
  q.answer = qa["answer"];
  q.outdated_value = qa.contains("outdated_value") ? qa["outdated_value"] : ordered_json();
  try {
    gold_words(q.answer, AnswerMode::official);
  } catch (const std::invalid_argument& e) {
    fail(here + ": field 'answer': " + e.what());
  }
  try {
    if (!q.outdated_value.is_null()) gold_words(q.outdated_value, AnswerMode::official);
  } catch (const std::invalid_argument& e) {
    fail(here + ": field 'outdated_value': " + e.what());
  }
  q.category = category_of(q.type, q.difficulty);
  return q;
}

}  // namespace

std::vector<Person> read_eval_info(const std::string& path) {
  const ordered_json root = read_json_file(path);
  if (!root.is_array())
    throw InputError(input_error_message(path, -1, "", "expected an array of {\"Name\", \"Eval_Info\"} records"));
  std::vector<Person> people;
  for (std::size_t r = 0; r < root.size(); ++r) {
    const auto& rec = root[r];
    Person p;
    p.record = static_cast<long long>(r);
    const auto fail = [&](const std::string& problem) {
      throw InputError(input_error_message(path, p.record, p.name, problem));
    };
    if (!rec.is_object() || !rec.contains("Name") || !rec["Name"].is_string())
      fail("field 'Name' missing or not a string");
    p.name = rec["Name"].get<std::string>();
    if (!rec.contains("Eval_Info") || !rec["Eval_Info"].is_object() ||
        !rec["Eval_Info"].contains("qa") || !rec["Eval_Info"]["qa"].is_array())
      fail("field 'Eval_Info.qa' missing or not an array");
    const auto& qa = rec["Eval_Info"]["qa"];
    for (std::size_t i = 0; i < qa.size(); ++i)
      p.questions.push_back(read_question(qa[i], "Eval_Info.qa[" + std::to_string(i) + "]", fail));
    people.push_back(std::move(p));
  }
  return people;
}

std::map<std::string, GtItems> read_gt_context(const std::string& path) {
  const ordered_json root = read_json_file(path);
  if (!root.is_array())
    throw InputError(input_error_message(path, -1, "", "expected an array of {\"q_id\", \"segment_id\"} records"));
  std::map<std::string, GtItems> out;
  for (std::size_t r = 0; r < root.size(); ++r) {
    const auto& rec = root[r];
    const long long record = static_cast<long long>(r);
    if (!rec.is_object() || !rec.contains("q_id") || !rec["q_id"].is_string())
      throw InputError(input_error_message(path, record, "", "field 'q_id' missing or not a string"));
    const std::string q_id = rec["q_id"].get<std::string>();
    if (!rec.contains("segment_id"))
      throw InputError(input_error_message(path, record, q_id, "field 'segment_id' missing"));
    try {
      // A repeated q_id keeps the last record, as the official dict lookup does.
      out[q_id] = parse_gt_items(rec["segment_id"]);
    } catch (const std::invalid_argument& e) {
      throw InputError(input_error_message(path, record, q_id, std::string("field ") + e.what()));
    }
  }
  return out;
}

}  // namespace perseval::personabench
