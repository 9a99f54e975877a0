// The SQLite store against real files: round-trips, resume bookkeeping, schema checks.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <limits>

#include "harness/store/schema.h"
#include "harness/store/sqlite_db.h"
#include "harness/store/store.h"
#include "tests/harness/test_store_support.h"

namespace perseval {
namespace {

using Catch::Matchers::Contains;
using test::make_run;
using test::make_sample;
using test::TempDir;

void require_same_run(const RunRecord& got, const RunRecord& want) {
  CHECK(got.run_id == want.run_id);
  CHECK(got.config_key == want.config_key);
  CHECK(got.task == want.task);
  CHECK(got.task_version == want.task_version);
  CHECK(got.task_params == want.task_params);
  CHECK(got.model == want.model);
  CHECK(got.model_identity == want.model_identity);
  CHECK(got.gen_config == want.gen_config);
  CHECK(got.dataset_fingerprint == want.dataset_fingerprint);
  CHECK(got.seed == want.seed);
  CHECK(got.limit == want.limit);
  CHECK(got.harness_version == want.harness_version);
  CHECK(got.git_revision == want.git_revision);
  CHECK(got.started_at == want.started_at);
  CHECK(got.finished_at == want.finished_at);
  CHECK(got.status == want.status);
  CHECK(got.n_total == want.n_total);
  CHECK(got.wall_s == want.wall_s);
  CHECK(got.notes == want.notes);
}

void require_same_sample(const SampleRow& got, const SampleRow& want) {
  CHECK(got.sample_id == want.sample_id);
  CHECK(got.seq == want.seq);
  CHECK(got.user_id == want.user_id);
  CHECK(got.slices == want.slices);
  CHECK(got.prompt_hash == want.prompt_hash);
  CHECK(got.target == want.target);
  CHECK(got.output == want.output);
  CHECK(got.parsed == want.parsed);
  CHECK(got.latency_ms == want.latency_ms);
  CHECK(got.prompt_tokens == want.prompt_tokens);
  CHECK(got.completion_tokens == want.completion_tokens);
  CHECK(got.attempts == want.attempts);
  CHECK(got.error == want.error);
}

// Writes a file that has nothing to do with SQLite.
void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace

TEST_CASE("Store creates the file, its directories and the current schema", "[store]") {
  TempDir dir;
  const std::string path = dir.file("nested/deeper/results.db");
  {
    auto store = Store::open(path);
    CHECK(store->schema_version() == Store::current_schema_version());
  }
  REQUIRE(std::filesystem::exists(path));

  SqliteDb raw(path);
  CHECK(raw.query_text("SELECT version FROM schema_version") ==
        std::to_string(Store::current_schema_version()));
  CHECK(raw.query_text("SELECT count(*) FROM schema_version") == "1");
  CHECK(raw.query_text("PRAGMA journal_mode") == "wal");
}

TEST_CASE("Store migrations are consecutive and end at the current version", "[store]") {
  auto steps = schema_migrations();
  REQUIRE_FALSE(steps.empty());
  for (size_t i = 0; i < steps.size(); ++i) CHECK(steps[i].version == static_cast<int>(i) + 1);
  CHECK(steps.back().version == Store::current_schema_version());
}

TEST_CASE("Store round-trips a run and updates it", "[store]") {
  TempDir dir;
  auto store = Store::open(dir.file("runs.db"));
  RunRecord run = make_run("run-1");
  store->create_run(run);

  auto got = store->get_run("run-1");
  REQUIRE(got);
  require_same_run(*got, run);
  CHECK_FALSE(store->get_run("no-such-run"));

  run.status = "finished";
  run.finished_at = "2024-05-01T10:05:00Z";
  run.n_total = 42;
  run.wall_s = 300.25;
  run.notes = {{"warnings", {"two records skipped"}}};
  store->update_run(run);
  got = store->get_run("run-1");
  REQUIRE(got);
  require_same_run(*got, run);

  CHECK_THROWS_AS(store->create_run(run), std::runtime_error);
  CHECK_THROWS_WITH(store->update_run(make_run("ghost")), Contains("ghost"));

  store->create_run(make_run("run-0", "cfg-1", "2024-04-01T00:00:00Z"));
  auto runs = store->list_runs();
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].run_id == "run-0");
  CHECK(runs[1].run_id == "run-1");
}

