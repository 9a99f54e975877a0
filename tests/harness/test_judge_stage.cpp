// The runner's judge stage: judge requests asked K times, replies parsed by the task,
// every judgement stored, scoring after all draws are back.
#include <catch2/catch.hpp>

#include "harness/runner/runner.h"
#include "tests/harness/fake_task.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using perseval::test::TempDir;
using perseval::testing::AsyncFakeModel;
using perseval::testing::FakeTask;

namespace {

// FakeTask plus a judge: one judge request per completion; a reply "score=N" parses to N.
class JudgedTask : public FakeTask {
 public:
  using FakeTask::FakeTask;
  std::vector<Request> judge_requests(const Sample& s, const Completion& c) const override {
    Request r;
    r.messages = {{"user", "grade " + s.id + ": " + c.text}};
    return {r};
  }
  void parse_judgement(const Sample&, Judgement& j) const override {
    if (j.error) {
      j.parse_status = "error";
      return;
    }
    if (j.raw_text.rfind("score=", 0) == 0) {
      j.verdict = std::stoi(j.raw_text.substr(6));
      j.parse_status = "ok";
    } else {
      j.parse_status = "unparseable";
    }
  }
  Scores score(const Sample& s, const Completion& c, std::span<const Judgement> js) const override {
    Scores out = FakeTask::score(s, c, js);
    double sum = 0;
    int parsed = 0;
    for (const auto& j : js)
      if (j.parse_status == "ok") {
        sum += j.verdict.get<double>();
        ++parsed;
      }
    out.values["judge_parsed"] = parsed;
    out.values["judge_mean"] = parsed ? sum / parsed : 0.0;
    return out;
  }
};

// Answers asynchronously: draw 0 → "score=4", draw 1 → "score=2", draw 2 → prose, and
// fails every request for samples s0..s4. drain() joins every answering thread, as the
// Model contract asks (ThreadSanitizer found the detached threads of an earlier version
// still inside the runner's arena after the run had returned).
class FakeJudge : public AsyncFakeModel {
 public:
  ModelInfo info() const override { return {"fakejudge", "test", json::object()}; }
  void submit(Request r, CompletionCallback done) override {
    ++calls;
    std::lock_guard lock(threads_mutex_);
    threads_.emplace_back([r = std::move(r), done = std::move(done)] {
      Completion c;
      const int n = std::stoi(r.sample_id.substr(1));
      if (n < 5) c.error = "HTTP 503";
      else c.text = r.epoch == 0 ? "score=4" : r.epoch == 1 ? "score=2" : "I think it is fine";
      done(std::move(c));
    });
  }
  void drain() override {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(threads_mutex_);
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
  }
  ~FakeJudge() override { drain(); }
  std::atomic<int> calls{0};

 private:
  std::mutex threads_mutex_;
  std::vector<std::thread> threads_;
};

}  // namespace

TEST_CASE("judge stage: K draws per sample, parsed by the task, all stored", "[runner][judge]") {
  TempDir dir;
  auto store = Store::open(dir.file("judge.db"));
  JudgedTask task(40);
  AsyncFakeModel model;
  FakeJudge judge;
  RunOptions options;
  options.progress = false;
  options.threads = 2;
  options.judge = &judge;
  options.judge_samples = 3;
  const auto summary = run_evaluation(task, model, *store, options);
  CHECK(summary.run.status == "finished");
  CHECK(judge.calls == 120);
  CHECK(summary.run.notes["judge"]["samples"] == 3);

  const auto judgements = store->read_judgements(summary.run.run_id);
  REQUIRE(judgements.size() == 120);
  int ok = 0, unparseable = 0, errors = 0;
  for (const auto& sj : judgements) {
    const auto& j = sj.judgement;
    if (j.parse_status == "ok") ++ok;
    if (j.parse_status == "unparseable") {
      ++unparseable;
      CHECK(j.raw_text == "I think it is fine");
      CHECK(j.verdict.is_null());
    }
    if (j.parse_status == "error") {
      ++errors;
      CHECK(j.error == std::optional<std::string>("HTTP 503"));
    }
  }
  CHECK(ok == 70);           // 35 samples x draws 0 and 1
  CHECK(unparseable == 35);  // draw 2
  CHECK(errors == 15);       // 5 samples x 3 draws
  for (const auto& row : store->read_samples(summary.run.run_id)) {
    const int n = std::stoi(row.sample_id.substr(1));
    CHECK(row.scores["judge_parsed"] == (n < 5 ? 0 : 2));
    if (n >= 5) CHECK(row.scores["judge_mean"] == 3.0);
  }
}

TEST_CASE("judge stage: a run with a judge is a different configuration", "[runner][judge]") {
  TempDir dir;
  auto store = Store::open(dir.file("k.db"));
  JudgedTask task(10);
  AsyncFakeModel model;
  FakeJudge judge;
  RunOptions options;
  options.progress = false;
  const auto plain = run_evaluation(task, model, *store, options);
  options.judge = &judge;
  const auto judged = run_evaluation(task, model, *store, options);
  CHECK(plain.run.config_key != judged.run.config_key);
  CHECK(store->read_judgements(plain.run.run_id).empty());
  CHECK(store->read_judgements(judged.run.run_id).size() == 10);
}
