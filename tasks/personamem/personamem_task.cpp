#include "tasks/personamem/personamem_task.h"

#include <filesystem>

#include "harness/core/errors.h"
#include "tasks/personamem/personamem_loader.h"
#include "tasks/personamem/personamem_prompt.h"
#include "tasks/personamem/personamem_scoring.h"

namespace perseval::personamem {

namespace {

// object[key], or null when absent (render must not throw on a hand-made sample).
const json& member(const json& object, const char* key) {
  static const json null_value;
  if (!object.is_object()) return null_value;
  const auto it = object.find(key);
  return it != object.end() ? *it : null_value;
}

const std::string& string_field(const json& object, const char* key) {
  static const std::string empty;
  if (!object.is_object()) return empty;
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get_ref<const std::string&>() : empty;
}

}  // namespace

PersonamemTask::PersonamemTask(PersonamemOptions options) : options_(std::move(options)) {
  info_.name = canonical_spec(options_).to_string();
  info_.family = "personamem";
  info_.version = "1";
  info_.primary_metric = "accuracy";
  info_.higher_is_better = true;
  info_.metrics = metric_names();
  info_.slice_keys = {"size",           "type",    "raw_type",     "topic", "distance_sessions",
                      "context_tokens", "persona", "stereotypical"};
  // Upstream calls the API with its defaults (temperature 1, no token limit). perseval
  // decodes greedily for reproducible runs and leaves room for reasoning before the
  // <final_answer> tag.
  info_.gen.max_tokens = 1024;
  info_.gen.temperature = 0.0;
  info_.params = options_json(options_);
}

TaskInfo PersonamemTask::info() const { return info_; }

PersonamemTask::Files PersonamemTask::resolve_files(const DataSource& source) const {
  if (!options_.questions_path.empty()) return {options_.questions_path, options_.contexts_path};
  const std::string root =
      (source.data_dir.empty() ? source.bundled_dir : source.data_dir) + "/personamem/";
  return {root + "questions_" + options_.size + ".csv",
          root + "shared_contexts_" + options_.size + ".jsonl"};
}

std::vector<std::string> PersonamemTask::data_files(const DataSource& source) const {
  const Files files = resolve_files(source);
  for (const auto& path : {files.questions, files.contexts}) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      std::string hint = "personamem expects <data-dir>/personamem/questions_" + options_.size +
                         ".csv and shared_contexts_" + options_.size +
                         ".jsonl (or questions=/contexts= paths)";
      if (source.data_dir.empty() && options_.questions_path.empty() && options_.size != "32k")
        hint += "; the bundled samples cover size=32k only";
      throw InputError(path + ": not found; " + hint);
    }
  }
  return {files.questions, files.contexts};
}

void PersonamemTask::load(const DataSource& source, const SampleSink& sink) const {
  const auto paths = data_files(source);
  LoaderOptions o;
  o.size = options_.size;
  o.type_map = options_.type_map;
  o.context = options_.context;
  o.budget = options_.budget;
  o.questions_path = paths[0];
  o.contexts_path = paths[1];
  json report = load_questions(o, sink);
  std::lock_guard<std::mutex> lock(report_mutex_);
  report_ = std::move(report);
}

json PersonamemTask::load_report() const {
  std::lock_guard<std::mutex> lock(report_mutex_);
  return report_;
}

Request PersonamemTask::render(const Sample& sample) const {
  const json& row = member(sample.input, "row");
  const json& history = member(sample.input, "context");
  const json& options = member(sample.input, "options");

  Request request;
  request.sample_id = sample.id;
  request.sample_seed = sample.seed;
  request.gen = info_.gen;
  request.messages = build_messages(history, string_field(row, "user_question_or_message"),
                                    string_field(row, "all_options"), options_.system_merge);

  ReferenceHints hints;
  hints.output_kind = "label";
  for (size_t i = 0; options.is_array() && i < options.size(); ++i) {
    hints.choices.push_back(std::string("(") + static_cast<char>('a' + (i < 26 ? i : 25)) + ")");
    hints.choice_texts.push_back(options[i].is_string() ? options[i].get<std::string>() : "");
  }
  request.hints = std::move(hints);
  return request;
}

Scores PersonamemTask::score(const Sample& sample, const Completion& completion,
                             std::span<const Judgement>) const {
  return score_response(completion.text, target_text(sample), completion.error.has_value());
}

std::vector<MetricValue> PersonamemTask::aggregate(std::span<const ScoredSample> samples,
                                                   uint64_t seed) const {
  return aggregate_scores(samples, seed);
}

std::optional<double> PersonamemTask::sample_metric(const std::string& metric,
                                                   const ScoredSample& sample) const {
  return sample_metric_value(metric, sample);
}

std::string PersonamemTask::target_text(const Sample& sample) const {
  return string_field(sample.target, "correct_answer");
}

std::unique_ptr<Task> make_personamem_task(const Spec& spec) {
  if (spec.name != "personamem") return nullptr;
  return std::make_unique<PersonamemTask>(parse_personamem_options(spec));
}

}  // namespace perseval::personamem
