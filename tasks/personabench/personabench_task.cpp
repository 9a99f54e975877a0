#include "tasks/personabench/personabench_task.h"

#include <filesystem>

#include "harness/core/errors.h"
#include "tasks/personabench/layout.h"
#include "tasks/personabench/loader.h"
#include "tasks/personabench/prompt.h"
#include "tasks/personabench/sample_scoring.h"

namespace perseval::personabench {

namespace {

const json& field(const json& object, const char* key) {
  static const json null;
  if (!object.is_object()) return null;
  const auto it = object.find(key);
  return it == object.end() ? null : *it;
}

bool is_scored(const Sample& sample) {
  const json& category = field(sample.target, "category");
  return category.is_string() && !category.get<std::string>().empty();
}

}  // namespace

PersonaBenchTask::PersonaBenchTask(Options options) : options_(std::move(options)) {
  info_.name = canonical_spec(options_).to_string();
  info_.family = "personabench";
  info_.version = "1";
  info_.primary_metric = "f1";
  info_.higher_is_better = true;
  info_.metrics = metric_names(options_);
  info_.slice_keys = {"category", "user", "community", "noise"};
  // Upstream samples at the OpenAI default temperature with no seed; a harness run is
  // greedy so that reruns and the request cache agree. Answers are a few words.
  info_.gen.max_tokens = 128;
  info_.gen.temperature = 0.0;
  info_.params = options_json(options_);
}

TaskInfo PersonaBenchTask::info() const { return info_; }

bool PersonaBenchTask::needs_embedder() const { return options_.retriever == Retriever::dense; }

void PersonaBenchTask::set_embedder(Embedder* embedder) {
  if (!needs_embedder()) embedder = nullptr;  // unused: keep the run identity unchanged
  embedder_ = embedder;
  // In the parameters (run identity), not in the name: the name must stay a parseable spec.
  if (embedder) {
    const ModelInfo who = embedder->info();
    info_.params["embedder"] = json{{"name", who.name}, {"identity", who.identity}};
  } else {
    info_.params.erase("embedder");
  }
}

std::string PersonaBenchTask::resolve_root(const DataSource& source) const {
  const std::string dir =
      source.data_dir.empty() ? source.bundled_dir + "/personabench" : source.data_dir;
  const std::string root = find_data_root(dir);
  if (root.empty())
    throw InputError(input_error_message(
        dir, -1, "",
        "no PersonaBench data: expected DIR/personabench/eval_data/eval_data_v1/synthetic_data/, "
        "DIR/eval_data/eval_data_v1/synthetic_data/ or DIR/synthetic_data/ (the upstream layout)"));
  return root;
}

std::vector<std::string> PersonaBenchTask::data_files(const DataSource& source) const {
  const auto paths = all_paths(community_files(resolve_root(source), options_.noise));
  for (const auto& path : paths) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
      throw InputError(input_error_message(
          path, -1, "", "not found; personabench at noise " + options_.noise +
                            " expects synthetic_data/<community>/eval_info/{eval_info_all.json,"
                            "qa_gt_context_all_noise_" + options_.noise + ".json} and private_data/noise_" +
                            options_.noise + "/{conversation,user_ai_interaction,purchase_history}_data_all.json"));
  }
  return paths;
}

void PersonaBenchTask::load(const DataSource& source, const SampleSink& sink) const {
  data_files(source);  // a missing file fails before anything is streamed
  load_samples(resolve_root(source), options_, cache_, embedder_, sink);
}

std::shared_ptr<const UserCorpus> PersonaBenchTask::corpus_for(const Sample& sample) const {
  return corpus_for_sample(sample, cache_);
}

std::vector<std::string> PersonaBenchTask::retrieved_segment_ids(const Sample& sample) const {
  std::vector<std::string> ids;
  if (options_.retriever == Retriever::oracle) {
    GtItems items;
    for (const auto& pair : field(sample.target, "gt_segment_ids"))
      items.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::vector<std::string>>());
    return oracle_segment_ids(items, options_.k);
  }
  const auto corpus = corpus_for(sample);
  const std::string question = field(sample.input, "question").get<std::string>();
  const auto order = options_.retriever == Retriever::bm25
                         ? retrieve_bm25(*corpus, question, options_.k)
                         : retrieve_dense(*corpus, question, options_.k);
  for (std::size_t i : order) ids.push_back(corpus->chunks[i].segment_id);
  return ids;
}

Request PersonaBenchTask::render(const Sample& sample) const {
  const auto corpus = corpus_for(sample);
  const std::string question = field(sample.input, "question").get<std::string>();
  std::vector<std::string> chunks;
  for (const auto& id : retrieved_segment_ids(sample)) {
    const auto it = corpus->index_of.find(id);
    if (it == corpus->index_of.end())
      throw std::runtime_error("segment id " + id + " is not among the user's chunks");
    chunks.push_back(corpus->chunks[it->second].text);
  }
  Request request;
  request.sample_id = sample.id;
  request.sample_seed = sample.seed;
  request.gen = info_.gen;
  request.messages.push_back({"user", build_prompt(chunks, question, options_.prompt)});

  ReferenceHints hints;
  if (is_scored(sample)) {
    hints.output_kind = "text";
    for (const auto& c : corpus->chunks)
      for (const auto& e : c.entities) hints.profile_outputs.push_back(e);
    for (std::size_t i : retrieve_bm25(*corpus, question, options_.k))
      hints.nearest_outputs.push_back(corpus->chunks[i].plain);
  } else {
    hints.output_kind = "label";
    hints.choices = subjective_choices(question);
  }
  request.hints = std::move(hints);
  return request;
}

Scores PersonaBenchTask::score(const Sample& sample, const Completion& completion,
                               std::span<const Judgement>) const {
  const std::string prediction = completion.error ? std::string() : completion.text;
  std::optional<std::vector<std::string>> retrieved;
  if (options_.retriever != Retriever::oracle && is_scored(sample)) retrieved = retrieved_segment_ids(sample);
  return score_sample(sample.target, prediction, retrieved, options_.k);
}

std::vector<MetricValue> PersonaBenchTask::aggregate(std::span<const ScoredSample> samples,
                                                     uint64_t seed) const {
  return aggregate_samples(samples, options_, seed);
}

std::optional<double> PersonaBenchTask::sample_metric(const std::string& metric,
                                                     const ScoredSample& sample) const {
  return sample_metric_value(metric, sample, options_);
}

std::string PersonaBenchTask::target_text(const Sample& sample) const {
  const json& text = field(sample.target, "answer_text");
  return text.is_string() ? text.get<std::string>() : std::string();
}

std::unique_ptr<Task> make_personabench_task(const Spec& spec) {
  if (spec.name != "personabench") return nullptr;
  return std::make_unique<PersonaBenchTask>(parse_options(spec));
}

}  // namespace perseval::personabench