TEST_CASE("Store round-trips sample rows with every field", "[store]") {
  TempDir dir;
  auto store = Store::open(dir.file("samples.db"));
  store->create_run(make_run("run-1"));

  SampleRow plain = make_sample("s-plain", 2);
  SampleRow failed = make_sample("s-failed", 0);
  failed.output = "";
  failed.parsed = "";
  failed.error = "HTTP 429 after 5 attempts";
  failed.attempts = 5;
  SampleRow odd = make_sample("s-unicode", 1);
  odd.output = "Grüße, 日本語, emoji 🙂, quote \" and newline\nend";
  odd.user_id = "usér-ü";
  odd.slices = {{"user", "usér-ü"}, {"scheme", "ö"}};
  odd.scores = {{"nan_score", std::numeric_limits<double>::quiet_NaN()},
                {"inf_score", std::numeric_limits<double>::infinity()},
                {"neg_inf_score", -std::numeric_limits<double>::infinity()},
                {"rouge", 0.125}};

  std::vector<SampleRow> rows = {plain, failed, odd};
  CHECK(store->write_samples("run-1", rows) == 3);

  auto got = store->read_samples("run-1");
  REQUIRE(got.size() == 3);
  // Read back in seq order, not insertion order.
  require_same_sample(got[0], failed);
  require_same_sample(got[1], odd);
  require_same_sample(got[2], plain);
  CHECK(got[2].scores == plain.scores);
  CHECK_FALSE(got[2].error.has_value());

  const json& scores = got[1].scores;
  CHECK(std::isnan(scores.at("nan_score").get<double>()));
  CHECK(scores.at("inf_score").get<double>() == std::numeric_limits<double>::infinity());
  CHECK(scores.at("neg_inf_score").get<double>() == -std::numeric_limits<double>::infinity());
  CHECK(scores.at("rouge").get<double>() == 0.125);

  CHECK(store->read_samples("other-run").empty());
}

TEST_CASE("Store never stores a sample twice and reports completed ids", "[store]") {
  TempDir dir;
  auto store = Store::open(dir.file("dups.db"));
  store->create_run(make_run("run-1"));
  store->create_run(make_run("run-2"));

  std::vector<SampleRow> first = {make_sample("a", 0), make_sample("b", 1), make_sample("c", 2)};
  CHECK(store->write_samples("run-1", first) == 3);

  SampleRow changed_b = make_sample("b", 1);
  changed_b.output = "a second answer that must not replace the first";
  std::vector<SampleRow> second = {changed_b, make_sample("d", 3), make_sample("d", 3),
                                   make_sample("a", 0)};
  CHECK(store->write_samples("run-1", second) == 1);
  CHECK(store->write_samples("run-1", std::vector<SampleRow>{}) == 0);

  auto rows = store->read_samples("run-1");
  REQUIRE(rows.size() == 4);
  CHECK(rows[1].sample_id == "b");
  CHECK(rows[1].output == make_sample("b", 1).output);
  CHECK(store->completed_sample_ids("run-1") ==
        std::unordered_set<std::string>{"a", "b", "c", "d"});

  // The same sample id in another run is another sample.
  CHECK(store->write_samples("run-2", first) == 3);
  CHECK(store->completed_sample_ids("run-2").size() == 3);
  CHECK(store->completed_sample_ids("run-3").empty());
}

