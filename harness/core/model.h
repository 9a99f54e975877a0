// The Model interface: something that turns a Request into a Completion, asynchronously.
#pragma once

#include <functional>
#include <string>

#include "harness/core/types.h"

namespace perseval {

// Identity of a model, recorded in the run and used in cache keys. Never holds secrets.
struct ModelInfo {
  std::string name;      // canonical spec, e.g. "baseline:kind=majority"
  std::string backend;   // "baseline", "openai", "exec"
  json identity;         // everything that changes outputs (model id, endpoint model, ...)
  int concurrency = 0;   // requests the adapter keeps in flight (0: answers at once); the
                         // runner keeps at least twice this many samples in flight
};

// Called exactly once per submitted request, from any thread.
using CompletionCallback = std::function<void(Completion)>;

// A model adapter. submit() returns at once and never blocks on the network; the callback
// runs later (possibly on another thread, possibly before submit returns). Failures are
// reported through Completion::error, never by throwing from the callback.
// Implementations are safe to call from many threads at once.
class Model {
 public:
  virtual ~Model() = default;
  virtual ModelInfo info() const = 0;
  virtual void submit(Request request, CompletionCallback done) = 0;
  // Blocks until every submitted request's callback has returned. Default: nothing pending.
  virtual void drain() {}
};

}  // namespace perseval
