#include "tasks/personalized_judge/judge_scoring.h"

#include <map>

#include "tasks/pairwise/certainty_scale.h"
#include "tasks/pairwise/logprob_confidence.h"
#include "tasks/pairwise/pairwise_scoring.h"
#include "tasks/personalized_judge/official_analysis.h"

namespace perseval::personalized_judge {
namespace {

double value_or(const std::map<std::string, double>& v, const char* key, double fallback) {
  const auto it = v.find(key);
  return it == v.end() ? fallback : it->second;
}

int letter_index(const std::string& letter) {
  if (letter == "A") return 0;
  if (letter == "B") return 1;
  if (letter == "C") return 2;
  return -1;
}

std::string index_letter(double index) {
  const int i = static_cast<int>(index);
  return i == 0 ? "A" : i == 1 ? "B" : i == 2 ? "C" : "?";
}

}  // namespace

ReadingRules rules_for_prompt(std::string_view prompt) {
  ReadingRules r;
  r.open_bracket = prompt.size() >= 2 && prompt.substr(prompt.size() - 2) == "[[";
  r.allow_tie = prompt.find("\"[[C]]\"") != std::string_view::npos;
  r.want_certainty = prompt.find("certainty level") != std::string_view::npos;
  return r;
}

pairwise::Choice choice_from_recorded(const std::string& answer, const std::string& certainty,
                                      const ReadingRules& rules) {
  pairwise::Choice c;
  c.form = "recorded";
  const std::string allowed = rules.allow_tie ? "ABC" : "AB";
  if (answer.size() == 1 && allowed.find(answer[0]) != std::string::npos) {
    c.status = "ok";
    c.answer = answer;
  } else {
    c.status = answer == "C" ? "answer_not_allowed" : "no_answer";
  }
  if (!rules.want_certainty) return c;
  const bool digits = !certainty.empty() && certainty.size() <= 3 &&
                      certainty.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) {
    c.certainty_status = "no_certainty";
  } else if (const int v = std::stoi(certainty); v < 1 || v > 100) {
    c.certainty_status = "certainty_out_of_range";
  } else {
    c.certainty = v;
    c.certainty_status = "ok";
  }
  return c;
}

Scores score_judge_reply(const pairwise::Choice& strict, const OfficialReading& official,
                         const pairwise::ShownPair& shown, bool failed,
                         std::optional<double> confidence_logprob) {
  Scores s = pairwise::score_choice(strict, shown, failed, confidence_logprob);
  if (failed) return s;
  auto& v = s.values;
  v["official_answer_index"] = letter_index(official.answer);
  v["official_certainty"] = pairwise::official_certainty_value(official.certainty);
  v["official_has_certainty"] = official.certainty != "NA" ? 1.0 : 0.0;
  if (strict.status != "ok") v["status_" + strict.status] = 1.0;
  if (strict.status == "ok" && strict.certainty_status == "certainty_out_of_range")
    v["certainty_out_of_range"] = 1.0;
  return s;
}

Scores score_reply_text(std::string_view reply, const ReadingRules& rules,
                        const pairwise::ShownPair& shown, bool failed, const json& logprobs) {
  pairwise::ExtractOptions o;
  o.allowed = rules.allow_tie ? "ABC" : "AB";
  o.open_bracket_prompt = rules.open_bracket;
  o.pick = pairwise::BracketPick::first;  // the prompt expects the answer at once
  o.lenient = false;
  o.want_certainty = rules.want_certainty;
  const pairwise::Choice strict = failed ? pairwise::Choice{} : pairwise::extract_choice(reply, o);
  OfficialReading official{pairwise::official_answer(reply).value_or(""),
                           pairwise::official_certainty(reply)};
  std::optional<double> confidence;
  if (!failed && strict.status == "ok")
    confidence = pairwise::verdict_probability(logprobs, strict.answer, o.allowed);
  return score_judge_reply(strict, official, shown, failed, confidence);
}

