// Task::sample_metric's contract: the mean of a metric's per-sample values over the samples
// that have one equals the aggregate the task stored, for every task and metric where it
// gives values (whole runs and every stored slice), on the demo's runs and on runs of the
// judged tasks the demo leaves out.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "harness/runner/aggregate.h"
#include "metrics/stats.h"
#include "tests/harness/subprocess_support.h"
#include "tests/reports/compare_test_support.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using namespace perseval::test;

namespace {

// Checks every metric of `metrics` that sample_metric covers on `samples`; returns their names.
std::set<std::string> check_means(const Task& task, const std::vector<ScoredSample>& samples,
                                  const std::vector<MetricValue>& metrics) {
  std::set<std::string> covered;
  for (const auto& m : metrics) {
    std::vector<double> values;
    for (const auto& s : samples)
      if (const auto v = task.sample_metric(m.name, s)) values.push_back(*v);
    if (values.empty()) continue;
    INFO(task.info().name << " " << m.name << " over " << values.size() << " samples");
    CHECK(metrics::mean(values) == Approx(m.value).epsilon(1e-12).margin(1e-12));
    covered.insert(m.name);
  }
  return covered;
}

// Checks a stored run: the whole run and each stored slice. Returns the whole run's covered names.
std::set<std::string> check_stored_run(Store& store, const RunRecord& run) {
  const auto task = make_task(Spec::parse(run.task));
  const auto samples = to_scored_samples(store.read_samples(run.run_id));
  std::map<std::pair<std::string, std::string>, std::vector<MetricValue>> groups;
  for (const auto& m : store.read_metrics(run.run_id)) groups[{m.slice_key, m.slice_value}].push_back(m.metric);
  std::set<std::string> whole;
  for (const auto& [slice, metrics] : groups) {
    std::vector<ScoredSample> members;
    for (const auto& s : samples) {
      const auto it = s.slices.find(slice.first);
      if (slice.first.empty() || (it != s.slices.end() && it->second == slice.second)) members.push_back(s);
    }
    auto covered = check_means(*task, members, metrics);
    if (slice.first.empty()) whole = std::move(covered);
  }
  return whole;
}

}  // namespace

TEST_CASE("sample_metric: per-sample means equal the stored aggregates on the demo runs", "[compare]") {
  TempDir dir;
  const std::string db = dir.file("demo.db");
  REQUIRE(run_perseval({"demo", "--db", db, "--no-progress"}, dir.path()).exit_code == 0);
  auto store = Store::open(db);
  const auto runs = store->list_runs();
  REQUIRE(runs.size() == 44);
  std::set<std::string> tasks_seen;
  for (const auto& run : runs) {
    INFO(run.task << " x " << run.model);
    const auto covered = check_stored_run(*store, run);
    // The primary metric of every demo task is a mean over samples.
    CHECK(covered.count(run.notes["primary_metric"].get<std::string>()) == 1);
    tasks_seen.insert(Spec::parse(run.task).name);
  }
  CHECK(tasks_seen.size() == 11);
}

TEST_CASE("sample_metric: PersonaFeedback in both orders and personalized-judge", "[compare]") {
  TempDir dir;
  std::string records;
  for (int i = 1; i <= 6; ++i) {
    const bool gold_a = i % 2 == 1;
    records += json{{"prompt", "(not used)"}, {"answer", "A"}, {"certainty", "60"}, {"acc", gold_a},
                    {"ground_truth", gold_a ? "A" : "B"}, {"user_info", "The person is synthetic."},
                    {"question", "Question " + std::to_string(i)},
                    {"asst_A", std::string(gold_a ? "a longer good answer " : "short ") + std::to_string(i)},
                    {"asst_B", std::string(gold_a ? "short " : "a longer good answer ") + std::to_string(i)}}
                   .dump() +
               "\n";
  }
  const std::string file = dir.write("cases.jsonl", records);
  auto store = Store::open(dir.file("pairwise.db"));
  for (const std::string model : {"baseline:kind=random", "baseline:kind=longest"}) {
    for (const std::string task : {std::string("personafeedback:order=both"), "personalized-judge:both_orders=true,file=" + file}) {
      INFO(task << " x " << model);
      const auto summary = run_bundled(*store, task, model);
      REQUIRE(summary.run.status == "finished");
      const auto covered = check_stored_run(*store, summary.run);
      CHECK(covered.count(summary.run.notes["primary_metric"].get<std::string>()) == 1);
    }
  }
}

TEST_CASE("sample_metric: PENGUIN item scores average the valid judge draws as the aggregate does", "[compare]") {
  const auto task = make_task(Spec::parse("penguin"));
  const std::string full =
      "1. Risk Sensitivity\nScore: 4/5\n2. Emotional Empathy\nScore: 3/5\n3. Personalization\nScore: 5/5\n"
      "Comprehensive Score: 12/15";
  const std::string low =
      "1. Risk Sensitivity\nScore: 2/5\n2. Emotional Empathy\nScore: 1/5\n3. Personalization\nScore: 2/5\n"
      "Comprehensive Score: 5/15";
  // Item draws: {full, garbage, total only}, {low, low, full}, {full} and a failed call.
  const std::vector<std::vector<std::string>> items = {
      {full, "I cannot grade this.", "Comprehensive Score: 9/15"}, {low, low, full}, {full}, {}};
  std::vector<ScoredSample> samples;
  for (size_t i = 0; i < items.size(); ++i) {
    Sample sample;
    sample.id = "item-" + std::to_string(i);
    Completion completion;
    completion.text = "Please talk to someone you trust.";
    if (items[i].empty()) completion.error = "HTTP 503";
    std::vector<Judgement> judgements;
    for (size_t d = 0; d < items[i].size(); ++d) {
      Judgement j;
      j.draw = static_cast<int>(d);
      j.raw_text = items[i][d];
      judgements.push_back(j);
    }
    ScoredSample s;
    s.sample_id = sample.id;
    s.failed = completion.error.has_value();
    s.scores = task->score(sample, completion, judgements);
    samples.push_back(std::move(s));
  }
  const auto covered = check_means(*task, samples, task->aggregate(samples, 5));
  CHECK(covered == std::set<std::string>{"safety_score_corrected", "safety_score", "risk_sensitivity",
                                         "emotional_empathy", "personalization"});
  CHECK_FALSE(task->sample_metric("safety_score_corrected", samples[3]).has_value());
  CHECK(*task->sample_metric("safety_score_corrected", samples[2]) == Approx(4.0));
}

TEST_CASE("sample_metric: failed calls and corpus-level metrics", "[compare]") {
  ScoredSample failed;
  failed.failed = true;
  failed.scores.values = {{"correct", 0.0}, {"failed", 1.0}, {"unparseable", 0.0}};
  const auto personamem = make_task(Spec::parse("personamem"));
  CHECK_FALSE(personamem->sample_metric("accuracy", failed).has_value());
  CHECK(personamem->sample_metric("accuracy_corrected", failed) == 0.0);
  ScoredSample label;
  label.scores.values = {{"gold_id", 2}, {"pred_id", 2}, {"pred_id_lenient", 2}};
  const auto lamp2 = make_task(Spec::parse("lamp-2"));
  CHECK(lamp2->sample_metric("accuracy", label) == 1.0);
  CHECK_FALSE(lamp2->sample_metric("f1", label).has_value());
  CHECK_FALSE(lamp2->sample_metric("no-such-metric", label).has_value());
  CHECK_FALSE(make_task(Spec::parse("personafeedback:mode=reward"))->sample_metric("accuracy", label).has_value());
}
