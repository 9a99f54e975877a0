// `perseval compare`: paired comparison of runs and models, the refusal rules, the warnings
// and the --fail-if-worse gate, on hand-made stores with known per-sample values (expected
// numbers worked out by hand in the comments) and on real runs of bundled tasks.
#include <catch2/catch.hpp>

#include "harness/core/errors.h"
#include "metrics/power.h"
#include "reports/compare.h"
#include "tests/harness/subprocess_support.h"
#include "tests/reports/compare_test_support.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using namespace perseval::test;

namespace {

const MetricComparison& metric(const TaskComparison& t, const std::string& name) {
  for (const auto& m : t.metrics)
    if (m.name == name) return m;
  FAIL("no metric " << name);
  throw std::logic_error("unreachable");
}

// A: samples s0..s3 right of 12; B: s0..s9 right.
void store_label_pair(Store& store, const std::string& model_b = "baseline:kind=nearest") {
  HandRun a{"run-a"}, b{"run-b"};
  b.model = model_b;
  for (int i = 0; i < 12; ++i) {
    a.rows.push_back(label_row(i, i < 4, "A answer " + std::to_string(i)));
    b.rows.push_back(label_row(i, i < 10, "B answer " + std::to_string(i)));
  }
  store_hand_run(store, a);
  store_hand_run(store, b);
}

}  // namespace

TEST_CASE("compare: McNemar, difference, flips and Holm match a hand computation", "[compare]") {
  TempDir dir;
  auto store = Store::open(dir.file("hand.db"));
  store_label_pair(*store);
  const Comparison c = compare(*store, "run-a", "run-b", {});
  REQUIRE(c.tasks.size() == 1);
  const TaskComparison& t = c.tasks[0];
  CHECK(t.n_paired == 12);
  const auto& acc = metric(t, "accuracy");
  CHECK(acc.primary);
  CHECK(acc.a == Approx(4.0 / 12));
  CHECK(acc.b == Approx(10.0 / 12));
  // Six samples went wrong -> right, none right -> wrong: diff 6/12; discordant (0, 6), so
  // McNemar's p = 2 * P(Binomial(6, 1/2) <= 0) = 2 / 64.
  CHECK(acc.diff == Approx(0.5));
  CHECK(acc.test == "mcnemar_exact");
  CHECK(*acc.p == Approx(2.0 / 64));
  CHECK(acc.improved == 6);
  CHECK(acc.worsened == 0);
  CHECK(acc.unchanged == 6);
  CHECK(*acc.ci_low <= 0.5);
  CHECK(*acc.ci_high >= 0.5);
  // Six discordant of 12: the MDE from McNemar's power formula at that flip rate.
  REQUIRE(acc.mde.has_value());
  CHECK(*acc.mde == Approx(metrics::minimum_detectable_effect_paired_binary(12, 0.5)));
  // accuracy_lenient has the same values: Holm over two equal p-values doubles both.
  CHECK(*metric(t, "accuracy_lenient").p == Approx(2.0 / 64));
  CHECK(*acc.p_holm == Approx(4.0 / 64));
  CHECK(*metric(t, "accuracy_lenient").p_holm == Approx(4.0 / 64));
  // Macro-F1 is corpus-level: both values and their difference, no paired test.
  const auto& f1 = metric(t, "f1");
  CHECK(f1.test == "none");
  CHECK_FALSE(f1.p.has_value());
  CHECK(f1.diff == Approx(f1.b - f1.a));
  CHECK(f1.note.find("no paired test") != std::string::npos);
  // Examples: the first five of the six improvements (ties keep A's order), none worse.
  CHECK(t.flips_metric == "accuracy");
  REQUIRE(t.improved_examples.size() == 5);
  CHECK(t.improved_examples[0].sample_id == "s4");
  CHECK(t.improved_examples[0].a_output == "A answer 4");
  CHECK(t.improved_examples[0].b_output == "B answer 4");
  CHECK(t.worsened_examples.empty());
  CHECK_FALSE(c.failed_gate);

  const json j = comparison_json(c);
  for (const char* key : {"a", "b", "tasks", "unpaired", "warnings", "failed_gate"}) CHECK(j.contains(key));
  const json& jm = j["tasks"][0]["metrics"][0];
  for (const char* key : {"name", "primary", "higher_is_better", "a", "b", "diff", "ci_low", "ci_high", "p",
                          "p_holm", "test", "improved", "worsened", "unchanged", "mde"})
    CHECK(jm.contains(key));
  CHECK(j["tasks"][0]["flips"]["improved"].size() == 5);
}

