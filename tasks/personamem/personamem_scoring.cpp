#include "tasks/personamem/personamem_scoring.h"

#include <map>

#include "metrics/proportion.h"
#include "metrics/stats.h"
#include "tasks/personamem/answer_extraction.h"

namespace perseval::personamem {

namespace {

constexpr int kResamples = 1000;

double value_or(const std::map<std::string, double>& values, const char* key, double fallback) {
  const auto it = values.find(key);
  return it == values.end() ? fallback : it->second;
}

MetricValue proportion(const std::string& name, double successes, long long n) {
  const auto ci = metrics::wilson_interval(successes, static_cast<double>(n));
  return {name, successes / static_cast<double>(n), n, ci.low, ci.high};
}

MetricValue count(const std::string& name, double value, long long n) {
  return {name, value, n, std::nullopt, std::nullopt};
}

}  // namespace

Scores score_response(std::string_view response, std::string_view correct_answer, bool failed) {
  Scores s;
  if (failed) {
    s.values = {{"correct", 0.0}, {"failed", 1.0}, {"unparseable", 0.0}};
    return s;
  }
  const Extraction e = extract_answer(response, correct_answer);
  s.parsed_answer = format_letters(e.tail_letters.empty() ? e.full_letters : e.tail_letters);
  const bool none = e.tail_letters.empty() && e.full_letters.empty();
  s.values = {
      {"correct", e.correct ? 1.0 : 0.0}, {"failed", 0.0}, {"unparseable", none ? 1.0 : 0.0}};
  return s;
}

const std::vector<std::string>& metric_names() {
  static const std::vector<std::string> names = {
      "accuracy", "accuracy_corrected", "accuracy_persona_bootstrap", "n_failed", "n_unparseable"};
  return names;
}

namespace {

// A sample aggregate_scores counts as failed.
bool counts_as_failed(const ScoredSample& s) {
  const auto& v = s.scores.values;
  return s.failed || !v.count("correct") || value_or(v, "failed", 0) != 0;
}

}  // namespace

std::optional<double> sample_metric_value(const std::string& metric, const ScoredSample& sample) {
  const bool failed = counts_as_failed(sample);
  if (metric == "accuracy") return failed ? std::nullopt : std::optional<double>(sample.scores.values.at("correct"));
  if (metric == "accuracy_corrected") return failed ? 0.0 : sample.scores.values.at("correct");
  return std::nullopt;
}

std::vector<MetricValue> aggregate_scores(std::span<const ScoredSample> samples, uint64_t seed) {
  if (samples.empty()) return {};
  long long n_all = 0, n_answered = 0, n_failed = 0, n_unparseable = 0;
  double correct = 0;
  // Per persona: {correct, answered}, in a fixed order so the bootstrap is reproducible.
  std::map<std::string, std::pair<double, double>> personas;
  for (const auto& s : samples) {
    ++n_all;
    const auto& v = s.scores.values;
    if (counts_as_failed(s)) {
      ++n_failed;
      continue;
    }
    ++n_answered;
    const double c = value_or(v, "correct", 0);
    correct += c;
    if (value_or(v, "unparseable", 0) != 0) ++n_unparseable;
    auto& p = personas[s.user_id];
    p.first += c;
    p.second += 1;
  }

  std::vector<MetricValue> out;
  if (n_answered > 0) out.push_back(proportion("accuracy", correct, n_answered));
  out.push_back(proportion("accuracy_corrected", correct, n_all));
  if (personas.size() >= 2) {
    std::vector<std::pair<double, double>> groups;
    for (const auto& [id, g] : personas) groups.push_back(g);
    const auto ratio = [&groups](std::span<const size_t> idx) {
      double c = 0, n = 0;
      for (size_t i : idx) {
        c += groups[i].first;
        n += groups[i].second;
      }
      return n > 0 ? c / n : 0.0;
    };
    const auto ci = metrics::bootstrap_interval(groups.size(), ratio, seed, kResamples);
    out.push_back({"accuracy_persona_bootstrap", correct / static_cast<double>(n_answered),
                   static_cast<int64_t>(groups.size()), ci.low, ci.high});
  }
  out.push_back(count("n_failed", static_cast<double>(n_failed), n_all));
  out.push_back(count("n_unparseable", static_cast<double>(n_unparseable), n_answered));
  return out;
}

}  // namespace perseval::personamem
