#include "harness/runner/progress.h"

#include <unistd.h>

#include <cstdio>

namespace perseval {

ProgressLine::ProgressLine(std::string label, long long total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

bool ProgressLine::stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

void ProgressLine::set_total(long long total) { total_ = total; }

void ProgressLine::tick(bool failed) {
  ++done_;
  if (failed) ++errors_;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  std::unique_lock lock(draw_mu_, std::try_to_lock);
  if (!lock.owns_lock() || now - last_draw_ < std::chrono::milliseconds(250)) return;
  last_draw_ = now;
  draw(false);
}

void ProgressLine::finish() {
  if (!enabled_) return;
  std::lock_guard lock(draw_mu_);
  draw(true);
}

void ProgressLine::draw(bool final_line) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const long long done = done_, total = total_, errors = errors_;
  const double rate = elapsed > 0 ? done / elapsed : 0.0;
  char eta[32] = "?";
  if (total > 0 && rate > 0) std::snprintf(eta, sizeof eta, "%.0fs", (total - done) / rate);
  char tot[32] = "?";
  if (total >= 0) std::snprintf(tot, sizeof tot, "%lld", total);
  std::fprintf(stderr, "\r\033[K[%s] %lld/%s  %.1f/s  ETA %s  errors %lld%s", label_.c_str(), done,
               tot, rate, final_line ? "0s" : eta, errors, final_line ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace perseval
