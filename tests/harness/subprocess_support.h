// Runs the real `perseval` binary from tests: spawn, capture stdout/stderr, wait or kill.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace perseval::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A child process running `perseval ARGS...` with stdout/stderr sent to files.
class Child {
 public:
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
    if (pid_ > 0 && waitpid(pid_, &status, 0) == pid_)
      r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    pid_ = -1;
    r.out = slurp(out_file_);
    r.err = slurp(err_file_);
    return r;
  }

  void kill_hard() {
    if (pid_ > 0) ::kill(pid_, SIGKILL);
  }
  void interrupt() {
    if (pid_ > 0) ::kill(pid_, SIGINT);
  }

  ~Child() {
    if (pid_ > 0) {
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
  pid_t pid_ = -1;
  std::string out_file_, err_file_;
};

// Runs `perseval ARGS...` to completion.
inline CommandResult run_perseval(const std::vector<std::string>& args, const std::string& scratch_dir) {
  Child child(args, scratch_dir + "/stdout.txt", scratch_dir + "/stderr.txt");
  return child.wait();
}

}  // namespace perseval::test
