#include "harness/cache/caching_model.h"

#include "harness/cache/request_key.h"

namespace perseval {

CachingModel::CachingModel(Model& inner, RequestCache& cache)
    : inner_(inner), cache_(cache), info_(inner.info()) {}

void CachingModel::submit(Request request, CompletionCallback done) {
  std::string key = request_key(info_, request);
  if (auto hit = cache_.get(key)) {
    hit->cached = true;
    hit->attempts = 0;
    hit->latency_ms = 0.0;
    done(std::move(*hit));
    return;
  }
  inner_.submit(std::move(request), [this, key = std::move(key), done = std::move(done)](Completion c) {
    cache_.put(key, info_.name, c);
    done(std::move(c));
  });
}

void CachingModel::drain() {
  inner_.drain();
  cache_.flush();
}

}  // namespace perseval
