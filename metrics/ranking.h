// Ranking metrics for retrieval: nDCG@k (binary and graded), Recall@k, Precision@k,
// reciprocal rank (MRR) and average precision (MAP). Per query; average the per-query
// values (metrics::mean) for the run-level MRR / MAP / mean nDCG.
//
// DCG convention, used everywhere here: position i (0-based) is discounted by log2(i + 2),
//   DCG@k = Σ_{i < min(k, n)} gain_i / log2(i + 2).
// This is the Järvelin–Kekäläinen / trec_eval form, and the one PersonaBench's eval.py uses
// with binary gains (1 for a relevant id, 0 otherwise); graded gains are used linearly
// (Gain::linear) or as 2^rel − 1 (Gain::exponential, Burges et al.). IDCG is the DCG@k of
// the ideal order; nDCG is 0 when IDCG is 0.
//
// Ranked lists may repeat an id. Following eval.py, DCG counts every position holding a
// relevant id (so a duplicated hit counts twice and nDCG can exceed 1), while Recall@k,
// Precision@k, reciprocal rank and average precision count each relevant id once.
#pragma once

#include <cstddef>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace perseval::metrics {

// How a graded relevance becomes a gain.
enum class Gain { linear, exponential };

// DCG@k of graded relevances given in ranked order (best first).
double dcg_at_k(std::span<const double> ranked_relevance, std::size_t k, Gain gain = Gain::linear);

// Graded nDCG@k: DCG@k of `ranked_relevance` divided by the DCG@k of `judged_relevance`
// (the relevance of every judged item, any order) sorted descending. 0 when that ideal DCG
// is 0 (no positive relevance judged).
double ndcg_at_k(std::span<const double> ranked_relevance,
                 std::span<const double> judged_relevance, std::size_t k,
                 Gain gain = Gain::linear);

// Binary nDCG@k over ids: DCG@k with gain 1 at each position whose id is in `relevant`,
// divided by IDCG = Σ_{i < min(|relevant|, k)} 1 / log2(i + 2). 0 when `relevant` is empty.
double ndcg_at_k(std::span<const std::string> ranked, const std::set<std::string>& relevant,
                 std::size_t k);

// |distinct ids among ranked[:k] that are relevant| / |relevant|; 0 when `relevant` is empty.
double recall_at_k(std::span<const std::string> ranked, const std::set<std::string>& relevant,
                   std::size_t k);

// |distinct ids among ranked[:k] that are relevant| / k (trec_eval's P@k: a list shorter
// than k is not rewarded); 0 when k is 0.
double precision_at_k(std::span<const std::string> ranked, const std::set<std::string>& relevant,
                      std::size_t k);

// 1 / (1 + position of the first relevant id within ranked[:k]); 0 when there is none.
// Pass k = ranked.size() (or larger) for the uncut reciprocal rank.
double reciprocal_rank(std::span<const std::string> ranked, const std::set<std::string>& relevant,
                       std::size_t k);

// Average precision@k: Σ over positions i < k holding a relevant id for the first time of
// (relevant ids seen so far) / (i + 1), divided by |relevant| (trec_eval's normaliser, so
// relevant ids never retrieved count as 0). 0 when `relevant` is empty.
double average_precision(std::span<const std::string> ranked, const std::set<std::string>& relevant,
                         std::size_t k);

}  // namespace perseval::metrics
