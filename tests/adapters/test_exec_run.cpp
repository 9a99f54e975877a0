// End to end: LaMP-7 on the bundled samples through the exec adapter and the runner into a
// real SQLite file, with a failing test server and with the shipped example server.
#include <catch2/catch.hpp>

#include <set>

#include "adapters/registry.h"
#include "harness/runner/runner.h"
#include "tasks/registry.h"
#include "tests/support/temp_dir.h"

using namespace perseval;

namespace {

// Paraphrases by returning the tweet itself (the text after the prompt's ": "); refuses the
// samples whose id ends in "1", so the run has known failures.
const char* kTweetServer = R"PY(
import json, sys
for line in sys.stdin:
    req = json.loads(line)
    if req["sample_id"].endswith("1"):
        print(json.dumps({"id": req["id"], "error": "no checkpoint for " + req["sample_id"]}), flush=True)
        continue
    tweet = req["messages"][-1]["content"].split(": ", 1)[-1]
    usage = {"prompt_tokens": 11, "completion_tokens": len(tweet.split())}
    print(json.dumps({"id": req["id"], "text": tweet, "usage": usage}), flush=True)
)PY";

RunOptions bundled_options() {
  RunOptions o;
  o.source.bundled_dir = std::string(PERSEVAL_SOURCE_DIR) + "/datasets/samples";
  o.threads = 2;
  o.progress = false;
  return o;
}

}  // namespace

TEST_CASE("exec: lamp-7 end to end into SQLite, server failures stored per sample", "[exec]") {
  test::TempDir dir;
  const std::string script = dir.write("tweets.py", kTweetServer);
  auto model = make_model(Spec::parse("exec:cmd=python3 " + script + ",concurrency=2,name=tweets"));
  auto task = make_task(Spec::parse("lamp-7"));
  auto store = Store::open(dir.file("runs.db"));
  const RunSummary summary = run_evaluation(*task, *model, *store, bundled_options());

  CHECK(summary.run.status == "finished");
  CHECK(summary.run.model == "exec:cmd=python3 " + script + ",name=tweets,shell=0");
  CHECK(summary.run.model_identity["name"] == "tweets");
  const auto rows = store->read_samples(summary.run.run_id);
  REQUIRE(rows.size() == 6);
  std::set<std::string> ids;
  int failed = 0;
  for (const auto& row : rows) {
    ids.insert(row.sample_id);
    const bool refused = row.sample_id.back() == '1';
    CHECK(row.error.has_value() == refused);
    if (refused) {
      ++failed;
      CHECK(*row.error == "exec: server error: no checkpoint for " + row.sample_id);
      CHECK(row.output.empty());
    } else {
      CHECK_FALSE(row.output.empty());
      CHECK(row.prompt_tokens == 11);
      CHECK(row.completion_tokens > 0);
      CHECK(row.attempts == 1);
      CHECK(row.scores.contains("rouge-1"));
    }
  }
  CHECK(ids.size() == 6);  // every sample stored, none twice
  CHECK(failed == 3);
  CHECK(summary.errors == 3);
}

TEST_CASE("exec: the shipped example server runs lamp-7 without errors", "[exec]") {
  test::TempDir dir;
  const std::string example = std::string(PERSEVAL_SOURCE_DIR) + "/adapters/exec/example_server.py";
  auto model = make_model(Spec::parse("exec:cmd=python3 '" + example + "'"));
  auto task = make_task(Spec::parse("lamp-7"));
  auto store = Store::open(dir.file("example.db"));
  const RunSummary summary = run_evaluation(*task, *model, *store, bundled_options());
  CHECK(summary.run.status == "finished");
  CHECK(summary.errors == 0);
  const auto rows = store->read_samples(summary.run.run_id);
  REQUIRE(rows.size() == 6);
  for (const auto& row : rows) {
    CHECK_FALSE(row.error);
    CHECK_FALSE(row.output.empty());
    CHECK(row.prompt_tokens > 0);
    CHECK(row.completion_tokens > 0);
  }
}
