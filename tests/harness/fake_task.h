// A tiny in-memory task and an asynchronous model for testing the runner without any
// benchmark files: N samples, labels a/b/c, accuracy as the metric.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "harness/core/errors.h"
#include "harness/core/task.h"
#include "harness/core/model.h"
#include "metrics/stats.h"

namespace perseval::testing {

class FakeTask : public Task {
 public:
  explicit FakeTask(int n, int fail_load_at = -1) : n_(n), fail_load_at_(fail_load_at) {}

  TaskInfo info() const override {
    TaskInfo info;
    info.name = "fake:n=" + std::to_string(n_);
    info.family = "fake";
    info.version = "1";
    info.primary_metric = "accuracy";
    info.metrics = {"accuracy", "n_errors"};
    info.slice_keys = {"user"};
    return info;
  }
  std::vector<std::string> data_files(const DataSource&) const override { return {}; }
  std::optional<long long> count_samples(const DataSource&) const override { return n_; }

  void load(const DataSource&, const SampleSink& sink) const override {
    for (int i = 0; i < n_; ++i) {
      if (i == fail_load_at_)
        throw InputError(input_error_message("fake.json", i, "s" + std::to_string(i), "broken"));
      Sample s;
      s.id = "s" + std::to_string(i);
      s.user_id = "u" + std::to_string(i % 5);
      s.input = {{"q", i}};
      s.target = {{"output", std::string(1, "abc"[i % 3])}};
      s.slices = {{"user", s.user_id}};
      if (!sink(std::move(s))) return;
    }
  }

  Request render(const Sample& sample) const override {
    Request r;
    r.messages = {{"user", "question " + sample.input["q"].dump()}};
    r.hints = ReferenceHints{"label", {"a", "b", "c"}, {"a", "a", "b"}, {"b"}};
    return r;
  }

  Scores score(const Sample& sample, const Completion& c, std::span<const Judgement>) const override {
    Scores s;
    s.parsed_answer = c.text;
    s.values["correct"] = c.text == target_text(sample) ? 1.0 : 0.0;
    return s;
  }

  std::vector<MetricValue> aggregate(std::span<const ScoredSample> samples,
                                     uint64_t seed) const override {
    std::vector<double> correct;
    double errors = 0;
    for (const auto& s : samples) {
      correct.push_back(s.scores.values.at("correct"));
      errors += s.failed;
    }
    auto ci = metrics::bootstrap_mean_interval(correct, seed, 200);
    return {MetricValue{"accuracy", metrics::mean(correct), (int64_t)correct.size(), ci.low, ci.high},
            MetricValue{"n_errors", errors, (int64_t)samples.size(), {}, {}}};
  }

  std::string target_text(const Sample& s) const override { return s.target["output"]; }

 private:
  int n_;
  int fail_load_at_;
};

// Answers from its own thread after a short, varying delay (so completions come back out
// of order), fails every sample whose number is divisible by `fail_every`, and records the
// largest number of requests it ever had outstanding. The answer depends only on the
// request's sample seed, as a seeded model's would.
class AsyncFakeModel : public Model {
 public:
  explicit AsyncFakeModel(int fail_every = 0) : fail_every_(fail_every) {}
  ~AsyncFakeModel() override { drain(); }

  ModelInfo info() const override { return {"asyncfake", "test", json::object()}; }

  void submit(Request request, CompletionCallback done) override {
    const int now = ++outstanding_;
    int prev = max_outstanding_.load();
    while (now > prev && !max_outstanding_.compare_exchange_weak(prev, now)) {}
    std::lock_guard lock(mu_);
    threads_.emplace_back([this, request = std::move(request), done = std::move(done)] {
      std::this_thread::sleep_for(std::chrono::microseconds(request.sample_seed % 3000));
      Completion c;
      c.attempts = 1;
      const int number = std::stoi(request.sample_id.substr(1));
      if (fail_every_ > 0 && number % fail_every_ == 0) {
        c.error = "simulated failure";
      } else {
        c.text = std::string(1, "abc"[request.sample_seed % 3]);
        c.usage = {10, 1};
      }
      --outstanding_;
      ++completed_;
      done(std::move(c));
    });
  }

  void drain() override {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mu_);
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
  }

  int max_outstanding() const { return max_outstanding_; }
  std::atomic<int> completed_{0};

 private:
  int fail_every_;
  std::atomic<int> outstanding_{0};
  std::atomic<int> max_outstanding_{0};
  std::mutex mu_;
  std::vector<std::thread> threads_;
};

}  // namespace perseval::testing
