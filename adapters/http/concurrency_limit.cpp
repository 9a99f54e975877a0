#include "adapters/http/concurrency_limit.h"

#include <algorithm>

namespace perseval {

ConcurrencyLimit::ConcurrencyLimit(int maximum, bool adaptive)
    : maximum_(std::max(1, maximum)), adaptive_(adaptive), limit_(maximum_) {}

void ConcurrencyLimit::on_throttled(uint64_t dispatch_seq, uint64_t next_dispatch_seq) {
  if (!adaptive_ || dispatch_seq < window_start_) return;
  limit_ = std::max(1.0, limit_ / 2.0);
  window_start_ = next_dispatch_seq;
}

void ConcurrencyLimit::on_success() {
  if (!adaptive_ || limit_ >= maximum_) return;
  limit_ = std::min(maximum_, limit_ + 1.0 / limit_);
}

}  // namespace perseval
