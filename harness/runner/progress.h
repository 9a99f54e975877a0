// The progress line on stderr: done/total, rate, ETA, errors. Redrawn at most every 250 ms,
// only when stderr is a terminal (or when forced), so logs stay clean in CI and cron.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

namespace perseval {

// Thread-safe: tick() may be called from any thread.
class ProgressLine {
 public:
  ProgressLine(std::string label, long long total, bool enabled);
  // Records one finished sample (failed: its model call errored) and maybe redraws.
  void tick(bool failed);
  // Sets the total once it is known (-1: unknown).
  void set_total(long long total);
  // Draws the final state and ends the line.
  void finish();
  // Whether stderr is a terminal.
  static bool stderr_is_terminal();

 private:
  void draw(bool final_line);
  std::string label_;
  std::atomic<long long> total_;
  std::atomic<long long> done_{0};
  std::atomic<long long> errors_{0};
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  std::mutex draw_mu_;
};

}  // namespace perseval
