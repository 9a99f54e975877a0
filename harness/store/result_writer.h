// The one writer thread of a run: owns the Store, receives finished samples from any
// thread and commits them in batches (one transaction per batch).
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "harness/store/store.h"

namespace perseval {

// Options for batching: a batch is committed when it holds `batch_size` rows or when
// `max_delay_ms` passed since its first row, whichever comes first.
struct WriterOptions {
  size_t batch_size = 256;
  int max_delay_ms = 200;
};

// Thread-safe: add() may be called from any thread. The destructor flushes and joins.
class ResultWriter {
 public:
  ResultWriter(Store& store, std::string run_id, WriterOptions options = {});
  ~ResultWriter();
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  // Queues a row for writing; returns at once.
  void add(SampleRow row);
  // Blocks until every row added so far is committed. Rethrows a write error, if any.
  void flush();
  // Rows committed so far.
  size_t committed() const;
  // True once a write failed: the writer stopped, later rows are dropped, flush() rethrows.
  // The runner checks it to stop loading instead of running samples nobody can store.
  bool failed() const;

 private:
  void loop();
  Store& store_;
  std::string run_id_;
  WriterOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable flushed_cv_;
  std::deque<SampleRow> queue_;
  size_t added_ = 0;
  size_t committed_ = 0;
  size_t flush_target_ = 0;  // rows some flush() waits for; the writer commits them at once
  bool stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace perseval
