#include "harness/core/errors.h"

namespace perseval {

std::string input_error_message(const std::string& file, long long record, const std::string& id,
                                const std::string& problem) {
  std::string out = file;
  if (record >= 0) {
    out += ": record " + std::to_string(record);
    if (!id.empty()) out += " (id=" + id + ")";
  }
  out += ": " + problem;
  return out;
}

}  // namespace perseval
