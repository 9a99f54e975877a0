// Reading LaMP `{split}_outputs.json` files, which are also the prediction format:
// {"task": "LaMP_N", "golds": [{"id": "...", "output": "..."}, ...]} (lamp.md §3.4).
#pragma once

#include <string>
#include <vector>

namespace perseval::lamp {

struct OutputRecord {
  std::string id;
  std::string output;
};

// Options of read_outputs_file.
struct OutputsFileOptions {
  std::string expected_task;         // e.g. "LaMP_3"; checked against the file's "task"
  bool allow_number_outputs = false;  // predictions: numbers read as Python str() would print
};

// Parses the whole file (outputs files are small) and returns its records in file order,
// duplicates included. Throws InputError with a one-line message naming the file (and the
// record and id where there is one) when the file cannot be read, is not JSON (with the byte
// offset), is not an object with a string "task" and an array "golds", carries another task
// string than expected, or has a record without a string "id" / string "output".
std::vector<OutputRecord> read_outputs_file(const std::string& path,
                                            const OutputsFileOptions& options);

// Strips nlohmann's "[json.exception.parse_error.101] " prefix from an exception message.
std::string short_json_error(const char* what);

}  // namespace perseval::lamp
