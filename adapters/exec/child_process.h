// A subprocess with pipes to its stdin, stdout and stderr, started without a shell.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace perseval {

// One started child. It runs in its own process group, so a Ctrl-C in perseval's terminal
// does not kill it mid-answer (perseval finishes in-flight samples on Ctrl-C) and stopping
// it also stops anything it started. Perseval's ends of the pipes are non-blocking and
// close-on-exec. Not thread-safe: owned and used by one thread.
class ChildProcess {
 public:
  // Starts argv[0] (looked up in PATH when it has no '/') with argv, perseval's
  // environment, `cwd` as working directory (empty: perseval's), SIGPIPE and SIGTERM at
  // their defaults and no signals blocked. Throws std::system_error ("cannot start 'X':
  // reason") when the program cannot be executed or the directory entered.
  static std::unique_ptr<ChildProcess> start(const std::vector<std::string>& argv,
                                             const std::string& cwd);
  // Stops the child if still running (terminate_and_reap with no grace) and closes pipes.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Perseval's pipe ends; -1 once closed.
  int stdin_fd() const { return stdin_fd_; }
  int stdout_fd() const { return stdout_fd_; }
  int stderr_fd() const { return stderr_fd_; }
  void close_stdin();
  void close_stdout();
  void close_stderr();

  // True once the child has exited (its status is then kept); never blocks.
  bool try_reap();
  // Waits up to `natural_exit` for the child to exit by itself, then sends SIGTERM to its
  // process group and waits up to a second, then SIGKILL. Returns the wait status.
  // Blocks at most natural_exit + 1 s (+ the kernel's SIGKILL delivery).
  int terminate_and_reap(std::chrono::milliseconds natural_exit);
  // True when terminate_and_reap had to signal the child (it had not exited on its own).
  bool stopped_by_us() const { return stopped_by_us_; }

 private:
  ChildProcess() = default;
  pid_t pid_ = -1;
  int stdin_fd_ = -1, stdout_fd_ = -1, stderr_fd_ = -1;
  bool reaped_ = false;
  bool stopped_by_us_ = false;
  int status_ = 0;
};

// "exited with status 3", "was killed by signal 9 (SIGKILL)". Pure.
std::string describe_wait_status(int status);

}  // namespace perseval
