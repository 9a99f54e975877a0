// BM25Okapi exactly as the `rank_bm25` Python package (0.2.x) computes it, which is what
// LaMP's official prompt builder and rank_profiles.py use (lamp.md §7.2).
//
// Thread safety: a built Bm25Okapi is immutable; scoring from many threads is safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tasks/retrieval/whitespace.h"

namespace perseval::retrieval {

// rank_bm25's defaults.
struct Bm25Options {
  double k1 = 1.5;
  double b = 0.75;
  double epsilon = 0.25;
};

// An index over a tokenised corpus (one token list per document).
//   idf(t)  = ln(N − n_t + 0.5) − ln(n_t + 0.5); every negative idf is replaced by
//             epsilon · (mean idf over all corpus terms, before replacement);
//   score(d) = Σ over query tokens q (repeats count again) of
//             idf(q) · f(q,d)·(k1+1) / (f(q,d) + k1·(1 − b + b·|d|/avgdl)),
//   avgdl = total tokens / N; tokens absent from the corpus contribute 0.
// Floating-point operations are done in rank_bm25's order so scores match it bit for bit
// (terms are numbered by first occurrence, as Python's dict insertion order does; checked
// against a Python re-implementation on 1000 random corpora). A build that lets the
// compiler fuse multiply-adds (e.g. -march=native with FMA) may differ in the last bit.
// Degenerate corpora where rank_bm25 raises (no documents, or no tokens at all) give
// all-zero scores here instead.
class Bm25Okapi {
 public:
  // Builds the index; `corpus[i]` is document i's token list.
  explicit Bm25Okapi(const std::vector<std::vector<std::string>>& corpus,
                     Bm25Options options = {});

  // Score of every document for `query_tokens`, in corpus order (size() values).
  std::vector<double> scores(const std::vector<std::string>& query_tokens) const;

  // The best min(k, size()) document indices, by descending score. Equal scores are ordered
  // by DESCENDING document index: rank_bm25 takes np.argsort(scores)[::-1], and NumPy's
  // order among equal keys is unspecified (platform- and size-dependent). We fix the order a
  // stable ascending sort reversed would give, which is what NumPy's insertion-sort path for
  // small arrays (typical LaMP top-k calls) produces (lamp.md §7.2).
  std::vector<size_t> top_k(const std::vector<std::string>& query_tokens, size_t k) const;

  // Every document index, ordered as top_k orders them (a full ranking, best first).
  std::vector<size_t> rank_all(const std::vector<std::string>& query_tokens) const;

  // Number of documents.
  size_t size() const { return doc_norm_.size(); }

  // Average document length in tokens (0 for an empty corpus).
  double avgdl() const { return avgdl_; }

  // The idf used for `term` after the epsilon floor; 0 for a term absent from the corpus.
  double idf(const std::string& term) const;

 private:
  struct Posting {
    uint32_t doc;
    uint32_t freq;
  };
  Bm25Options options_;
  double avgdl_ = 0.0;
  std::unordered_map<std::string, uint32_t> term_ids_;  // term → id by first occurrence
  std::vector<double> idf_;                              // by term id
  std::vector<std::vector<Posting>> postings_;           // by term id, ascending doc
  std::vector<double> doc_norm_;                         // k1·(1 − b + b·|d|/avgdl)
};

// Orders document indices by descending score, ties by descending index (see top_k).
// Returns the first min(k, scores.size()) of that order.
std::vector<size_t> order_by_score(const std::vector<double>& scores, size_t k);

}  // namespace perseval::retrieval
