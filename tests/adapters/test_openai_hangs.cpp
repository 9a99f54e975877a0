// Connections that never answer: a server that accepts the connection and never reads, one
// that reads the request and never answers, one that sends the headers and then stalls.
// With timeout_s set, every such attempt times out and is retried per policy; the sample
// ends with a timeout error after timeout x attempts (+ backoff), and requests on healthy
// connections, of the same model or of another on the same engine, are not held up.
#include <catch2/catch.hpp>

#include <thread>

#include "tests/adapters/openai_test_support.h"
#include "tests/support/silent_listener.h"

using namespace perseval;
using namespace perseval::test;
using Clock = std::chrono::steady_clock;

namespace {

// Submits `n` requests; result i answers request i, with the time its callback ran.
struct Timed {
  std::vector<Completion> results;
  std::vector<Clock::time_point> done_at;
};

void submit_timed(Model& model, Timed& out, int n, const std::string& prefix) {
  out.results.resize(static_cast<size_t>(n));
  out.done_at.resize(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    model.submit(ask(prefix + std::to_string(i)), [&out, i](Completion c) {
      out.results[static_cast<size_t>(i)] = std::move(c);
      out.done_at[static_cast<size_t>(i)] = Clock::now();
    });
}

double latest_ms(Clock::time_point start, const std::vector<Clock::time_point>& times) {
  double worst = 0;
  for (const auto& t : times) worst = std::max(worst, ms_between(start, t));
  return worst;
}

}  // namespace

TEST_CASE("openai hangs: a server that accepts and never reads times out per attempt, others go on",
          "[openai][faults]") {
  SilentListener silent;
  OpenAITestServer healthy;
  // Both models share the process's engine (one I/O thread), as a model and its judge do.
  auto stuck = make_openai_model(Spec::parse("openai:model=m,base_url=" + silent.base_url() +
                                             ",concurrency=16,timeout_s=0.3,max_retries=2,backoff_ms=5,max_backoff_ms=40"));
  auto fine = make_openai_model(fast_spec(healthy, "concurrency=8"));
  Timed hung, answered;
  const auto start = Clock::now();
  submit_timed(*stuck, hung, 16, "silent ");
  submit_timed(*fine, answered, 200, "fine ");
  fine->drain();
  // All 200 were answered while the 16 were still waiting on their first attempt.
  CHECK(latest_ms(start, answered.done_at) < 300);
  for (int i = 0; i < 200; ++i) {
    CHECK_FALSE(answered.results[static_cast<size_t>(i)].error);
    CHECK(answered.results[static_cast<size_t>(i)].text == "echo: fine " + std::to_string(i));
  }
  stuck->drain();
  // 3 attempts of 300 ms, two backoffs of at most 40 ms.
  const double elapsed = latest_ms(start, hung.done_at);
  CHECK(elapsed >= 900);
  CHECK(elapsed < 900 + 80 + 500);
  for (const auto& r : hung.results) {
    REQUIRE(r.error);
    INFO(*r.error);
    CHECK(r.error->rfind("timeout: ", 0) == 0);
    CHECK(r.error->find("gave up after 3 attempts") != std::string::npos);
    CHECK(r.attempts == 3);
  }
  CHECK(stuck->http_stats().failures_by_kind.at("timeout") == 48);
  // One connection per attempt, each closed by the client when it gave up: none leaks.
  CHECK(silent.accepted() == 48);
  const auto give_up = Clock::now() + std::chrono::seconds(2);
  while (silent.closed_by_client() < 48 && Clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(silent.closed_by_client() == 48);
}

TEST_CASE("openai hangs: requests never answered, or stalled after the headers, time out alone",
          "[openai][faults]") {
  OpenAITestServer server;
  FaultPlan plan;
  plan.body_contains = "hang";  // only these requests; the others on the same model are fine
  std::string marker;
  SECTION("read, never answered") {
    plan.fault = Fault::never_answer;
    marker = "timeout: ";
  }
  SECTION("headers sent, body never") {
    plan.fault = Fault::stall_after_headers;
    marker = "HTTP 200, timeout: ";
  }
  server.set_fault(plan);
  auto model = make_openai_model(fast_spec(server, "concurrency=32,timeout_s=0.3,max_retries=1"));
  Timed hung, answered;
  const auto start = Clock::now();
  submit_timed(*model, hung, 8, "hang ");
  submit_timed(*model, answered, 100, "ok ");
  model->drain();
  CHECK(latest_ms(start, answered.done_at) < 300);
  for (const auto& r : answered.results) {
    CHECK_FALSE(r.error);
    CHECK(r.attempts == 1);
  }
  const double elapsed = latest_ms(start, hung.done_at);
  CHECK(elapsed >= 600);
  CHECK(elapsed < 600 + 40 + 500);
  for (const auto& r : hung.results) {
    REQUIRE(r.error);
    INFO(*r.error);
    CHECK(r.error->rfind(marker, 0) == 0);
    CHECK(r.error->find("gave up after 2 attempts") != std::string::npos);
    CHECK(r.attempts == 2);
  }
  // Each hung request reached the server twice: timed out, retried, timed out.
  int hung_arrivals = 0;
  for (const auto& a : server.arrivals()) hung_arrivals += a.fault == plan.fault;
  CHECK(hung_arrivals == 16);
}
