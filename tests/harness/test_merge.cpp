// Sharded runs (`--shard i/N`) and `perseval merge`: real runs of bundled tasks into real
// SQLite files, merged, and compared with the same configuration run unsharded.
#include <catch2/catch.hpp>

#include <set>

#include "adapters/registry.h"
#include "harness/core/errors.h"
#include "harness/runner/merge_runs.h"
#include "harness/runner/runner.h"
#include "tasks/registry.h"
#include "tests/harness/subprocess_support.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using perseval::test::TempDir;
using perseval::test::run_perseval;

namespace {

RunOptions bundled(uint64_t seed = 11, int shard_index = 0, int shard_count = 1) {
  RunOptions o;
  o.source.bundled_dir = std::string(PERSEVAL_SOURCE_DIR) + "/datasets/samples";
  o.progress = false;
  o.threads = 2;
  o.seed = seed;
  o.shard_index = shard_index;
  o.shard_count = shard_count;
  return o;
}

RunSummary run_into(const std::string& db, const std::string& task_spec, const RunOptions& o) {
  auto store = Store::open(db);
  auto task = make_task(Spec::parse(task_spec));
  auto model = make_model(Spec::parse("baseline:kind=random"));
  return run_evaluation(*task, *model, *store, o);
}

// Per-sample results keyed by id, without timing.
std::map<std::string, json> rows_by_id(Store& store, const std::string& run_id) {
  std::map<std::string, json> out;
  for (const auto& r : store.read_samples(run_id))
    out[r.sample_id] = json{{"seq", r.seq}, {"user", r.user_id}, {"slices", r.slices}, {"target", r.target},
                            {"output", r.output}, {"parsed", r.parsed}, {"scores", r.scores},
                            {"error", r.error ? json(*r.error) : json()}};
  return out;
}

std::vector<json> metrics_json(Store& store, const std::string& run_id) {
  std::vector<json> out;
  for (const auto& m : store.read_metrics(run_id))
    out.push_back(json{{"slice", m.slice_key + "=" + m.slice_value}, {"name", m.metric.name},
                       {"value", m.metric.value}, {"n", m.metric.n},
                       {"low", m.metric.ci_low ? json(*m.metric.ci_low) : json()},
                       {"high", m.metric.ci_high ? json(*m.metric.ci_high) : json()}});
  std::sort(out.begin(), out.end(), [](const json& a, const json& b) { return a.dump() < b.dump(); });
  return out;
}

}  // namespace

TEST_CASE("shard: the shards of a run partition its samples by id", "[merge]") {
  std::vector<std::set<std::string>> parts(3);
  for (int i = 0; i < 300; ++i) {
    const std::string id = "sample-" + std::to_string(i);
    int owners = 0;
    for (int s = 0; s < 3; ++s)
      if (in_shard(id, s, 3)) ++owners, parts[s].insert(id);
    CHECK(owners == 1);
  }
  for (const auto& p : parts) CHECK(p.size() > 60);  // roughly a third each
  CHECK(in_shard("anything", 0, 1));
  RunOptions bad = bundled(1, 3, 3);
  TempDir dir;
  CHECK_THROWS_AS(run_into(dir.file("x.db"), "lamp-2", bad), InputError);
}

TEST_CASE("merge: three shards equal the unsharded run, sample for sample and metric for metric", "[merge]") {
  TempDir dir;
  for (const char* task : {"lamp-2", "lamp-3", "personafeedback"}) {
    INFO(task);
    const std::string whole_db = dir.file(std::string(task) + "-whole.db");
    const auto whole = run_into(whole_db, task, bundled());
    std::vector<std::string> shard_dbs;
    long long shard_total = 0;
    for (int s = 0; s < 3; ++s) {
      shard_dbs.push_back(dir.file(std::string(task) + "-shard" + std::to_string(s) + ".db"));
      const auto part = run_into(shard_dbs.back(), task, bundled(11, s, 3));
      REQUIRE(part.run.status == "finished");
      CHECK(part.run.notes["shard"]["count"] == 3);
      CHECK(part.run.config_key != whole.run.config_key);
      CHECK(part.run.notes["base_config_key"] == whole.run.config_key);
      shard_total += part.run.n_total;
    }
    CHECK(shard_total == whole.run.n_total);

    const std::string merged_db = dir.file(std::string(task) + "-merged.db");
    const auto report = merge_databases(merged_db, shard_dbs);
    CHECK(report.runs_joined == 1);
    CHECK(report.warnings.empty());
    CHECK(report.samples_added == whole.run.n_total);
    auto merged = Store::open(merged_db);
    const auto runs = merged->list_runs();
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].status == "finished");
    CHECK(runs[0].config_key == whole.run.config_key);
    CHECK(runs[0].n_total == whole.run.n_total);
    CHECK_FALSE(runs[0].notes.contains("shard"));
    auto whole_store = Store::open(whole_db);
    CHECK(rows_by_id(*merged, runs[0].run_id) == rows_by_id(*whole_store, whole.run.run_id));
    CHECK(metrics_json(*merged, runs[0].run_id) == metrics_json(*whole_store, whole.run.run_id));

    // Idempotent: merging again adds nothing and changes no number.
    const auto again = merge_databases(merged_db, shard_dbs);
    CHECK(again.samples_added == 0);
    CHECK(Store::open(merged_db)->list_runs().size() == 1);
    CHECK(metrics_json(*Store::open(merged_db), runs[0].run_id) == metrics_json(*whole_store, whole.run.run_id));
  }
}

