#include "tasks/personabench/corpus.h"

#include <algorithm>
#include <future>
#include <stdexcept>

#include "metrics/unicode_text.h"

namespace perseval::personabench {
namespace {

std::vector<std::vector<std::string>> tokenise_all(const std::vector<Chunk>& chunks) {
  std::vector<std::vector<std::string>> out;
  out.reserve(chunks.size());
  for (const auto& c : chunks) out.push_back(bm25_tokens(c.plain));
  return out;
}

std::vector<std::vector<float>> embed_all(Embedder& embedder, const std::vector<std::string>& texts,
                                          std::size_t batch) {
  std::vector<std::future<EmbeddingResult>> pending;
  for (std::size_t start = 0; start < texts.size(); start += batch) {
    const std::size_t end = std::min(texts.size(), start + batch);
    auto promise = std::make_shared<std::promise<EmbeddingResult>>();
    pending.push_back(promise->get_future());
    embedder.embed(std::vector<std::string>(texts.begin() + static_cast<std::ptrdiff_t>(start),
                                            texts.begin() + static_cast<std::ptrdiff_t>(end)),
                   [promise](EmbeddingResult r) { promise->set_value(std::move(r)); });
  }
  std::vector<std::vector<float>> vectors;
  std::size_t start = 0;
  for (auto& f : pending) {
    EmbeddingResult r = f.get();
    const std::size_t expected = std::min(batch, texts.size() - start);
    if (r.error) throw std::runtime_error("embedding failed: " + *r.error);
    if (r.vectors.size() != expected)
      throw std::runtime_error("embedder returned " + std::to_string(r.vectors.size()) +
                               " vectors for " + std::to_string(expected) + " texts");
    for (auto& v : r.vectors) vectors.push_back(std::move(v));
    start += expected;
  }
  for (const auto& v : vectors)
    if (v.size() != vectors.front().size())
      throw std::runtime_error("embedder returned vectors of different dimensions");
  return vectors;
}

}  // namespace

std::vector<std::string> bm25_tokens(std::string_view text) {
  return metrics::python_word_runs(metrics::python_lower(text));
}

UserCorpus::UserCorpus(std::vector<Chunk> chunks_in)
    : chunks(std::move(chunks_in)), bm25(tokenise_all(chunks)) {
  for (std::size_t i = 0; i < chunks.size(); ++i) index_of.emplace(chunks[i].segment_id, i);
}

std::vector<std::size_t> retrieve_bm25(const UserCorpus& corpus, std::string_view question, std::size_t k) {
  return corpus.bm25.top_k(bm25_tokens(question), k);
}

std::vector<std::size_t> retrieve_dense(const UserCorpus& corpus, const std::string& question, std::size_t k) {
  const auto q = corpus.question_vectors.find(question);
  if (q == corpus.question_vectors.end() || corpus.chunk_vectors.size() != corpus.chunks.size())
    throw std::runtime_error("dense retrieval: embeddings were not computed for this user (load() computes them)");
  std::vector<double> scores;
  scores.reserve(corpus.chunk_vectors.size());
  for (const auto& v : corpus.chunk_vectors) {
    if (v.size() != q->second.size())
      throw std::runtime_error("dense retrieval: question and chunk vectors differ in dimension");
    double dot = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) dot += static_cast<double>(v[i]) * q->second[i];
    scores.push_back(dot);
  }
  return retrieval::order_by_score(scores, k);
}

std::vector<std::string> oracle_segment_ids(const GtItems& items, std::size_t k) {
  std::vector<std::string> ids;
  for (const auto& [_, alternatives] : items) ids.push_back(alternatives.front());
  const std::size_t n = ids.size();
  for (std::size_t i = 0; n > 0 && ids.size() < k; ++i) ids.push_back(ids[i % n]);
  return ids;
}

void embed_corpus(UserCorpus& corpus, Embedder& embedder, const std::vector<std::string>& questions,
                  std::size_t batch) {
  if (batch == 0) batch = 1;
  std::vector<std::string> texts;
  for (const auto& c : corpus.chunks) texts.push_back(c.text);
  corpus.chunk_vectors = embed_all(embedder, texts, batch);
  const auto question_vectors = embed_all(embedder, questions, batch);
  for (std::size_t i = 0; i < questions.size(); ++i)
    corpus.question_vectors[questions[i]] = question_vectors[i];
  if (!corpus.chunk_vectors.empty() && !question_vectors.empty() &&
      corpus.chunk_vectors.front().size() != question_vectors.front().size())
    throw std::runtime_error("embedder returned chunk and question vectors of different dimensions");
  corpus.embedded = true;
}

std::shared_ptr<const UserCorpus> CorpusCache::find(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = corpora_.find(key);
  return it == corpora_.end() ? nullptr : it->second;
}

std::shared_ptr<const UserCorpus> CorpusCache::insert(const std::string& key,
                                                      std::shared_ptr<const UserCorpus> corpus) {
  std::lock_guard<std::mutex> lock(mutex_);
  return corpora_.emplace(key, std::move(corpus)).first->second;
}

void CorpusCache::put(const std::string& key, std::shared_ptr<const UserCorpus> corpus) {
  std::lock_guard<std::mutex> lock(mutex_);
  corpora_[key] = std::move(corpus);
}

}  // namespace perseval::personabench
