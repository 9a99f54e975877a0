#include "tasks/personafeedback/personafeedback_task.h"

#include "tasks/pairwise/choice_extraction.h"
#include "tasks/pairwise/logprob_confidence.h"
#include "tasks/pairwise/pair_layout.h"
#include "tasks/pairwise/pairwise_scoring.h"
#include "tasks/personafeedback/pf_loader.h"
#include "tasks/personafeedback/pf_prompt.h"
#include "tasks/personafeedback/pf_scoring.h"

namespace perseval::personafeedback {
namespace {

std::string text_of(const json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

pairwise::ShownPair shown_of(const Sample& s) {
  const json& pair = s.input.is_object() && s.input.contains("pair") ? s.input["pair"] : json::object();
  const bool swapped = pairwise::shown_swapped(pairwise::arrangement_of(s), s.seed);
  return pairwise::show_pair(text_of(pair, "first"), text_of(pair, "second"), text_of(pair, "gold"), swapped);
}

pairwise::PairwiseAggregateOptions pairwise_options(const PfOptions& o) {
  pairwise::PairwiseAggregateOptions p;
  p.certainty = o.certainty;
  return p;
}

}  // namespace

PersonaFeedbackTask::PersonaFeedbackTask(PfOptions options) : options_(std::move(options)) {
  info_.name = canonical_spec(options_).to_string();
  info_.family = "personafeedback";
  info_.version = "1";
  info_.primary_metric = "accuracy";
  info_.higher_is_better = true;
  if (options_.mode == Mode::reward) {
    info_.metrics = reward_metric_names();
  } else {
    info_.metrics = pairwise::pairwise_metric_names(pairwise_options(options_));
    info_.metrics.push_back("accuracy_macro_tiers");
  }
  info_.slice_keys = {"track", "tier", "cell", "length_diff", "order"};
  info_.gen.max_tokens = options_.certainty ? 64 : 16;
  info_.gen.temperature = 0.0;
  info_.params = options_json(options_);
}

TaskInfo PersonaFeedbackTask::info() const { return info_; }

std::vector<std::string> PersonaFeedbackTask::data_files(const DataSource& source) const {
  const PfFiles files = resolve_pf_files(options_, source);
  std::vector<std::string> out;
  for (const auto& f : files.tiers) out.push_back(f.path);
  out.push_back(files.personas);
  return out;
}

void PersonaFeedbackTask::load(const DataSource& source, const SampleSink& sink) const {
  json report = load_pf_samples(options_, resolve_pf_files(options_, source), sink);
  std::lock_guard<std::mutex> lock(report_mutex_);
  report_ = std::move(report);
}

json PersonaFeedbackTask::load_report() const {
  std::lock_guard<std::mutex> lock(report_mutex_);
  return report_;
}

Request PersonaFeedbackTask::render(const Sample& sample) const {
  Request request;
  request.sample_id = sample.id;
  request.sample_seed = sample.seed;
  request.gen = info_.gen;
  const std::string persona = text_of(sample.input, "persona");
  const std::string question = text_of(sample.input, "question");
  if (options_.mode == Mode::reward) {
    request.messages = reward_messages(persona, question, text_of(sample.input, "response"));
    return request;
  }
  const auto shown = shown_of(sample);
  request.messages.push_back({"user", render_choice_prompt(persona, question, shown.a, shown.b, options_.certainty)});
  ReferenceHints hints;
  hints.output_kind = "label";
  hints.choices = {"[[A]]", "[[B]]"};
  hints.choice_texts = {shown.a, shown.b};
  request.hints = std::move(hints);
  return request;
}

Scores PersonaFeedbackTask::score(const Sample& sample, const Completion& completion,
                                  std::span<const Judgement>) const {
  const bool failed = completion.error.has_value();
  const std::string reply = failed ? "" : completion.text;
  if (options_.mode == Mode::reward)
    return score_reward_reply(reply, text_of(sample.input, "role") == "chosen", failed);
  // The last bracketed answer wins: this prompt does not end with an open "[[", and models
  // often restate the format before answering (§4.2). Other forms are a counted fallback.
  pairwise::ExtractOptions o;
  o.allowed = "AB";
  o.pick = pairwise::BracketPick::last;
  o.lenient = true;
  o.want_certainty = options_.certainty;
  const auto choice = pairwise::extract_choice(reply, o);
  std::optional<double> confidence;
  if (choice.status == "ok") confidence = pairwise::verdict_probability(completion.logprobs, choice.answer);
  Scores s = pairwise::score_choice(choice, shown_of(sample), failed, confidence);
  if (choice.status == "ok" && choice.form != "brackets") s.values["lenient_form"] = 1.0;
  return s;
}

std::vector<MetricValue> PersonaFeedbackTask::aggregate(std::span<const ScoredSample> samples,
                                                        uint64_t seed) const {
  if (options_.mode == Mode::reward) return aggregate_reward(samples);
  auto out = pairwise::aggregate_pairwise(samples, seed, pairwise_options(options_));
  for (auto& m : macro_tiers(samples, "correct")) out.push_back(std::move(m));
  return out;
}

std::optional<double> PersonaFeedbackTask::sample_metric(const std::string& metric,
                                                        const ScoredSample& sample) const {
  if (options_.mode == Mode::reward) return std::nullopt;
  return pairwise::pairwise_sample_metric(metric, sample);
}

std::string PersonaFeedbackTask::target_text(const Sample& sample) const {
  if (options_.mode == Mode::reward) return text_of(sample.input, "role");
  return shown_of(sample).gold;
}

std::unique_ptr<Task> make_personafeedback_task(const Spec& spec) {
  if (spec.name != "personafeedback") return nullptr;
  return std::make_unique<PersonaFeedbackTask>(parse_pf_options(spec));
}

}  // namespace perseval::personafeedback
