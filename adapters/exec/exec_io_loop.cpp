// The exec model's I/O thread: the only code that touches the subprocess and its pipes.
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>

#include "adapters/exec/exec_model_impl.h"
#include "harness/core/terminal_text.h"

namespace perseval::exec_detail {
namespace {

using std::chrono::milliseconds;

constexpr auto kShutdownGrace = std::chrono::seconds(2);
constexpr milliseconds kExitGrace(500);
constexpr milliseconds kReapInterval(250);

// A terminal shows only what follows a line's last '\r' (progress bars redraw with it), so
// that is what gets forwarded, not every redraw.
std::string_view visible_part(std::string_view line) {
  while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const size_t cr = line.rfind('\r');
  return cr == std::string_view::npos ? line : line.substr(cr + 1);
}

std::string format_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

enum class ReadResult { would_block, ended };

// Reads whatever `fd` holds now, at most `rounds` chunks; never blocks (fd is non-blocking).
ReadResult read_available(int fd, LineSplitter& lines, const LineSplitter::Handler& on_line,
                          std::vector<char>& buf, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n > 0) {
      lines.feed(std::string_view(buf.data(), static_cast<size_t>(n)), on_line);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return ReadResult::would_block;
    lines.finish(on_line);  // end of stream; a read error counts as one
    return ReadResult::ended;
  }
  return ReadResult::would_block;
}

}  // namespace

void ExecModel::io_loop() {
  // A write to a dead child's stdin raises SIGPIPE in the writing thread. Blocked here, it
  // becomes EPIPE for this thread only and perseval's own signal handling is untouched.
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);

  bool stopping = false;
  Clock::time_point stop_deadline{};
  Clock::time_point next_reap = Clock::now() + kReapInterval;
  const auto timeout = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options_.timeout_s));
  for (;;) {
    char sink[64];
    while (::read(wake_read_, sink, sizeof sink) > 0) {
    }
    const auto now = Clock::now();
    {
      std::lock_guard lock(mu_);
      wake_pending_ = false;
      if (stop_ && !stopping) {
        stopping = true;
        stop_deadline = now + kShutdownGrace;
        for (auto& q : queue_) ready_.emplace_back(std::move(q.done), failed(kShutdownError));
        queue_.clear();
      }
      // The FIFO queue feeds the child while fewer than `concurrency` requests are unanswered.
      while (!stopping && child_ && written_.size() < static_cast<size_t>(options_.concurrency) &&
             !queue_.empty()) {
        Queued& q = queue_.front();
        out_ += q.line;
        written_.emplace(std::move(q.id), Written{std::move(q.done), now, now + timeout});
        queue_.pop_front();
      }
    }
    if (stopping && child_ && child_->stdin_fd() >= 0) {
      // Unsent bytes would reach the child as a cut line; their requests fail at the end.
      out_.clear();
      out_sent_ = 0;
      child_->close_stdin();
    }
    expire_timed_out(now);
    deliver_ready();
    if (stopping && (!child_ || child_->stdout_fd() < 0 || now >= stop_deadline)) {
      shut_down_child();
      return;
    }
    if (!stopping && !child_ && restart_at_ && now >= *restart_at_) {
      restart_child();
      continue;
    }

    pollfd fds[4];
    nfds_t n = 0;
    int in_at = -1, out_at = -1, err_at = -1;
    fds[n++] = pollfd{wake_read_, POLLIN, 0};
    if (child_) {
      if (child_->stdin_fd() >= 0 && out_sent_ < out_.size()) {
        in_at = static_cast<int>(n);
        fds[n++] = pollfd{child_->stdin_fd(), POLLOUT, 0};
      }
      if (child_->stdout_fd() >= 0) {
        out_at = static_cast<int>(n);
        fds[n++] = pollfd{child_->stdout_fd(), POLLIN, 0};
      }
      if (child_->stderr_fd() >= 0) {
        err_at = static_cast<int>(n);
        fds[n++] = pollfd{child_->stderr_fd(), POLLIN, 0};
      }
    }
    if (::poll(fds, n, poll_timeout_ms(now, stopping, stop_deadline, next_reap)) < 0) {
      if (errno != EINTR) std::this_thread::sleep_for(milliseconds(10));  // never spin
      continue;
    }
    auto fired = [&](int at) { return at >= 0 && fds[at].revents != 0; };
    // Each handler may lose the child (it then resets child_), so re-check before the next.
    if (child_ && fired(in_at)) write_pending();
    if (child_ && fired(out_at)) read_stdout(stopping);
    if (child_ && fired(err_at)) read_stderr();
    if (child_ && Clock::now() >= next_reap) {
      // Catches a child that died while something it started still holds its stdout open.
      next_reap = Clock::now() + kReapInterval;
      if (!stopping && child_->try_reap()) on_child_lost("ended");
    }
  }
}