std::vector<std::string> judge_metric_names(const JudgeAggregateOptions& options) {
  pairwise::PairwiseAggregateOptions p;
  p.certainty = options.certainty;
  p.thresholds = options.thresholds;
  std::vector<std::string> names;
  for (auto& n : pairwise::pairwise_metric_names(p)) names.push_back(n == "accuracy" ? "accuracy_all" : n);
  for (const char* n : {"n_no_answer", "n_answer_not_allowed", "n_certainty_out_of_range"}) names.push_back(n);
  if (options.certainty)
    for (int b = 0; b < 5; ++b) {
      names.push_back("band_" + pairwise::certainty_band_label(b) + "_n");
      names.push_back("band_" + pairwise::certainty_band_label(b) + "_acc");
    }
  for (const char* n : {"accuracy_ab", "n_answered_ab", "n_parse_fail_official", "hi_n", "hi_acc", "lo_n", "lo_acc"})
    names.push_back(n);
  for (int bin = 4; bin <= 9; ++bin) {
    names.push_back("bin_" + std::to_string(bin) + "_n");
    names.push_back("bin_" + std::to_string(bin) + "_acc");
  }
  for (const int t : options.thresholds) {
    names.push_back("official_coverage@" + std::to_string(t));
    names.push_back("official_sel_acc@" + std::to_string(t));
  }
  if (options.tie) names.push_back("three_way_accuracy");
  return names;
}

// Both halves walk the samples; `official` is filled only when asked for.
static std::vector<MetricValue> collect(std::span<const ScoredSample> samples, uint64_t seed,
                                 const JudgeAggregateOptions& options, bool with_official) {
  if (samples.empty()) return {};
  pairwise::PairwiseAggregateOptions p;
  p.certainty = options.certainty;
  p.thresholds = options.thresholds;
  std::vector<MetricValue> out = pairwise::aggregate_pairwise(samples, seed, p);
  for (auto& m : out)
    if (m.name == "accuracy") m.name = "accuracy_all";

  double no_answer = 0, not_allowed = 0, out_of_range = 0;
  int64_t answered = 0;
  std::vector<std::pair<double, double>> bands(5);  // {n, correct}
  std::vector<OfficialCase> cases;
  for (const auto& s : samples) {
    const auto& v = s.scores.values;
    if (s.failed || value_or(v, "failed", 0) != 0) continue;
    ++answered;
    no_answer += value_or(v, "status_no_answer", 0);
    not_allowed += value_or(v, "status_answer_not_allowed", 0);
    out_of_range += value_or(v, "certainty_out_of_range", 0);
    if (const auto it = v.find("certainty"); it != v.end()) {
      const int band = pairwise::certainty_band(static_cast<int>(it->second));
      if (band >= 0) {
        bands[band].first += 1;
        bands[band].second += value_or(v, "correct", 0);
      }
    }
    if (!v.count("official_answer_index")) continue;
    OfficialCase c;
    c.gold = index_letter(value_or(v, "gold_index", -1));
    c.answer = index_letter(v.at("official_answer_index"));
    c.certainty = value_or(v, "official_has_certainty", 0) != 0
                      ? std::to_string(static_cast<int>(value_or(v, "official_certainty", 0)))
                      : "NA";
    cases.push_back(std::move(c));
  }
  out.push_back(pairwise::count_metric("n_no_answer", no_answer, answered));
  out.push_back(pairwise::count_metric("n_answer_not_allowed", not_allowed, answered));
  out.push_back(pairwise::count_metric("n_certainty_out_of_range", out_of_range, answered));
  if (options.certainty)
    for (int b = 0; b < 5; ++b) {
      const std::string name = "band_" + pairwise::certainty_band_label(b);
      const auto n = static_cast<int64_t>(bands[b].first);
      out.push_back(pairwise::count_metric(name + "_n", bands[b].first, answered));
      if (n > 0) out.push_back(pairwise::proportion_metric(name + "_acc", bands[b].second, n));
    }
  if (with_official && !cases.empty()) {
    AnalysisOptions a;
    a.high_threshold = options.high_threshold;
    a.thresholds = options.thresholds;
    a.tie = options.tie;
    for (auto& m : official_metrics(analyse_official(cases, a))) out.push_back(std::move(m));
  }
  return out;
}

std::vector<MetricValue> strict_judge_metrics(std::span<const ScoredSample> samples, uint64_t seed,
                                              const JudgeAggregateOptions& options) {
  return collect(samples, seed, options, false);
}

std::vector<MetricValue> judge_aggregate(std::span<const ScoredSample> samples, uint64_t seed,
                                         const JudgeAggregateOptions& options) {
  return collect(samples, seed, options, true);
}

}  // namespace perseval::personalized_judge
