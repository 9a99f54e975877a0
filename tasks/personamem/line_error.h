// One-line messages for malformed PERSONAMEM input, "FILE:LINE: [question_id=ID: ][field
// NAME: ]PROBLEM", in the compiler style editors jump to. Lines are physical, 1-based.
#pragma once

#include <string>

namespace perseval::personamem {

// `line` <= 0 omits the line; an empty `id` or `field` omits that part.
inline std::string line_error(const std::string& file, long long line, const std::string& id,
                              const std::string& field, const std::string& problem) {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (!id.empty()) out += "question_id=" + id + ": ";
  if (!field.empty()) out += "field " + field + ": ";
  return out + problem;
}

}  // namespace perseval::personamem
