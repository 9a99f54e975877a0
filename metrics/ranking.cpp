#include "metrics/ranking.h"

#include <algorithm>
#include <cmath>

namespace perseval::metrics {
namespace {

double discount(std::size_t position) { return std::log2(static_cast<double>(position) + 2.0); }

double gain_of(double relevance, Gain gain) {
  return gain == Gain::linear ? relevance : std::exp2(relevance) - 1.0;
}

// How many distinct relevant ids ranked[:k] holds.
std::size_t distinct_hits(std::span<const std::string> ranked, const std::set<std::string>& relevant,
                          std::size_t k) {
  std::set<std::string> seen;
  const std::size_t n = std::min(k, ranked.size());
  for (std::size_t i = 0; i < n; ++i)
    if (relevant.count(ranked[i])) seen.insert(ranked[i]);
  return seen.size();
}

}  // namespace

double dcg_at_k(std::span<const double> ranked_relevance, std::size_t k, Gain gain) {
  double dcg = 0.0;
  const std::size_t n = std::min(k, ranked_relevance.size());
  // 1/log2 then add, in eval.py's order, so binary gains match it bit for bit.
  for (std::size_t i = 0; i < n; ++i) dcg += gain_of(ranked_relevance[i], gain) / discount(i);
  return dcg;
}

double ndcg_at_k(std::span<const double> ranked_relevance, std::span<const double> judged_relevance,
                 std::size_t k, Gain gain) {
  std::vector<double> ideal(judged_relevance.begin(), judged_relevance.end());
  std::sort(ideal.begin(), ideal.end(), [](double a, double b) { return a > b; });
  const double idcg = dcg_at_k(ideal, k, gain);
  return idcg > 0.0 ? dcg_at_k(ranked_relevance, k, gain) / idcg : 0.0;
}

double ndcg_at_k(std::span<const std::string> ranked, const std::set<std::string>& relevant,
                 std::size_t k) {
  double dcg = 0.0;
  const std::size_t n = std::min(k, ranked.size());
  for (std::size_t i = 0; i < n; ++i)
    if (relevant.count(ranked[i])) dcg += 1.0 / discount(i);
  double idcg = 0.0;
  const std::size_t ideal_hits = std::min(relevant.size(), k);
  for (std::size_t i = 0; i < ideal_hits; ++i) idcg += 1.0 / discount(i);
  return idcg > 0.0 ? dcg / idcg : 0.0;
}

double recall_at_k(std::span<const std::string> ranked, const std::set<std::string>& relevant,
                   std::size_t k) {
  if (relevant.empty()) return 0.0;
  return static_cast<double>(distinct_hits(ranked, relevant, k)) /
         static_cast<double>(relevant.size());
}

double precision_at_k(std::span<const std::string> ranked, const std::set<std::string>& relevant,
                      std::size_t k) {
  if (k == 0) return 0.0;
  return static_cast<double>(distinct_hits(ranked, relevant, k)) / static_cast<double>(k);
}

double reciprocal_rank(std::span<const std::string> ranked, const std::set<std::string>& relevant,
                       std::size_t k) {
  const std::size_t n = std::min(k, ranked.size());
  for (std::size_t i = 0; i < n; ++i)
    if (relevant.count(ranked[i])) return 1.0 / static_cast<double>(i + 1);
  return 0.0;
}

double average_precision(std::span<const std::string> ranked, const std::set<std::string>& relevant,
                         std::size_t k) {
  if (relevant.empty()) return 0.0;
  std::set<std::string> seen;
  double sum = 0.0;
  const std::size_t n = std::min(k, ranked.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!relevant.count(ranked[i]) || !seen.insert(ranked[i]).second) continue;
    sum += static_cast<double>(seen.size()) / static_cast<double>(i + 1);
  }
  return sum / static_cast<double>(relevant.size());
}

}  // namespace perseval::metrics
