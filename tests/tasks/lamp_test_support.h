// Helpers shared by the LaMP tests: the bundled samples directory and temporary files.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "harness/core/task.h"

namespace perseval::lamp_test {

// The project's datasets/samples directory (what the CLI passes as bundled_dir).
inline std::string bundled_dir() { return std::string(PERSEVAL_SOURCE_DIR) + "/datasets/samples"; }

inline DataSource bundled_source() {
  DataSource s;
  s.bundled_dir = bundled_dir();
  return s;
}

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("perseval-lamp-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `text` to `name` (sub-directories created) and returns the full path.
  std::string write(const std::string& name, const std::string& text) const {
    const auto full = path_ / name;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << text;
    return full.string();
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

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
