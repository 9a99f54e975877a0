#include "tasks/lamp/lamp_task.h"

#include <filesystem>

#include "harness/core/errors.h"
#include "harness/core/hash.h"
#include "metrics/python_text.h"
#include "tasks/lamp/lamp_hints.h"
#include "tasks/lamp/lamp_loader.h"
#include "tasks/lamp/lamp_prompt.h"
#include "tasks/lamp/lamp_retrieval.h"
#include "tasks/lamp/lamp_scoring.h"

namespace perseval::lamp {

namespace {

bool has_golds(const LampOptions& o) { return o.split != "test" || !o.outputs_path.empty(); }

const std::string& string_or_empty(const json& object, const char* key) {
  static const std::string empty;
  if (!object.is_object()) return empty;
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get_ref<const std::string&>() : empty;
}

}  // namespace

LampTask::LampTask(const Variant& variant, LampOptions options)
    : variant_(variant), options_(std::move(options)) {
  info_.name = canonical_spec(variant_, options_).to_string();
  info_.family = "lamp";
  info_.version = "1";
  info_.primary_metric = primary_metric(variant_);
  info_.higher_is_better = primary_higher_is_better(variant_);
  // Without golds (split=test) nothing is scored: predictions are only exported.
  if (has_golds(options_)) info_.metrics = metric_names(variant_);
  info_.slice_keys = {"split", "scheme", "user"};
  info_.gen.max_tokens = 128;  // upstream generation_max_length
  info_.gen.temperature = 0.0;
  info_.params = options_json(options_);
}

TaskInfo LampTask::info() const { return info_; }

LampTask::Files LampTask::resolve_files(const DataSource& source) const {
  Files files;
  const std::string root = source.data_dir.empty() ? source.bundled_dir : source.data_dir;
  const std::string dir = root + "/lamp/" + options_.scheme + "/" + variant_.directory + "/" +
                          options_.split + "/" + options_.split;
  files.questions =
      options_.questions_path.empty() ? dir + "_questions.json" : options_.questions_path;
  if (!options_.outputs_path.empty())
    files.outputs = options_.outputs_path;
  else if (options_.split != "test")
    files.outputs = dir + "_outputs.json";
  return files;
}

std::vector<std::string> LampTask::data_files(const DataSource& source) const {
  const Files files = resolve_files(source);
  std::vector<std::string> out = {files.questions};
  if (!files.outputs.empty()) out.push_back(files.outputs);
  for (const auto& path : out) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
      throw InputError(input_error_message(
          path, -1, "",
          "not found; " + variant_.name +
              " expects <data-dir>/lamp/{user|time}/" + variant_.directory +
              "/{split}/{split}_{questions|outputs}.json (or questions=/outputs= paths)"));
  }
  return out;
}

void LampTask::load(const DataSource& source, const SampleSink& sink) const {
  const auto paths = data_files(source);
  LoaderOptions o;
  o.variant = &variant_;
  o.split = options_.split;
  o.scheme = options_.scheme;
  o.questions_path = paths[0];
  o.outputs_path = paths.size() > 1 ? paths[1] : "";
  o.require_dates = options_.retriever == Retriever::recency &&
                    options_.prompt.mode == PromptMode::ppep && options_.k > 0;
  load_questions(o, sink);
}

Request LampTask::render(const Sample& sample) const {
  static const json kEmptyProfile = json::array();
  const std::string& input = string_or_empty(sample.input, "input");
  const auto profile_it =
      sample.input.is_object() ? sample.input.find("profile") : sample.input.end();
  const json& profile = sample.input.is_object() && profile_it != sample.input.end() &&
                                profile_it->is_array()
                            ? *profile_it
                            : kEmptyProfile;

  Request request;
  request.sample_id = sample.id;
  request.sample_seed = sample.seed;  // set by the runner: hash(run seed, sample id)
  request.gen = info_.gen;

  // The index serves both BM25 retrieval and the baselines' nearest_outputs hint.
  const auto index = build_profile_index(variant_, profile);
  std::vector<size_t> selected;
  if (options_.prompt.mode == PromptMode::ppep)
    selected = retrieve(variant_, options_.retriever, profile, input,
                        static_cast<size_t>(options_.k), request.sample_seed, &index);
  request.messages.push_back(
      {"user", build_prompt(variant_, input, profile, selected, options_.prompt)});
  request.hints = make_hints(variant_, input, profile, index);
  return request;
}

Scores LampTask::score(const Sample& sample, const Completion& completion,
                       std::span<const Judgement>) const {
  const std::string prediction = completion.error ? std::string() : completion.text;
  if (!sample.target.is_object() || !sample.target.contains("output")) {
    Scores s;
    s.parsed_answer = metrics::python_strip(prediction);
    return s;
  }
  return score_prediction(variant_, prediction, target_text(sample));
}

std::vector<MetricValue> LampTask::aggregate(std::span<const ScoredSample> samples,
                                             uint64_t seed) const {
  std::vector<const std::map<std::string, double>*> values;
  values.reserve(samples.size());
  int64_t n_errors = 0;
  for (const auto& s : samples) {
    values.push_back(&s.scores.values);
    if (s.failed) ++n_errors;
  }
  return aggregate_scores(variant_, values, n_errors, seed);
}

std::optional<double> LampTask::sample_metric(const std::string& metric,
                                             const ScoredSample& sample) const {
  return sample_metric_value(variant_, metric, sample.scores.values);
}

std::string LampTask::target_text(const Sample& sample) const {
  return string_or_empty(sample.target, "output");
}

std::unique_ptr<Task> make_lamp_task(const Spec& spec) {
  const Variant* variant = find_variant(spec.name);
  if (!variant) return nullptr;
  return std::make_unique<LampTask>(*variant, parse_lamp_options(spec));
}

}  // namespace perseval::lamp
