#include "harness/cli/args.h"

#include <algorithm>
#include <cstdlib>

#include "harness/core/errors.h"

namespace perseval::cli {

Args::Args(int argc, char** argv, int first, const std::set<std::string>& value_flags,
           const std::set<std::string>& bool_flags) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      positionals_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    std::replace(name.begin(), name.end(), '_', '-');
    if (value_flags.count(name)) {
      if (inline_value) {
        values_[name].push_back(*inline_value);
      } else {
        if (i + 1 >= argc) throw InputError("option --" + name + " needs a value");
        values_[name].push_back(argv[++i]);
      }
    } else if (bool_flags.count(name) && !inline_value) {
      bools_.insert(name);
    } else {
      throw InputError("unknown option --" + name + " (see `perseval help`)");
    }
  }
}

bool Args::has(const std::string& flag) const {
  return bools_.count(flag) || values_.count(flag);
}

std::optional<std::string> Args::value(const std::string& flag) const {
  auto it = values_.find(flag);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::values(const std::string& flag) const {
  auto it = values_.find(flag);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string Args::value_or(const std::string& flag, const std::string& fallback) const {
  return value(flag).value_or(fallback);
}

long long Args::int_or(const std::string& flag, long long fallback) const {
  auto v = value(flag);
  if (!v) return fallback;
  char* end = nullptr;
  long long n = std::strtoll(v->c_str(), &end, 10);
  if (v->empty() || *end != '\0') throw InputError("option --" + flag + " needs an integer, got '" + *v + "'");
  return n;
}

}  // namespace perseval::cli
