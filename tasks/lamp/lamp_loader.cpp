#include "tasks/lamp/lamp_loader.h"

#include <fstream>
#include <iostream>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/core/errors.h"
#include "tasks/lamp/lamp_answer.h"
#include "tasks/lamp/lamp_outputs_file.h"
#include "tasks/lamp/lamp_query.h"
#include "tasks/lamp/lamp_question.h"

namespace perseval::lamp {

using json = nlohmann::json;

void warn_to_stderr(const std::string& message) { std::cerr << "warning: " << message << "\n"; }

namespace {

// Thrown from the parser callback to abandon parsing when the sink asks to stop.
struct StopLoading {};

// At most this many marker warnings per file; the rest are summed up in one line.
constexpr int kMaxMarkerWarnings = 3;

std::unordered_map<std::string, std::string> read_golds(const LoaderOptions& o) {
  std::unordered_map<std::string, std::string> golds;
  const auto records = read_outputs_file(o.outputs_path, {o.variant->task_string, false});
  long long index = 0;
  long long off_label = 0;
  std::string first_off_label;
  for (const auto& r : records) {
    if (o.variant->kind == OutputKind::rating && !official_rating(r.output))
      throw InputError(input_error_message(o.outputs_path, index, r.id,
                                           "gold output \"" + r.output + "\" is not a number"));
    if (o.variant->kind == OutputKind::label && official_label_id(*o.variant, r.output) < 0 &&
        off_label++ == 0)
      first_off_label = r.output;
    golds[r.id] = r.output;  // a repeated id keeps the last record, as upstream's dict does
    ++index;
  }
  // Both LaMP-2 variants say "LaMP_2", so the task string cannot catch a movies/news mix-up
  // (lamp.md §10.1); golds outside the label list can.
  if (off_label > 0 && o.warn)
    o.warn(o.outputs_path + ": " + std::to_string(off_label) + " gold outputs (e.g. \"" +
           first_off_label + "\") are not " + o.variant->name +
           " labels and can never be predicted correctly; is this the right LaMP variant?");
  return golds;
}

// The parser-callback state machine. Records are the objects at depth 1 of a bare array,
// or at depth 2 inside the "golds" array of the wrapper object.
class QuestionStream {
 public:
  QuestionStream(const LoaderOptions& options, const SampleSink& sink)
      : o_(options), sink_(sink) {
    if (!o_.outputs_path.empty()) golds_ = read_golds(o_);
    rules_.require_user_id = o_.scheme == "time";
    rules_.require_dates = o_.require_dates;
  }

  void run() {
    std::ifstream in(o_.questions_path, std::ios::binary);
    if (!in) throw InputError(input_error_message(o_.questions_path, -1, "", "cannot be read"));
    try {
      // Every question is discarded by the callback, so the returned root stays empty.
      const json root = json::parse(in, [this](int depth, json::parse_event_t event,
                                               json& parsed) {
        return on_event(depth, event, parsed);
      });
      (void)root;
    } catch (const StopLoading&) {
      return;
    } catch (const json::parse_error& e) {
      fail(in_record_ ? records_ : -1, "",
           "invalid JSON at byte " + std::to_string(e.byte) + ": " + short_json_error(e.what()));
    } catch (const json::out_of_range& e) {  // a number beyond double's range
      fail(in_record_ ? records_ : -1, "", "invalid JSON: " + short_json_error(e.what()));
    }
    if (wrapped_ && !saw_golds_)
      fail(-1, "", "missing field \"golds\" (expected an array of questions)");
    if (marker_misses_ > kMaxMarkerWarnings && o_.warn)
      o_.warn(o_.questions_path + ": " + std::to_string(marker_misses_) +
              " inputs lack the expected query marker in total");
  }

 private:
  using Event = json::parse_event_t;

  [[noreturn]] void fail(long long record, const std::string& id, const std::string& problem) {
    throw InputError(input_error_message(o_.questions_path, record, id, problem));
  }

  int record_depth() const { return wrapped_ ? 2 : 1; }

