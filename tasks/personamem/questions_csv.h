// PERSONAMEM's questions_*.csv (personamem.md §2), read one row at a time. The header is
// checked against the v1 schema; PersonaMem-v2 and pre-release files are refused with a
// message saying what they are, never guessed at.
#pragma once

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tasks/csv/csv_reader.h"

namespace perseval::personamem {

// The 15 columns of revision 2d676b2a, in file order; all are required.
const std::vector<std::string>& required_columns();

// Optional: absent in revision 2d676b2a of the 32k file, present in pre-release CSVs.
inline constexpr const char* kStereotypical = "stereotypical";

// One data row: every column of the header by name, as the raw cell text.
struct QuestionRow {
  long long line = 0;  // physical line where the record starts (the header is line 1)
  nlohmann::json columns = nlohmann::json::object();

  // The cell of `column`, or "" when the file has no such column.
  std::string get(const std::string& column) const;
};

// Not thread-safe; copying disabled (owns the open file).
class QuestionsCsv {
 public:
  // Opens `path` and checks the header. Throws InputError ("FILE:1: ...") when the file
  // cannot be read, is Parquet, has PersonaMem-v2 columns (user_query, incorrect_answers),
  // the pre-release schema (`question` instead of user_question_or_message), or lacks any
  // required column (all missing ones are named). Extra columns are kept.
  explicit QuestionsCsv(std::string path);
  QuestionsCsv(const QuestionsCsv&) = delete;
  QuestionsCsv& operator=(const QuestionsCsv&) = delete;

  // Reads the next row into `row`; false at the end. Throws InputError ("FILE:LINE: ...")
  // for a row whose number of fields differs from the header's (naming the first missing
  // column) or a quoted field left open at the end of the file.
  bool next(QuestionRow& row);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& header() const { return header_; }
  bool has_column(const std::string& name) const;

 private:
  std::string path_;
  std::ifstream in_;
  std::unique_ptr<csv::CsvReader> reader_;
  std::vector<std::string> header_;
  std::vector<std::string> fields_;
};

}  // namespace perseval::personamem