TEST_CASE("Store write_samples is all or nothing", "[store]") {
  TempDir dir;
  const std::string path = dir.file("atomic.db");
  auto store = Store::open(path);
  store->create_run(make_run("run-1"));
  std::vector<SampleRow> committed = {make_sample("kept-1", 0), make_sample("kept-2", 1)};
  REQUIRE(store->write_samples("run-1", committed) == 2);

  SECTION("a row failing mid-batch rolls the whole batch back") {
    {
      // A trigger stands in for any mid-batch failure (disk full, constraint).
      SqliteDb raw(path);
      raw.exec(
          "CREATE TRIGGER poison BEFORE INSERT ON samples WHEN NEW.sample_id = 'poison' "
          "BEGIN SELECT RAISE(ABORT, 'poisoned row'); END");
    }
    std::vector<SampleRow> batch = {make_sample("new-1", 2), make_sample("new-2", 3),
                                    make_sample("poison", 4)};
    CHECK_THROWS_WITH(store->write_samples("run-1", batch), Contains("poisoned row"));
  }
  SECTION("rows of an unknown run are refused") {
    CHECK_THROWS_WITH(store->write_samples("no-such-run", committed),
                      Contains("FOREIGN KEY") && Contains(path));
  }

  CHECK(store->completed_sample_ids("run-1") ==
        std::unordered_set<std::string>{"kept-1", "kept-2"});
  // The connection is usable after the failure.
  std::vector<SampleRow> later = {make_sample("later", 5)};
  CHECK(store->write_samples("run-1", later) == 1);
}

TEST_CASE("Store replaces metrics of one run", "[store]") {
  TempDir dir;
  auto store = Store::open(dir.file("metrics.db"));
  store->create_run(make_run("run-1"));
  store->create_run(make_run("run-2"));

  std::vector<StoredMetric> first = {
      {"", "", {"accuracy", 0.75, 200, 0.69, 0.81}},
      {"user", "u1", {"accuracy", 0.5, 10, std::nullopt, std::nullopt}},
      {"user", "u2", {"f1", std::numeric_limits<double>::quiet_NaN(), 0, std::nullopt,
                      std::nullopt}},
  };
  store->replace_metrics("run-1", first);
  store->replace_metrics("run-2", first);

  auto got = store->read_metrics("run-1");
  REQUIRE(got.size() == 3);
  CHECK(got[0].slice_key.empty());
  CHECK(got[0].metric.name == "accuracy");
  CHECK(got[0].metric.value == 0.75);
  CHECK(got[0].metric.n == 200);
  CHECK(got[0].metric.ci_low == 0.69);
  CHECK(got[0].metric.ci_high == 0.81);
  CHECK(got[1].slice_key == "user");
  CHECK(got[1].slice_value == "u1");
  CHECK_FALSE(got[1].metric.ci_low.has_value());
  CHECK_FALSE(got[1].metric.ci_high.has_value());
  CHECK(std::isnan(got[2].metric.value));

  std::vector<StoredMetric> second = {{"", "", {"accuracy", 0.8, 210, 0.7, 0.9}}};
  store->replace_metrics("run-1", second);
  got = store->read_metrics("run-1");
  REQUIRE(got.size() == 1);
  CHECK(got[0].metric.value == 0.8);
  CHECK(store->read_metrics("run-2").size() == 3);

  // A duplicate key fails and keeps the previous metrics.
  std::vector<StoredMetric> duplicate = {second[0], second[0]};
  CHECK_THROWS_AS(store->replace_metrics("run-1", duplicate), std::runtime_error);
  CHECK(store->read_metrics("run-1").size() == 1);
}

TEST_CASE("Store finds the most recent unfinished run of a configuration", "[store]") {
  TempDir dir;
  auto store = Store::open(dir.file("resume.db"));
  CHECK_FALSE(store->find_unfinished_run("cfg-a"));

  RunRecord older = make_run("older", "cfg-a", "2024-05-01T10:00:00Z");
  older.status = "interrupted";
  RunRecord newer = make_run("newer", "cfg-a", "2024-05-01T11:00:00Z");
  RunRecord done = make_run("done", "cfg-a", "2024-05-01T12:00:00Z");
  done.status = "finished";
  RunRecord other = make_run("other", "cfg-b", "2024-05-01T13:00:00Z");
  for (const auto& run : {older, newer, done, other}) store->create_run(run);

  auto found = store->find_unfinished_run("cfg-a");
  REQUIRE(found);
  CHECK(found->run_id == "newer");
  require_same_run(*found, newer);

  newer.status = "finished";
  store->update_run(newer);
  found = store->find_unfinished_run("cfg-a");
  REQUIRE(found);
  CHECK(found->run_id == "older");

  CHECK(store->find_unfinished_run("cfg-b")->run_id == "other");
  CHECK_FALSE(store->find_unfinished_run("cfg-c"));
}

