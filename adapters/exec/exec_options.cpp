#include "adapters/exec/exec_options.h"

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "adapters/exec/command_line.h"
#include "harness/core/errors.h"

namespace perseval {
namespace {

constexpr const char* kKnownParams[] = {"cmd", "concurrency", "cwd", "max_restarts",
                                        "name", "shell", "timeout_s"};

[[noreturn]] void fail(const Spec& spec, const std::string& problem) {
  throw InputError("model '" + spec.to_string() + "': " + problem);
}

long long int_param(const Spec& spec, const std::string& key, long long fallback, long long low,
                    long long high) {
  long long value = fallback;
  try {
    value = spec.get_int(key, fallback);
  } catch (const std::invalid_argument& e) {
    fail(spec, e.what());
  }
  if (value < low || value > high)
    fail(spec, key + " must be in [" + std::to_string(low) + ", " + std::to_string(high) + "]");
  return value;
}

}  // namespace

ExecOptions parse_exec_options(const Spec& spec) {
  for (const auto& [key, value] : spec.params) {
    bool known = false;
    for (const char* k : kKnownParams) known = known || key == k;
    if (!known)
      fail(spec, "unknown parameter '" + key +
                     "' (expected: cmd, concurrency, cwd, max_restarts, name, shell, timeout_s;"
                     " a cmd cannot contain a comma)");
  }
  ExecOptions o;
  o.cmd = spec.get("cmd", "");
  if (o.cmd.find_first_not_of(" \t\r\n") == std::string::npos)
    fail(spec, "parameter 'cmd' is required, e.g. exec:cmd=python3 serve.py");

  const std::string shell = spec.get("shell", "0");
  if (shell != "0" && shell != "1") fail(spec, "shell must be 0 or 1, got '" + shell + "'");
  o.shell = shell == "1";
  if (o.shell) {
    o.argv = {"/bin/sh", "-c", o.cmd};
  } else {
    try {
      o.argv = split_command_line(o.cmd);
    } catch (const std::invalid_argument& e) {
      fail(spec, e.what());
    }
  }

  o.concurrency = static_cast<int>(int_param(spec, "concurrency", 4, 1, 4096));
  o.max_restarts = static_cast<int>(int_param(spec, "max_restarts", 3, 0, 1000));
  try {
    o.timeout_s = spec.get_double("timeout_s", 600.0);
  } catch (const std::invalid_argument& e) {
    fail(spec, e.what());
  }
  if (!std::isfinite(o.timeout_s) || o.timeout_s <= 0 || o.timeout_s > 1e7)
    fail(spec, "timeout_s must be a positive number of seconds");

  o.cwd = spec.get("cwd", "");
  if (spec.find("cwd")) {
    std::error_code ec;
    if (o.cwd.empty() || !std::filesystem::is_directory(o.cwd, ec))
      fail(spec, "cwd '" + o.cwd + "' is not a directory");
  }
  const auto name = spec.find("name");
  if (name && name->empty()) fail(spec, "name must not be empty");
  o.name = name ? *name : o.cmd;

  Spec canonical{"exec", {{"cmd", o.cmd}, {"shell", shell}}};
  if (spec.find("cwd")) canonical.params["cwd"] = o.cwd;
  if (name) canonical.params["name"] = *name;
  o.canonical_spec = canonical.to_string();
  return o;
}

ModelInfo exec_model_info(const ExecOptions& options) {
  json identity{{"cmd", options.argv}, {"name", options.name}, {"shell", options.shell}};
  if (!options.cwd.empty()) identity["cwd"] = options.cwd;
  return ModelInfo{options.canonical_spec, "exec", identity, options.concurrency};
}

}  // namespace perseval
