// What the HTTP engine is asked to do and what it answers: one request (with retries) to
// an endpoint, the final result, and the options that shape an endpoint.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/http/http_stats.h"
#include "adapters/http/retry_policy.h"

namespace perseval {

// The final outcome of a request after all its attempts.
struct HttpResult {
  long status = 0;                   // the last attempt's HTTP status; 0 when none arrived
  std::string body;                  // the accepted response body (success only)
  int attempts = 0;
  double latency_ms = 0.0;           // of the last attempt
  size_t replica = 0;                // which base URL answered last
  std::optional<std::string> error;  // set on failure: status + short body excerpt, or the
                                     // transport failure; never headers, never a secret
};

// Receives a request's responses. The engine owns it from submit() until done() returns.
// Every method runs on the engine's I/O thread, so it must be quick and must not block
// (no drain(), no waiting on other requests); it may submit new requests.
class HttpResponseHandler {
 public:
  virtual ~HttpResponseHandler() = default;
  // Sees the body of each 2xx attempt. Returns "" to accept it, or a short reason
  // ("not JSON", "no choices") to count the attempt as a retryable failure: a body that
  // cannot be used is treated like a 5xx. The handler may keep what it parsed for done().
  virtual std::string accept(std::string& body) {
    (void)body;
    return {};
  }
  // Called exactly once with the final outcome. Must not throw.
  virtual void done(HttpResult result) = 0;
};

// One request. POST of `body` (application/json) when `body` is non-empty, else GET.
struct HttpRequest {
  std::string path;                 // appended to a replica's base URL, e.g. "/chat/completions"
  std::string body;
  double estimated_tokens = 0.0;    // charged to the endpoint's tokens/min bucket
  std::unique_ptr<HttpResponseHandler> handler;
};

// An endpoint: one API (one or more replicas of it) with its limits.
struct EndpointOptions {
  std::vector<std::string> base_urls;  // replicas, e.g. "http://127.0.0.1:8000/v1"
  std::vector<std::string> headers;    // "Name: value", sent with every request
  std::vector<std::string> secrets;    // never allowed into error texts (redacted)
  int concurrency = 32;                // max requests in flight, per replica
  double rpm = 0.0;                    // requests/min for the whole endpoint; 0 = no limit
  double tpm = 0.0;                    // estimated tokens/min for the whole endpoint; 0 = no limit
  double timeout_s = 120.0;            // per attempt, connecting included
  // The largest response body an attempt may receive; a larger one is aborted as soon as
  // it passes the cap (or at once, when its Content-Length says so), so memory stays
  // bounded, and the request fails without a retry: the same request would get the same
  // oversized answer again. 0 = no cap.
  size_t max_response_bytes = size_t{16} << 20;
  bool adaptive = false;               // halve a replica's concurrency on 429, recover additively
  RetryOptions retry;
  // Optional observer of every attempt; runs on the I/O thread, must be quick.
  std::function<void(const HttpAttempt&)> on_attempt;
};

}  // namespace perseval
