// A burst of 429s: for a window of time the server answers every request with 429 and
// Retry-After: 1, then recovers. Many concurrent requests all get through, none is retried
// before its Retry-After has passed (counted on the server), and the whole run takes about
// the window plus one Retry-After.
#include <catch2/catch.hpp>

#include <map>

#include "tests/adapters/openai_test_support.h"

using namespace perseval;
using namespace perseval::test;
using Clock = std::chrono::steady_clock;

TEST_CASE("openai 429 burst: Retry-After is honoured by every request, the run ends soon after",
          "[openai][faults]") {
  OpenAITestServer server;
  server.set_latency(40);  // so that dozens are in flight at once
  const auto start = Clock::now();
  const auto window = std::chrono::milliseconds(1500);
  FaultPlan burst;
  burst.fault = Fault::rate_limited_retry_after;
  burst.retry_after = "1";
  burst.until = start + window;
  server.set_fault(burst);
  // backoff_ms=5: any wait near a second can only come from Retry-After.
  auto model = make_openai_model(fast_spec(server, "concurrency=64"));
  const int n = 200;
  const auto results = complete_all(*model, n, [](int i) { return ask("burst " + std::to_string(i)); });
  const double elapsed = ms_between(start, Clock::now());

  // Each request: 429s inside the window, one answer after it.
  std::map<uint64_t, std::vector<Arrival>> by_request;
  for (const auto& a : server.arrivals()) by_request[a.request_key].push_back(a);
  REQUIRE(by_request.size() == static_cast<size_t>(n));
  long long throttled = 0;
  double last_answer_ms = 0;
  for (const auto& [key, attempts] : by_request) {
    REQUIRE(attempts.size() >= 2);
    for (size_t k = 0; k + 1 < attempts.size(); ++k) {
      CHECK(attempts[k].fault == Fault::rate_limited_retry_after);
      // The 429 leaves the server 40 ms after the arrival; the retry waits 1 s after that.
      CHECK(ms_between(attempts[k].at, attempts[k + 1].at) >= 1035);
      CHECK(ms_between(attempts[k].at, attempts[k + 1].at) < 1600);
      ++throttled;
    }
    CHECK(attempts.back().fault == Fault::none);
    last_answer_ms = std::max(last_answer_ms, ms_between(start, attempts.back().at));
  }
  for (int i = 0; i < n; ++i) {
    const Completion& r = results[static_cast<size_t>(i)];
    CHECK_FALSE(r.error);
    CHECK(r.text == "echo: burst " + std::to_string(i));
    CHECK(r.attempts >= 2);
  }
  const auto stats = model->http_stats();
  CHECK(stats.attempts_by_status.at(429) == throttled);
  CHECK(stats.attempts == throttled + n);
  CHECK(stats.succeeded == n);
  CHECK(server.peak_concurrency() >= 32);
  // The last answer comes within one Retry-After (and a little) of the window's end.
  CHECK(last_answer_ms < 1500 + 1000 + 500);
  CHECK(elapsed >= 1500);
  CHECK(elapsed < 1500 + 1000 + 1000);
}
