// A cached re-run: the second night of an unchanged configuration. N LaMP-2-shaped samples
// (4-item profiles, BM25) run once through a CachingModel over an instant in-process model
// to fill the request cache (in the run database), then the same configuration runs again
// and is timed: every answer comes from the cache, no model call is made, every result is
// stored and aggregated with bootstrap intervals. Issue target: over 20,000 samples/s for
// 100,000 samples.
//
//   build/perseval_bench --benchmark_filter=CachedRerun
#include <benchmark/benchmark.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "harness/cache/caching_model.h"
#include "harness/runner/runner.h"
#include "harness/store/request_cache.h"
#include "tasks/registry.h"

using namespace perseval;

namespace {

const char* const kTags[] = {"sci-fi", "based on a book", "comedy", "action", "twist ending",
                             "dystopia", "dark comedy", "classic", "psychology", "fantasy",
                             "romance", "thought-provoking", "social commentary", "violence", "true story"};

std::string write_split(const std::filesystem::path& dir, int n) {
  std::filesystem::create_directories(dir);
  std::ofstream q(dir / "q.json"), o(dir / "o.json");
  q << "[";
  o << "{\"task\":\"LaMP_2\",\"golds\":[";
  for (int i = 0; i < n; ++i) {
    json profile = json::array();
    for (int j = 0; j < 4; ++j)
      profile.push_back({{"id", "p" + std::to_string(i) + "-" + std::to_string(j)},
                         {"description", "A story about topic " + std::to_string((i * 7 + j) % 97)},
                         {"tag", kTags[(i + j) % 15]}});
    const std::string id = "synthetic-" + std::to_string(i);
    q << (i ? "," : "")
      << json{{"id", id},
              {"input", "Which tag does this movie relate to among the following tags? tags: [comedy, action] "
                        "description: A story about topic " + std::to_string(i % 97)},
              {"profile", profile}}
             .dump();
    o << (i ? "," : "") << json{{"id", id}, {"output", kTags[i % 15]}}.dump();
  }
  q << "]";
  o << "]}";
  return "lamp-2:questions=" + (dir / "q.json").string() + ",outputs=" + (dir / "o.json").string();
}

// Answers at once with a fixed tag; counts its calls.
class InstantModel final : public Model {
 public:
  ModelInfo info() const override { return {"fake:instant", "fake", json{{"model", "instant"}}, 0}; }
  void submit(Request, CompletionCallback done) override {
    ++calls;
    Completion c;
    c.text = "comedy";
    done(std::move(c));
  }
  std::atomic<long long> calls{0};
};

void BM_CachedRerun(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto dir = std::filesystem::temp_directory_path() / ("perseval-bench-cached-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::string db = (dir / "bench.db").string();
  auto task = make_task(Spec::parse(write_split(dir, n)));
  InstantModel inner;
  RequestCache cache(db);
  CachingModel model(inner, cache);
  auto store = Store::open(db);
  RunOptions options;
  options.progress = false;
  run_evaluation(*task, model, *store, options);  // night 1 fills the cache
  const long long filled = inner.calls;
  for (auto _ : state) {
    const auto summary = run_evaluation(*task, model, *store, options);  // a finished config: a new run
    if (summary.new_samples != n || summary.errors != 0) state.SkipWithError("samples failed or went missing");
  }
  if (inner.calls != filled) state.SkipWithError("the re-run called the model");
  state.SetItemsProcessed(state.iterations() * n);
  state.counters["samples_per_s"] = benchmark::Counter(static_cast<double>(n) * state.iterations(), benchmark::Counter::kIsRate);
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_CachedRerun)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace
