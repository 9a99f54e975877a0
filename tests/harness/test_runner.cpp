// Runner integration tests: real SQLite files, an asynchronous model, TBB threads.
#include <catch2/catch.hpp>

#include <cmath>

#include "adapters/baseline/baseline_model.h"
#include "harness/core/errors.h"
#include "harness/runner/aggregate.h"
#include "harness/runner/runner.h"
#include "tasks/registry.h"
#include "tests/harness/fake_task.h"
#include "tests/harness/test_store_support.h"

using namespace perseval;
using perseval::testing::AsyncFakeModel;
using perseval::testing::FakeTask;

namespace {

// Stored rows without the timing field, which legitimately differs between runs.
std::vector<json> comparable_rows(Store& store, const std::string& run_id) {
  std::vector<json> out;
  for (const auto& r : store.read_samples(run_id))
    out.push_back(json{{"id", r.sample_id}, {"seq", r.seq}, {"user", r.user_id},
                       {"slices", r.slices}, {"prompt_hash", r.prompt_hash}, {"target", r.target},
                       {"output", r.output}, {"parsed", r.parsed}, {"scores", r.scores},
                       {"attempts", r.attempts}, {"error", r.error ? json(*r.error) : json()}});
  return out;
}

RunOptions options_with(int threads, uint64_t seed = 7) {
  RunOptions o;
  o.threads = threads;
  o.seed = seed;
  o.progress = false;
  o.max_in_flight = 32;
  return o;
}

}  // namespace

TEST_CASE("runner: 1 thread and 4 threads store identical per-sample results", "[runner]") {
  perseval::test::TempDir dir;
  FakeTask task(300);
  std::vector<std::vector<json>> results;
  for (int threads : {1, 4}) {
    auto store = Store::open(dir.file("t" + std::to_string(threads) + ".db"));
    AsyncFakeModel model(/*fail_every=*/0);
    auto summary = run_evaluation(task, model, *store, options_with(threads));
    REQUIRE(summary.run.status == "finished");
    REQUIRE(summary.new_samples == 300);
    results.push_back(comparable_rows(*store, summary.run.run_id));
  }
  REQUIRE(results[0].size() == 300);
  CHECK(results[0] == results[1]);
}

TEST_CASE("runner: a different seed changes seeded answers", "[runner]") {
  perseval::test::TempDir dir;
  FakeTask task(200);
  auto store = Store::open(dir.file("s.db"));
  AsyncFakeModel m1, m2;
  auto a = run_evaluation(task, m1, *store, options_with(2, 1));
  auto b = run_evaluation(task, m2, *store, options_with(2, 2));
  CHECK(comparable_rows(*store, a.run.run_id) != comparable_rows(*store, b.run.run_id));
}

TEST_CASE("runner: model failures are stored per sample and the run goes on", "[runner]") {
  perseval::test::TempDir dir;
  FakeTask task(100);
  auto store = Store::open(dir.file("e.db"));
  AsyncFakeModel model(/*fail_every=*/10);
  auto summary = run_evaluation(task, model, *store, options_with(2));
  CHECK(summary.run.status == "finished");
  CHECK(summary.errors == 10);
  const auto rows = store->read_samples(summary.run.run_id);
  REQUIRE(rows.size() == 100);
  for (const auto& r : rows) {
    const bool should_fail = std::stoi(r.sample_id.substr(1)) % 10 == 0;
    CHECK(r.error.has_value() == should_fail);
    if (should_fail) CHECK(r.output.empty());
  }
  bool found = false;
  for (const auto& m : summary.metrics)
    if (m.slice_key.empty() && m.metric.name == "n_errors") {
      found = true;
      CHECK(m.metric.value == 10);
    }
  CHECK(found);
}

TEST_CASE("runner: in-flight samples never exceed max_in_flight", "[runner]") {
  perseval::test::TempDir dir;
  FakeTask task(400);
  auto store = Store::open(dir.file("f.db"));
  AsyncFakeModel model;
  auto options = options_with(2);
  options.max_in_flight = 8;
  run_evaluation(task, model, *store, options);
  CHECK(model.max_outstanding() <= 8);
  CHECK(model.max_outstanding() >= 2);  // it really was asynchronous
}

