#include "adapters/exec/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>
#include <thread>

extern char** environ;

namespace perseval {
namespace {

// Closes whatever fds it still holds, so every early return of start() leaks nothing.
struct FdList {
  std::vector<int*> fds;
  ~FdList() {
    for (int* fd : fds)
      if (*fd >= 0) ::close(*fd), *fd = -1;
  }
};

void make_pipe(int& read_end, int& write_end) {
  int fds[2];
  // Close-on-exec, so no other child perseval starts inherits them (an inherited stdin
  // write end would keep this child from ever seeing end of input).
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  read_end = fds[0];
  write_end = fds[1];
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

std::unique_ptr<ChildProcess> ChildProcess::start(const std::vector<std::string>& argv,
                                                  const std::string& cwd) {
  if (argv.empty()) throw std::invalid_argument("empty command");
  std::unique_ptr<ChildProcess> child(new ChildProcess());
  int in_read = -1, out_write = -1, err_write = -1;
  FdList child_ends{{&in_read, &out_write, &err_write}};
  make_pipe(in_read, child->stdin_fd_);
  make_pipe(child->stdout_fd_, out_write);
  make_pipe(child->stderr_fd_, err_write);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_read, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write, 1);
  posix_spawn_file_actions_adddup2(&actions, err_write, 2);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGTERM);
  // The caller may block or ignore these (the I/O thread blocks SIGPIPE); the child must not
  // inherit that.
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                      POSIX_SPAWN_SETPGROUP);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int rc = ::posix_spawnp(&child->pid_, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    child->pid_ = -1;
    std::string where = cwd.empty() ? "" : " in '" + cwd + "'";
    throw std::system_error(rc, std::generic_category(), "cannot start '" + argv[0] + "'" + where);
  }
  set_nonblocking(child->stdin_fd_);
  set_nonblocking(child->stdout_fd_);
  set_nonblocking(child->stderr_fd_);
  return child;
}

ChildProcess::~ChildProcess() {
  close_stdin();
  if (pid_ > 0 && !reaped_) terminate_and_reap(std::chrono::milliseconds(0));
  close_stdout();
  close_stderr();
}

void ChildProcess::close_stdin() { close_fd(stdin_fd_); }
void ChildProcess::close_stdout() { close_fd(stdout_fd_); }
void ChildProcess::close_stderr() { close_fd(stderr_fd_); }

bool ChildProcess::try_reap() {
  if (reaped_ || pid_ <= 0) return true;
  int status = 0;
  // Only our own pid: waiting for any child would steal other subprocesses' statuses.
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    status_ = status;
    reaped_ = true;
  } else if (r < 0 && errno == ECHILD) {
    status_ = -1;  // someone else reaped it (e.g. SIGCHLD ignored): exited, status unknown
    reaped_ = true;
  }
  return reaped_;
}

int ChildProcess::terminate_and_reap(std::chrono::milliseconds natural_exit) {
  auto wait_up_to = [this](std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!try_reap()) {
      if (std::chrono::steady_clock::now() >= until) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  };
  if (wait_up_to(natural_exit)) return status_;
  // Until it is reaped the pid (and so the group id) cannot be reused, so this is safe.
  stopped_by_us_ = true;
  if (::kill(-pid_, SIGTERM) != 0) ::kill(pid_, SIGTERM);
  if (wait_up_to(std::chrono::milliseconds(1000))) return status_;
  if (::kill(-pid_, SIGKILL) != 0) ::kill(pid_, SIGKILL);
  int status = 0;
  pid_t r;
  while ((r = ::waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
  }
  status_ = r == pid_ ? status : -1;
  reaped_ = true;
  return status_;
}

std::string describe_wait_status(int status) {
  if (status == -1) return "ended (exit status unavailable)";
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* abbrev = ::sigabbrev_np(sig);
    return "was killed by signal " + std::to_string(sig) +
           (abbrev ? " (SIG" + std::string(abbrev) + ")" : std::string());
  }
  return "ended with wait status " + std::to_string(status);
}

}  // namespace perseval
