#include "tasks/personamem/personamem_loader.h"

#include <iostream>
#include <map>
#include <unordered_map>

#include "harness/core/errors.h"
#include "tasks/personamem/context_file.h"
#include "tasks/personamem/history.h"
#include "tasks/personamem/line_error.h"
#include "tasks/personamem/question_sample.h"
#include "tasks/personamem/questions_csv.h"

namespace perseval::personamem {

using json = nlohmann::json;

void warn_to_stderr(const std::string& message) { std::cerr << "warning: " << message << "\n"; }

namespace {

constexpr size_t kMaxSkippedExamples = 10;

class Loader {
 public:
  Loader(const LoaderOptions& o, const SampleSink& sink)
      : o_(o),
        sink_(sink),
        questions_(o.questions_path),
        contexts_(o.contexts_path, o.cached_contexts) {}

  json run() {
    QuestionRow row;
    bool stopped = false;
    while (questions_.next(row)) {
      ++rows_;
      if (!take(row)) {
        stopped = true;
        break;
      }
    }
    warn_summary();
    return report(stopped);
  }

 private:
  // Returns false when the sink asks to stop.
  bool take(const QuestionRow& row) {
    const RowFacts facts = check_row(row, questions_.path());
    const auto [first, inserted] = seen_ids_.emplace(facts.question_id, row.line);
    if (!inserted)
      throw InputError(line_error(questions_.path(), row.line, facts.question_id, "question_id",
                                  "repeated; first used on line " + std::to_string(first->second)));
    if (!facts.four_options) ++options_not_four_;
    if (!facts.options_labelled) ++options_unlabelled_;
    const std::string raw_type = row.get("question_type");
    if (!canonical_type(o_.size, raw_type, o_.type_map)) ++unknown_types_[raw_type];

    if (facts.end_index < 0) return skip(row, facts, "negative_end_index");
    const std::string context_id = row.get("shared_context_id");
    const ContextLine* line = contexts_.find(context_id);
    if (!line) return skip(row, facts, "unknown_context_id");

    json history = json::array();
    if (o_.context == ContextMode::full) {
      const auto messages = contexts_.messages(context_id);
      if (static_cast<size_t>(facts.end_index) > messages->size()) ++end_beyond_;
      history = select_history(*messages, facts.end_index, o_.context, o_.budget);
    }
    ++delivered_;
    return sink_(make_sample(row, facts, o_.size, o_.type_map, std::move(history)));
  }

  bool skip(const QuestionRow& row, const RowFacts& facts, const std::string& reason) {
    ++skipped_[reason];
    if (skipped_examples_.size() < kMaxSkippedExamples)
      skipped_examples_.push_back(
          {{"line", row.line}, {"question_id", facts.question_id}, {"reason", reason}});
    return true;
  }

  void warn_summary() const {
    if (!o_.warn) return;
    long long skipped = 0;
    std::string reasons;
    for (const auto& [reason, n] : skipped_) {
      skipped += n;
      reasons += (reasons.empty() ? "" : ", ") + std::to_string(n) + " " + reason;
    }
    if (skipped > 0)
      o_.warn(questions_.path() + ": skipped " + std::to_string(skipped) + " of " +
              std::to_string(rows_) + " questions (" + reasons + "); listed in the run notes");
    if (options_not_four_ > 0 || options_unlabelled_ > 0)
      o_.warn(questions_.path() + ": all_options of " + std::to_string(options_not_four_) +
              " rows do not hold 4 options and of " + std::to_string(options_unlabelled_) +
              " rows do not start with their labels (a), (b), ...; such rows are kept");
    if (!unknown_types_.empty()) {
      std::string labels;
      for (const auto& [label, n] : unknown_types_)
        labels += (labels.empty() ? "" : ", ") + label + " (" + std::to_string(n) + ")";
      o_.warn(questions_.path() + ": question_type labels without a canonical type for size=" +
              o_.size + ", kept as their own type: " + labels);
    }
  }

  json report(bool stopped) const {
    json skipped = {{"negative_end_index", 0}, {"unknown_context_id", 0}};
    for (const auto& [reason, n] : skipped_) skipped[reason] = n;
    return {{"questions_file", o_.questions_path},
            {"contexts_file", o_.contexts_path},
            {"rows", rows_},
            {"delivered", delivered_},
            {"skipped", skipped},
            {"skipped_examples", skipped_examples_},
            {"unknown_question_types", json(unknown_types_)},
            {"end_index_beyond_context", end_beyond_},
            {"options_not_four", options_not_four_},
            {"options_unlabelled", options_unlabelled_},
            {"contexts_indexed", contexts_.size()},
            {"duplicate_context_ids", contexts_.duplicate_ids()},
            {"context_lines_read", contexts_.lines_read()},
            {"context_bytes_read", contexts_.bytes_read()},
            {"stopped_early", stopped}};
  }

  const LoaderOptions& o_;
  const SampleSink& sink_;
  // The questions header is checked before the (possibly huge) contexts file is indexed.
  QuestionsCsv questions_;
  ContextFile contexts_;
  std::unordered_map<std::string, long long> seen_ids_;
  std::map<std::string, long long> skipped_;
  json skipped_examples_ = json::array();
  std::map<std::string, long long> unknown_types_;
  long long rows_ = 0;
  long long delivered_ = 0;
  long long end_beyond_ = 0;
  long long options_not_four_ = 0;
  long long options_unlabelled_ = 0;
};

}  // namespace

json load_questions(const LoaderOptions& options, const SampleSink& sink) {
  return Loader(options, sink).run();
}

}  // namespace perseval::personamem
