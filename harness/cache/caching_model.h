// A Model decorator that answers repeated requests from the RequestCache and remembers
// new successful answers. A cache hit makes no model call: the completion comes back at
// once with cached=true, attempts=0 and latency 0.
#pragma once

#include <memory>

#include "harness/core/model.h"
#include "harness/store/request_cache.h"

namespace perseval {

// Thread-safe as far as the wrapped model is. Borrows `inner` and `cache`; both must
// outlive it.
class CachingModel final : public Model {
 public:
  CachingModel(Model& inner, RequestCache& cache);
  ModelInfo info() const override { return info_; }
  void submit(Request request, CompletionCallback done) override;
  // Waits for the wrapped model, then commits the cache's buffered entries.
  void drain() override;

 private:
  Model& inner_;
  RequestCache& cache_;
  ModelInfo info_;
};

}  // namespace perseval