TEST_CASE("merge: a missing shard gives a partial run until it arrives", "[merge]") {
  TempDir dir;
  const std::string s0 = dir.file("s0.db"), s1 = dir.file("s1.db"), out = dir.file("out.db");
  run_into(s0, "lamp-2", bundled(5, 0, 2));
  auto report = merge_databases(out, {s0});
  REQUIRE(report.warnings.size() == 1);
  CHECK(report.warnings[0].find("missing shards [1]") != std::string::npos);
  CHECK(Store::open(out)->list_runs().at(0).status == "partial");
  run_into(s1, "lamp-2", bundled(5, 1, 2));
  report = merge_databases(out, {s1});
  CHECK(report.warnings.empty());
  const auto runs = Store::open(out)->list_runs();
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].status == "finished");
}

TEST_CASE("merge: refuses shards of different configurations and bad inputs", "[merge]") {
  TempDir dir;
  const std::string a = dir.file("a.db"), b = dir.file("b.db"), c = dir.file("c.db"), out = dir.file("out.db");
  run_into(a, "lamp-2", bundled(1, 0, 2));
  run_into(b, "lamp-2", bundled(2, 1, 2));  // another seed: not the other half of `a`
  CHECK_THROWS_WITH(merge_databases(out, {a, b}), Catch::Contains("differing: seed"));
  run_into(c, "lamp-2", bundled(1, 1, 3));  // same configuration as `a`, other shard count
  CHECK_THROWS_WITH(merge_databases(out, {a, c}), Catch::Contains("of the same configuration"));
  CHECK_THROWS_WITH(merge_databases(out, {dir.file("nope.db")}), Catch::Contains("no such database"));
  CHECK_THROWS_WITH(merge_databases(a, {a}), Catch::Contains("output database itself"));
}

TEST_CASE("merge: unsharded runs from several machines are copied whole", "[merge]") {
  TempDir dir;
  const std::string a = dir.file("a.db"), b = dir.file("b.db"), out = dir.file("out.db");
  const auto ra = run_into(a, "lamp-1", bundled());
  const auto rb = run_into(b, "personamem", bundled());
  const auto report = merge_databases(out, {a, b});
  CHECK(report.runs_copied == 2);
  auto merged = Store::open(out);
  CHECK(merged->list_runs().size() == 2);
  CHECK(rows_by_id(*merged, ra.run.run_id) == rows_by_id(*Store::open(a), ra.run.run_id));
  CHECK(metrics_json(*merged, rb.run.run_id) == metrics_json(*Store::open(b), rb.run.run_id));
  CHECK(merge_databases(out, {a, b}).samples_added == 0);
}

TEST_CASE("cli: run --shard and merge", "[merge][cli]") {
  TempDir dir;
  for (int s = 0; s < 2; ++s) {
    auto r = run_perseval({"run", "--model", "baseline:kind=majority", "--tasks", "lamp-2", "--shard",
                           std::to_string(s) + "/2", "--db", dir.file("s" + std::to_string(s) + ".db"),
                           "--no-progress"},
                          dir.path().string());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  auto bad = run_perseval({"run", "--model", "baseline:kind=majority", "--tasks", "lamp-2", "--shard", "2/2",
                           "--db", dir.file("x.db")},
                          dir.path().string());
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("expected I/N") != std::string::npos);
  auto merged = run_perseval({"merge", dir.file("all.db"), dir.file("s0.db"), dir.file("s1.db"), "--json"},
                             dir.path().string());
  INFO(merged.err);
  REQUIRE(merged.exit_code == 0);
  CHECK(json::parse(merged.out)["runs_joined"] == 1);
  auto board = run_perseval({"leaderboard", "--db", dir.file("all.db"), "--json"}, dir.path().string());
  CHECK(board.out.find("lamp-2") != std::string::npos);
}