int ExecModel::poll_timeout_ms(Clock::time_point now, bool stopping, Clock::time_point stop_deadline,
                               Clock::time_point next_reap) const {
  auto wake_at = now + std::chrono::hours(1);
  for (const auto& [id, w] : written_) wake_at = std::min(wake_at, w.deadline);
  if (restart_at_) wake_at = std::min(wake_at, *restart_at_);
  if (stopping) wake_at = std::min(wake_at, stop_deadline);
  if (child_) wake_at = std::min(wake_at, next_reap);
  // +1 rounds up, so the loop does not spin on a deadline less than a millisecond away.
  const long long ms = std::chrono::duration_cast<milliseconds>(wake_at - now).count() + 1;
  return static_cast<int>(std::clamp<long long>(ms, 0, INT_MAX));
}

void ExecModel::write_pending() {
  while (out_sent_ < out_.size()) {
    const ssize_t n = ::write(child_->stdin_fd(), out_.data() + out_sent_, out_.size() - out_sent_);
    if (n > 0) {
      out_sent_ += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n < 0 && errno == EPIPE) {
      // Consume the SIGPIPE this write left pending on our (blocking) thread.
      sigset_t pipe_signal;
      sigemptyset(&pipe_signal);
      sigaddset(&pipe_signal, SIGPIPE);
      const timespec no_wait{0, 0};
      ::sigtimedwait(&pipe_signal, nullptr, &no_wait);
    }
    on_child_lost("closed its stdin");
    return;
  }
  if (out_sent_ == out_.size()) {
    out_.clear();
    out_sent_ = 0;
  } else if (out_sent_ > (size_t{1} << 20)) {
    out_.erase(0, out_sent_);
    out_sent_ = 0;
  }
}

void ExecModel::read_stdout(bool stopping) {
  const auto on_line = [this](std::string_view line, bool cut) { handle_response_line(line, cut); };
  if (read_available(child_->stdout_fd(), stdout_lines_, on_line, read_buf_, 16) !=
      ReadResult::ended)
    return;
  if (stopping) child_->close_stdout();  // the child is leaving as asked
  else on_child_lost("closed its stdout");
}

void ExecModel::read_stderr() {
  const auto on_line = [this](std::string_view line, bool cut) { forward_stderr_line(line, cut); };
  if (read_available(child_->stderr_fd(), stderr_lines_, on_line, read_buf_, 16) ==
      ReadResult::ended)
    child_->close_stderr();  // a child may close stderr and go on answering
}

void ExecModel::forward_stderr_line(std::string_view line, bool truncated) {
  const std::string_view visible = visible_part(line);
  if (visible.find_first_not_of(" \t") == std::string_view::npos) return;
  log_line(log_prefix_ + terminal_safe(visible) + (truncated ? " [line truncated]" : ""));
}

void ExecModel::handle_response_line(std::string_view line, bool truncated) {
  if (truncated) {
    log_line(log_prefix_ + "ignored a response line longer than 64 MiB: " + shorten_for_log(line));
    return;
  }
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
  ResponseLine response = parse_response_line(line);
  if (!response.id) {
    log_line(log_prefix_ + "ignored a malformed response line (" + *response.problem +
             "): " + shorten_for_log(line));
    return;
  }
  const auto it = written_.find(*response.id);
  if (it == written_.end()) {
    log_line(log_prefix_ + "ignored a response for unknown id \"" +
             shorten_for_log(*response.id, 40) +
             "\" (never sent, already answered or timed out): " + shorten_for_log(line));
    return;
  }
  Completion completion = std::move(response.completion);
  if (response.problem) {
    log_line(log_prefix_ + "malformed response for id " + it->first + " (" + *response.problem +
             "): " + shorten_for_log(line));
    completion = failed("exec: malformed response: " + *response.problem);
  }
  completion.attempts = 1;
  completion.latency_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - it->second.written_at).count();
  ready_.emplace_back(std::move(it->second.done), std::move(completion));
  written_.erase(it);
}

