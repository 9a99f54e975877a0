// One user's retrieval corpus (chunks + BM25 index + optional dense vectors), the three
// retrievers, and a thread-safe cache so each user's index is built once per task.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "harness/core/embedder.h"
#include "tasks/personabench/answer_scoring.h"
#include "tasks/personabench/documents.h"
#include "tasks/retrieval/bm25.h"

namespace perseval::personabench {

// How the context chunks of a question are chosen.
enum class Retriever {
  bm25,    // BM25Okapi (rank_bm25 defaults) over bm25_tokens of each chunk's plain text
  dense,   // inner product of embeddings (the official method, any Embedder), precomputed
  oracle,  // the ground-truth segments, as the official "gt-context" mode
};

// BM25 tokens: re.findall(r"\w+", text.lower()) with Python's Unicode semantics. Upstream
// has no lexical retriever; whitespace tokens of a JSON chunk would glue words to quotes
// and keys, so words are used instead.
std::vector<std::string> bm25_tokens(std::string_view text);

// Immutable once built and shared between threads.
struct UserCorpus {
  explicit UserCorpus(std::vector<Chunk> chunks);

  std::vector<Chunk> chunks;                               // official order
  std::unordered_map<std::string, std::size_t> index_of;   // segment id → first chunk holding it
  retrieval::Bm25Okapi bm25;
  // Dense retrieval only: one vector per chunk (embedding of Chunk::text, what upstream
  // encodes) and per question text.
  std::vector<std::vector<float>> chunk_vectors;
  std::map<std::string, std::vector<float>> question_vectors;
  bool embedded = false;  // set by embed_corpus
};

// The best min(k, chunks) chunk indices for `question` by BM25 score; ties by descending
// index (bm25.h).
std::vector<std::size_t> retrieve_bm25(const UserCorpus& corpus, std::string_view question, std::size_t k);

// The best min(k, chunks) chunk indices by inner product of the precomputed question and
// chunk vectors (faiss IndexFlatIP, computed in double); ties as BM25. Throws
// std::runtime_error when the vectors were not computed for `question`.
std::vector<std::size_t> retrieve_dense(const UserCorpus& corpus, const std::string& question, std::size_t k);

// The official gt-context ids: the first alternative of every item; fewer than k are padded
// by cycling from the start ([x, y] → [x, y, x, y, x]). More than k items: upstream raises
// (aborting every run); here every item's first alternative is returned (caller counts it).
std::vector<std::string> oracle_segment_ids(const GtItems& items, std::size_t k);

// Computes corpus.chunk_vectors and question_vectors for `questions` through `embedder`,
// `batch` texts per call, blocking until all calls are back. Throws std::runtime_error on an
// embedding error or a vector count / dimension mismatch.
void embed_corpus(UserCorpus& corpus, Embedder& embedder, const std::vector<std::string>& questions,
                  std::size_t batch = 64);

// Corpora by key (documents file + user), filled by whichever thread builds one first.
// All methods are thread-safe; returned corpora are immutable.
class CorpusCache {
 public:
  std::shared_ptr<const UserCorpus> find(const std::string& key) const;
  // Stores `corpus` under `key` unless one is already there; returns the stored one.
  std::shared_ptr<const UserCorpus> insert(const std::string& key, std::shared_ptr<const UserCorpus> corpus);
  // Stores `corpus` under `key`, replacing any previous one (e.g. one without vectors).
  void put(const std::string& key, std::shared_ptr<const UserCorpus> corpus);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const UserCorpus>> corpora_;
};

}  // namespace perseval::personabench
