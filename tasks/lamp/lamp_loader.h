// Streaming loader for LaMP question files (lamp.md §2, §3): turns each question into a
// Sample while the file is parsed, so memory does not grow with the number of questions.
#pragma once

#include <functional>
#include <string>

#include "harness/core/task.h"
#include "tasks/lamp/lamp_variant.h"

namespace perseval::lamp {

// Receives one-line warnings (e.g. an input without its query marker, lamp.md §10.6).
using WarningSink = std::function<void(const std::string&)>;

// Writes "warning: MESSAGE" to stderr.
void warn_to_stderr(const std::string& message);

struct LoaderOptions {
  const Variant* variant = nullptr;
  std::string split = "dev";     // recorded in Sample::slices
  std::string scheme = "user";   // "user" or "time"; "time" requires `user_id`
  std::string questions_path;
  std::string outputs_path;      // empty: no golds (split=test); targets stay null
  bool require_dates = false;    // every profile item needs a valid `date` (recency)
  WarningSink warn = warn_to_stderr;
};

// Reads the outputs file (if any) into memory, then streams the questions file with
// nlohmann's parser callback, handing each question to `sink` as soon as it is complete and
// discarding it. Accepts a bare array of questions or LaMP-6's wrapper
// {"task": "LaMP_6", "golds": [questions]}. Returns when the file ends or as soon as `sink`
// returns false.
//
// Sample: id; user_id = the `user_id` field as text for scheme=time, else the question id;
// input = {"id", "input", "profile"}; target = {"output": gold} (null without outputs);
// slices = {split, scheme, user (time only)}.
//
// Throws InputError, one line "FILE: record N (id=ID): PROBLEM", for unreadable files, bad
// JSON (with the byte offset), missing or mistyped fields (named, with the expected type),
// a question without a gold, a wrong task string, or an unparseable LaMP-3 gold.
void load_questions(const LoaderOptions& options, const SampleSink& sink);

}  // namespace perseval::lamp
