// Report generation: `perseval report` (collect from SQLite + render + write) over a database
// of 10 runs x 10,000 samples (100,000 in all; ~300-character outputs, user and tier slices).
// Issue target: under 10 s for 100,000 samples.
//
//   build/perseval_bench --benchmark_filter=Report
#include <benchmark/benchmark.h>

#include <filesystem>
#include <unistd.h>

#include "harness/store/store.h"
#include "reports/html_report.h"

using namespace perseval;

namespace {

// Ten finished lamp-2 runs of 10,000 samples each, with whole-run and per-tier metrics.
void fill(Store& store, int runs, int samples_per_run) {
  for (int r = 0; r < runs; ++r) {
    RunRecord run;
    run.run_id = "run-" + std::to_string(r);
    run.config_key = "cfg-" + std::to_string(r);
    run.task = "lamp-2:k=" + std::to_string(1 + r % 2);
    run.model = "openai:model=ckpt-" + std::to_string(r / 2);
    run.status = "finished";
    run.started_at = "2026-11-" + std::to_string(10 + r) + "T02:00:00Z";
    run.n_total = samples_per_run;
    run.notes = {{"primary_metric", "accuracy"}, {"higher_is_better", true}};
    store.create_run(run);
    store.update_run(run);
    std::vector<SampleRow> rows;
    for (int i = 0; i < samples_per_run; ++i) {
      SampleRow row;
      row.sample_id = "s" + std::to_string(i);
      row.seq = i;
      row.user_id = "u" + std::to_string(i % 500);
      row.slices = {{"user", row.user_id}, {"tier", i % 3 ? "easy" : "hard"}};
      row.target = "comedy";
      row.output = std::string(280, 'x') + " comedy " + std::to_string(i);
      row.parsed = "comedy";
      row.scores = {{"gold_id", 2}, {"pred_id", i % 4 ? 2 : 5}};
      if (i % 97 == 0) row.error = "HTTP 503: overloaded";
      rows.push_back(std::move(row));
      if (rows.size() == 2000) {
        store.write_samples(run.run_id, rows);
        rows.clear();
      }
    }
    store.write_samples(run.run_id, rows);
    std::vector<StoredMetric> metrics{{"", "", {"accuracy", 0.75, samples_per_run, 0.74, 0.76}},
                                      {"tier", "easy", {"accuracy", 0.76, samples_per_run * 2 / 3, 0.75, 0.77}},
                                      {"tier", "hard", {"accuracy", 0.73, samples_per_run / 3, 0.71, 0.75}}};
    store.replace_metrics(run.run_id, metrics);
  }
}

void BM_ReportGeneration(benchmark::State& state) {
  const int runs = 10, per_run = static_cast<int>(state.range(0)) / runs;
  const auto dir = std::filesystem::temp_directory_path() / ("perseval-bench-report-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto store = Store::open((dir / "bench.db").string());
  fill(*store, runs, per_run);
  report::ReportOptions options;
  // Every run selected, not only the leaderboard's latest per pair.
  for (int r = 0; r < runs; ++r) options.run_ids.push_back("run-" + std::to_string(r));
  size_t bytes = 0;
  for (auto _ : state) bytes = report::write_html_report(*store, options, (dir / "report.html").string()).bytes;
  state.counters["report_mb"] = static_cast<double>(bytes) / 1e6;
  state.SetItemsProcessed(state.iterations() * state.range(0));
  store.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ReportGeneration)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

}  // namespace
