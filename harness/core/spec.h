// The one parameter syntax for tasks and models: `name:key=value,key=value`.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace perseval {

// A parsed `name:key=value,...` spec. Keys are unique; order is canonicalised (sorted).
struct Spec {
  std::string name;
  std::map<std::string, std::string> params;

  // Parses `text`. Throws std::invalid_argument naming the problem on an empty name,
  // a parameter without '=', an empty key or a repeated key.
  static Spec parse(const std::string& text);

  // The canonical text form: name, then sorted params (`lamp-2:k=4,retriever=bm25`).
  std::string to_string() const;

  // Parameter lookup helpers. `get_int`/`get_double` throw std::invalid_argument naming
  // the key when the value is not a number.
  std::string get(const std::string& key, const std::string& fallback) const;
  std::optional<std::string> find(const std::string& key) const;
  long long get_int(const std::string& key, long long fallback) const;
  double get_double(const std::string& key, double fallback) const;
};

}  // namespace perseval
