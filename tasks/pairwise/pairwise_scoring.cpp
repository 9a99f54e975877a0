#include "tasks/pairwise/pairwise_scoring.h"

#include <map>

#include "metrics/judge_uncertainty.h"
#include "metrics/proportion.h"
#include "metrics/stats.h"

namespace perseval::pairwise {
namespace {

constexpr int kResamples = 1000;

double value_or(const std::map<std::string, double>& values, const char* key, double fallback) {
  const auto it = values.find(key);
  return it == values.end() ? fallback : it->second;
}

bool has(const std::map<std::string, double>& values, const char* key) {
  return values.count(key) > 0;
}

int letter_index(std::string_view letter) {
  if (letter == "A") return 0;
  if (letter == "B") return 1;
  if (letter == "C") return 2;
  return -1;
}

std::string index_label(double index) {
  static const char* kLabels[] = {"A", "B", "C"};
  const int i = static_cast<int>(index);
  return i >= 0 && i < 3 ? kLabels[i] : "-";
}

// Certainty (or log-probability) metrics over the items that have one.
void add_confidence_metrics(const std::vector<metrics::ConfidentOutcome>& items,
                            const std::string& suffix, bool with_thresholds,
                            const std::vector<int>& thresholds, std::vector<MetricValue>& out) {
  if (items.empty()) return;
  const auto n = static_cast<int64_t>(items.size());
  if (with_thresholds) {
    for (const int t : thresholds) {
      const auto p = metrics::selective_at(items, t / 100.0);
      out.push_back(proportion_metric("coverage@" + std::to_string(t), static_cast<double>(p.covered), n));
      if (p.accuracy)
        out.push_back(proportion_metric("sel_acc@" + std::to_string(t), static_cast<double>(p.correct),
                                        p.covered));
    }
    const auto curve = metrics::risk_coverage_curve(items);
    out.push_back({"aurc", metrics::area_under_risk_coverage(curve), n, std::nullopt, std::nullopt});
  }
  if (const auto auc = metrics::auroc(items))
    out.push_back({"auroc" + suffix, *auc, n, std::nullopt, std::nullopt});
  out.push_back({"ece_10" + suffix, metrics::expected_calibration_error(items), n, std::nullopt,
                 std::nullopt});
  out.push_back({"brier" + suffix, metrics::brier_score(items), n, std::nullopt, std::nullopt});
}

}  // namespace

size_t code_points(std::string_view text) {
  size_t n = 0;
  for (const unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

MetricValue proportion_metric(const std::string& name, double successes, int64_t n) {
  if (n <= 0) return {name, 0.0, 0, std::nullopt, std::nullopt};
  const auto ci = metrics::wilson_interval(successes, static_cast<double>(n));
  return {name, successes / static_cast<double>(n), n, ci.low, ci.high};
}

MetricValue count_metric(const std::string& name, double count, int64_t n) {
  return {name, count, n, std::nullopt, std::nullopt};
}

Scores score_choice(const Choice& choice, const ShownPair& shown, bool failed,
                    std::optional<double> confidence_logprob) {
  Scores s;
  auto& v = s.values;
  const bool ok = !failed && choice.status == "ok";
  s.parsed_answer = ok ? choice.answer : failed ? "(error)" : "(" + choice.status + ")";
  v["correct"] = ok && choice.answer == shown.gold ? 1.0 : 0.0;
  v["failed"] = failed ? 1.0 : 0.0;
  v["unparsed"] = !failed && !ok ? 1.0 : 0.0;
  if (const int g = letter_index(shown.gold); g >= 0) v["gold_index"] = g;
  if (ok) {
    v["answer_index"] = letter_index(choice.answer);
    if (choice.answer != "C") v["picked_stored_first"] = (choice.answer == "A") != shown.swapped ? 1.0 : 0.0;
  }
  if (shown.gold == "A" || shown.gold == "B") {
    const size_t gold_len = code_points(shown.gold == "A" ? shown.a : shown.b);
    const size_t other_len = code_points(shown.gold == "A" ? shown.b : shown.a);
    v["longer_is_gold"] = gold_len > other_len ? 1.0 : gold_len < other_len ? 0.0 : 0.5;
  }
  // Asked for a certainty and got an answer: a missing certainty is counted (without an
  // answer the row already counts as unparsed).
  if (!choice.certainty_status.empty() && ok) {
    if (choice.certainty) v["certainty"] = *choice.certainty;
    v["no_certainty"] = choice.certainty ? 0.0 : 1.0;
  }
  if (ok && confidence_logprob) v["confidence_logprob"] = *confidence_logprob;
  return s;
}

std::optional<double> pairwise_sample_metric(const std::string& metric, const ScoredSample& sample) {
  // The same reading as aggregate_pairwise's loop.
  const auto& v = sample.scores.values;
  const bool failed = sample.failed || value_or(v, "failed", 0) != 0;
  const double correct = failed ? 0.0 : value_or(v, "correct", 0);
  if (metric == "accuracy") return correct;
  if (metric == "accuracy_parsed" && !failed && value_or(v, "unparsed", 1) == 0) return correct;
  return std::nullopt;
}

std::vector<std::string> pairwise_metric_names(const PairwiseAggregateOptions& options) {
  std::vector<std::string> names = {"accuracy",        "accuracy_parsed",         "n_unparsed",
                                    "n_errors",        "n_lenient_parse",         "p_choose_A",
                                    "acc_longer_baseline", "kappa",               "accuracy_user_bootstrap",
                                    "accuracy_both_orders", "position_consistency", "n_pairs"};
  if (options.certainty) {
    names.push_back("n_no_certainty");
    for (const int t : options.thresholds) {
      names.push_back("coverage@" + std::to_string(t));
      names.push_back("sel_acc@" + std::to_string(t));
    }
    for (const char* n : {"aurc", "auroc_certainty", "ece_10", "brier"}) names.push_back(n);
  }
  for (const char* n : {"auroc_logprob", "ece_10_logprob", "brier_logprob"}) names.push_back(n);
  return names;
}

std::vector<MetricValue> aggregate_pairwise(std::span<const ScoredSample> samples, uint64_t seed,
                                            const PairwiseAggregateOptions& options) {
  if (samples.empty()) return {};
  const auto n_all = static_cast<int64_t>(samples.size());
  double correct = 0, unparsed = 0, errors = 0, chose_a = 0, longer = 0, no_certainty = 0, lenient = 0;
  int64_t parsed = 0, parsed_ab = 0, with_length = 0, asked_certainty = 0;
  std::vector<std::string> gold_labels, answer_labels;
  std::vector<metrics::ConfidentOutcome> by_certainty, by_logprob;
  std::map<std::string, std::pair<double, double>> users;  // user → {correct, n}
  std::map<std::string, std::pair<const ScoredSample*, const ScoredSample*>> pairs;

  for (const auto& s : samples) {
    const auto& v = s.scores.values;
    const bool failed = s.failed || value_or(v, "failed", 0) != 0;
    const double c = failed ? 0.0 : value_or(v, "correct", 0);
    correct += c;
    auto& user = users[s.user_id];
    user.first += c;
    user.second += 1;
    if (failed) {
      ++errors;
      continue;
    }
    if (value_or(v, "unparsed", 1) != 0) ++unparsed;
    else ++parsed;
    lenient += value_or(v, "lenient_form", 0);
    if (has(v, "answer_index") && v.at("answer_index") < 2) {
      ++parsed_ab;
      chose_a += v.at("answer_index") == 0 ? 1 : 0;
    }
    if (has(v, "longer_is_gold")) {
      ++with_length;
      longer += v.at("longer_is_gold");
    }
    if (has(v, "gold_index")) {
      gold_labels.push_back(index_label(v.at("gold_index")));
      answer_labels.push_back(has(v, "answer_index") ? index_label(v.at("answer_index")) : "-");
    }
    if (has(v, "no_certainty")) {
      ++asked_certainty;
      no_certainty += v.at("no_certainty");
    }
    if (has(v, "certainty")) by_certainty.push_back({v.at("certainty") / 100.0, c != 0});
    if (has(v, "confidence_logprob")) by_logprob.push_back({v.at("confidence_logprob"), c != 0});
    const auto order = s.slices.find("order");
    if (order != s.slices.end()) {
      auto& pair = pairs[pair_item_id(s.sample_id)];
      (order->second == "swapped" ? pair.second : pair.first) = &s;
    }
  }

  std::vector<MetricValue> out;
  out.push_back(proportion_metric("accuracy", correct, n_all));
  if (parsed > 0) out.push_back(proportion_metric("accuracy_parsed", correct, parsed));
  out.push_back(count_metric("n_unparsed", unparsed, n_all - static_cast<int64_t>(errors)));
  out.push_back(count_metric("n_errors", errors, n_all));
  out.push_back(count_metric("n_lenient_parse", lenient, parsed));
  if (parsed_ab > 0) out.push_back(proportion_metric("p_choose_A", chose_a, parsed_ab));
  if (with_length > 0) out.push_back(proportion_metric("acc_longer_baseline", longer, with_length));
  if (const auto kappa = metrics::cohen_kappa(gold_labels, answer_labels))
    out.push_back({"kappa", *kappa, static_cast<int64_t>(gold_labels.size()), std::nullopt, std::nullopt});
  if (users.size() >= 2) {
    std::vector<std::pair<double, double>> groups;
    for (const auto& [id, g] : users) groups.push_back(g);
    const auto ratio = [&groups](std::span<const size_t> idx) {
      double c = 0, n = 0;
      for (const size_t i : idx) {
        c += groups[i].first;
        n += groups[i].second;
      }
      return n > 0 ? c / n : 0.0;
    };
    const auto ci = metrics::bootstrap_interval(groups.size(), ratio, seed, kResamples);
    out.push_back({"accuracy_user_bootstrap", correct / static_cast<double>(n_all),
                   static_cast<int64_t>(groups.size()), ci.low, ci.high});
  }

  double both = 0, consistent = 0;
  int64_t complete = 0;
  for (const auto& [id, pair] : pairs) {
    if (!pair.first || !pair.second) continue;
    ++complete;
    const auto& v1 = pair.first->scores.values;
    const auto& v2 = pair.second->scores.values;
    const bool ok1 = !pair.first->failed, ok2 = !pair.second->failed;
    if (ok1 && ok2 && value_or(v1, "correct", 0) != 0 && value_or(v2, "correct", 0) != 0) ++both;
    if (ok1 && ok2 && has(v1, "picked_stored_first") && has(v2, "picked_stored_first") &&
        v1.at("picked_stored_first") == v2.at("picked_stored_first"))
      ++consistent;
  }
  if (complete > 0) {
    out.push_back(proportion_metric("accuracy_both_orders", both, complete));
    out.push_back(proportion_metric("position_consistency", consistent, complete));
    out.push_back(count_metric("n_pairs", static_cast<double>(complete), complete));
  }

  if (options.certainty) {
    out.push_back(count_metric("n_no_certainty", no_certainty, asked_certainty));
    std::vector<MetricValue> confidence;
    add_confidence_metrics(by_certainty, "_certainty", true, options.thresholds, confidence);
    // ece/brier on certainty keep the plain names of personalized_judge.md §6.2.
    for (auto& m : confidence) {
      if (m.name == "ece_10_certainty") m.name = "ece_10";
      if (m.name == "brier_certainty") m.name = "brier";
      out.push_back(std::move(m));
    }
  }
  add_confidence_metrics(by_logprob, "_logprob", false, {}, out);
  return out;
}

}  // namespace perseval::pairwise