void ExecModel::expire_timed_out(Clock::time_point now) {
  size_t expired = 0;
  for (auto it = written_.begin(); it != written_.end();) {
    if (it->second.deadline > now) {
      ++it;
      continue;
    }
    ready_.emplace_back(std::move(it->second.done),
                        failed("exec: no answer within timeout_s=" + format_seconds(options_.timeout_s)));
    it = written_.erase(it);
    ++expired;
  }
  if (expired > 0)
    log_line(log_prefix_ + std::to_string(expired) + " request(s) unanswered after timeout_s=" +
             format_seconds(options_.timeout_s) + " failed; the subprocess keeps running");
}

void ExecModel::drain_child_output() {
  // What the child wrote before it ended is still in the pipes: answers are delivered and
  // its last words (often a traceback) forwarded before anything is declared lost.
  const auto on_answer = [this](std::string_view line, bool cut) { handle_response_line(line, cut); };
  const auto on_log = [this](std::string_view line, bool cut) { forward_stderr_line(line, cut); };
  if (child_->stdout_fd() >= 0) {
    read_available(child_->stdout_fd(), stdout_lines_, on_answer, read_buf_, 256);
    stdout_lines_.finish(on_answer);
  }
  if (child_->stderr_fd() >= 0) {
    read_available(child_->stderr_fd(), stderr_lines_, on_log, read_buf_, 256);
    stderr_lines_.finish(on_log);
  }
}

void ExecModel::on_child_lost(const std::string& what) {
  const int status = child_->terminate_and_reap(kExitGrace);
  drain_child_output();
  const std::string reason =
      "subprocess " + (child_->stopped_by_us()
                           ? what + " (stopped by perseval: " + describe_wait_status(status) + ")"
                           : describe_wait_status(status));
  child_.reset();
  out_.clear();
  out_sent_ = 0;
  const size_t lost = written_.size();
  for (auto& [id, w] : written_)
    ready_.emplace_back(std::move(w.done), failed("exec: " + reason + " before answering"));
  written_.clear();
  after_child_lost(reason, lost);
}

void ExecModel::after_child_lost(const std::string& reason, size_t lost) {
  const std::string lost_text = std::to_string(lost) + " request(s) in flight failed";
  if (restarts_ < options_.max_restarts) {
    ++restarts_;
    const milliseconds delay(std::min(2000, 100 << std::min(restarts_ - 1, 5)));
    restart_at_ = Clock::now() + delay;
    log_line(log_prefix_ + reason + "; " + lost_text + "; restart " + std::to_string(restarts_) +
             " of " + std::to_string(options_.max_restarts) + " in " +
             std::to_string(delay.count()) + " ms");
    return;
  }
  const std::string budget = "max_restarts=" + std::to_string(options_.max_restarts);
  log_line(log_prefix_ + reason + "; " + lost_text + "; no restarts left (" + budget +
           "), every further request fails");
  std::lock_guard lock(mu_);
  gave_up_ = "exec: " + reason + "; no restarts left (" + budget + ")";
  for (auto& q : queue_) ready_.emplace_back(std::move(q.done), failed(*gave_up_));
  queue_.clear();
}

void ExecModel::restart_child() {
  restart_at_.reset();
  try {
    child_ = ChildProcess::start(options_.argv, options_.cwd);
    log_line(log_prefix_ + "subprocess restarted (pid " + std::to_string(child_->pid()) + ")");
  } catch (const std::exception& e) {
    after_child_lost(std::string("subprocess could not be restarted: ") + e.what(), 0);
  }
}

void ExecModel::shut_down_child() {
  if (child_) {
    child_->close_stdin();
    // A child whose stdout has ended is on its way out: give it the usual grace.
    const bool leaving = child_->stdout_fd() < 0;
    child_->terminate_and_reap(leaving ? kExitGrace : milliseconds(0));
    drain_child_output();
    child_.reset();
  }
  for (auto& [id, w] : written_) ready_.emplace_back(std::move(w.done), failed(kShutdownError));
  written_.clear();
  {
    std::lock_guard lock(mu_);
    for (auto& q : queue_) ready_.emplace_back(std::move(q.done), failed(kShutdownError));
    queue_.clear();
  }
  deliver_ready();
}

}  // namespace perseval::exec_detail
