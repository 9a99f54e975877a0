// Unit tests of the HTTP engine's pure pieces: token bucket, backoff and Retry-After,
// adaptive concurrency, error texts.
#include <catch2/catch.hpp>

#include <ctime>

#include "adapters/http/concurrency_limit.h"
#include "adapters/http/error_text.h"
#include "adapters/http/retry_policy.h"
#include "adapters/http/token_bucket.h"

using namespace perseval;
using namespace std::chrono;

TEST_CASE("token bucket: a per-minute rate with a one-second burst", "[http]") {
  const auto t0 = steady_clock::now();
  TokenBucket bucket(600.0);  // 10/s, burst 10
  int taken = 0;
  while (bucket.try_take(1.0, t0)) ++taken;
  CHECK(taken == 10);
  CHECK(bucket.ready_at(1.0, t0) - t0 == milliseconds(100));
  CHECK_FALSE(bucket.try_take(1.0, t0 + milliseconds(99)));
  CHECK(bucket.try_take(1.0, t0 + milliseconds(100)));
  CHECK(bucket.try_take(1.0, t0 + milliseconds(200)));
  CHECK_FALSE(bucket.try_take(1.0, t0 + milliseconds(250)));
}

TEST_CASE("token bucket: a cost above the capacity passes when full and leaves a debt", "[http]") {
  const auto t0 = steady_clock::now();
  TokenBucket tokens(6000.0);  // 100 tokens/s, capacity 100
  CHECK(tokens.try_take(350.0, t0));
  // 250 in debt: the next 100-token request waits 3.5 s.
  CHECK(duration_cast<milliseconds>(tokens.ready_at(100.0, t0) - t0).count() == Approx(3500).margin(1));
  CHECK_FALSE(tokens.try_take(100.0, t0 + milliseconds(3400)));
  CHECK(tokens.try_take(100.0, t0 + milliseconds(3501)));
  TokenBucket unlimited(0.0);
  for (int i = 0; i < 1000; ++i) CHECK(unlimited.try_take(1e9, t0));
}

TEST_CASE("retry delay: full jitter under an exponential cap, Retry-After wins", "[http]") {
  RetryOptions o;
  o.base_backoff = milliseconds(100);
  o.max_backoff = milliseconds(1000);
  CHECK(retry_delay(o, 1, std::nullopt, 0.0) == milliseconds(0));
  CHECK(retry_delay(o, 1, std::nullopt, 0.999) == milliseconds(99));
  CHECK(retry_delay(o, 3, std::nullopt, 0.5) == milliseconds(200));   // cap 400
  CHECK(retry_delay(o, 10, std::nullopt, 0.5) == milliseconds(500));  // cap 1000
  CHECK(retry_delay(o, 1000, std::nullopt, 0.999) == milliseconds(999));
  CHECK(retry_delay(o, 2, milliseconds(2500), 0.1) == milliseconds(2500));
  o.max_retry_after = milliseconds(2000);
  CHECK(retry_delay(o, 2, milliseconds(2500), 0.1) == milliseconds(2000));
  CHECK(is_retryable_status(429));
  CHECK(is_retryable_status(500));
  CHECK(is_retryable_status(503));
  CHECK(is_retryable_status(408));
  CHECK_FALSE(is_retryable_status(400));
  CHECK_FALSE(is_retryable_status(401));
  CHECK_FALSE(is_retryable_status(404));
}

TEST_CASE("Retry-After: delta-seconds and the three HTTP-date forms", "[http]") {
  // 2015-10-21 07:28:00 UTC
  const auto now = system_clock::from_time_t(1445412480);
  CHECK(parse_retry_after("120", now) == milliseconds(120000));
  CHECK(parse_retry_after(" 0 ", now) == milliseconds(0));
  CHECK(parse_retry_after("1.5", now) == milliseconds(1500));
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now) == milliseconds(30000));
  CHECK(parse_retry_after("Wednesday, 21-Oct-15 07:29:00 GMT", now) == milliseconds(60000));
  CHECK(parse_retry_after("Wed Oct 21 07:28:02 2015", now) == milliseconds(2000));
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now) == milliseconds(0));  // past
  CHECK_FALSE(parse_retry_after("", now));
  CHECK_FALSE(parse_retry_after("soon", now));
  CHECK_FALSE(parse_retry_after("-5", now));
  CHECK_FALSE(parse_retry_after("1.2.3", now));
}

TEST_CASE("adaptive concurrency: halve once per congestion window, recover additively", "[http]") {
  ConcurrencyLimit fixed(16, false);
  fixed.on_throttled(0, 1);
  CHECK(fixed.current() == 16);

  ConcurrencyLimit limit(16, true);
  limit.on_throttled(5, 20);  // requests 0..19 were in flight
  CHECK(limit.current() == 8);
  limit.on_throttled(12, 20);  // same window: ignored
  limit.on_throttled(19, 21);
  CHECK(limit.current() == 8);
  limit.on_throttled(20, 30);  // sent after the cut: a new congestion event
  CHECK(limit.current() == 4);
  for (int i = 0; i < 5; ++i) limit.on_success();  // +1/limit each: about limit successes per step
  CHECK(limit.current() == 5);
  for (int i = 0; i < 1000; ++i) limit.on_success();
  CHECK(limit.current() == 16);
  for (int i = 0; i < 10; ++i) limit.on_throttled(1000 + i * 10, 1001 + i * 10);
  CHECK(limit.current() == 1);  // never below one
}

TEST_CASE("error text: one short line, UTF-8 kept whole, secrets redacted", "[http]") {
  CHECK(body_excerpt("{\"error\":\n  \"busy\"}") == "{\"error\": \"busy\"}");
  const std::string long_body(500, 'x');
  const std::string cut = body_excerpt(long_body, 50);
  CHECK(cut == std::string(50, 'x') + "...");
  // "é" is two bytes; a cut in its middle drops it entirely.
  CHECK(body_excerpt("abcé", 4) == "abc...");
  CHECK(body_excerpt("abcé", 5) == "abcé");
  CHECK(redact("key sk-123 and sk-123!", {"sk-123"}) == "key [redacted] and [redacted]!");
  CHECK(redact("nothing", {""}) == "nothing");
}
