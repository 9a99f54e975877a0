// The Embedder interface: turns texts into vectors, asynchronously (dense retrieval).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/model.h"

namespace perseval {

// One embeddings call's result: one vector per input text, in input order, or an error.
struct EmbeddingResult {
  std::vector<std::vector<float>> vectors;
  Usage usage;
  double latency_ms = 0.0;
  int attempts = 0;
  std::optional<std::string> error;
};

using EmbeddingCallback = std::function<void(EmbeddingResult)>;

// Safe to call from many threads; embed() returns at once and the callback runs exactly once
// later, from any thread. Failures are reported through EmbeddingResult::error.
class Embedder {
 public:
  virtual ~Embedder() = default;
  virtual ModelInfo info() const = 0;
  virtual void embed(std::vector<std::string> texts, EmbeddingCallback done) = 0;
  // Blocks until every submitted call has had its callback run.
  virtual void drain() {}
};

}  // namespace perseval
