// Body faults through the whole pipeline: the runner, the openai model and the local test
// server into SQLite. Half of all attempts get the fault and one retry is allowed, so some
// samples are saved by the retry and some fail for good; every sample is stored exactly
// once, the failed ones with the fault named in their error, and the run finishes.
#include <catch2/catch.hpp>

#include <set>

#include "harness/runner/runner.h"
#include "harness/store/store.h"
#include "tasks/registry.h"
#include "tests/adapters/openai_test_support.h"
#include "tests/harness/synthetic_lamp.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using namespace perseval::test;
using Clock = std::chrono::steady_clock;

TEST_CASE("openai faults end to end: truncated, malformed, slow, oversized bodies stored per sample",
          "[openai][faults]") {
  TempDir dir;
  OpenAITestServer server;
  server.set_responder([](const std::string&, const json&) { return std::string("4"); });
  FaultPlan plan;
  plan.probability = 0.5;
  plan.slow_body_ms = 1500;
  plan.huge_body_bytes = size_t{4} << 20;
  std::string marker;
  int attempts_when_failed = 2;
  SECTION("truncated body") {
    plan.fault = Fault::truncated_body;
    marker = "truncated body";
  }
  SECTION("malformed JSON") {
    plan.fault = Fault::malformed_json;
    marker = "malformed response (not JSON)";
  }
  SECTION("slow body past the timeout") {
    plan.fault = Fault::slow_body;
    marker = "timeout";
  }
  SECTION("body over max_response_bytes (never retried)") {
    plan.fault = Fault::huge_body;
    marker = "response larger than 1048576 bytes";
    attempts_when_failed = 1;
  }
  server.set_fault(plan);
  const int n = 60;
  auto task = make_task(Spec::parse(write_synthetic_lamp3(dir, "faults", n, 6)));
  auto model = make_openai_model(
      fast_spec(server, "concurrency=16,timeout_s=0.3,max_retries=1,max_response_bytes=1048576"));
  auto store = Store::open(dir.file("faults.db"));
  RunOptions options;
  options.progress = false;
  options.threads = 2;
  const auto start = Clock::now();
  const RunSummary summary = run_evaluation(*task, *model, *store, options);
  CHECK(ms_between(start, Clock::now()) < 5000);
  CHECK(summary.run.status == "finished");
  const auto rows = store->read_samples(summary.run.run_id);
  REQUIRE(rows.size() == static_cast<size_t>(n));
  std::set<std::string> ids;
  long long failed = 0, saved_by_retry = 0;
  for (const auto& row : rows) {
    CHECK(ids.insert(row.sample_id).second);
    if (row.error) {
      ++failed;
      INFO(*row.error);
      CHECK(row.error->find(marker) != std::string::npos);
      CHECK(row.attempts == attempts_when_failed);
      CHECK(row.output.empty());
    } else {
      CHECK(row.output == "4");
      if (row.attempts == 2) ++saved_by_retry;
    }
  }
  CHECK(summary.errors == failed);
  // About a quarter (half for the oversized body, not retried) fail; some are saved.
  CHECK(failed > 0);
  CHECK(failed < n);
  if (attempts_when_failed == 2) CHECK(saved_by_retry > 0);
}
