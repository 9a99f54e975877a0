#include "tasks/personamem/personamem_official_scorer.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <unordered_map>

#include "harness/core/errors.h"
#include "harness/core/spec.h"
#include "tasks/personamem/answer_extraction.h"
#include "tasks/personamem/line_error.h"
#include "tasks/personamem/personamem_options.h"
#include "tasks/personamem/questions_csv.h"

namespace perseval::personamem {

using json = nlohmann::json;

namespace {

struct Question {
  std::string raw_type;
  std::string correct_answer;
  bool answered = false;
  long long pred_line = 0;
};

struct QuestionTable {
  std::unordered_map<std::string, Question> by_id;
  bool has_32k_label = false;
  bool has_1m_label = false;
  long long rows = 0;
};

QuestionTable read_questions(const std::string& path) {
  QuestionsCsv csv(path);
  QuestionTable table;
  std::unordered_map<std::string, long long> lines;
  QuestionRow row;
  while (csv.next(row)) {
    ++table.rows;
    const std::string id = row.get("question_id");
    auto fail = [&](const std::string& field, const std::string& problem) {
      throw InputError(line_error(path, row.line, id, field, problem));
    };
    if (id.empty()) fail("question_id", "empty");
    const auto [first, inserted] = lines.emplace(id, row.line);
    if (!inserted)
      fail("question_id", "repeated; first used on line " + std::to_string(first->second));
    Question q{row.get("question_type"), row.get("correct_answer")};
    if (gold_letter(q.correct_answer).empty())
      fail("correct_answer", "expected (a), (b), (c) or (d), found \"" + q.correct_answer + "\"");
    table.has_32k_label = table.has_32k_label || is_32k_only_label(q.raw_type);
    table.has_1m_label = table.has_1m_label || q.raw_type == "track_full_preference_updates";
    table.by_id.emplace(id, std::move(q));
  }
  return table;
}

void add(AccuracyCell& cell, bool correct) {
  ++cell.n;
  if (correct) ++cell.correct;
}

// An empty group has no accuracy (upstream's mean would be NaN): null.
json accuracy_json(const AccuracyCell& cell) {
  return cell.n > 0 ? json(cell.accuracy()) : json(nullptr);
}

json cell_json(const AccuracyCell& cell) {
  return {{"n", cell.n}, {"accuracy", accuracy_json(cell)}};
}

}  // namespace

OfficialScores score_prediction_files(const std::string& questions_path,
                                      const std::string& preds_path,
                                      const std::optional<std::string>& size, TypeMap map) {
  QuestionTable questions = read_questions(questions_path);
  OfficialScores out;
  out.n_questions = questions.rows;
  out.size = size                      ? *size
             : questions.has_32k_label ? "32k"
             : questions.has_1m_label  ? "1M"
                                       : "128k";

  std::ifstream in(preds_path, std::ios::binary);
  if (!in) throw InputError(line_error(preds_path, 0, "", "", "cannot be read"));
  std::string text;
  long long line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank line
    auto fail = [&](const std::string& id, const std::string& field, const std::string& problem) {
      throw InputError(line_error(preds_path, line, id, field, problem));
    };
    json record;
    try {
      record = json::parse(text);
    } catch (const json::parse_error& e) {
      fail("", "", "invalid JSON at byte " + std::to_string(e.byte));
    } catch (const json::out_of_range& e) {  // a number beyond double's range
      fail("", "", std::string("invalid JSON: ") + e.what());
    }
    if (!record.is_object())
      fail("", "",
           std::string("expected an object {\"question_id\", \"response\"}, found ") +
               record.type_name());
    const auto id_it = record.find("question_id");
    if (id_it == record.end()) fail("", "question_id", "missing");
    if (!id_it->is_string())
      fail("", "question_id", std::string("expected a string, found ") + id_it->type_name());
    const std::string id = id_it->get<std::string>();
    const auto response = record.find("response");
    if (response == record.end()) fail(id, "response", "missing");
    if (!response->is_string() && !response->is_null())
      fail(id, "response",
           std::string("expected a string (or null for a failed call), found ") +
               response->type_name());
    const auto q = questions.by_id.find(id);
    if (q == questions.by_id.end()) fail(id, "question_id", "not a question of " + questions_path);
    if (q->second.answered)
      fail(id, "question_id",
           "repeated; first answered on line " + std::to_string(q->second.pred_line));
    q->second.answered = true;
    q->second.pred_line = line;
    if (response->is_null()) {
      ++out.n_null_responses;
      continue;
    }
    const bool correct =
        extract_answer(response->get_ref<const std::string&>(), q->second.correct_answer).correct;
    const std::string& raw = q->second.raw_type;
    add(out.overall, correct);
    add(out.by_raw_type[raw], correct);
    add(out.by_type[canonical_type(out.size, raw, map).value_or(raw)], correct);
  }
  if (in.bad()) throw InputError(line_error(preds_path, line, "", "", "read error"));
  for (const auto& [id, q] : questions.by_id)
    if (!q.answered) ++out.n_without_prediction;
  return out;
}

