// Error types that decide the command line's exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace perseval {

// Malformed user input (a data file, a predictions file, a spec). The message is one line
// naming the file, the record and what was expected. The CLI exits with code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Builds the one-line message "FILE: record N (id=ID): PROBLEM" used by every loader.
// `record` < 0 omits the record part; an empty `id` omits the id part.
std::string input_error_message(const std::string& file, long long record, const std::string& id,
                                const std::string& problem);

}  // namespace perseval
