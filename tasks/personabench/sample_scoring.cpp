#include "tasks/personabench/sample_scoring.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "metrics/python_text.h"
#include "metrics/stats.h"
#include "metrics/word_set.h"

namespace perseval::personabench {
namespace {

std::optional<std::set<std::string>> words_of(const json& target, const char* key) {
  const auto it = target.find(key);
  if (it == target.end() || !it->is_array()) return std::nullopt;
  std::set<std::string> out;
  for (const auto& w : *it)
    if (w.is_string()) out.insert(w.get<std::string>());
  return out;
}

GtItems gt_of(const json& target) {
  GtItems items;
  const auto it = target.find("gt_segment_ids");
  if (it == target.end() || !it->is_array()) return items;
  for (const auto& pair : *it)
    items.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::vector<std::string>>());
  return items;
}

void put_prf(Scores& s, const metrics::SetScores& prf, const std::string& suffix) {
  s.values["precision" + suffix] = prf.precision;
  s.values["recall" + suffix] = prf.recall;
  s.values["f1" + suffix] = prf.f1;
}

std::string at_k(const char* name, std::size_t k) { return std::string(name) + "@" + std::to_string(k); }

}  // namespace

Scores score_sample(const json& target, std::string_view prediction,
                    const std::optional<std::vector<std::string>>& retrieved, std::size_t k) {
  Scores s;
  s.parsed_answer = metrics::python_strip(prediction);
  const std::string category = target.value("category", "");
  if (category.empty()) {
    const auto answer = target.contains("answer") ? ordered_json::parse(target["answer"].dump()) : ordered_json();
    if (const auto correct = subjective_correct(prediction, answer)) s.values["subjective_correct"] = *correct ? 1.0 : 0.0;
    return s;
  }
  const auto predicted = metrics::ascii_word_set(prediction);
  if (const auto gold = words_of(target, "gold_words"))
    put_prf(s, metrics::set_precision_recall_f1(*gold, predicted), "_corrected");
  if (const auto gold = words_of(target, "gold_words_official"))
    put_prf(s, metrics::set_precision_recall_f1(*gold, predicted), "");
  if (target.value("outdated", false)) {
    if (const auto old = words_of(target, "outdated_words"))
      s.values["outdated_recall_corrected"] = metrics::set_precision_recall_f1(*old, predicted).recall;
    if (const auto old = words_of(target, "outdated_words_official"))
      s.values["outdated_recall"] = metrics::set_precision_recall_f1(*old, predicted).recall;
  }
  const GtItems gt = gt_of(target);
  if (retrieved) {
    const auto best = best_retrieval_scores(*retrieved, gt);
    s.values[at_k("recall", k)] = best.recall;
    s.values[at_k("ndcg", k)] = best.ndcg;
  }
  s.values["int_answer"] = target.value("int_answer", false) ? 1.0 : 0.0;
  s.values["over_k_items"] = gt.size() > k ? 1.0 : 0.0;
  return s;
}

std::vector<std::string> metric_names(const Options& options) {
  std::vector<std::string> names{"f1", "precision", "recall", "outdated_recall"};
  if (options.retriever != Retriever::oracle) {
    names.push_back(at_k("recall", options.k));
    names.push_back(at_k("ndcg", options.k));
  }
  for (const char* n : {"f1_corrected", "precision_corrected", "recall_corrected",
                        "outdated_recall_corrected", "subjective_accuracy", "n_int_answers",
                        "n_over_k_items", "n_errors"})
    names.push_back(n);
  return names;
}

namespace {

// Which per-sample value each metric averages or sums; "" = count of failed calls.
std::string source_key(const std::string& metric) {
  if (metric == "subjective_accuracy") return "subjective_correct";
  if (metric == "n_int_answers") return "int_answer";
  if (metric == "n_over_k_items") return "over_k_items";
  if (metric == "n_errors") return "";
  return metric;
}

}  // namespace

std::optional<double> sample_metric_value(const std::string& metric, const ScoredSample& sample,
                                          const Options& options) {
  if (metric.rfind("n_", 0) == 0) return std::nullopt;
  const auto names = metric_names(options);
  if (std::find(names.begin(), names.end(), metric) == names.end()) return std::nullopt;
  const auto it = sample.scores.values.find(source_key(metric));
  if (it == sample.scores.values.end()) return std::nullopt;
  return it->second;
}

std::vector<MetricValue> aggregate_samples(std::span<const ScoredSample> samples,
                                           const Options& options, uint64_t seed) {
  const auto source = source_key;
  std::vector<MetricValue> out;
  std::size_t scored = 0;
  for (const auto& s : samples)
    if (!s.scores.values.empty()) ++scored;
  if (scored == 0) return out;
  for (const auto& name : metric_names(options)) {
    const std::string key = source(name);
    if (key.empty()) {
      double failed = 0;
      for (const auto& s : samples) failed += s.failed ? 1 : 0;
      out.push_back({name, failed, static_cast<int64_t>(samples.size()), std::nullopt, std::nullopt});
      continue;
    }
    std::vector<double> values;
    for (const auto& s : samples) {
      const auto it = s.scores.values.find(key);
      if (it != s.scores.values.end()) values.push_back(it->second);
    }
    if (values.empty()) continue;
    const auto n = static_cast<int64_t>(values.size());
    if (name.rfind("n_", 0) == 0) {
      double total = 0;
      for (double v : values) total += v;
      out.push_back({name, total, n, std::nullopt, std::nullopt});
      continue;
    }
    MetricValue m{name, metrics::mean(values), n, std::nullopt, std::nullopt};
    const auto ci = metrics::bootstrap_mean_interval(values, seed);
    if (std::isfinite(ci.low) && std::isfinite(ci.high)) {
      m.ci_low = ci.low;
      m.ci_high = ci.high;
    }
    out.push_back(m);
  }
  return out;
}

}  // namespace perseval::personabench
