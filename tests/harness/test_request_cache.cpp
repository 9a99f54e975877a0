// The request cache: keys, the SQLite-backed store of completions, and the caching model
// in a real run (a rerun of a finished configuration makes zero model calls).
#include <catch2/catch.hpp>

#include "harness/cache/caching_model.h"
#include "harness/cache/request_key.h"
#include "harness/runner/runner.h"
#include "tests/harness/fake_task.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using perseval::test::TempDir;
using perseval::testing::AsyncFakeModel;
using perseval::testing::FakeTask;

namespace {

Request make_request(const std::string& content) {
  Request r;
  r.messages = {{"user", content}};
  r.gen.max_tokens = 16;
  return r;
}

ModelInfo model_named(const std::string& endpoint_model) {
  return ModelInfo{"openai:model=" + endpoint_model, "openai", json{{"model", endpoint_model}}};
}

}  // namespace

TEST_CASE("request keys depend on what determines the answer, and only on that", "[cache]") {
  const auto base = make_request("hello");
  const auto key = request_key(model_named("m1"), base);
  CHECK(key.size() == 64);
  CHECK(key == request_key(model_named("m1"), base));

  auto other_sample = base;
  other_sample.sample_id = "another";
  other_sample.sample_seed = 99;
  other_sample.hints = ReferenceHints{"label", {"a"}, {}, {}};
  CHECK(request_key(model_named("m1"), other_sample) == key);

  CHECK(request_key(model_named("m2"), base) != key);
  CHECK(request_key(model_named("m1"), make_request("hello!")) != key);
  auto hotter = base;
  hotter.gen.temperature = 0.7;
  CHECK(request_key(model_named("m1"), hotter) != key);
  auto second_draw = base;
  second_draw.epoch = 1;
  CHECK(request_key(model_named("m1"), second_draw) != key);
}

TEST_CASE("the cache stores successes only and persists them", "[cache]") {
  TempDir dir;
  const std::string path = dir.file("cache.db");
  Completion ok;
  ok.text = "answer ✓";
  ok.usage = {12, 3};
  ok.logprobs = json{{"content", json::array({{{"token", "a"}, {"logprob", -0.5}}})}};
  Completion failed;
  failed.error = "HTTP 500";
  {
    RequestCache cache(path);
    CHECK_FALSE(cache.get("k1"));
    cache.put("k1", "m", ok);
    cache.put("k2", "m", failed);
    const auto hit = cache.get("k1");  // visible before the batch is committed
    REQUIRE(hit);
    CHECK(hit->text == "answer ✓");
    CHECK_FALSE(cache.get("k2"));
  }
  RequestCache reopened(path);
  const auto hit = reopened.get("k1");
  REQUIRE(hit);
  CHECK(hit->text == "answer ✓");
  CHECK(hit->usage.prompt_tokens == 12);
  CHECK(hit->usage.completion_tokens == 3);
  CHECK(hit->logprobs == ok.logprobs);
  CHECK_FALSE(reopened.get("k2"));
  CHECK(reopened.hits() == 1);
  CHECK(reopened.misses() == 1);
}

TEST_CASE("rerunning a finished configuration through the cache makes zero model calls", "[cache]") {
  TempDir dir;
  auto store = Store::open(dir.file("runs.db"));
  RequestCache cache(dir.file("runs.db"));
  FakeTask task(120);
  RunOptions options;
  options.progress = false;
  options.threads = 2;

  AsyncFakeModel first_model(/*fail_every=*/10);
  CachingModel first(first_model, cache);
  const auto a = run_evaluation(task, first, *store, options);
  CHECK(first_model.completed_ == 120);

  AsyncFakeModel second_model;  // would answer differently for the failed ones
  CachingModel second(second_model, cache);
  const auto b = run_evaluation(task, second, *store, options);
  CHECK(a.run.run_id != b.run.run_id);
  // The 12 failures were not cached, so only they reach the model again.
  CHECK(second_model.completed_ == 12);
  const auto rows_a = store->read_samples(a.run.run_id);
  const auto rows_b = store->read_samples(b.run.run_id);
  REQUIRE(rows_b.size() == 120);
  int cached = 0;
  for (size_t i = 0; i < rows_b.size(); ++i) {
    if (rows_b[i].cached) {
      ++cached;
      CHECK(rows_b[i].output == rows_a[i].output);
      CHECK(rows_b[i].attempts == 0);
    }
  }
  CHECK(cached == 108);
  CHECK(b.run.notes["usage"]["cache_hits"] == 108);
  CHECK(b.run.notes["usage"]["model_calls"] == 12);

  AsyncFakeModel third_model;
  CachingModel third(third_model, cache);
  const auto c = run_evaluation(task, third, *store, options);
  CHECK(third_model.completed_ == 0);
  CHECK(c.run.notes["usage"]["cache_hits"] == 120);
}