json official_json(const OfficialScores& scores) {
  json by_raw = json::object();
  for (const auto& [label, cell] : scores.by_raw_type) by_raw[label] = cell_json(cell);
  json by_type = json::object();
  for (const auto& [label, cell] : scores.by_type) by_type[label] = cell_json(cell);
  return {{"accuracy", accuracy_json(scores.overall)},
          {"n", scores.overall.n},
          {"by_raw_type", by_raw},
          {"by_type", by_type}};
}

namespace {

std::string number_text(const AccuracyCell& cell) {
  if (cell.n == 0) return "null";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", cell.accuracy());
  return buf;
}

std::string table_text(const char* title, const std::map<std::string, AccuracyCell>& cells) {
  size_t width = 0;
  for (const auto& [label, cell] : cells) width = std::max(width, label.size());
  std::string out = std::string(title) + "\n";
  for (const auto& [label, cell] : cells)
    out += "  " + label + std::string(width - label.size() + 2, ' ') +
           "n=" + std::to_string(cell.n) + "  accuracy=" + number_text(cell) + "\n";
  return out;
}

}  // namespace

std::string official_text(const OfficialScores& scores) {
  std::string out = "accuracy    " + number_text(scores.overall) + "\n";
  out += "n           " + std::to_string(scores.overall.n) + "\n";
  return out + table_text("by_raw_type", scores.by_raw_type) +
         table_text("by_type", scores.by_type);
}

std::string run_score_command(const std::string& task_spec, const std::string& questions_path,
                              const std::string& preds_path, bool as_json, std::string& notes) {
  Spec spec;
  try {
    spec = Spec::parse(task_spec);
  } catch (const std::invalid_argument& e) {
    throw InputError("score: bad task spec '" + task_spec + "': " + e.what());
  }
  for (const auto& [key, value] : spec.params)
    if (key != "size" && key != "type_map")
      throw InputError("score " + task_spec + ": parameter '" + key +
                       "' does not apply to scoring (accepted: size, type_map)");
  const PersonamemOptions options = parse_personamem_options(spec);
  const auto scores = score_prediction_files(
      questions_path, preds_path,
      spec.find("size") ? std::optional<std::string>(options.size) : std::nullopt,
      options.type_map);
  notes.clear();
  if (scores.n_without_prediction > 0)
    notes += std::to_string(scores.n_without_prediction) + " of " +
             std::to_string(scores.n_questions) +
             " questions have no prediction and are left out, as upstream leaves failed calls "
             "out\n";
  if (scores.n_null_responses > 0)
    notes += std::to_string(scores.n_null_responses) +
             " predictions have a null response (failed calls) and are left out\n";
  notes += "question types read with the size=" + scores.size + " table\n";
  return as_json ? official_json(scores).dump(2) + "\n" : official_text(scores);
}

}  // namespace perseval::personamem
