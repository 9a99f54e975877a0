// PERSONAMEM as a registered task: parameters and names, file resolution, and whole runs
// through the runner into SQLite with the offline baselines, failures and the load report.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "adapters/baseline/baseline_model.h"
#include "adapters/registry.h"
#include "harness/core/errors.h"
#include "harness/runner/runner.h"
#include "harness/store/store.h"
#include "tasks/registry.h"
#include "tests/tasks/personamem_test_support.h"

using namespace perseval;
using namespace perseval::personamem_test;

namespace {

std::unique_ptr<Task> task(const std::string& spec) { return make_task(Spec::parse(spec)); }

std::string make_error(const std::string& spec) {
  try {
    task(spec);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Answers "<final_answer> (a)" but fails every sample whose id ends in an odd digit.
class FlakyModel final : public Model {
 public:
  ModelInfo info() const override { return {"flaky", "test", json{{"kind", "flaky"}}}; }
  void submit(Request request, CompletionCallback done) override {
    Completion c;
    c.attempts = 1;
    const char last = request.sample_id.back();
    if ((last - '0') % 2 == 1)
      c.error = "HTTP 503 after 3 attempts";
    else
      c.text = "Let me think. <final_answer> (a)";
    done(std::move(c));
  }
};

RunOptions run_options(const DataSource& source) {
  RunOptions o;
  o.source = source;
  o.threads = 2;
  o.seed = 11;
  o.progress = false;
  return o;
}

std::map<std::string, MetricValue> overall(const std::vector<StoredMetric>& metrics) {
  std::map<std::string, MetricValue> out;
  for (const auto& m : metrics)
    if (m.slice_key.empty()) out[m.metric.name] = m.metric;
  return out;
}

}  // namespace

TEST_CASE("task: registered, with a canonical name and checked parameters", "[personamem][task]") {
  const auto names = known_task_names();
  CHECK(std::find(names.begin(), names.end(), "personamem") != names.end());
  const auto info = task("personamem")->info();
  CHECK(info.name == "personamem:context=full,size=32k,system_merge=0,type_map=format");
  CHECK(info.family == "personamem");
  CHECK(info.primary_metric == "accuracy");
  CHECK(info.params["budget"] == 0);
  CHECK(task("personamem:size=1M,budget=4000,system_merge=1")->info().name ==
        "personamem:budget=4000,context=full,size=1M,system_merge=1,type_map=format");
  CHECK(task("personamem:system_merge=always")->info().name ==
        task("personamem:system_merge=1")->info().name);
  CHECK_THAT(make_error("personamem:size=64k"), Catch::Contains("32k, 128k or 1M"));
  CHECK_THAT(make_error("personamem:system_merge=upstream"),
             Catch::Contains("cannot see the model"));
  CHECK_THAT(make_error("personamem:context=some"), Catch::Contains("full or none"));
  CHECK_THAT(make_error("personamem:budget=0"), Catch::Contains("a positive number of characters"));
  CHECK_THAT(make_error("personamem:context=none,budget=10"),
             Catch::Contains("no budget with context=none"));
  CHECK_THAT(make_error("personamem:type_map=paper"), Catch::Contains("format or literal"));
  CHECK_THAT(make_error("personamem:questions=q.csv"), Catch::Contains("must be given together"));
  CHECK_THAT(make_error("personamem:k=3"), Catch::Contains("unknown parameter 'k'"));
}

TEST_CASE("task: files from the data directory layout, or a clear error", "[personamem][task]") {
  TempDir dir;
  DataSource source;
  source.data_dir = dir.path().string();
  source.bundled_dir = bundled_dir();
  CHECK_THAT(
      [&] {
        try {
          task("personamem:size=128k")->data_files(source);
        } catch (const InputError& e) {
          return std::string(e.what());
        }
        return std::string();
      }(),
      Catch::Contains("personamem/questions_128k.csv: not found; personamem expects "
                      "<data-dir>/personamem/questions_128k.csv"));
  CHECK_THROWS_WITH(task("personamem:size=1M")->data_files(bundled_source()),
                    Catch::Contains("the bundled samples cover size=32k only"));

  Row r;
  r.question_id = "q-128";
  r.question_type = "acknowledge_latest_user_preferences";
  r.tokens = "100500";
  dir.write("personamem/questions_128k.csv", questions_csv({r}));
  dir.write("personamem/shared_contexts_128k.jsonl",
            context_line("ctx-1", synthetic_conversation("Big", 5)));
  const auto t = task("personamem:size=128k");
  CHECK(t->data_files(source).size() == 2);
  const auto samples = load_all(*t, source);
  REQUIRE(samples.size() == 1);
  CHECK(samples[0].slices.at("size") == "128k");
  CHECK(samples[0].slices.at("type") == "acknowledge_latest_user_preferences");
  CHECK(samples[0].slices.at("context_tokens") == "64k-128k");
}

TEST_CASE("task: hints give the baselines the option letters and texts", "[personamem][task]") {
  const auto t = task("personamem");
  const auto samples = load_all(*t, bundled_source());
  const Request r = t->render(samples[0]);
  REQUIRE(r.hints);
  CHECK(r.hints->output_kind == "label");
  CHECK(r.hints->choices == std::vector<std::string>{"(a)", "(b)", "(c)", "(d)"});
  CHECK(r.hints->choice_texts[2] == "A money basics club where teens learned about budgets.");
  CHECK(baseline_answer(BaselineKind::longest, *r.hints, 0) == "(d)");
  int longest_correct = 0;
  for (const auto& s : samples) {
    const auto answer = baseline_answer(BaselineKind::longest, *t->render(s).hints, 0);
    Completion c;
    c.text = answer;
    longest_correct += static_cast<int>(t->score(s, c, {}).values.at("correct"));
  }
  CHECK(longest_correct == 4);  // as SOURCE.md says
}

TEST_CASE("task: runs end to end with the offline baselines into SQLite", "[personamem][task]") {
  TempDir dir;
  auto store = Store::open(dir.file("pm.db"));
  const auto t = task("personamem");
  for (const char* spec :
       {"baseline:kind=random", "baseline:kind=longest", "baseline:kind=majority"}) {
    INFO(spec);
    auto model = make_model(Spec::parse(spec));
    const auto summary = run_evaluation(*t, *model, *store, run_options(bundled_source()));
    CHECK(summary.run.n_total == 14);
    CHECK(summary.errors == 0);
    const auto m = overall(store->read_metrics(summary.run.run_id));
    CHECK(m.at("accuracy").n == 14);
    CHECK(m.at("accuracy").value == m.at("accuracy_corrected").value);
    CHECK(m.at("n_unparseable").value == 0);
    if (std::string(spec) == "baseline:kind=longest")
      CHECK(m.at("accuracy").value == Approx(4.0 / 14));
    if (std::string(spec) == "baseline:kind=majority")
      CHECK(m.at("accuracy").value == Approx(4.0 / 14));  // always (a)
    std::set<std::string> slice_keys;
    for (const auto& sm : store->read_metrics(summary.run.run_id)) slice_keys.insert(sm.slice_key);
    for (const char* key : {"type", "raw_type", "topic", "distance_sessions", "persona"})
      CHECK(slice_keys.count(key));
    const auto run = store->get_run(summary.run.run_id);
    REQUIRE(run);
    CHECK(run->notes["load"]["delivered"] == 14);
    CHECK(run->notes["load"]["skipped"]["negative_end_index"] == 0);
    const auto rows = store->read_samples(summary.run.run_id);
    CHECK(rows[0].target == "(c)");
    CHECK(rows[0].slices["type"] == "recall_user_shared_facts");
  }
}

TEST_CASE("task: failed calls leave accuracy, count in accuracy_corrected", "[personamem][task]") {
  TempDir dir;
  auto store = Store::open(dir.file("flaky.db"));
  FlakyModel model;
  const auto t = task("personamem");
  const auto summary = run_evaluation(*t, model, *store, run_options(bundled_source()));
  // Ids synthetic-pm-0001 … 0014: the 7 odd ones fail; the even ones answer (a), and their
  // golds are 0002 (a), 0004 (d), 0006 (c), 0008 (d), 0010 (c), 0012 (d), 0014 (a): 2 of 7.
  CHECK(summary.errors == 7);
  const auto m = overall(store->read_metrics(summary.run.run_id));
  CHECK(m.at("accuracy").n == 7);
  CHECK(m.at("accuracy").value == Approx(2.0 / 7));
  CHECK(m.at("accuracy_corrected").n == 14);
  CHECK(m.at("accuracy_corrected").value == Approx(2.0 / 14));
  CHECK(m.at("n_failed").value == 7);
}

TEST_CASE("task: the real sample runs end to end on synthetic contexts",
          "[personamem][task][real]") {
  if (!real_sample_present()) {
    WARN("../shared/data/personamem is absent; skipping the real-sample run");
    return;
  }
  TempDir dir;
  const auto contexts = dir.write("shared_contexts_32k.jsonl", real_sample_contexts());
  const auto t = task("personamem:questions=" + real_sample_csv() + ",contexts=" + contexts);
  auto store = Store::open(dir.file("real.db"));
  auto model = make_model(Spec::parse("baseline:kind=longest"));
  const auto summary = run_evaluation(*t, *model, *store, run_options(DataSource{}));
  CHECK(summary.run.n_total == 42);
  CHECK(summary.errors == 0);
  const auto m = overall(store->read_metrics(summary.run.run_id));
  CHECK(m.at("accuracy").n == 42);
  CHECK(m.at("accuracy_persona_bootstrap").n == 2);
  std::set<std::string> types;
  for (const auto& sm : store->read_metrics(summary.run.run_id))
    if (sm.slice_key == "type") types.insert(sm.slice_value);
  CHECK(types.size() == 7);
}
