// The runner's post-run step: aggregate_run over N stored LaMP-2 rows (accuracy, macro-F1
// and their lenient variants with 1,000-resample bootstrap intervals, all on shared
// resamples), and the SQLite read-back a resumed run needs before it.
//
//   build/perseval_bench --benchmark_filter=Aggregate
#include <benchmark/benchmark.h>

#include <filesystem>

#include "harness/runner/aggregate.h"
#include "harness/store/store.h"
#include "tasks/registry.h"

using namespace perseval;

namespace {

const char* const kTags[] = {"sci-fi", "based on a book", "comedy", "action", "twist ending",
                             "dystopia", "dark comedy", "classic", "psychology", "fantasy",
                             "romance", "thought-provoking", "social commentary", "violence", "true story"};

// N scored LaMP-2 rows: label ids as lamp's scorer writes them, ~70% correct.
std::vector<SampleRow> lamp2_rows(int n) {
  std::vector<SampleRow> rows;
  for (int i = 0; i < n; ++i) {
    SampleRow r;
    r.sample_id = "s" + std::to_string(i);
    r.seq = i;
    r.user_id = "u" + std::to_string(i);
    r.slices = json{{"user", r.user_id}};
    const int gold = i % 15, pred = (i % 10 < 7) ? gold : (i * 7) % 15;
    r.target = kTags[gold];
    r.output = kTags[pred];
    r.parsed = kTags[pred];
    r.scores = json{{"gold_id", gold}, {"pred_id", pred}, {"pred_id_lenient", pred}, {"correct", gold == pred ? 1 : 0}};
    rows.push_back(std::move(r));
  }
  return rows;
}

void BM_AggregateLamp2(benchmark::State& state) {
  const auto rows = lamp2_rows(static_cast<int>(state.range(0)));
  auto task = make_task(Spec::parse("lamp-2"));
  for (auto _ : state) benchmark::DoNotOptimize(aggregate_run(*task, rows, 1234));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_AggregateLamp2)->Arg(20000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReadBackRows(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() / "perseval-bench-aggregate";
  std::filesystem::remove_all(dir);
  auto store = Store::open((dir / "bench.db").string());
  RunRecord run;
  run.run_id = "bench";
  run.config_key = "bench";
  run.status = "running";
  store->create_run(run);
  const auto rows = lamp2_rows(static_cast<int>(state.range(0)));
  store->write_samples("bench", rows);
  for (auto _ : state) benchmark::DoNotOptimize(store->read_samples("bench"));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  store.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ReadBackRows)->Arg(20000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