TEST_CASE("compare: model output in the text report cannot drive the terminal", "[compare][security]") {
  TempDir dir;
  auto store = Store::open(dir.file("hostile.db"));
  HandRun a{"run-a"}, b{"run-b"};
  b.model = "baseline:kind=nearest";
  for (int i = 0; i < 4; ++i) {
    a.rows.push_back(label_row(i, false, "\x1b]0;owned\x07 A \x9b"));
    b.rows.push_back(label_row(i, true, "B \x1b[2J\x7f \xc2\x9b"));
  }
  store_hand_run(*store, a);
  store_hand_run(*store, b);
  const std::string text = format_comparison_text(compare(*store, "run-a", "run-b", {}));
  // Control characters never arrive raw: DEL and U+009B (CSI) show as escapes.
  CHECK_THAT(text, Catch::Contains("[2J\\x7f \\u009b\""));
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find('\x07') == std::string::npos);
  CHECK(text.find('\x7f') == std::string::npos);
  CHECK(text.find("\xc2\x9b") == std::string::npos);
  // A's lone 0x9b is not UTF-8: it is replaced, never printed raw.
  CHECK(text.find('\x9b') == std::string::npos);
}

TEST_CASE("compare: a lower-is-better metric uses the sign-flip test and counts fewer errors as better", "[compare]") {
  TempDir dir;
  auto store = Store::open(dir.file("rating.db"));
  HandRun a{"ra"}, b{"rb"};
  a.task = b.task = "lamp-3";
  b.model = "baseline:kind=nearest";
  for (int i = 0; i < 4; ++i) {
    a.rows.push_back(rating_row(i, 5));  // |5 - 3| = 2
    b.rows.push_back(rating_row(i, 4));  // |4 - 3| = 1
  }
  a.rows.push_back(rating_row(4, 3));
  b.rows.push_back(rating_row(4, 3));
  store_hand_run(*store, a);
  store_hand_run(*store, b);
  const auto c = compare(*store, "ra", "rb", {});
  const auto& mae = metric(c.tasks[0], "MAE");
  CHECK_FALSE(mae.higher_is_better);
  // d = (-1, -1, -1, -1, 0): of the 2^5 sign patterns, |sum| >= 4 only for all four -1s
  // kept or all flipped, each with either sign of the 0: p = 4 / 32.
  CHECK(mae.test == "sign_flip_exact");
  CHECK(*mae.p == Approx(4.0 / 32));
  CHECK(mae.diff == Approx(-0.8));
  CHECK(mae.improved == 4);
  CHECK(mae.worsened == 0);
  CHECK(mae.unchanged == 1);
  CHECK(metric(c.tasks[0], "RMSE").test == "none");
  CHECK_FALSE(metric(c.tasks[0], "RMSE").higher_is_better);
}

TEST_CASE("compare: a clearly worse B fails the gate, a wide DELTA passes it", "[compare]") {
  TempDir dir;
  const std::string db = dir.file("gate.db");
  {
    auto store = Store::open(db);
    HandRun a{"good"}, b{"bad"};
    for (int i = 0; i < 30; ++i) {
      a.rows.push_back(label_row(i, true));
      b.rows.push_back(label_row(i, i >= 20));
    }
    store_hand_run(*store, a);
    store_hand_run(*store, b);
    CompareOptions o;
    o.fail_if_worse = 0.05;
    // 20 discordant samples, all A-only: p = 2 / 2^20; Holm over 2 tests: 4 / 2^20.
    auto c = compare(*store, "good", "bad", o);
    REQUIRE(c.failed_gate);
    REQUIRE(c.gate_failures.size() == 1);
    CHECK(c.gate_failures[0].metric == "accuracy");
    CHECK(c.gate_failures[0].worse_by == Approx(20.0 / 30));
    CHECK(c.gate_failures[0].p_holm == Approx(4.0 / (1 << 20)));
    o.fail_if_worse = 0.7;
    CHECK_FALSE(compare(*store, "good", "bad", o).failed_gate);
    // B better than A never fails.
    o.fail_if_worse = 0.0;
    CHECK_FALSE(compare(*store, "bad", "good", o).failed_gate);
  }
  const auto failed = run_perseval({"compare", "good", "bad", "--db", db, "--fail-if-worse", "0.05"}, dir.path());
  CHECK(failed.exit_code == 1);
  CHECK(failed.err.find("gate failed") != std::string::npos);
  CHECK(failed.out.find("FAILED") != std::string::npos);
  const auto as_json = run_perseval({"compare", "good", "bad", "--db", db, "--json", "--fail-if-worse=0.05"}, dir.path());
  CHECK(as_json.exit_code == 1);
  CHECK(json::parse(as_json.out)["failed_gate"] == true);
  CHECK(run_perseval({"compare", "good", "bad", "--db", db}, dir.path()).exit_code == 0);
  CHECK(run_perseval({"compare", "good", "bad", "--db", db, "--fail-if-worse", "x"}, dir.path()).exit_code == 2);
  CHECK(run_perseval({"compare", "good", "--db", db}, dir.path()).exit_code == 2);
  CHECK(run_perseval({"compare", "good", "bad", "--db", dir.file("none.db")}, dir.path()).exit_code == 2);
}

