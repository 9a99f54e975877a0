// The HTTP engine against the local test server: limits, queueing, retries, cancellation.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>
#include <map>
#include <thread>

#include "tests/adapters/openai_test_support.h"

using namespace perseval;
using namespace perseval::test;
using Clock = std::chrono::steady_clock;

namespace {

// A port on 127.0.0.1 that nothing listens on (bound, then released).
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string http_date(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// Arrival times of each distinct request, in order of attempts.
std::map<uint64_t, std::vector<Clock::time_point>> attempts_by_request(const OpenAITestServer& server) {
  std::map<uint64_t, std::vector<Clock::time_point>> out;
  for (const auto& a : server.arrivals()) out[a.request_key].push_back(a.at);
  return out;
}

}  // namespace

TEST_CASE("http engine: requests complete, connections are kept alive and reused", "[http]") {
  OpenAITestServer server;
  auto engine = HttpEngine::create();
  auto endpoint = engine->add_endpoint(fast_endpoint({server.base_url()}, 4));
  auto log = std::make_shared<ResultLog>();
  for (int i = 0; i < 200; ++i) endpoint->submit(chat_request(log, i, "q" + std::to_string(i)));
  endpoint->drain();
  REQUIRE(log->results.size() == 200);
  for (const auto& [n, r] : log->results) {
    CHECK(r.status == 200);
    CHECK_FALSE(r.error);
    CHECK(r.attempts == 1);
    CHECK(r.body.find("echo: q" + std::to_string(n) + "\"") != std::string::npos);
  }
  CHECK(server.total_requests() == 200);
  CHECK(server.connections() <= 8);  // 4 in flight: no new connection per request
  const auto stats = endpoint->stats();
  CHECK(stats.submitted == 200);
  CHECK(stats.succeeded == 200);
  CHECK(stats.attempts == 200);
  CHECK(stats.attempts_by_status.at(200) == 200);
  CHECK(stats.peak_in_flight <= 4);
  CHECK(endpoint->pending() == 0);
}

TEST_CASE("http engine: the concurrency bound is respected and reached", "[http]") {
  OpenAITestServer server;
  server.set_latency(100);
  auto engine = HttpEngine::create();
  auto endpoint = engine->add_endpoint(fast_endpoint({server.base_url()}, 8));
  auto log = std::make_shared<ResultLog>();
  const auto start = Clock::now();
  for (int i = 0; i < 48; ++i) endpoint->submit(chat_request(log, i, "c" + std::to_string(i)));
  endpoint->drain();
  const double elapsed = ms_between(start, Clock::now());
  CHECK(log->results.size() == 48);
  CHECK(server.peak_concurrency() <= 8);
  CHECK(server.peak_concurrency() >= 7);
  // 6 waves of 100 ms; no waves of idling in between.
  CHECK(elapsed >= 590);
  CHECK(elapsed < 1200);
}

TEST_CASE("http engine: waiting requests start in submission order (FIFO)", "[http]") {
  OpenAITestServer server;
  server.set_latency(5);
  auto engine = HttpEngine::create();
  auto endpoint = engine->add_endpoint(fast_endpoint({server.base_url()}, 1));
  auto log = std::make_shared<ResultLog>();
  for (int i = 0; i < 20; ++i) endpoint->submit(chat_request(log, i, "f" + std::to_string(i)));
  endpoint->drain();
  REQUIRE(log->results.size() == 20);
  for (int i = 0; i < 20; ++i) CHECK(log->results[static_cast<size_t>(i)].first == i);
}

TEST_CASE("http engine: the requests/min limit is respected", "[http]") {
  OpenAITestServer server;
  auto engine = HttpEngine::create();
  auto options = fast_endpoint({server.base_url()}, 16);
  options.rpm = 1200;  // 20/s, a burst of 20
  auto endpoint = engine->add_endpoint(options);
  auto log = std::make_shared<ResultLog>();
  const auto start = Clock::now();
  for (int i = 0; i < 50; ++i) endpoint->submit(chat_request(log, i, "r" + std::to_string(i)));
  endpoint->drain();
  const double elapsed = ms_between(start, Clock::now());
  CHECK(log->results.size() == 50);
  // 20 at once, then 30 at 20/s.
  CHECK(elapsed >= 1400);
  CHECK(elapsed < 2500);
  // No window of one second holds more than burst + rate requests.
  const auto arrivals = server.arrivals();
  for (size_t i = 0; i < arrivals.size(); ++i) {
    size_t in_window = 0;
    for (size_t j = i; j < arrivals.size() && arrivals[j].at - arrivals[i].at < std::chrono::seconds(1); ++j) ++in_window;
    CHECK(in_window <= 41);
  }
}

TEST_CASE("http engine: the tokens/min limit is respected", "[http]") {
  OpenAITestServer server;
  auto engine = HttpEngine::create();
  auto options = fast_endpoint({server.base_url()}, 16);
  options.tpm = 60000;  // 1000 tokens/s
  auto endpoint = engine->add_endpoint(options);
  auto log = std::make_shared<ResultLog>();
  const auto start = Clock::now();
  for (int i = 0; i < 20; ++i) {
    auto r = chat_request(log, i, "t" + std::to_string(i));
    r.estimated_tokens = 100;  // 10 at once, then 10 per second
    endpoint->submit(std::move(r));
  }
  endpoint->drain();
  const double elapsed = ms_between(start, Clock::now());
  CHECK(log->results.size() == 20);
  CHECK(elapsed >= 900);
  CHECK(elapsed < 1800);
}

TEST_CASE("http engine: Retry-After in seconds and as an HTTP-date is honoured", "[http]") {
  OpenAITestServer server;
  auto engine = HttpEngine::create();
  auto endpoint = engine->add_endpoint(fast_endpoint({server.base_url()}, 4));
  auto log = std::make_shared<ResultLog>();

  FaultPlan plan;
  plan.fault = Fault::rate_limited_retry_after;
  plan.first_attempts = 1;
  SECTION("delta-seconds") {
    plan.retry_after = "1";
    server.set_fault(plan);
    for (int i = 0; i < 3; ++i) endpoint->submit(chat_request(log, i, "ra" + std::to_string(i)));
    endpoint->drain();
    for (const auto& [key, times] : attempts_by_request(server)) {
      REQUIRE(times.size() == 2);
      const double gap = ms_between(times[0], times[1]);
      CHECK(gap >= 995);
      CHECK(gap < 1500);  // the 5 ms backoff is not what made it wait
    }
  }
  SECTION("HTTP-date") {
    // Two seconds ahead, at one-second resolution: the wait is more than one second.
    plan.retry_after = http_date(std::chrono::system_clock::now() + std::chrono::seconds(2));
    server.set_fault(plan);
    endpoint->submit(chat_request(log, 0, "date"));
    endpoint->drain();
    const auto times = attempts_by_request(server).begin()->second;
    REQUIRE(times.size() == 2);
    CHECK(ms_between(times[0], times[1]) >= 950);
    CHECK(ms_between(times[0], times[1]) < 2500);
  }
  SECTION("retry-after-ms, which OpenAI sends beside Retry-After, is the finer of the two") {
    plan.retry_after = "5";
    plan.retry_after_ms = "300";
    server.set_fault(plan);
    endpoint->submit(chat_request(log, 0, "ms"));
    endpoint->drain();
    const auto times = attempts_by_request(server).begin()->second;
    REQUIRE(times.size() == 2);
    CHECK(ms_between(times[0], times[1]) >= 295);
    CHECK(ms_between(times[0], times[1]) < 1000);
  }
  for (const auto& [n, r] : log->results) {
    CHECK_FALSE(r.error);
    CHECK(r.attempts == 2);
  }
  CHECK(endpoint->stats().attempts_by_status.at(429) == static_cast<long long>(log->results.size()));
}

TEST_CASE("http engine: timeouts are retried, a slow first attempt does not lose the request", "[http]") {
  OpenAITestServer server;
  FaultPlan plan;
  plan.fault = Fault::slow_body;
  plan.slow_body_ms = 2000;
  plan.first_attempts = 1;
  server.set_fault(plan);
  auto engine = HttpEngine::create();
  auto options = fast_endpoint({server.base_url()}, 4);
  options.timeout_s = 0.2;
  auto endpoint = engine->add_endpoint(options);
  auto log = std::make_shared<ResultLog>();
  const auto start = Clock::now();
  for (int i = 0; i < 4; ++i) endpoint->submit(chat_request(log, i, "slow" + std::to_string(i)));
  endpoint->drain();
  CHECK(ms_between(start, Clock::now()) < 1500);
  REQUIRE(log->results.size() == 4);
  for (const auto& [n, r] : log->results) {
    CHECK_FALSE(r.error);
    CHECK(r.attempts == 2);
  }
  CHECK(endpoint->stats().failures_by_kind.at("timeout") == 4);
}

TEST_CASE("http engine: a refused connection is retried, then reported", "[http]") {
  auto engine = HttpEngine::create();
  auto options = fast_endpoint({"http://127.0.0.1:" + std::to_string(closed_port()) + "/v1"}, 4);
  options.retry.max_retries = 3;
  auto endpoint = engine->add_endpoint(options);
  auto log = std::make_shared<ResultLog>();
  for (int i = 0; i < 5; ++i) endpoint->submit(chat_request(log, i, "x"));
  endpoint->drain();
  REQUIRE(log->results.size() == 5);
  for (const auto& [n, r] : log->results) {
    REQUIRE(r.error);
    CHECK(r.attempts == 4);
    CHECK(r.error->find("connection refused") != std::string::npos);
    CHECK(r.error->find("gave up after 4 attempts") != std::string::npos);
  }
  CHECK(endpoint->stats().failed == 5);
}

TEST_CASE("http engine: a 4xx other than 429 fails at once with status and body excerpt", "[http]") {
  OpenAITestServer server;
  auto engine = HttpEngine::create();
  auto endpoint = engine->add_endpoint(fast_endpoint({server.base_url()}, 4));
  auto log = std::make_shared<ResultLog>();
  auto request = chat_request(log, 0, "x");
  request.body = "not json";
  endpoint->submit(std::move(request));
  endpoint->drain();
  REQUIRE(log->results.size() == 1);
  const HttpResult& r = log->results[0].second;
  CHECK(r.status == 400);
  CHECK(r.attempts == 1);
  REQUIRE(r.error);
  CHECK(*r.error == "HTTP 400: {\"error\":{\"message\":\"request body is not a JSON object\",\"type\":\"test\"}}");
}

TEST_CASE("http engine: destroying an endpoint cancels what is pending, callbacks included", "[http]") {
  OpenAITestServer server;
  server.set_latency(3000);
  auto engine = HttpEngine::create();
  auto endpoint = engine->add_endpoint(fast_endpoint({server.base_url()}, 2));
  auto log = std::make_shared<ResultLog>();
  for (int i = 0; i < 10; ++i) endpoint->submit(chat_request(log, i, "z" + std::to_string(i)));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto start = Clock::now();
  endpoint.reset();
  CHECK(ms_between(start, Clock::now()) < 1000);
  REQUIRE(log->results.size() == 10);
  for (const auto& [n, r] : log->results) {
    REQUIRE(r.error);
    CHECK(r.error->rfind("cancelled", 0) == 0);
  }
}

TEST_CASE("http engine: adaptive concurrency backs off after 429s and recovers", "[http]") {
  OpenAITestServer server;
  server.set_latency(100);
  FaultPlan plan;
  plan.fault = Fault::rate_limited;
  plan.first_attempts = 1;
  server.set_fault(plan);
  auto engine = HttpEngine::create();
  auto options = fast_endpoint({server.base_url()}, 16);
  options.adaptive = true;
  auto endpoint = engine->add_endpoint(options);
  auto log = std::make_shared<ResultLog>();
  for (int i = 0; i < 16; ++i) endpoint->submit(chat_request(log, i, "a" + std::to_string(i)));
  std::this_thread::sleep_for(std::chrono::milliseconds(160));  // the first wave got its 429s
  plan.fault = Fault::none;
  server.set_fault(plan);
  server.reset_counters();
  endpoint->drain();
  CHECK(log->results.size() == 16);
  for (const auto& [n, r] : log->results) CHECK_FALSE(r.error);
  // One congestion event halves 16 to 8; the retries then run at most about 8 at once.
  CHECK(server.peak_concurrency() <= 10);
  CHECK(server.peak_concurrency() >= 6);
}