  bool on_event(int depth, Event event, json& parsed) {
    if (depth == 0) {
      if (event == Event::array_start) wrapped_ = false;
      else if (event == Event::object_start) wrapped_ = true;
      else if (event == Event::value)
        fail(-1, "", std::string("expected an array of questions or a {\"task\", \"golds\"} "
                                 "object, found ") + parsed.type_name());
      return true;
    }
    if (wrapped_ && depth == 1) return on_wrapper_member(event, parsed);
    if (wrapped_ && !in_golds_) return true;  // nested inside another wrapper member
    if (depth != record_depth()) return true;  // inside a question: keep building it
    switch (event) {
      case Event::object_start:
        in_record_ = true;
        return true;
      case Event::object_end:
        in_record_ = false;
        deliver(parsed);
        ++records_;
        return false;  // discard the question: memory stays flat
      case Event::array_start:
        fail(records_, "", "expected a question object, found array");
      case Event::value:
        fail(records_, "", std::string("expected a question object, found ") + parsed.type_name());
      default:
        return true;
    }
  }

  bool on_wrapper_member(Event event, json& parsed) {
    switch (event) {
      case Event::key:
        key_ = parsed.get<std::string>();
        return true;
      case Event::array_start:
        if (key_ == "golds") in_golds_ = saw_golds_ = true;
        return true;
      case Event::array_end:
        if (in_golds_) {
          in_golds_ = false;
          return false;  // the (now empty) golds array is not needed
        }
        return true;
      case Event::value:
        if (key_ == "task") check_task(parsed);
        if (key_ == "golds")
          fail(-1, "", std::string("field \"golds\": expected array, found ") + parsed.type_name());
        return true;
      default:
        if (key_ == "golds" && event == Event::object_start)
          fail(-1, "", "field \"golds\": expected array, found object");
        return true;
    }
  }

  void check_task(const json& task) {
    if (!task.is_string())
      fail(-1, "", std::string("field \"task\": expected string, found ") + task.type_name());
    if (task.get<std::string>() != o_.variant->task_string)
      fail(-1, "", "wrong task: expected \"" + o_.variant->task_string + "\", found \"" +
                       task.get<std::string>() + "\"");
  }

  void deliver(json& question) {
    const std::string id = question_id(question);
    if (auto problem = question_problem(*o_.variant, question, rules_)) fail(records_, id, *problem);

    Sample sample;
    sample.id = id;
    const std::string& input = question["input"].get_ref<const std::string&>();
    if (!has_query_marker(*o_.variant, input)) warn_marker(id);
    if (rules_.require_user_id) {
      const json& user = question["user_id"];
      sample.user_id = user.is_string() ? user.get<std::string>() : user.dump();
      sample.slices["user"] = sample.user_id;
    } else {
      sample.user_id = id;
    }
    if (!o_.outputs_path.empty()) {
      const auto gold = golds_.find(id);
      if (gold == golds_.end())
        fail(records_, id, "no gold output for this question in " + o_.outputs_path);
      sample.target = json{{"output", gold->second}};
    }
    sample.slices["split"] = o_.split;
    sample.slices["scheme"] = o_.scheme;
    // The callback discards `question` after we return, so its parts can be moved out.
    sample.input = json::object();
    sample.input["id"] = id;
    sample.input["input"] = std::move(question["input"]);
    sample.input["profile"] = std::move(question["profile"]);
    if (!sink_(std::move(sample))) throw StopLoading{};
  }

  void warn_marker(const std::string& id) {
    ++marker_misses_;
    if (marker_misses_ > kMaxMarkerWarnings || !o_.warn) return;
    const auto& v = *o_.variant;
    const std::string expected = v.query_rule == QueryRule::quoted_references
                                     ? "three double-quoted strings (title, [1], [2])"
                                     : "the marker \"" + v.marker + "\"";
    o_.warn(input_error_message(o_.questions_path, records_, id,
                                "input lacks " + expected +
                                    "; the whole input is used as the retrieval query"));
  }

  const LoaderOptions& o_;
  const SampleSink& sink_;
  QuestionRules rules_;
  std::unordered_map<std::string, std::string> golds_;
  bool wrapped_ = false;
  bool in_golds_ = false;
  bool saw_golds_ = false;
  bool in_record_ = false;
  std::string key_;
  long long records_ = 0;
  int marker_misses_ = 0;
};

}  // namespace

void load_questions(const LoaderOptions& options, const SampleSink& sink) {
  if (!options.variant) throw InputError("load_questions: no LaMP variant given");
  QuestionStream(options, sink).run();
}

}  // namespace perseval::lamp