TEST_CASE("Store reopens an existing file with its data", "[store]") {
  TempDir dir;
  const std::string path = dir.file("reopen.db");
  std::vector<SampleRow> rows = {make_sample("a", 0), make_sample("b", 1)};
  {
    auto store = Store::open(path);
    store->create_run(make_run("run-1"));
    store->write_samples("run-1", rows);
  }
  auto store = Store::open(path);
  CHECK(store->schema_version() == Store::current_schema_version());
  REQUIRE(store->get_run("run-1"));
  auto got = store->read_samples("run-1");
  REQUIRE(got.size() == 2);
  require_same_sample(got[0], rows[0]);
  require_same_sample(got[1], rows[1]);

  // A second connection (a report, another process) sees the same data.
  auto reader = Store::open(path);
  CHECK(reader->completed_sample_ids("run-1").size() == 2);
}

TEST_CASE("Store refuses a schema newer than it knows", "[store]") {
  TempDir dir;
  const std::string path = dir.file("future.db");
  Store::open(path).reset();
  const int future = Store::current_schema_version() + 5;
  {
    SqliteDb raw(path);
    raw.exec("UPDATE schema_version SET version = " + std::to_string(future));
  }
  CHECK_THROWS_WITH(Store::open(path),
                    Contains(path) && Contains("schema version " + std::to_string(future)) &&
                        Contains("(" + std::to_string(Store::current_schema_version()) + ")"));
}

TEST_CASE("Store refuses files that are not perseval databases", "[store]") {
  TempDir dir;

  SECTION("not SQLite at all") {
    const std::string path = dir.file("notes.txt");
    write_text_file(path, std::string(4096, 'x') + "\nthis is a text file, not a database\n");
    CHECK_THROWS_WITH(Store::open(path), Contains(path) && Contains("not a SQLite database"));
  }
  SECTION("a SQLite database of something else, left untouched") {
    const std::string path = dir.file("other.db");
    {
      SqliteDb raw(path);
      raw.exec("CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT)");
    }
    CHECK_THROWS_WITH(Store::open(path), Contains(path) && Contains("not a perseval store"));
    SqliteDb raw(path);
    CHECK(raw.query_text("PRAGMA journal_mode") == "delete");
  }
  SECTION("a directory") {
    CHECK_THROWS_WITH(Store::open(dir.path().string()), Contains(dir.path().string()));
  }
}

}  // namespace perseval

namespace perseval {

TEST_CASE("Store migrates a version-1 file to the current schema and keeps its data", "[store]") {
  TempDir dir;
  const std::string path = dir.file("v1.db");
  {
    SqliteDb raw(path);
    raw.exec(schema_migrations()[0].sql);
    raw.exec("INSERT INTO schema_version(version) VALUES (1)");
    raw.exec(
        "INSERT INTO runs VALUES ('r1','k','lamp-1','1','{}','baseline','{}','{}','fp','7',-1,"
        "'0.1.0','abc','2026-01-01T00:00:00Z','','running',0,0,'{}')");
    raw.exec(
        "INSERT INTO samples VALUES ('r1','s1',0,'u','{}','ph','[1]','[2]','[2]','{\"correct\":0}',"
        "1.5,3,1,1,NULL)");
  }
  auto store = Store::open(path);
  CHECK(store->schema_version() == Store::current_schema_version());
  const auto rows = store->read_samples("r1");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].output == "[2]");
  CHECK_FALSE(rows[0].cached);
  SampleRow cached_row = make_sample("s2", 1);
  cached_row.cached = true;
  store->write_samples("r1", std::vector<SampleRow>{cached_row});
  CHECK(store->read_samples("r1").back().cached);
}

}  // namespace perseval
