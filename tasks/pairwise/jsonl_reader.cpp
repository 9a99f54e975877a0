#include "tasks/pairwise/jsonl_reader.h"

#include <fstream>

#include "harness/core/errors.h"

namespace perseval::pairwise {

std::string line_error(const std::string& file, long long line, const std::string& problem) {
  return file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + problem;
}

void read_jsonl_objects(const std::string& path,
                        const std::function<bool(long long line, json&& object)>& on_object) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(line_error(path, 0, "cannot be opened"));
  std::string text;
  long long line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    json object;
    try {
      object = json::parse(text);
    } catch (const json::exception& e) {  // parse_error, or out_of_range for a number overflow
      throw InputError(line_error(path, line, std::string("not valid JSON (") + e.what() + ")"));
    }
    if (!object.is_object()) throw InputError(line_error(path, line, "expected a JSON object"));
    if (!on_object(line, std::move(object))) return;
  }
}

std::string required_string(const json& object, const char* field, const std::string& file,
                            long long line, const std::string& what_for) {
  const auto it = object.find(field);
  const std::string hint = what_for.empty() ? "" : " (" + what_for + ")";
  if (it == object.end() || it->is_null())
    throw InputError(line_error(file, line, std::string("field '") + field + "' missing" + hint));
  if (!it->is_string())
    throw InputError(line_error(file, line, std::string("field '") + field + "' is not a string" + hint));
  return it->get<std::string>();
}

std::optional<std::string> optional_string(const json& object, const char* field,
                                           const std::string& file, long long line) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_string())
    throw InputError(line_error(file, line, std::string("field '") + field + "' is not a string"));
  return it->get<std::string>();
}

}  // namespace perseval::pairwise
