// `perseval score personamem --questions Q.csv --preds P.jsonl`: the official accuracy of a
// predictions file, computed as upstream's extract_answer and result CSV would give it.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "tasks/personamem/question_types.h"

namespace perseval::personamem {

// Accuracy of one group of scored predictions.
struct AccuracyCell {
  long long n = 0;
  long long correct = 0;
  double accuracy() const {
    return n > 0 ? static_cast<double>(correct) / static_cast<double>(n) : 0.0;
  }
};

struct OfficialScores {
  AccuracyCell overall;
  std::map<std::string, AccuracyCell> by_raw_type;  // the CSV's question_type
  std::map<std::string, AccuracyCell> by_type;      // canonical slug (raw label when unknown)
  std::string size;                                 // the type table used
  long long n_questions = 0;                        // rows in the questions file
  long long n_without_prediction = 0;  // questions no line answered (left out, as upstream)
  long long n_null_responses = 0;      // lines with "response": null (failed calls; left out)
};

// Scores `preds_path`, JSON lines {"question_id": "...", "response": "..."}, against the
// questions CSV. Each answered question counts once in n; questions without a line, and
// lines whose response is null, are left out of every number, as upstream leaves failed
// calls out of its result file. `size` picks the type table; without it, a file with any
// 32k-only label uses the 32k table, one with track_full_preference_updates the 1M table,
// otherwise 128k's.
//
// Throws InputError naming the file and line for an unreadable or malformed file (the
// questions file as questions_csv.h checks it, plus an empty or repeated question_id or a
// correct_answer that is not (a)-(d)), a predictions line that is not a JSON object, lacks
// "question_id" or "response", has a non-string id or response, names a question_id the
// questions file does not have, or repeats one.
OfficialScores score_prediction_files(const std::string& questions_path,
                                      const std::string& preds_path,
                                      const std::optional<std::string>& size,
                                      TypeMap map = TypeMap::format);

// {"accuracy", "n", "by_raw_type": {label: {"n", "accuracy"}}, "by_type": {...}}: exactly
// the keys of the score command's --json output. accuracy is null when n is 0.
nlohmann::json official_json(const OfficialScores& scores);

// The same numbers as text: "accuracy", "n", then the by_raw_type and by_type tables (one
// "  LABEL  n=N  accuracy=X" line each), numbers with 17 significant digits.
std::string official_text(const OfficialScores& scores);

// The score command for `task_spec` ("personamem", optionally with size= and type_map=):
// scores the files and returns official_json, or official_text when `as_json` is false.
// Notes about left-out questions go to `notes` (one line each). Throws InputError for a bad
// spec or malformed files.
std::string run_score_command(const std::string& task_spec, const std::string& questions_path,
                              const std::string& preds_path, bool as_json, std::string& notes);

}  // namespace perseval::personamem
