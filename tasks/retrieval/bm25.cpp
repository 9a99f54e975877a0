#include "tasks/retrieval/bm25.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace perseval::retrieval {

Bm25Okapi::Bm25Okapi(const std::vector<std::vector<std::string>>& corpus, Bm25Options options)
    : options_(options) {
  const size_t n_docs = corpus.size();
  std::vector<uint32_t> doc_freq;  // by term id: number of documents holding the term
  size_t total_tokens = 0;
  std::vector<uint32_t> local_count;  // by term id, reset after each document
  std::vector<uint32_t> touched;
  for (size_t d = 0; d < n_docs; ++d) {
    total_tokens += corpus[d].size();
    touched.clear();
    for (const auto& token : corpus[d]) {
      auto [it, inserted] = term_ids_.try_emplace(token, static_cast<uint32_t>(doc_freq.size()));
      if (inserted) {
        doc_freq.push_back(0);
        postings_.emplace_back();
        local_count.push_back(0);
      }
      const uint32_t id = it->second;
      if (local_count[id]++ == 0) touched.push_back(id);
    }
    for (uint32_t id : touched) {
      ++doc_freq[id];
      postings_[id].push_back({static_cast<uint32_t>(d), local_count[id]});
      local_count[id] = 0;
    }
  }

  idf_.assign(doc_freq.size(), 0.0);
  if (n_docs == 0 || doc_freq.empty()) {
    // rank_bm25 raises ZeroDivisionError here; we keep an index that scores everything 0.
    doc_norm_.assign(n_docs, 0.0);
    return;
  }
  avgdl_ = static_cast<double>(total_tokens) / static_cast<double>(n_docs);

  // Term ids follow first occurrence, which is the iteration order of rank_bm25's `nd`
  // dict, so the idf sum is accumulated in the same order.
  const auto N = static_cast<double>(n_docs);
  double idf_sum = 0.0;
  std::vector<uint32_t> negative;
  for (size_t t = 0; t < doc_freq.size(); ++t) {
    const auto freq = static_cast<double>(doc_freq[t]);
    const double idf = std::log(N - freq + 0.5) - std::log(freq + 0.5);
    idf_[t] = idf;
    idf_sum += idf;
    if (idf < 0) negative.push_back(static_cast<uint32_t>(t));
  }
  const double average_idf = idf_sum / static_cast<double>(idf_.size());
  const double eps = options_.epsilon * average_idf;
  for (uint32_t t : negative) idf_[t] = eps;

  // Same association as rank_bm25: k1 * (1 - b + b * doc_len / avgdl).
  doc_norm_.resize(n_docs);
  for (size_t d = 0; d < n_docs; ++d) {
    const double len = static_cast<double>(corpus[d].size());
    doc_norm_[d] = options_.k1 * ((1 - options_.b) + options_.b * len / avgdl_);
  }
}

std::vector<double> Bm25Okapi::scores(const std::vector<std::string>& query_tokens) const {
  std::vector<double> out(doc_norm_.size(), 0.0);
  const double k1_plus_1 = options_.k1 + 1;
  for (const auto& q : query_tokens) {
    auto it = term_ids_.find(q);
    if (it == term_ids_.end()) continue;
    const double idf = idf_[it->second];
    if (idf == 0.0) continue;  // rank_bm25's `idf.get(q) or 0` adds exact zeros
    // Documents without the term would add idf·0 = ±0, which leaves a sum unchanged, so
    // visiting only the postings gives the same bits as rank_bm25's dense update.
    for (const Posting& p : postings_[it->second]) {
      const auto f = static_cast<double>(p.freq);
      out[p.doc] += idf * (f * k1_plus_1 / (f + doc_norm_[p.doc]));
    }
  }
  return out;
}

std::vector<size_t> Bm25Okapi::top_k(const std::vector<std::string>& query_tokens,
                                     size_t k) const {
  return order_by_score(scores(query_tokens), k);
}

std::vector<size_t> Bm25Okapi::rank_all(const std::vector<std::string>& query_tokens) const {
  return order_by_score(scores(query_tokens), doc_norm_.size());
}

double Bm25Okapi::idf(const std::string& term) const {
  auto it = term_ids_.find(term);
  return it == term_ids_.end() ? 0.0 : idf_[it->second];
}

std::vector<size_t> order_by_score(const std::vector<double>& scores, size_t k) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  const auto better = [&](size_t a, size_t b) {
    if (scores[a] != scores[b]) return scores[a] > scores[b];
    return a > b;
  };
  k = std::min(k, order.size());
  if (k < order.size()) {
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      better);
    order.resize(k);
  } else {
    std::sort(order.begin(), order.end(), better);
  }
  return order;
}

}  // namespace perseval::retrieval