TEST_CASE("runner: an interrupted run resumes with every sample exactly once", "[runner]") {
  perseval::test::TempDir dir;
  FakeTask task(250);
  std::vector<json> reference;
  {
    auto store = Store::open(dir.file("ref.db"));
    AsyncFakeModel model;
    auto s = run_evaluation(task, model, *store, options_with(2));
    reference = comparable_rows(*store, s.run.run_id);
  }
  auto store = Store::open(dir.file("resume.db"));
  std::atomic<bool> stop{false};
  std::string first_id;
  {
    // A model that raises the stop flag after 60 completions, like Ctrl-C mid-run.
    struct StoppingModel : AsyncFakeModel {
      std::atomic<bool>* stop;
      void submit(Request r, CompletionCallback done) override {
        AsyncFakeModel::submit(std::move(r), [this, done](Completion c) {
          if (completed_ >= 60) stop->store(true);
          done(std::move(c));
        });
      }
    } model;
    model.stop = &stop;
    auto options = options_with(2);
    options.stop = &stop;
    auto s = run_evaluation(task, model, *store, options);
    CHECK(s.interrupted);
    CHECK(s.run.status == "interrupted");
    first_id = s.run.run_id;
    const auto stored = store->read_samples(first_id).size();
    CHECK(stored >= 60);
    CHECK(stored < 250);
  }
  AsyncFakeModel model;
  auto s = run_evaluation(task, model, *store, options_with(3));
  CHECK(s.resumed);
  CHECK(s.run.run_id == first_id);
  CHECK(s.run.status == "finished");
  CHECK(s.resumed_samples + s.new_samples == 250);
  CHECK(comparable_rows(*store, first_id) == reference);
  CHECK(store->list_runs().size() == 1);
}

TEST_CASE("runner: malformed data stops the run, keeps stored samples, and stays resumable",
          "[runner]") {
  perseval::test::TempDir dir;
  auto store = Store::open(dir.file("bad.db"));
  FakeTask broken(100, /*fail_load_at=*/40);
  AsyncFakeModel model;
  std::string run_id;
  try {
    run_evaluation(broken, model, *store, options_with(2));
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "fake.json: record 40 (id=s40): broken");
  }
  const auto runs = store->list_runs();
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].status == "failed");
  CHECK(store->read_samples(runs[0].run_id).size() == 40);
}

TEST_CASE("runner: a finished configuration run again starts a new run", "[runner]") {
  perseval::test::TempDir dir;
  auto store = Store::open(dir.file("again.db"));
  FakeTask task(20);
  AsyncFakeModel m1, m2;
  auto a = run_evaluation(task, m1, *store, options_with(1));
  auto b = run_evaluation(task, m2, *store, options_with(1));
  CHECK_FALSE(b.resumed);
  CHECK(a.run.run_id != b.run.run_id);
  CHECK(comparable_rows(*store, a.run.run_id) == comparable_rows(*store, b.run.run_id));
}

TEST_CASE("runner: slices are aggregated per user", "[runner]") {
  perseval::test::TempDir dir;
  auto store = Store::open(dir.file("slices.db"));
  FakeTask task(50);
  auto model = make_baseline_model(Spec::parse("baseline:kind=majority"));
  auto s = run_evaluation(task, *model, *store, options_with(2));
  int user_slices = 0;
  for (const auto& m : store->read_metrics(s.run.run_id))
    if (m.slice_key == "user" && m.metric.name == "accuracy") ++user_slices;
  CHECK(user_slices == 5);
}

TEST_CASE("runner: aggregates from the session rows equal aggregates recomputed from the store", "[runner]") {
  // The runner aggregates the rows it kept in memory; the store is what reports read. Both
  // must give the same numbers bit for bit (values, n and intervals, every slice).
  perseval::test::TempDir dir;
  auto store = Store::open(dir.file("agg.db"));
  for (const char* spec : {"lamp-2", "lamp-3", "lamp-5", "personamem"}) {
    INFO(spec);
    auto task = make_task(Spec::parse(spec));
    auto model = make_baseline_model(Spec::parse("baseline:kind=random"));
    RunOptions o = options_with(2);
    o.source.bundled_dir = std::string(PERSEVAL_SOURCE_DIR) + "/datasets/samples";
    const auto summary = run_evaluation(*task, *model, *store, o);
    REQUIRE(summary.run.status == "finished");
    const auto recomputed = aggregate_run(*task, store->read_samples(summary.run.run_id), o.seed);
    REQUIRE(summary.metrics.size() == recomputed.size());
    REQUIRE(!recomputed.empty());
    for (size_t i = 0; i < recomputed.size(); ++i) {
      const auto& a = summary.metrics[i];
      const auto& b = recomputed[i];
      INFO(b.slice_key << "=" << b.slice_value << " " << b.metric.name);
      CHECK(a.slice_key == b.slice_key);
      CHECK(a.slice_value == b.slice_value);
      CHECK(a.metric.name == b.metric.name);
      CHECK(a.metric.n == b.metric.n);
      CHECK((a.metric.value == b.metric.value || (std::isnan(a.metric.value) && std::isnan(b.metric.value))));
      CHECK(a.metric.ci_low == b.metric.ci_low);
      CHECK(a.metric.ci_high == b.metric.ci_high);
    }
  }
}
