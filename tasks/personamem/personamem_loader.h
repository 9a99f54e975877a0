// Streaming loader for PERSONAMEM: the questions CSV row by row, each joined with its slice
// of the shared conversation read from the indexed contexts JSONL (personamem.md §1-§3).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/core/task.h"
#include "tasks/personamem/personamem_options.h"

namespace perseval::personamem {

// Receives one-line warnings (skipped rows, unknown question types).
using WarningSink = std::function<void(const std::string&)>;

// Writes "warning: MESSAGE" to stderr.
void warn_to_stderr(const std::string& message);

struct LoaderOptions {
  std::string size = "32k";
  TypeMap type_map = TypeMap::format;
  ContextMode context = ContextMode::full;
  long long budget = 0;  // characters of history; 0 = all (see history.h)
  std::string questions_path;
  std::string contexts_path;
  size_t cached_contexts = 4;  // parsed conversations kept in memory
  WarningSink warn = warn_to_stderr;
};

// Indexes the contexts file (one pass), then streams the questions CSV in file order,
// handing each row to `sink` as a Sample (question_sample.h) and stopping as soon as `sink`
// returns false. A row reads only its own context line (a few recent ones stay cached), so
// memory is bounded by the contexts in use, never by the file. With context=none no context
// line is read, but the ids are still checked so both modes see the same questions.
//
// Skipped, counted and reported (not errors): rows with a negative end index (a known 128k
// defect; Python slicing would silently drop the last |n| messages) and rows whose context id
// is not in the contexts file (upstream would stop with a KeyError).
//
// Returns the load report: {"questions_file", "contexts_file", "rows", "delivered",
// "skipped": {"negative_end_index", "unknown_context_id"}, "skipped_examples": [{"line",
// "question_id", "reason"}] (first 10), "unknown_question_types": {label: count},
// "end_index_beyond_context", "options_not_four", "options_unlabelled", "contexts_indexed",
// "duplicate_context_ids", "context_lines_read", "context_bytes_read", "stopped_early"}.
//
// Throws InputError with file, line and field for malformed input (questions_csv.h,
// context_file.h, question_sample.h) and for a question_id used twice.
nlohmann::json load_questions(const LoaderOptions& options, const SampleSink& sink);

}  // namespace perseval::personamem
