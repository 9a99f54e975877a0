// End-to-end throughput: load → render (BM25 retrieval, k=4) → baseline model → score →
// SQLite, through the real runner, on a generated LaMP-7-shaped split.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "adapters/registry.h"
#include "harness/runner/runner.h"
#include "tasks/registry.h"

using namespace perseval;

namespace {

// Writes a synthetic LaMP-7 split of `n` questions with 24-item profiles (the real
// LaMP-7 average) into `dir`; returns the task spec that reads it.
std::string write_split(const std::filesystem::path& dir, int n) {
  std::filesystem::create_directories(dir);
  json questions = json::array(), golds = json::array();
  for (int i = 0; i < n; ++i) {
    json profile = json::array();
    for (int j = 0; j < 24; ++j)
      profile.push_back({{"id", "p" + std::to_string(j)},
                         {"text", "so happy about topic " + std::to_string((i * 7 + j) % 97) +
                                      " and the weather in town today lol " + std::to_string(j)},
                         {"date", "2019-03-" + std::to_string(1 + j % 28)}});
    const std::string id = "synthetic-" + std::to_string(i);
    questions.push_back({{"id", id},
                         {"input", "Paraphrase the following tweet without any explanation before "
                                   "or after it: topic " + std::to_string(i % 97) + " is on my mind"},
                         {"profile", profile}});
    golds.push_back({{"id", id}, {"output", "thinking about topic " + std::to_string(i % 97)}});
  }
  std::ofstream(dir / "q.json") << questions.dump();
  std::ofstream(dir / "o.json") << json{{"task", "LaMP_7"}, {"golds", golds}}.dump();
  return "lamp-7:k=4,retriever=bm25,questions=" + (dir / "q.json").string() +
         ",outputs=" + (dir / "o.json").string();
}

void BM_RunnerEndToEnd(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto dir = std::filesystem::temp_directory_path() / "perseval-bench-runner";
  const std::string spec = write_split(dir, n);
  auto task = make_task(Spec::parse(spec));
  auto model = make_model(Spec::parse("baseline:kind=nearest"));
  uint64_t seed = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove(dir / "bench.db");
    std::filesystem::remove(dir / "bench.db-wal");
    std::filesystem::remove(dir / "bench.db-shm");
    auto store = Store::open((dir / "bench.db").string());
    RunOptions options;
    options.seed = ++seed;
    options.progress = false;
    state.ResumeTiming();
    auto summary = run_evaluation(*task, *model, *store, options);
    benchmark::DoNotOptimize(summary);
  }
  state.SetItemsProcessed(state.iterations() * n);
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_RunnerEndToEnd)->Arg(5000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
