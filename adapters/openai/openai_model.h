// `openai:` — any OpenAI-compatible server (OpenAI, vLLM, llama.cpp server, Ollama, TGI,
// SGLang) through the shared HTTP engine: /chat/completions by default, /completions with
// endpoint=completions (for base checkpoints; see render_plain_prompt), /embeddings for the
// embedder. Parameters: see openai_options.h.
//
// Each completion carries the text, usage, the logprobs object when asked for, the number
// of attempts and the last attempt's latency. A 2xx body that cannot be used (not JSON,
// no choices) is retried like a 5xx, up to max_retries: it is what a proxy or an
// overloaded server produces now and then. A request that still fails completes with
// Completion::error ("HTTP 503: <body excerpt> (gave up after 6 attempts)"); the key never
// appears in any text the model returns.
#pragma once

#include <memory>

#include "adapters/http/http_engine.h"
#include "harness/core/embedder.h"
#include "harness/core/model.h"
#include "harness/core/spec.h"

namespace perseval {

// A Model (or Embedder) talking to an OpenAI-compatible endpoint. Thread-safe.
// Destroying it cancels whatever is still pending (callbacks run with an error) and waits
// for those callbacks; call drain() first to let them finish instead.
class OpenAIModel final : public Model, public Embedder {
 public:
  struct Impl;
  explicit OpenAIModel(std::unique_ptr<Impl> impl);
  ~OpenAIModel() override;

  ModelInfo info() const override;
  // Returns at once; `done` runs later on the engine's I/O thread.
  void submit(Request request, CompletionCallback done) override;
  // Embeds `texts` in one /embeddings call; `done` runs later on the I/O thread (at once,
  // with no vectors, for an empty list: servers reject an empty input).
  void embed(std::vector<std::string> texts, EmbeddingCallback done) override;
  void drain() override;

  // The HTTP counters of this model's endpoint (attempts by status, latencies, ...).
  HttpEndpointStats http_stats() const;

 private:
  std::unique_ptr<Impl> impl_;
};

// Creates `openai:...`. Throws InputError for bad parameters or a key in the spec.
// Uses `engine`, or the process-wide shared engine when null.
std::unique_ptr<OpenAIModel> make_openai_model(const Spec& spec, std::shared_ptr<HttpEngine> engine = nullptr);

}  // namespace perseval
