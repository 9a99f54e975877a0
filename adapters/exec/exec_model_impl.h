// Internal to adapters/exec: the exec model's class, shared by exec_model.cpp (the side
// callers use: construction, submit, drain, delivery) and exec_io_loop.cpp (the I/O thread).
// Include exec_model.h instead; nothing outside this folder should see this header.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "adapters/exec/child_process.h"
#include "adapters/exec/exec_options.h"
#include "adapters/exec/exec_protocol.h"
#include "harness/core/model.h"

namespace perseval::exec_detail {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxResponseLine = size_t{64} << 20;  // logprobs make long lines; junk must not
constexpr size_t kMaxStderrLine = size_t{16} << 10;
constexpr size_t kReadChunk = size_t{64} << 10;
constexpr const char* kShutdownError = "exec: adapter shut down before the subprocess answered";

// Writes `line` and a newline to stderr in one write(), so lines from several adapters and
// threads never interleave. Thread-safe; errors are ignored (there is nowhere to report them).
void log_line(std::string line);

// See exec_model.h for the behaviour. Thread-safe: submit/drain/info from any thread; the
// members from child_ on are touched by the I/O thread alone, so they need no lock.
class ExecModel final : public Model {
 public:
  explicit ExecModel(ExecOptions options);
  ~ExecModel() override;
  ExecModel(const ExecModel&) = delete;
  ExecModel& operator=(const ExecModel&) = delete;

  ModelInfo info() const override { return info_; }
  void submit(Request request, CompletionCallback done) override;
  // Must not be called from inside a callback (it would wait for itself).
  void drain() override;

 private:
  struct Queued {
    std::string id, line;
    CompletionCallback done;
  };
  struct Written {
    CompletionCallback done;
    Clock::time_point written_at, deadline;
  };

  static Completion failed(std::string error) {
    Completion c;
    c.error = std::move(error);
    return c;
  }
  void wake_locked();
  // The I/O thread (exec_io_loop.cpp): writes, reads, timeouts, restarts, shutdown.
  void io_loop();
  int poll_timeout_ms(Clock::time_point now, bool stopping, Clock::time_point stop_deadline,
                      Clock::time_point next_reap) const;
  void write_pending();
  void read_stdout(bool stopping);
  void read_stderr();
  void handle_response_line(std::string_view line, bool truncated);
  void forward_stderr_line(std::string_view line, bool truncated);
  void expire_timed_out(Clock::time_point now);
  void drain_child_output();
  void on_child_lost(const std::string& what);
  void after_child_lost(const std::string& reason, size_t lost);
  void restart_child();
  void shut_down_child();
  // Runs the callbacks collected in ready_, outside the lock. I/O thread only.
  void deliver_ready();

  const ExecOptions options_;
  const ModelInfo info_;
  const std::string log_prefix_;
  std::atomic<unsigned long long> next_id_{1};
  int wake_read_ = -1, wake_write_ = -1;

  std::mutex mu_;
  std::condition_variable idle_cv_;
  std::deque<Queued> queue_;            // guarded by mu_
  long long outstanding_ = 0;           // submitted, callback not yet returned; guarded
  bool stop_ = false;                   // guarded
  bool wake_pending_ = false;           // guarded
  std::optional<std::string> gave_up_;  // guarded; once set, the error of every request

  // Everything below belongs to the I/O thread.
  std::unique_ptr<ChildProcess> child_;
  std::unordered_map<std::string, Written> written_;
  std::string out_;
  size_t out_sent_ = 0;
  LineSplitter stdout_lines_{kMaxResponseLine};
  LineSplitter stderr_lines_{kMaxStderrLine};
  std::vector<char> read_buf_ = std::vector<char>(kReadChunk);
  int restarts_ = 0;
  std::optional<Clock::time_point> restart_at_;
  std::vector<std::pair<CompletionCallback, Completion>> ready_;
  std::thread io_;
};

}  // namespace perseval::exec_detail
