// Exports: the lm-evaluation-harness-style results.json and the per-sample JSONL of
// `--log-samples`, from real runs in real SQLite files and through the CLI.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <limits>

#include "adapters/registry.h"
#include "harness/runner/runner.h"
#include "reports/export_results.h"
#include "tasks/registry.h"
#include "tests/harness/subprocess_support.h"
#include "tests/harness/test_store_support.h"

using namespace perseval;
using perseval::test::TempDir;

namespace {

std::vector<json> read_jsonl(const std::string& path) {
  std::ifstream in(path);
  std::vector<json> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(json::parse(line));
  return out;
}

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

}  // namespace

TEST_CASE("export: results.json carries every stored metric and the samples JSONL every row", "[export]") {
  TempDir dir;
  auto store = Store::open(dir.file("e.db"));
  RunOptions o;
  o.source.bundled_dir = std::string(PERSEVAL_SOURCE_DIR) + "/datasets/samples";
  o.progress = false;
  std::vector<RunRecord> runs;
  for (const char* spec : {"lamp-2", "personafeedback"}) {
    auto task = make_task(Spec::parse(spec));
    auto model = make_model(Spec::parse("baseline:kind=majority"));
    runs.push_back(run_evaluation(*task, *model, *store, o).run);
  }
  runs = {*store->get_run(runs[0].run_id), *store->get_run(runs[1].run_id)};
  const auto paths = export_runs(*store, runs, dir.file("out"), true);
  REQUIRE(paths.size() == 3);
  const json doc = read_json(paths[0]);
  for (const auto& run : runs) {
    INFO(run.task);
    const json& result = doc["results"][run.task];
    CHECK(result["alias"] == run.task);
    CHECK(doc["versions"][run.task] == run.task_version);
    CHECK(doc["n-samples"][run.task]["effective"] == run.n_total);
    int overall = 0;
    for (const auto& m : store->read_metrics(run.run_id)) {
      if (!m.slice_key.empty()) {
        CHECK(doc["slices"][run.task][m.slice_key + "=" + m.slice_value][m.metric.name + ",none"] == m.metric.value);
        continue;
      }
      ++overall;
      CHECK(result[m.metric.name + ",none"] == m.metric.value);
      CHECK(result[m.metric.name + "_n,none"] == m.metric.n);
      if (m.metric.ci_low) CHECK(result[m.metric.name + "_ci95,none"][0] == *m.metric.ci_low);
    }
    CHECK(overall > 0);
  }
  CHECK(doc["config"]["model"] == "baseline:kind=majority");
  CHECK(doc["runs"].size() == 2);

  const auto lines = read_jsonl(paths[1]);
  const auto rows = store->read_samples(runs[0].run_id);
  REQUIRE(lines.size() == rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    CHECK(lines[i]["doc_id"] == rows[i].seq);
    CHECK(lines[i]["sample_id"] == rows[i].sample_id);
    CHECK(lines[i]["output"] == rows[i].output);
    CHECK(lines[i]["target"] == rows[i].target);
    CHECK(lines[i]["scores"] == rows[i].scores);
  }
  CHECK(paths[1].find("samples_lamp-2") != std::string::npos);
}

TEST_CASE("export: judgements, non-finite scores and hostile text survive as valid JSON", "[export]") {
  TempDir dir;
  auto store = Store::open(dir.file("j.db"));
  RunRecord run = perseval::test::make_run("r1");
  store->create_run(run);
  SampleRow row = perseval::test::make_sample("s1", 0);
  row.output = "</script><script>alert(1)</script> \"quoted\"\n";
  row.scores = {{"accuracy", std::numeric_limits<double>::quiet_NaN()}, {"f1", 0.25}};
  Judgement j;
  j.request_index = 0;
  j.draw = 1;
  j.raw_text = "Score: 4/5";
  j.verdict = {{"total", 12}};
  j.confidence = 0.8;
  j.parse_status = "ok";
  row.judgements.push_back(j);
  store->write_samples("r1", std::span(&row, 1));
  const std::string path = dir.file("s.jsonl");
  CHECK(write_samples_jsonl(*store, run, path) == 1);
  const auto lines = read_jsonl(path);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["output"] == row.output);
  CHECK(lines[0]["scores"]["accuracy"].is_null());  // NaN has no JSON spelling
  CHECK(lines[0]["scores"]["f1"] == 0.25);
  REQUIRE(lines[0]["judgements"].size() == 1);
  CHECK(lines[0]["judgements"][0]["draw"] == 1);
  CHECK(lines[0]["judgements"][0]["confidence"] == 0.8);
  CHECK(lines[0]["judgements"][0]["verdict"]["total"] == 12);
  CHECK_THROWS_WITH(write_samples_jsonl(*store, run, dir.file("missing-dir/x.jsonl")), Catch::Contains("cannot be written"));
}

TEST_CASE("export: file_slug keeps file names inside the directory", "[export]") {
  CHECK(file_slug("lamp-2:k=4,retriever=bm25") == "lamp-2_k_4_retriever_bm25");
  CHECK(file_slug("../../etc/passwd") == ".._.._etc_passwd");
  CHECK(file_slug("..") == "_");
  CHECK(file_slug("") == "_");
  CHECK(file_slug(std::string(200, 'a')).size() == 80);
}

TEST_CASE("cli: run --output-path --log-samples, the lm-eval spellings, and export", "[export][cli]") {
  TempDir dir;
  auto run = perseval::test::run_perseval({"run", "--model", "baseline:kind=random", "--tasks", "lamp-3", "--db",
                                           dir.file("c.db"), "--output_path", dir.file("out"), "--log_samples",
                                           "--no-progress"},
                                          dir.path().string());
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const json doc = read_json(dir.file("out/results.json"));
  REQUIRE(doc["results"].size() == 1);
  const std::string task = doc["results"].begin().key();
  CHECK(task.rfind("lamp-3", 0) == 0);
  CHECK(doc["results"][task].contains("MAE,none"));
  CHECK(run.err.find("samples_lamp-3") != std::string::npos);

  auto lonely = perseval::test::run_perseval({"run", "--model", "baseline:kind=random", "--tasks", "lamp-3", "--db",
                                              dir.file("c.db"), "--log-samples"},
                                             dir.path().string());
  CHECK(lonely.exit_code == 2);
  CHECK(lonely.err.find("--log-samples needs --output-path") != std::string::npos);

  auto exported = perseval::test::run_perseval({"export", "--db", dir.file("c.db"), "-o", dir.file("again"),
                                                "--log-samples"},
                                               dir.path().string());
  INFO(exported.err);
  REQUIRE(exported.exit_code == 0);
  CHECK(read_json(dir.file("again/results.json"))["results"][task] == doc["results"][task]);
  auto unknown = perseval::test::run_perseval({"export", "--db", dir.file("c.db"), "-o", dir.file("x"), "--runs", "nope"},
                                              dir.path().string());
  CHECK(unknown.exit_code == 2);
}
