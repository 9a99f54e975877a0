// A local server speaking the OpenAI API (cpp-httplib, 127.0.0.1, an ephemeral port) with
// deterministic answers and faults that tests switch on at runtime.
//
//   POST /v1/chat/completions  {"choices":[{"message":{"role":"assistant","content":...}}],"usage":...}
//   POST /v1/completions       {"choices":[{"text":...}],"usage":...}
//   POST /v1/embeddings        one small deterministic vector per input, listed in REVERSE
//                              index order (clients must place them by `index`)
//   GET  /v1/models            {"data":[{"id":"test-model"}]}
//   GET  /_stats               the counters as JSON (for the standalone server process)
//
// The default answer is "echo: " + the last user message (or the prompt); logprobs are
// returned, in the chat or legacy shape, when the request asks for them.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace perseval::test {

// What can go wrong with an answer.
enum class Fault {
  none,
  rate_limited,              // 429 without Retry-After
  rate_limited_retry_after,  // 429 with Retry-After: FaultPlan::retry_after
  server_error,              // 500
  unavailable,               // 503
  malformed_json,            // 200 with a body that is not JSON
  truncated_body,            // 200, Content-Length larger than what is sent, then close
  dropped_connection,        // the connection is closed without any response
  slow_body,                 // 200, the body trickles out over FaultPlan::slow_body_ms
  never_answer,              // the request is read, then nothing is sent until the server stops
  stall_after_headers,       // 200 and its headers (with Content-Length), then nothing, ever
  huge_body,                 // 200, FaultPlan::huge_body_bytes of spaces before the answer,
                             // with Content-Length, sent as fast as the client reads
  endless_body,              // 200, chunked, spaces that never end
};

// Which requests get the fault.
struct FaultPlan {
  Fault fault = Fault::none;
  // > 0: only the first N attempts of each distinct request (same path and body) fail, so
  // retries succeed deterministically. <= 0: every attempt is eligible.
  int first_attempts = 0;
  // Of the eligible attempts, the share that fails, decided by a hash of (request,
  // attempt number): deterministic, and a retry gets a fresh draw.
  double probability = 1.0;
  std::string retry_after = "1";  // header value: seconds or an HTTP-date
  std::string retry_after_ms;     // also sent as OpenAI's retry-after-ms header when set
  int slow_body_ms = 300;
  std::string path;               // only this path (e.g. "/v1/embeddings"); "" = all POSTs
  std::string body_contains;      // only requests whose raw body contains this; "" = all
  // Only requests arriving before this instant (a burst that ends); unset = no end.
  std::optional<std::chrono::steady_clock::time_point> until;
  size_t huge_body_bytes = size_t{50} << 20;
  // Error bodies (429, 500, 503) quote the request's Authorization header, as some
  // servers quote a rejected key: clients must keep it out of their error texts.
  bool echo_authorization = false;
};

// One request as received.
struct Arrival {
  std::chrono::steady_clock::time_point at;
  std::string path;
  uint64_t request_key;  // hash of path + body: equal for retries of the same request
  int attempt;           // 1 for the first time this request was seen
  Fault fault = Fault::none;  // what the plan decided for this attempt
};

// The completion text for a request: `path` and the parsed JSON body.
using Responder = std::function<std::string(const std::string& path, const nlohmann::json& body)>;

// Starts on construction, stops on destruction (closing open connections). Thread-safe.
class OpenAITestServer {
 public:
  struct Options {
    size_t max_threads = 1100;   // one per concurrent connection (keep-alive)
    bool record_arrivals = true;
  };
  OpenAITestServer();
  explicit OpenAITestServer(Options options);
  ~OpenAITestServer();
  OpenAITestServer(const OpenAITestServer&) = delete;
  OpenAITestServer& operator=(const OpenAITestServer&) = delete;

  int port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT/v1"

  // Every answer waits latency_ms + uniform[0, jitter_ms] before it is sent.
  void set_latency(int latency_ms, int jitter_ms = 0);
  void set_fault(FaultPlan plan);
  void set_responder(Responder responder);

  // A crash and restart: stops listening, drops every open connection (answers being
  // written are cut off, requests being handled never get one), stays down for
  // `downtime` (connections are refused), then listens again on the same port. Counters,
  // arrivals, attempt counts, latency, fault plan and responder survive. Blocks until the
  // server listens again; throws std::runtime_error if the port cannot be bound again.
  void restart(std::chrono::milliseconds downtime);
  // How many times restart() has completed.
  int restarts() const;

  long long requests(const std::string& path) const;  // e.g. "/v1/chat/completions"
  long long total_requests() const;
  int current_concurrency() const;
  int peak_concurrency() const;
  std::map<std::string, long long> authorization_headers() const;  // value → count
  // Distinct client connections seen (by client port): few means keep-alive works.
  long long connections() const;
  // Body bytes that huge_body and endless_body managed to hand to the kernel: bounded by
  // what the client read before it gave up, plus socket buffers.
  long long streamed_bytes() const;
  // The headers of the last POST (with record_arrivals), names lower-cased.
  std::map<std::string, std::string> last_request_headers() const;
  std::vector<Arrival> arrivals() const;
  // Zeroes the counters, arrivals, per-request attempt counts and the peak.
  void reset_counters();
  nlohmann::json stats_json() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace perseval::test
