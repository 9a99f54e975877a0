#include "tasks/personafeedback/pf_scoring.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>

#include "tasks/pairwise/pairwise_scoring.h"

namespace perseval::personafeedback {
namespace {

double value_or(const std::map<std::string, double>& v, const char* key, double fallback) {
  const auto it = v.find(key);
  return it == v.end() ? fallback : it->second;
}

std::string item_of(const std::string& id) {
  for (const char* suffix : {"#chosen", "#reject"}) {
    const std::string s(suffix);
    if (id.size() >= s.size() && id.compare(id.size() - s.size(), s.size(), s) == 0)
      return id.substr(0, id.size() - s.size());
  }
  return id;
}

}  // namespace

std::vector<MetricValue> macro_tiers(std::span<const ScoredSample> samples, const char* value_key) {
  std::map<std::string, std::pair<double, double>> cells;  // cell → {correct, n}
  for (const auto& s : samples) {
    const auto cell = s.slices.find("cell");
    auto& c = cells[cell == s.slices.end() ? "" : cell->second];
    c.first += s.failed ? 0.0 : value_or(s.scores.values, value_key, 0);
    c.second += 1;
  }
  if (cells.empty()) return {};
  double sum = 0;
  for (const auto& [cell, c] : cells) sum += c.first / c.second;
  return {{"accuracy_macro_tiers", sum / static_cast<double>(cells.size()),
           static_cast<int64_t>(cells.size()), std::nullopt, std::nullopt}};
}

Scores score_reward_reply(std::string_view reply, bool is_chosen, bool failed) {
  Scores s;
  s.values["is_chosen"] = is_chosen ? 1.0 : 0.0;
  s.values["failed"] = failed ? 1.0 : 0.0;
  std::string text(reply);
  const auto b = text.find_first_not_of(" \t\r\n");
  text = b == std::string::npos ? "" : text.substr(b, text.find_last_not_of(" \t\r\n") - b + 1);
  char* end = nullptr;
  errno = 0;
  const double value = text.empty() ? 0.0 : std::strtod(text.c_str(), &end);
  const bool ok = !failed && !text.empty() && end == text.c_str() + text.size() && errno == 0 && std::isfinite(value);
  s.values["unparsed"] = !failed && !ok ? 1.0 : 0.0;
  if (ok) {
    s.values["reward"] = value;
    s.parsed_answer = text;
  } else {
    s.parsed_answer = failed ? "(error)" : "(no_score)";
  }
  return s;
}

std::vector<std::string> reward_metric_names() {
  return {"accuracy", "n_ties", "n_unparsed", "n_errors", "n_incomplete", "accuracy_macro_tiers"};
}

std::vector<MetricValue> aggregate_reward(std::span<const ScoredSample> samples) {
  struct Item {
    const ScoredSample* chosen = nullptr;
    const ScoredSample* reject = nullptr;
  };
  std::map<std::string, Item> items;
  for (const auto& s : samples) {
    auto& item = items[item_of(s.sample_id)];
    (value_or(s.scores.values, "is_chosen", 0) != 0 ? item.chosen : item.reject) = &s;
  }
  if (items.empty()) return {};
  double correct = 0, ties = 0, unparsed = 0, errors = 0, incomplete = 0;
  std::vector<ScoredSample> per_item;  // one row per item for the macro average
  for (const auto& [id, item] : items) {
    double c = 0;
    if (!item.chosen || !item.reject) {
      ++incomplete;
    } else {
      const auto& a = item.chosen->scores.values;
      const auto& r = item.reject->scores.values;
      const bool failed = item.chosen->failed || item.reject->failed || value_or(a, "failed", 0) != 0 ||
                          value_or(r, "failed", 0) != 0;
      if (failed) ++errors;
      else if (!a.count("reward") || !r.count("reward")) ++unparsed;
      else if (a.at("reward") == r.at("reward")) ++ties;
      else c = a.at("reward") > r.at("reward") ? 1.0 : 0.0;
    }
    correct += c;
    ScoredSample row;
    row.sample_id = id;
    row.slices = (item.chosen ? item.chosen : item.reject)->slices;
    row.scores.values["correct"] = c;
    per_item.push_back(std::move(row));
  }
  const auto n = static_cast<int64_t>(items.size());
  std::vector<MetricValue> out = {pairwise::proportion_metric("accuracy", correct, n),
                                  pairwise::count_metric("n_ties", ties, n),
                                  pairwise::count_metric("n_unparsed", unparsed, n),
                                  pairwise::count_metric("n_errors", errors, n),
                                  pairwise::count_metric("n_incomplete", incomplete, n)};
  for (auto& m : macro_tiers(per_item, "correct")) out.push_back(std::move(m));
  return out;
}

}  // namespace perseval::personafeedback
