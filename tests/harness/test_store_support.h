// Helpers shared by the store and result-writer tests: a temporary directory removed at the
// end of the test, and realistic records to write.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <system_error>

#include <unistd.h>

#include "harness/store/store.h"
#include "tests/support/temp_dir.h"

namespace perseval::test {

// A run record with every field set to something distinguishable.
inline RunRecord make_run(const std::string& run_id, const std::string& config_key = "cfg-1",
                          const std::string& started_at = "2024-05-01T10:00:00Z") {
  RunRecord run;
  run.run_id = run_id;
  run.config_key = config_key;
  run.task = "lamp2:split=dev";
  run.task_version = "1.2";
  run.task_params = {{"split", "dev"}, {"k", 3}};
  run.model = "openai:gpt-4o-mini";
  run.model_identity = {{"provider", "openai"}, {"model", "gpt-4o-mini"}};
  run.gen_config = {{"max_tokens", 64}, {"temperature", 0.0}};
  run.dataset_fingerprint = "abcdef0123456789";
  run.seed = 18446744073709551615ULL;  // UINT64_MAX: must survive SQLite's signed INTEGER
  run.limit = 100;
  run.harness_version = "0.1.0";
  run.git_revision = "deadbeef1234";
  run.started_at = started_at;
  run.status = "running";
  run.n_total = 0;
  run.wall_s = 0.0;
  run.notes = {{"skipped", json::array()}};
  return run;
}

// A sample row as the runner would produce it.
inline SampleRow make_sample(const std::string& sample_id, long long seq) {
  SampleRow row;
  row.sample_id = sample_id;
  row.seq = seq;
  row.user_id = "user-" + std::to_string(seq % 7);
  row.slices = {{"split", "dev"}, {"user", row.user_id}};
  row.prompt_hash = "ph-" + sample_id;
  row.target = "[15]";
  row.output = "The answer is [15] for " + sample_id;
  row.parsed = "[15]";
  row.scores = {{"accuracy", 1.0}, {"f1", 0.5}};
  row.latency_ms = 12.5;
  row.prompt_tokens = 321;
  row.completion_tokens = 7;
  row.attempts = 1;
  return row;
}

}  // namespace perseval::test
