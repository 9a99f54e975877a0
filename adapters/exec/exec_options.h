// The settings of an `exec` model adapter, parsed from its spec
// (`exec:cmd=python3 serve.py --ckpt X,concurrency=4`).
//
// The spec syntax splits parameters on commas, so `cmd` cannot contain a comma; put such a
// command line in a small wrapper script. Parameters:
//   cmd           required; split into argv like a shell splits plain words and quotes
//                 (see command_line.h) and started without a shell
//   shell         0 (default) or 1: run `/bin/sh -c CMD` instead (variables, pipes, globs)
//   concurrency   requests written to the subprocess and not yet answered (default 4)
//   timeout_s     seconds a request may wait for its answer once written to the subprocess
//                 (default 600); queueing does not count, but for the first requests the
//                 server's start-up (checkpoint loading) does
//   max_restarts  restarts after the subprocess dies (default 3); then every request fails
//   cwd           working directory of the subprocess (default: perseval's)
//   name          the model's name in the identity and in log lines (default: cmd)
#pragma once

#include <string>
#include <vector>

#include "harness/core/model.h"
#include "harness/core/spec.h"

namespace perseval {

// Plain settings; see the file comment for the meaning of each.
struct ExecOptions {
  std::string cmd;
  std::vector<std::string> argv;  // what is executed: the split cmd, or /bin/sh -c cmd
  bool shell = false;
  int concurrency = 4;
  double timeout_s = 600.0;
  int max_restarts = 3;
  std::string cwd;
  std::string name;
  // The canonical spec: only what changes answers (cmd, shell, cwd, name). concurrency,
  // timeout_s and max_restarts change timing only, so changing them still resumes a run.
  std::string canonical_spec;
};

// Parses and validates an `exec:` spec. Throws InputError naming the spec and the problem
// for a missing cmd, an unterminated quote, an out-of-range or non-numeric value, a cwd
// that is not a directory or an unknown parameter. Starts nothing. Pure apart from the
// cwd check; thread-safe.
ExecOptions parse_exec_options(const Spec& spec);

// The identity recorded in runs and cache keys: {"cmd": argv, "name", "shell"} plus "cwd"
// when given (a different working directory may run a different checkpoint). Never holds
// the environment.
ModelInfo exec_model_info(const ExecOptions& options);

}  // namespace perseval
