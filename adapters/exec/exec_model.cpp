#include "adapters/exec/exec_model.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "adapters/exec/exec_model_impl.h"
#include "harness/core/errors.h"

namespace perseval {
namespace exec_detail {

void log_line(std::string line) {
  line += '\n';
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

ExecModel::ExecModel(ExecOptions options)
    : options_(std::move(options)),
      info_(exec_model_info(options_)),
      log_prefix_("[exec " + options_.name + "] ") {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
    throw std::system_error(errno, std::generic_category(), "pipe");
  wake_read_ = fds[0];
  wake_write_ = fds[1];
  try {
    child_ = ChildProcess::start(options_.argv, options_.cwd);
  } catch (const std::exception& e) {
    ::close(wake_read_);
    ::close(wake_write_);
    throw InputError("model '" + options_.canonical_spec + "': " + e.what());
  }
  io_ = std::thread([this] { io_loop(); });
}

ExecModel::~ExecModel() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    wake_locked();
  }
  io_.join();
  ::close(wake_read_);
  ::close(wake_write_);
}

void ExecModel::wake_locked() {
  if (wake_pending_) return;  // one byte is enough to wake the loop
  wake_pending_ = true;
  const char byte = 1;
  [[maybe_unused]] const ssize_t n = ::write(wake_write_, &byte, 1);
}

void ExecModel::submit(Request request, CompletionCallback done) {
  std::string id = std::to_string(next_id_++);
  // Encoding is the CPU part of a request; it stays on the submitting thread.
  std::string line = encode_request_line(id, request);
  std::optional<std::string> refused;
  {
    std::lock_guard lock(mu_);
    ++outstanding_;
    if (gave_up_) {
      refused = *gave_up_;
    } else {
      queue_.push_back(Queued{std::move(id), std::move(line), std::move(done)});
      wake_locked();
    }
  }
  if (!refused) return;
  try {
    done(failed(*refused));
  } catch (...) {
    log_line(log_prefix_ + "a completion callback threw; ignored");
  }
  std::lock_guard lock(mu_);
  if (--outstanding_ == 0) idle_cv_.notify_all();
}

void ExecModel::drain() {
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [&] { return outstanding_ == 0; });
}

void ExecModel::deliver_ready() {
  if (ready_.empty()) return;
  auto batch = std::move(ready_);
  ready_.clear();
  // Callbacks run without the lock: they may submit again or take their own locks.
  for (auto& [done, completion] : batch) {
    try {
      done(std::move(completion));
    } catch (...) {
      log_line(log_prefix_ + "a completion callback threw; ignored");
    }
  }
  std::lock_guard lock(mu_);
  outstanding_ -= static_cast<long long>(batch.size());
  if (outstanding_ == 0) idle_cv_.notify_all();
}

}  // namespace exec_detail

std::unique_ptr<Model> make_exec_model(const Spec& spec) {
  return std::make_unique<exec_detail::ExecModel>(parse_exec_options(spec));
}

}  // namespace perseval
