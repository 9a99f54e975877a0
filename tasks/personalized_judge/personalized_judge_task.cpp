#include "tasks/personalized_judge/personalized_judge_task.h"

#include <filesystem>

#include "harness/core/errors.h"
#include "harness/core/hash.h"
#include "tasks/pairwise/jsonl_reader.h"
#include "tasks/pairwise/pairwise_scoring.h"
#include "tasks/personalized_judge/judge_records.h"
#include "tasks/personalized_judge/judge_scoring.h"

namespace perseval::personalized_judge {
namespace {

std::string text_of(const json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

PromptType effective_type(PromptType chosen, const JudgeRecord& r) {
  if (chosen != PromptType::automatic) return chosen;
  if (r.kind == RecordKind::ec) return PromptType::ec;
  if (r.kind == RecordKind::prism)
    return r.ground_truth == "C" || rules_for_prompt(r.prompt).allow_tie ? PromptType::with_persona_with_tie
                                                                         : PromptType::with_persona;
  return PromptType::recorded;
}

ReadingRules rules_of(PromptType type, const std::string& recorded_prompt) {
  if (type == PromptType::recorded) return rules_for_prompt(recorded_prompt);
  return ReadingRules{true, allows_tie(type), asks_certainty(type)};
}

pairwise::ShownPair shown_of(const Sample& s) {
  const json& pair = s.input.is_object() && s.input.contains("pair") ? s.input["pair"] : json::object();
  const bool swapped = pairwise::shown_swapped(pairwise::arrangement_of(s), s.seed);
  return pairwise::show_pair(text_of(pair, "first"), text_of(pair, "second"), text_of(pair, "gold"), swapped);
}

}  // namespace

PersonalizedJudgeOptions parse_personalized_judge_options(const Spec& spec) {
  PersonalizedJudgeOptions o;
  const std::string name = spec.to_string();
  for (const auto& [key, value] : spec.params) {
    if (key == "file") {
      o.file = value;
    } else if (key == "prompt") {
      const auto type = parse_prompt_type(value);
      if (!type)
        throw InputError("task '" + name + "': prompt='" + value +
                         "' (expected auto, with_persona, with_persona_with_tie, ec or recorded)");
      o.prompt = *type;
    } else if (key == "position") {
      if (value != "recorded" && value != "random")
        throw InputError("task '" + name + "': position='" + value + "' (expected recorded or random)");
      o.position = value == "random" ? pairwise::Arrangement::from_seed : pairwise::Arrangement::as_stored;
    } else if (key == "both_orders") {
      if (value != "true" && value != "false")
        throw InputError("task '" + name + "': both_orders='" + value + "' (expected true or false)");
      o.both_orders = value == "true";
    } else if (key == "high_threshold") {
      try {
        o.high_threshold = static_cast<int>(spec.get_int(key, 80));
      } catch (const std::invalid_argument& e) {
        throw InputError(e.what());
      }
      if (o.high_threshold < 1 || o.high_threshold > 100)
        throw InputError("task '" + name + "': high_threshold must be in 1..100");
    } else {
      throw InputError("task '" + name + "': unknown parameter '" + key +
                       "' (expected file, prompt, position, both_orders, high_threshold)");
    }
  }
  return o;
}

PersonalizedJudgeTask::PersonalizedJudgeTask(PersonalizedJudgeOptions options) : options_(std::move(options)) {
  Spec spec;
  spec.name = "personalized-judge";
  spec.params["prompt"] = prompt_type_name(options_.prompt);
  spec.params["position"] = options_.position == pairwise::Arrangement::from_seed ? "random" : "recorded";
  spec.params["both_orders"] = options_.both_orders ? "true" : "false";
  spec.params["high_threshold"] = std::to_string(options_.high_threshold);
  if (!options_.file.empty()) spec.params["file"] = options_.file;
  info_.name = spec.to_string();
  info_.family = "personalized-judge";
  info_.version = "1";
  info_.primary_metric = "accuracy_all";
  info_.higher_is_better = true;
  JudgeAggregateOptions names;
  names.tie = options_.prompt != PromptType::with_persona && options_.prompt != PromptType::ec;
  names.certainty = options_.prompt != PromptType::with_persona_with_tie;
  names.high_threshold = options_.high_threshold;
  info_.metrics = judge_metric_names(names);
  info_.slice_keys = {"kind", "conversation_type", "gold_kind", "order", "prompt_type"};
  // Upstream: max_tokens 15, temperature 0.7, no seed. perseval decodes greedily so runs
  // repeat, and allows one more token for "[[A]] [[80]]" written with a leading space.
  info_.gen.max_tokens = 16;
  info_.gen.temperature = 0.0;
  info_.params = json(spec.params);
}

TaskInfo PersonalizedJudgeTask::info() const { return info_; }

std::vector<std::string> PersonalizedJudgeTask::data_files(const DataSource& source) const {
  if (options_.file.empty())
    throw InputError("personalized-judge needs file=PATH: a recorded-judgement JSONL file "
                     "(e.g. ../shared/data/personalized_judge/prism_with_persona_command-r-plus.jsonl)");
  std::error_code ec;
  if (!source.data_dir.empty() && std::filesystem::path(options_.file).is_relative()) {
    const std::string under = source.data_dir + "/" + options_.file;
    if (std::filesystem::is_regular_file(under, ec)) return {under};
  }
  if (!std::filesystem::is_regular_file(options_.file, ec))
    throw InputError(options_.file + ": not found (personalized-judge file=)");
  return {options_.file};
}

void PersonalizedJudgeTask::load(const DataSource& source, const SampleSink& sink) const {
  const std::string path = data_files(source).front();
  read_judge_records(path, [&](JudgeRecord&& r) {
    const PromptType type = effective_type(options_.prompt, r);
    const bool needs_prism = type == PromptType::with_persona || type == PromptType::with_persona_with_tie;
    if (needs_prism && (!r.question || !r.asst_a || !r.asst_b))
      throw InputError(pairwise::line_error(path, r.line, "prompt=" + prompt_type_name(type) +
                                                              " needs fields question, asst_A, asst_B"));
    if (type == PromptType::ec && (!r.article || !r.asst_a || !r.asst_b))
      throw InputError(pairwise::line_error(path, r.line, "prompt=ec needs fields article, asst_A, asst_B"));
    if (type == PromptType::recorded && r.prompt.empty())
      throw InputError(pairwise::line_error(path, r.line, "prompt=recorded needs the field prompt"));

    Sample s;
    s.id = "line-" + std::to_string(r.line);
    s.user_id = "persona-" + hex64(fnv1a64(r.user_info));
    s.input = json{{"prompt_type", prompt_type_name(type)},
                   {"user_info", r.user_info},
                   {"question", r.question.value_or("")},
                   {"article", r.article.value_or("")},
                   {"pair", {{"first", r.asst_a.value_or("")}, {"second", r.asst_b.value_or("")},
                             {"gold", r.ground_truth}}}};
    if (type == PromptType::recorded) s.input["recorded_prompt"] = r.prompt;
    s.target = json{{"gold", r.ground_truth}};
    s.slices["kind"] = kind_name(r.kind);
    s.slices["prompt_type"] = prompt_type_name(type);
    s.slices["gold_kind"] = r.ground_truth == "C" ? "tie" : "pair";
    if (r.conversation_type) s.slices["conversation_type"] = *r.conversation_type;
    // A recorded prompt fixes the order shown: it can be neither swapped nor doubled.
    if (type == PromptType::recorded)
      return pairwise::emit_orders(std::move(s), pairwise::Arrangement::as_stored, false, sink);
    return pairwise::emit_orders(std::move(s), options_.position, options_.both_orders, sink);
  });
}

Request PersonalizedJudgeTask::render(const Sample& sample) const {
  const auto type = parse_prompt_type(text_of(sample.input, "prompt_type")).value_or(PromptType::recorded);
  const auto shown = shown_of(sample);
  const PromptFields fields{text_of(sample.input, "user_info"), text_of(sample.input, "question"),
                            text_of(sample.input, "article"), shown.a, shown.b};
  std::string prompt;
  switch (type) {
    case PromptType::with_persona: prompt = render_with_persona(fields); break;
    case PromptType::with_persona_with_tie: prompt = render_with_persona_with_tie(fields); break;
    case PromptType::ec: prompt = render_ec(fields); break;
    default: prompt = text_of(sample.input, "recorded_prompt"); break;
  }
  Request request;
  request.sample_id = sample.id;
  request.sample_seed = sample.seed;
  request.gen = info_.gen;
  request.messages.push_back({"user", std::move(prompt)});
  ReferenceHints hints;
  hints.output_kind = "label";
  // The continuation of the open "[[": what a judge that states no certainty would write.
  hints.choices = {"A]]", "B]]"};
  hints.choice_texts = {shown.a, shown.b};
  if (rules_of(type, text_of(sample.input, "recorded_prompt")).allow_tie) {
    hints.choices.push_back("C]]");
    hints.choice_texts.push_back("");
  }
  request.hints = std::move(hints);
  return request;
}

Scores PersonalizedJudgeTask::score(const Sample& sample, const Completion& completion,
                                    std::span<const Judgement>) const {
  const auto type = parse_prompt_type(text_of(sample.input, "prompt_type")).value_or(PromptType::recorded);
  const ReadingRules rules = rules_of(type, text_of(sample.input, "recorded_prompt"));
  Scores scores = score_reply_text(completion.error ? "" : completion.text, rules, shown_of(sample),
                                   completion.error.has_value(), completion.logprobs);
  // The aggregate sees only numbers: it learns the tie mode from this flag.
  if (rules.allow_tie) scores.values["tie_allowed"] = 1.0;
  return scores;
}

std::vector<MetricValue> PersonalizedJudgeTask::aggregate(std::span<const ScoredSample> samples,
                                                          uint64_t seed) const {
  JudgeAggregateOptions o;
  o.high_threshold = options_.high_threshold;
  o.certainty = false;
  for (const auto& s : samples) {
    const auto& v = s.scores.values;
    if (v.count("tie_allowed")) o.tie = true;
    if (v.count("no_certainty")) o.certainty = true;
  }
  if (options_.prompt == PromptType::with_persona_with_tie) o.tie = true;
  return judge_aggregate(samples, seed, o);
}

std::optional<double> PersonalizedJudgeTask::sample_metric(const std::string& metric,
                                                          const ScoredSample& sample) const {
  if (metric == "accuracy_all") return pairwise::pairwise_sample_metric("accuracy", sample);
  if (metric == "accuracy_parsed") return pairwise::pairwise_sample_metric(metric, sample);
  return std::nullopt;
}

std::string PersonalizedJudgeTask::target_text(const Sample& sample) const { return shown_of(sample).gold; }

std::unique_ptr<Task> make_personalized_judge_task(const Spec& spec) {
  if (spec.name != "personalized-judge") return nullptr;
  return std::make_unique<PersonalizedJudgeTask>(parse_personalized_judge_options(spec));
}

}  // namespace perseval::personalized_judge
