// A small command-line parser: positionals plus `--flag value`, `--flag=value` and boolean
// `--flag`. Underscore spellings (lm-evaluation-harness style) are accepted as aliases of
// the hyphenated ones: `--data_dir` means `--data-dir`.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace perseval::cli {

class Args {
 public:
  // Parses argv[first..argc). `value_flags` take a value; `bool_flags` take none. Repeated
  // value flags accumulate. Throws InputError on an unknown flag or a missing value.
  Args(int argc, char** argv, int first, const std::set<std::string>& value_flags,
       const std::set<std::string>& bool_flags);

  const std::vector<std::string>& positionals() const { return positionals_; }
  bool has(const std::string& flag) const;
  std::optional<std::string> value(const std::string& flag) const;
  std::vector<std::string> values(const std::string& flag) const;
  std::string value_or(const std::string& flag, const std::string& fallback) const;
  // The flag's integer value; throws InputError naming the flag when it is not an integer.
  long long int_or(const std::string& flag, long long fallback) const;

 private:
  std::vector<std::string> positionals_;
  std::map<std::string, std::vector<std::string>> values_;
  std::set<std::string> bools_;
};

}  // namespace perseval::cli
