// The model server restarts while a run has many requests in flight: its listening socket
// closes, open connections drop, connections are refused for a moment, then it listens on
// the same port again. Every sample ends exactly once, answered (by a retry) or with its
// error, within a bounded time; through the model API and through the runner into SQLite.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "harness/runner/runner.h"
#include "harness/store/store.h"
#include "tasks/registry.h"
#include "tests/adapters/openai_test_support.h"
#include "tests/harness/synthetic_lamp.h"
#include "tests/support/temp_dir.h"

using namespace perseval;
using namespace perseval::test;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// Restarts `server` (down for `downtime`) once it has seen `after` requests; join() waits.
class RestartWhenBusy {
 public:
  RestartWhenBusy(OpenAITestServer& server, long long after, milliseconds downtime)
      : thread_([&server, after, downtime, this] {
          const auto give_up = Clock::now() + std::chrono::seconds(10);
          while (server.total_requests() < after && Clock::now() < give_up)
            std::this_thread::sleep_for(milliseconds(1));
          down_at_ = Clock::now();
          server.restart(downtime);
          up_at_ = Clock::now();
        }) {}
  ~RestartWhenBusy() { join(); }
  void join() {
    if (thread_.joinable()) thread_.join();
  }
  Clock::time_point down_at() const { return down_at_; }
  Clock::time_point up_at() const { return up_at_; }

 private:
  Clock::time_point down_at_, up_at_;
  std::thread thread_;
};

// Retries that outlast a 400 ms outage: 12 retries with full jitter capped at 50 ms
// doubling up to 400 ms add up to far more than 400 ms (short of it: odds ~1e-7).
const char* kPatient = "concurrency=32,timeout_s=5,max_retries=12,backoff_ms=50,max_backoff_ms=400";

}  // namespace

TEST_CASE("openai restart: a server restart mid-run is survived by retries, nothing lost or doubled",
          "[openai][faults]") {
  OpenAITestServer server;
  server.set_latency(30, 20);
  auto model = make_openai_model(Spec::parse("openai:model=test-model,base_url=" + server.base_url() + "," + kPatient));
  const int n = 400;
  const auto start = Clock::now();
  std::vector<Completion> results;
  {
    RestartWhenBusy restart(server, 100, milliseconds(400));
    results = complete_all(*model, n, [](int i) { return ask("restart " + std::to_string(i)); });
    restart.join();
    CHECK(ms_between(restart.down_at(), restart.up_at()) >= 400);
  }
  const double elapsed = ms_between(start, Clock::now());
  CHECK(server.restarts() == 1);
  int retried = 0;
  for (int i = 0; i < n; ++i) {
    const Completion& r = results[static_cast<size_t>(i)];
    INFO("request " << i << ": " << r.error.value_or(""));
    CHECK_FALSE(r.error);
    CHECK(r.text == "echo: restart " + std::to_string(i));
    if (r.attempts > 1) ++retried;
  }
  // The restart fell in the middle of the run: the requests in flight at the stop (up to
  // 32) were dropped and asked again.
  CHECK(retried >= 16);
  // Every request reached a server; each finished once (complete_all checks the callbacks).
  std::set<uint64_t> keys;
  for (const auto& a : server.arrivals()) keys.insert(a.request_key);
  CHECK(keys.size() == static_cast<size_t>(n));
  const auto stats = model->http_stats();
  CHECK(stats.succeeded == n);
  CHECK(stats.failed == 0);
  // 400 requests at ~40 ms, 32 at a time, is ~0.5 s; plus 0.4 s down and a 0.4 s backoff.
  CHECK(elapsed < 4000);
}

TEST_CASE("openai restart: retries too few to outlast the outage leave each sample its error",
          "[openai][faults]") {
  OpenAITestServer server;
  server.set_latency(30, 20);
  auto model = make_openai_model(fast_spec(server, "concurrency=32,timeout_s=5,max_retries=2"));
  const int n = 200;
  const auto start = Clock::now();
  std::vector<Completion> results;
  Clock::time_point drained;
  {
    RestartWhenBusy restart(server, 60, milliseconds(1500));
    results = complete_all(*model, n, [](int i) { return ask("outage " + std::to_string(i)); });
    drained = Clock::now();
    restart.join();
    // Everything was decided while the server was down, long before it came back.
    CHECK(drained < restart.up_at());
  }
  int failed = 0;
  for (int i = 0; i < n; ++i) {
    const Completion& r = results[static_cast<size_t>(i)];
    if (!r.error) {
      CHECK(r.text == "echo: outage " + std::to_string(i));
      continue;
    }
    ++failed;
    INFO(*r.error);
    CHECK(r.text.empty());
    CHECK(r.attempts == 3);
    CHECK(r.error->find("gave up after 3 attempts") != std::string::npos);
    CHECK(r.error->find("connection") != std::string::npos);  // refused, dropped or reset
  }
  CHECK(failed > 0);
  CHECK(failed < n);  // the first 60 were answered before the stop
  CHECK(model->http_stats().failed == failed);
  CHECK(ms_between(start, drained) < 1500);
}

TEST_CASE("openai restart end to end: every sample row is stored exactly once", "[openai][faults]") {
  TempDir dir;
  OpenAITestServer server;
  server.set_latency(20, 20);
  server.set_responder([](const std::string&, const json&) { return std::string("3"); });
  const int n = 300;
  auto task = make_task(Spec::parse(write_synthetic_lamp3(dir, "restart", n, 12)));
  auto model = make_openai_model(Spec::parse("openai:model=test-model,base_url=" + server.base_url() + "," + kPatient));
  auto store = Store::open(dir.file("restart.db"));
  RunOptions options;
  options.progress = false;
  options.threads = 2;
  const auto start = Clock::now();
  RunSummary summary;
  {
    RestartWhenBusy restart(server, 80, milliseconds(400));
    summary = run_evaluation(*task, *model, *store, options);
  }
  CHECK(ms_between(start, Clock::now()) < 8000);
  CHECK(server.restarts() == 1);
  CHECK(summary.run.status == "finished");
  CHECK(summary.errors == 0);
  CHECK(summary.new_samples == n);
  const auto rows = store->read_samples(summary.run.run_id);
  CHECK(rows.size() == static_cast<size_t>(n));
  std::set<std::string> ids;
  int retried = 0;
  for (const auto& row : rows) {
    INFO(row.sample_id << ": " << row.error.value_or(""));
    CHECK(ids.insert(row.sample_id).second);
    CHECK_FALSE(row.error);
    CHECK(row.output == "3");
    if (row.attempts > 1) ++retried;
  }
  CHECK(ids.size() == static_cast<size_t>(n));
  CHECK(retried > 0);  // the restart hit requests of this run
}
