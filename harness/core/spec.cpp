#include "harness/core/spec.h"

#include <cstdlib>

namespace perseval {

Spec Spec::parse(const std::string& text) {
  Spec spec;
  const auto colon = text.find(':');
  spec.name = text.substr(0, colon);
  if (spec.name.empty()) throw std::invalid_argument("spec '" + text + "': empty name");
  if (colon == std::string::npos) return spec;
  const std::string rest = text.substr(colon + 1);
  size_t start = 0;
  while (start <= rest.size()) {
    size_t comma = rest.find(',', start);
    if (comma == std::string::npos) comma = rest.size();
    const std::string item = rest.substr(start, comma - start);
    start = comma + 1;
    if (item.empty()) {
      if (comma == rest.size()) break;
      continue;
    }
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw std::invalid_argument("spec '" + text + "': parameter '" + item +
                                  "' is not key=value");
    const std::string key = item.substr(0, eq);
    if (!spec.params.emplace(key, item.substr(eq + 1)).second)
      throw std::invalid_argument("spec '" + text + "': parameter '" + key + "' given twice");
  }
  return spec;
}

std::string Spec::to_string() const {
  std::string out = name;
  char sep = ':';
  for (const auto& [k, v] : params) {
    out += sep;
    out += k + "=" + v;
    sep = ',';
  }
  return out;
}

std::string Spec::get(const std::string& key, const std::string& fallback) const {
  auto it = params.find(key);
  return it == params.end() ? fallback : it->second;
}

std::optional<std::string> Spec::find(const std::string& key) const {
  auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  return it->second;
}

long long Spec::get_int(const std::string& key, long long fallback) const {
  auto it = params.find(key);
  if (it == params.end()) return fallback;
  char* end = nullptr;
  long long v = std::strtoll(it->second.c_str(), &end, 10);
  if (it->second.empty() || *end != '\0')
    throw std::invalid_argument("parameter '" + key + "' of '" + name +
                                "' must be an integer, got '" + it->second + "'");
  return v;
}

double Spec::get_double(const std::string& key, double fallback) const {
  auto it = params.find(key);
  if (it == params.end()) return fallback;
  char* end = nullptr;
  double v = std::strtod(it->second.c_str(), &end);
  if (it->second.empty() || *end != '\0')
    throw std::invalid_argument("parameter '" + key + "' of '" + name +
                                "' must be a number, got '" + it->second + "'");
  return v;
}

}  // namespace perseval
