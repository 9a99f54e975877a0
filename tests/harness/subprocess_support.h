// Runs the real `perseval` binary from tests: spawn, capture stdout/stderr, wait or kill.
#pragma once

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace perseval::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  bool timed_out = false;  // wait_for() gave up and killed the child
};

// How to start a child beyond its arguments; the defaults change nothing.
struct ChildOptions {
  // > 0: RLIMIT_FSIZE in bytes, with SIGXFSZ ignored, so a write past it fails with EFBIG
  // the way a write to a full disk fails with ENOSPC (simulates a full disk without root).
  long long max_file_bytes = 0;
  // >= 0: the child drops to this user and group before exec (the caller must be root),
  // so file permissions apply to it. A child that cannot switch exits kChildSetupFailed.
  int uid = -1;
  int gid = -1;
};

// The exit code of a child whose setup (limits, user switch, exec) failed before perseval ran.
inline constexpr int kChildSetupFailed = 125;

// A child process running `perseval ARGS...` with stdout/stderr sent to files.
class Child {
 public:
  // Starts `perseval ARGS...` with the limits and user of `options` (fork + exec).
  Child(const std::vector<std::string>& args, const std::string& out_file, const std::string& err_file,
        const ChildOptions& options)
      : out_file_(out_file), err_file_(err_file) {
    std::vector<std::string> full{PERSEVAL_BINARY};
    full.insert(full.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : full) argv.push_back(a.data());
    argv.push_back(nullptr);
    // Everything the child needs is built before fork: after it only async-signal-safe calls.
    const char* out_path = out_file.c_str();
    const char* err_path = err_file.c_str();
    pid_ = ::fork();
    if (pid_ != 0) return;  // the parent (or fork failed: pid_ -1)
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) ::_exit(kChildSetupFailed);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    auto give_up = [](const char* what) {
      (void)!::write(2, what, std::strlen(what));
      ::_exit(kChildSetupFailed);
    };
    if (options.max_file_bytes > 0) {
      ::signal(SIGXFSZ, SIG_IGN);  // an ignored signal stays ignored across exec
      const rlimit limit{static_cast<rlim_t>(options.max_file_bytes), static_cast<rlim_t>(options.max_file_bytes)};
      if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) give_up("test child: setrlimit failed\n");
    }
    if (options.gid >= 0 && ::setgroups(0, nullptr) != 0) give_up("test child: setgroups failed\n");
    if (options.gid >= 0 && ::setgid(static_cast<gid_t>(options.gid)) != 0) give_up("test child: setgid failed\n");
    if (options.uid >= 0 && ::setuid(static_cast<uid_t>(options.uid)) != 0) give_up("test child: setuid failed\n");
    ::execve(argv[0], argv.data(), environ);
    give_up("test child: exec failed\n");
  }

  Child(const std::vector<std::string>& args, const std::string& out_file, const std::string& err_file)
      : out_file_(out_file), err_file_(err_file) {
    std::vector<std::string> full{PERSEVAL_BINARY};
    full.insert(full.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : full) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (posix_spawn(&pid_, full[0].c_str(), &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }

  // Waits for the child and collects its output.
  CommandResult wait() {
    CommandResult r;
    int status = 0;
    if (exited_) {
      r.exit_code = exit_code_;
    } else if (pid_ > 0 && waitpid(pid_, &status, 0) == pid_) {
      r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    pid_ = -1;
    exited_ = false;
    r.out = slurp(out_file_);
    r.err = slurp(err_file_);
    return r;
  }

  // Waits at most `limit`; a child still running then is killed and the result says
  // timed_out, so a hang fails a check instead of stalling the test run.
  CommandResult wait_for(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!has_exited() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const bool timed_out = !has_exited();
    if (timed_out) kill_hard();
    CommandResult r = wait();
    r.timed_out = timed_out;
    return r;
  }

  // A reaped child's pid may already belong to another process: never signal it.
  void kill_hard() {
    if (pid_ > 0 && !exited_) ::kill(pid_, SIGKILL);
  }
  void interrupt() {
    if (pid_ > 0 && !exited_) ::kill(pid_, SIGINT);
  }

  // Stops the child (SIGSTOP) and returns once it is stopped, so whatever is inspected
  // next is the state a kill would leave. False if it exited instead (wait() reports how).
  bool freeze() {
    if (pid_ <= 0 || exited_) return false;
    ::kill(pid_, SIGSTOP);
    for (;;) {
      int status = 0;
      const pid_t got = waitpid(pid_, &status, WUNTRACED);
      if (got == -1 && errno == EINTR) continue;
      if (got != pid_) return false;
      if (WIFSTOPPED(status)) return true;
      if (WIFEXITED(status) || WIFSIGNALED(status)) {
        note_exit(status);
        return false;
      }
    }
  }
  // Lets a frozen child go on (SIGCONT).
  void thaw() {
    if (pid_ > 0 && !exited_) ::kill(pid_, SIGCONT);
  }
  // True once the child has exited; does not block (wait() still reports the exit code).
  bool has_exited() {
    if (pid_ <= 0 || exited_) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_ && (WIFEXITED(status) || WIFSIGNALED(status))) note_exit(status);
    return exited_;
  }
  pid_t pid() const { return pid_; }

  ~Child() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  static std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  void note_exit(int status) {
    exited_ = true;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  pid_t pid_ = -1;
  bool exited_ = false;  // reaped by freeze() or has_exited(); exit_code_ holds the result
  int exit_code_ = -1;
  std::string out_file_, err_file_;
};

// Runs `perseval ARGS...` to completion.
inline CommandResult run_perseval(const std::vector<std::string>& args, const std::string& scratch_dir) {
  Child child(args, scratch_dir + "/stdout.txt", scratch_dir + "/stderr.txt");
  return child.wait();
}

// Runs `perseval ARGS...` to completion with the limits and user of `options`.
inline CommandResult run_perseval(const std::vector<std::string>& args, const std::string& scratch_dir,
                                  const ChildOptions& options) {
  Child child(args, scratch_dir + "/stdout.txt", scratch_dir + "/stderr.txt", options);
  return child.wait();
}

}  // namespace perseval::test
