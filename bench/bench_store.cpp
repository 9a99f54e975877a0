// SQLite result writes per second: write_samples in batches of 256 realistic rows (about
// 300-byte outputs, a few scores), as the runner's writer thread commits them.
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

#include "harness/store/store.h"

namespace perseval {
namespace {

constexpr size_t kBatchSize = 256;

// A file in a fresh temp directory, removed (with its WAL and shm files) on destruction.
class TempStorePath {
 public:
  TempStorePath() {
    auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
    dir_ = std::filesystem::temp_directory_path() /
           ("perseval-bench-store-" + std::to_string(::getpid()) + "-" + std::to_string(ticks));
  }
  ~TempStorePath() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string file() const { return (dir_ / "bench.db").string(); }

 private:
  std::filesystem::path dir_;
};

RunRecord bench_run() {
  RunRecord run;
  run.run_id = "bench-run";
  run.config_key = "bench-config";
  run.task = "lamp5:split=dev";
  run.model = "baseline:profile-nearest";
  run.started_at = "2024-05-01T10:00:00Z";
  run.status = "running";
  return run;
}

// A row like a LaMP text-generation sample: ~300-byte output, a few ROUGE-style scores.
SampleRow realistic_row(long long seq) {
  SampleRow row;
  row.sample_id = "lamp5-dev-" + std::to_string(seq);
  row.seq = seq;
  row.user_id = "user-" + std::to_string(seq % 997);
  row.slices = {{"split", "dev"}, {"user", row.user_id}};
  row.prompt_hash = "9f2c4e1a7b3d5f60";
  row.target = "Personalized scholarly title generation with retrieval-augmented prompts";
  row.output =
      "Title: Learning user-specific writing styles for personalized abstract-to-title "
      "generation. The proposed method retrieves the author's most similar past papers with "
      "BM25, summarizes their stylistic conventions, and conditions a language model on the "
      "retrieved profile so that generated titles match the author's usual length and tone.";
  row.parsed = row.output.substr(7, 90);
  row.scores = {{"rouge1", 0.4213}, {"rougeL", 0.3871}, {"exact", 0.0}, {"length_ratio", 1.12}};
  row.latency_ms = 812.4;
  row.prompt_tokens = 1432;
  row.completion_tokens = 71;
  row.attempts = 1;
  return row;
}

void BM_StoreWriteSamples(benchmark::State& state) {
  TempStorePath temp;
  auto store = Store::open(temp.file());
  store->create_run(bench_run());

  std::vector<SampleRow> batch;
  for (size_t i = 0; i < kBatchSize; ++i) batch.push_back(realistic_row(static_cast<long long>(i)));

  long long next_seq = 0;
  for (auto _ : state) {
    // New ids every batch: duplicates would be ignored and measure nothing.
    for (SampleRow& row : batch) {
      row.seq = next_seq++;
      row.sample_id = "lamp5-dev-" + std::to_string(row.seq);
    }
    size_t inserted = store->write_samples("bench-run", batch);
    if (inserted != kBatchSize) state.SkipWithError("rows were not inserted");
    benchmark::DoNotOptimize(inserted);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatchSize));
}
// Wall time, not CPU time: commits wait on the file system, and that is part of the cost.
BENCHMARK(BM_StoreWriteSamples)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace perseval
