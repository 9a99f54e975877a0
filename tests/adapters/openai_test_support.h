// Helpers shared by the HTTP engine and openai adapter tests.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/http/http_engine.h"
#include "adapters/openai/openai_model.h"
#include "tests/support/openai_test_server.h"

namespace perseval::test {

// An `openai:` spec for `server` with test-sized retry waits (backoff_ms=5,
// max_backoff_ms=40) and `extra` parameters appended.
inline Spec fast_spec(const OpenAITestServer& server, const std::string& extra = "") {
  std::string text = "openai:model=test-model,base_url=" + server.base_url() + ",backoff_ms=5,max_backoff_ms=40";
  if (!extra.empty()) text += "," + extra;
  return Spec::parse(text);
}

// A one-message request asking `question`.
inline Request ask(const std::string& question) {
  Request r;
  r.messages = {{"user", question}};
  r.sample_id = question;
  return r;
}

// Submits `n` requests (`make(i)`) and waits for all; result i answers request i.
inline std::vector<Completion> complete_all(Model& model, int n, const std::function<Request(int)>& make) {
  std::vector<Completion> out(static_cast<size_t>(n));
  std::vector<int> calls(static_cast<size_t>(n), 0);
  for (int i = 0; i < n; ++i)
    model.submit(make(i), [&out, &calls, i](Completion c) {
      out[static_cast<size_t>(i)] = std::move(c);
      ++calls[static_cast<size_t>(i)];
    });
  model.drain();
  for (int c : calls)
    if (c != 1) throw std::runtime_error("a callback ran " + std::to_string(c) + " times");
  return out;
}

// Records every HttpResult it is handed, with the time done() ran.
struct ResultLog {
  std::mutex mu;
  std::vector<std::pair<int, HttpResult>> results;  // (request number, result)
  std::vector<std::chrono::steady_clock::time_point> times;
};

class LoggingHandler final : public HttpResponseHandler {
 public:
  LoggingHandler(std::shared_ptr<ResultLog> log, int number) : log_(std::move(log)), number_(number) {}
  void done(HttpResult result) override {
    std::lock_guard lock(log_->mu);
    log_->results.emplace_back(number_, std::move(result));
    log_->times.push_back(std::chrono::steady_clock::now());
  }

 private:
  std::shared_ptr<ResultLog> log_;
  int number_;
};

// A POST to /chat/completions asking `question`, logged as request `number`.
inline HttpRequest chat_request(const std::shared_ptr<ResultLog>& log, int number, const std::string& question) {
  HttpRequest r;
  r.path = "/chat/completions";
  r.body = R"({"model":"m","messages":[{"role":"user","content":")" + question + R"("}]})";
  r.estimated_tokens = 10;
  r.handler = std::make_unique<LoggingHandler>(log, number);
  return r;
}

// Endpoint options for `urls` with test-sized retry waits.
inline EndpointOptions fast_endpoint(std::vector<std::string> urls, int concurrency = 8) {
  EndpointOptions o;
  o.base_urls = std::move(urls);
  o.headers = {"Content-Type: application/json"};
  o.concurrency = concurrency;
  o.timeout_s = 5;
  o.retry.base_backoff = std::chrono::milliseconds(5);
  o.retry.max_backoff = std::chrono::milliseconds(40);
  return o;
}

inline double ms_between(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace perseval::test
