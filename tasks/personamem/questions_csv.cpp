#include "tasks/personamem/questions_csv.h"

#include <algorithm>

#include "harness/core/errors.h"
#include "tasks/personamem/line_error.h"

namespace perseval::personamem {

const std::vector<std::string>& required_columns() {
  static const std::vector<std::string> columns = {"persona_id",
                                                   "question_id",
                                                   "question_type",
                                                   "topic",
                                                   "context_length_in_tokens",
                                                   "context_length_in_letters",
                                                   "distance_to_ref_in_blocks",
                                                   "distance_to_ref_in_tokens",
                                                   "num_irrelevant_tokens",
                                                   "distance_to_ref_proportion_in_context",
                                                   "user_question_or_message",
                                                   "correct_answer",
                                                   "all_options",
                                                   "shared_context_id",
                                                   "end_index_in_shared_context"};
  return columns;
}

std::string QuestionRow::get(const std::string& column) const {
  const auto it = columns.find(column);
  return it != columns.end() && it->is_string() ? it->get<std::string>() : std::string();
}

QuestionsCsv::QuestionsCsv(std::string path) : path_(std::move(path)) {
  in_.open(path_, std::ios::binary);
  if (!in_) throw InputError(line_error(path_, 0, "", "", "cannot be read"));
  auto fail = [&](const std::string& problem) {
    throw InputError(line_error(path_, 1, "", "", problem));
  };
  char magic[4] = {0, 0, 0, 0};
  in_.read(magic, 4);
  if (in_.gcount() == 4 && std::string(magic, 4) == "PAR1")
    fail(
        "this is a Parquet file (PersonaMem-v2 ships Parquet); perseval's personamem task "
        "reads the PersonaMem v1 questions_{32k,128k,1M}.csv");
  in_.clear();
  in_.seekg(0);
  reader_ = std::make_unique<csv::CsvReader>(in_);
  try {
    if (!reader_->next(header_)) fail("the file is empty (expected a header row)");
  } catch (const csv::CsvError& e) {
    fail(e.what());
  }
  if (has_column("user_query") || has_column("incorrect_answers"))
    fail(
        "this looks like a PersonaMem-v2 file (user_query / incorrect_answers columns); the "
        "personamem task reads PersonaMem v1 (bowen-upenn/PersonaMem-v1) and v2 is not "
        "supported");
  if (has_column("question") && !has_column("user_question_or_message"))
    fail(
        "this looks like a pre-release PersonaMem CSV (`question` instead of "
        "`user_question_or_message`); use the released v1 files");
  std::vector<std::string> missing;
  for (const auto& c : required_columns())
    if (!has_column(c)) missing.push_back(c);
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    fail("missing column" + std::string(missing.size() > 1 ? "s " : " ") + list);
  }
}

bool QuestionsCsv::has_column(const std::string& name) const {
  return std::find(header_.begin(), header_.end(), name) != header_.end();
}

bool QuestionsCsv::next(QuestionRow& row) {
  try {
    if (!reader_->next(fields_)) return false;
  } catch (const csv::CsvError& e) {
    throw InputError(line_error(path_, e.line, "", "", e.what()));
  }
  row.line = reader_->line();
  if (fields_.size() != header_.size()) {
    std::string problem = std::to_string(fields_.size()) + " fields where the header has " +
                          std::to_string(header_.size());
    if (fields_.size() < header_.size())
      problem += " (column " + header_[fields_.size()] + " is missing)";
    throw InputError(line_error(path_, row.line, "", "", problem));
  }
  row.columns = nlohmann::json::object();
  for (size_t i = 0; i < header_.size(); ++i) row.columns[header_[i]] = std::move(fields_[i]);
  return true;
}

}  // namespace perseval::personamem
