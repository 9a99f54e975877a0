// Helpers shared by the LaMP tests: the bundled samples directory and temporary files.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "harness/core/task.h"
#include "tests/support/temp_dir.h"

namespace perseval::lamp_test {

// The project's datasets/samples directory (what the CLI passes as bundled_dir).
inline std::string bundled_dir() { return std::string(PERSEVAL_SOURCE_DIR) + "/datasets/samples"; }

inline DataSource bundled_source() {
  DataSource s;
  s.bundled_dir = bundled_dir();
  return s;
}

using perseval::test::TempDir;

// Loads every sample a task yields from `source`.
inline std::vector<Sample> load_all(const Task& task, const DataSource& source) {
  std::vector<Sample> out;
  task.load(source, [&](Sample&& s) {
    out.push_back(std::move(s));
    return true;
  });
  return out;
}

}  // namespace perseval::lamp_test
