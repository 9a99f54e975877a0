#include "harness/store/result_writer.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <iterator>
#include <utility>

namespace perseval {

ResultWriter::ResultWriter(Store& store, std::string run_id, WriterOptions options)
    : store_(store), run_id_(std::move(run_id)), options_(options) {
  options_.batch_size = std::max<size_t>(options_.batch_size, 1);
  options_.max_delay_ms = std::max(options_.max_delay_ms, 0);
  // Started last, when every member it reads is initialized.
  thread_ = std::thread([this] { loop(); });
}

ResultWriter::~ResultWriter() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  // The writer drains the queue before it returns. A write error at this point has nobody
  // to report to; callers that care call flush() first.
  if (thread_.joinable()) thread_.join();
}

void ResultWriter::add(SampleRow row) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    ++added_;
    // After a failed write the writer is stopped (see loop); the row stays unstored and a
    // resumed run redoes it.
    if (error_) return;
    queue_.push_back(std::move(row));
    // The writer only needs waking for the first row of a batch or a full batch; it
    // finds the rows in between when it wakes.
    wake = queue_.size() == 1 || queue_.size() >= options_.batch_size;
  }
  if (wake) cv_.notify_one();
}

void ResultWriter::flush() {
  std::unique_lock lock(mu_);
  const size_t target = added_;
  flush_target_ = std::max(flush_target_, target);
  cv_.notify_one();
  flushed_cv_.wait(lock, [&] { return committed_ >= target || error_; });
  if (error_) std::rethrow_exception(error_);
}

size_t ResultWriter::committed() const {
  std::lock_guard lock(mu_);
  return committed_;
}

bool ResultWriter::failed() const {
  std::lock_guard lock(mu_);
  return error_ != nullptr;
}

// Commits a batch when it is full, when the oldest queued row has waited max_delay_ms, when
// a flush() waits, or when stopping. `committed_` counts rows whose batch committed,
// including rows the store ignored as already stored: they are safely on disk either way.
//
// Timing: the queue does not record when each row arrived, so the writer keeps
// `oldest_arrival`, a lower bound of the arrival time of every queued row (the moment it
// woke for the first row, or the moment it last emptied the queue). The deadline computed
// from it is never late, at worst early by the duration of one write.
//
// After the first failed write the writer stops writing: later batches would meet the same
// error (full disk, damaged file), each possibly after the 5 s busy timeout, and flush()
// reports the error anyway.
void ResultWriter::loop() {
  using Clock = std::chrono::steady_clock;
  const auto max_delay = std::chrono::milliseconds(options_.max_delay_ms);
  Clock::time_point oldest_arrival = Clock::now();

  std::unique_lock lock(mu_);
  for (;;) {
    if (queue_.empty()) {
      if (stop_) return;
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) continue;
      oldest_arrival = Clock::now();
    }
    cv_.wait_until(lock, oldest_arrival + max_delay, [&] {
      return stop_ || queue_.size() >= options_.batch_size || flush_target_ > committed_;
    });

    const size_t take = std::min(queue_.size(), options_.batch_size);
    std::vector<SampleRow> batch(std::make_move_iterator(queue_.begin()),
                                 std::make_move_iterator(queue_.begin() + take));
    queue_.erase(queue_.begin(), queue_.begin() + take);
    // Rows left over arrived before now, so the old bound still holds for them.
    if (queue_.empty()) oldest_arrival = Clock::now();

    lock.unlock();
    std::exception_ptr failure;
    try {
      store_.write_samples(run_id_, batch);
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();

    if (failure) {
      if (!error_) error_ = failure;
      queue_.clear();
    } else {
      committed_ += batch.size();
    }
    flushed_cv_.notify_all();
  }
}

}  // namespace perseval
