// Helpers shared by the PersonaBench tests: the bundled fixture, the team's real sample
// (tests skip when it is absent) and small builders for synthetic data directories.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/core/task.h"
#include "tasks/personabench/personabench_task.h"
#include "tests/support/temp_dir.h"

namespace perseval::personabench_test {

using perseval::test::TempDir;

// The project's datasets/samples directory (the CLI's bundled_dir).
inline std::string bundled_dir() { return std::string(PERSEVAL_SOURCE_DIR) + "/datasets/samples"; }

// The bundled fixture's eval_data_v1 directory.
inline std::string fixture_root() {
  return bundled_dir() + "/personabench/eval_data/eval_data_v1";
}

// The team's real one-user sample (Jennifer Moran), or "" when it is not there.
inline std::string real_sample_dir() {
  const std::string dir = std::string(PERSEVAL_SOURCE_DIR) + "/../shared/data/personabench";
  std::error_code ec;
  return std::filesystem::is_directory(dir + "/eval_data/eval_data_v1/synthetic_data", ec) ? dir : "";
}

inline DataSource bundled_source() {
  DataSource s;
  s.bundled_dir = bundled_dir();
  return s;
}

inline DataSource dir_source(const std::string& dir) {
  DataSource s;
  s.data_dir = dir;
  s.bundled_dir = bundled_dir();
  return s;
}

// Builds the task for a spec such as "personabench:noise=0.0,retriever=oracle".
inline std::unique_ptr<personabench::PersonaBenchTask> make(const std::string& spec) {
  return std::make_unique<personabench::PersonaBenchTask>(personabench::parse_options(Spec::parse(spec)));
}

// Every sample a task streams from `source`.
inline std::vector<Sample> load_all(const Task& task, const DataSource& source) {
  std::vector<Sample> out;
  task.load(source, [&](Sample&& s) {
    out.push_back(std::move(s));
    return true;
  });
  return out;
}

// Copies the bundled fixture into `dir` (to damage one file in a test).
inline std::string copy_fixture(const TempDir& dir) {
  const auto target = dir.path() / "personabench";
  std::filesystem::copy(bundled_dir() + "/personabench", target, std::filesystem::copy_options::recursive);
  return target.string();
}

}  // namespace perseval::personabench_test