TEST_CASE("compare: identical runs differ by 0 with p = 1 and pass the gate", "[compare]") {
  TempDir dir;
  const std::string db = dir.file("same.db");
  std::string first, second;
  {
    auto store = Store::open(db);
    first = run_bundled(*store, "lamp-2", "baseline:kind=majority").run.run_id;
    second = run_bundled(*store, "lamp-2", "baseline:kind=majority").run.run_id;
    REQUIRE(first != second);
    CompareOptions o;
    o.fail_if_worse = 0.0;
    const auto c = compare(*store, first, second, o);
    REQUIRE(c.tasks.size() == 1);
    CHECK(c.tasks[0].n_paired == c.tasks[0].n_a);
    int tested = 0;
    for (const auto& m : c.tasks[0].metrics) {
      INFO(m.name);
      CHECK(m.diff == 0.0);
      if (m.test == "none") continue;
      ++tested;
      CHECK(*m.p == 1.0);
      CHECK(*m.p_holm == 1.0);
      CHECK(m.improved + m.worsened == 0);
      CHECK_FALSE(m.mde.has_value());  // no variability to base it on
    }
    CHECK(tested >= 2);
    CHECK_FALSE(c.failed_gate);
    CHECK(c.tasks[0].improved_examples.empty());
  }
  const auto r = run_perseval({"compare", first, second, "--db", db, "--fail-if-worse", "0"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("passed") != std::string::npos);
}

TEST_CASE("compare: refuses runs whose seed, limit, task or data differ", "[compare]") {
  TempDir dir;
  const std::string db = dir.file("refuse.db");
  std::string seed11, seed12, limited, other_task;
  {
    auto store = Store::open(db);
    seed11 = run_bundled(*store, "lamp-2", "baseline:kind=majority").run.run_id;
    seed12 = run_bundled(*store, "lamp-2", "baseline:kind=nearest", bundled_options(12)).run.run_id;
    limited = run_bundled(*store, "lamp-2", "baseline:kind=nearest", bundled_options(11, 3)).run.run_id;
    other_task = run_bundled(*store, "lamp-3", "baseline:kind=nearest").run.run_id;
    CHECK_THROWS_WITH(compare(*store, seed11, limited, {}), Catch::Contains("limit"));
    CHECK_THROWS_WITH(compare(*store, seed11, other_task, {}),
                      Catch::Contains("tasks, data or scorers differ") && Catch::Contains("task spec"));
    HandRun a{"fa"}, b{"fb"};
    b.fingerprint = "fp-2";
    a.rows = b.rows = {label_row(0, true)};
    store_hand_run(*store, a);
    store_hand_run(*store, b);
    CHECK_THROWS_AS(compare(*store, "fa", "fb", {}), InputError);
    CHECK_THROWS_WITH(compare(*store, "fa", "fb", {}), Catch::Contains("dataset fingerprint"));
  }
  const auto r = run_perseval({"compare", seed11, seed12, "--db", db}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("tasks, data or scorers differ") != std::string::npos);
  CHECK(r.err.find("seed") != std::string::npos);
}

TEST_CASE("compare: different model backends are compared with a warning", "[compare]") {
  TempDir dir;
  const std::string db = dir.file("backend.db");
  {
    auto store = Store::open(db);
    store_label_pair(*store, "exec:cmd=serve.py");
    const auto c = compare(*store, "run-a", "run-b", {});
    REQUIRE(c.tasks.size() == 1);
    bool warned = false;
    for (const auto& w : c.warnings) warned = warned || w.find("backends differ (baseline vs exec)") != std::string::npos;
    CHECK(warned);
  }
  const auto r = run_perseval({"compare", "run-a", "run-b", "--db", db}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("warning") != std::string::npos);
  CHECK(r.err.find("backends differ") != std::string::npos);
}

TEST_CASE("compare: model specs pair the latest finished run of each task", "[compare]") {
  TempDir dir;
  auto store = Store::open(dir.file("models.db"));
  run_bundled(*store, "lamp-2", "baseline:kind=majority");
  const auto latest = run_bundled(*store, "lamp-2", "baseline:kind=majority").run.run_id;
  const auto lamp3 = run_bundled(*store, "lamp-3", "baseline:kind=majority").run.run_id;
  run_bundled(*store, "lamp-2", "baseline:kind=nearest");
  run_bundled(*store, "lamp-3", "baseline:kind=nearest");
  const auto only_b = run_bundled(*store, "lamp-7", "baseline:kind=nearest").run;

  const auto c = compare(*store, "baseline:kind=maj", "baseline:kind=nearest", {});
  CHECK(c.a.kind == "model");
  CHECK(c.a.model == "baseline:kind=majority");
  REQUIRE(c.tasks.size() == 2);
  for (const auto& t : c.tasks) {
    CHECK(t.run_a.model == "baseline:kind=majority");
    CHECK(t.run_b.model == "baseline:kind=nearest");
    CHECK(t.run_a.task == t.run_b.task);
    CHECK(t.n_paired > 0);
    if (t.task.rfind("lamp-2", 0) == 0) CHECK(t.run_a.run_id == latest);
  }
  REQUIRE(c.unpaired.size() == 1);
  CHECK(c.unpaired[0].task == only_b.task);
  CHECK(c.unpaired[0].side == "b");
  CHECK(c.unpaired[0].run_id == only_b.run_id);

  // A run id against a model: that model's run of the same task.
  const auto one = compare(*store, lamp3, "baseline:kind=nearest", {});
  REQUIRE(one.tasks.size() == 1);
  CHECK(one.tasks[0].task.rfind("lamp-3", 0) == 0);
  CHECK_THROWS_WITH(compare(*store, "baseline:kind=", "baseline:kind=nearest", {}), Catch::Contains("several models"));
  CHECK_THROWS_WITH(compare(*store, "nobody", "baseline:kind=nearest", {}), Catch::Contains("neither a run id"));
  CHECK_THROWS_WITH(compare(*store, only_b.run_id, "baseline:kind=majority", {}), Catch::Contains("no finished run"));
}

TEST_CASE("compare: failed calls are left out of the pairs and counted", "[compare]") {
  TempDir dir;
  auto store = Store::open(dir.file("errors.db"));
  HandRun a{"ea"}, b{"eb"};
  for (int i = 0; i < 6; ++i) {
    a.rows.push_back(label_row(i, true));
    b.rows.push_back(label_row(i, true));
  }
  b.rows[1].error = "HTTP 503";
  b.rows[1].scores = json{{"gold_id", 0}, {"pred_id", -1}, {"pred_id_lenient", -1}};
  b.rows.pop_back();  // s5 only in A
  store_hand_run(*store, a);
  store_hand_run(*store, b);
  const auto c = compare(*store, "ea", "eb", {});
  const auto& t = c.tasks[0];
  CHECK(t.n_paired == 4);
  CHECK(t.errored_b == 1);
  CHECK(t.missing_in_b == 1);
  CHECK(t.missing_in_a == 0);
  CHECK(metric(t, "accuracy").n == 4);
  CHECK(metric(t, "accuracy").diff == 0.0);
  bool warned = false;
  for (const auto& w : c.warnings) warned = warned || w.find("failed on 1 samples") != std::string::npos;
  CHECK(warned);

  // Every call of B failed: nothing is paired, so the gate cannot judge and says so.
  HandRun down{"down"};
  for (int i = 0; i < 6; ++i) {
    down.rows.push_back(label_row(i, false));
    down.rows.back().error = "connection refused";
  }
  store_hand_run(*store, down);
  CompareOptions o;
  o.fail_if_worse = 0.0;
  const auto gated = compare(*store, "ea", "down", o);
  CHECK(gated.tasks[0].n_paired == 0);
  CHECK(metric(gated.tasks[0], "accuracy").test == "none");
  CHECK_FALSE(gated.failed_gate);
  bool cannot_judge = false;
  for (const auto& w : gated.warnings) cannot_judge = cannot_judge || w.find("gate cannot judge") != std::string::npos;
  CHECK(cannot_judge);
}

TEST_CASE("compare: the demo database, model against model, as JSON and text", "[compare]") {
  TempDir dir;
  const std::string db = dir.file("demo.db");
  REQUIRE(run_perseval({"demo", "--db", db, "--no-progress"}, dir.path()).exit_code == 0);
  const auto r = run_perseval({"compare", "baseline:kind=majority", "baseline:kind=nearest", "--db", db, "--json"},
                              dir.path());
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["tasks"].size() == 11);
  CHECK(j["unpaired"].empty());
  CHECK(j["failed_gate"] == false);
  for (const auto& t : j["tasks"]) {
    INFO(t["task"]);
    CHECK(t["n_paired"] == t["n_a"]);
    int primaries = 0;
    for (const auto& m : t["metrics"])
      if (m["primary"] == true) {
        ++primaries;
        CHECK(m["test"] != "none");
        CHECK(m["p_holm"].is_number());
      }
    CHECK(primaries == 1);
  }
  const auto text = run_perseval({"compare", "baseline:kind=majority", "baseline:kind=nearest", "--db", db}, dir.path());
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("personamem") != std::string::npos);
  CHECK(text.out.find("mcnemar") != std::string::npos);
}
