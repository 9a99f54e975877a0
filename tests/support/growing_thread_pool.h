// A task queue for cpp-httplib's server that starts threads on demand, up to a maximum.
// httplib's own pool has a fixed size (a few threads by default) and serves one
// keep-alive connection per thread, so 512 concurrent slow requests need 512+ threads;
// starting them lazily keeps small tests cheap.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

namespace perseval::test {

// Thread-safe. shutdown() (called by httplib when the server stops) runs the queued
// tasks to the end and joins every thread. SIGPIPE is blocked in the workers, so writing
// to a connection the client closed fails with EPIPE instead of killing the process.
class GrowingThreadPool final : public httplib::TaskQueue {
 public:
  explicit GrowingThreadPool(size_t max_threads);
  ~GrowingThreadPool() override;

  void enqueue(std::function<void()> task) override;
  void shutdown() override;

 private:
  void work();
  size_t max_threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace perseval::test
