// The bodies of the local test server's streaming faults, as cpp-httplib content
// providers: a huge body (spaces, then the real answer), an endless chunked body, and a
// body that never comes after its headers. Each stops as soon as a write fails (the
// client went away) or the server stops.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <httplib.h>

namespace perseval::test {

// What a provider shares with its server.
struct StreamControl {
  std::function<bool()> stopping;                         // true once the server stops
  std::function<void(std::chrono::milliseconds)> pause;   // sleeps; wakes when the server stops
  std::shared_ptr<std::atomic<long long>> streamed;       // body bytes written, added up
  std::shared_ptr<void> keep;                             // held until the provider is gone
};

// 200 with Content-Length padding + answer.size(): `padding` spaces, then `answer` (so a
// client that reads it all gets valid JSON), in 64 KiB writes.
void serve_huge_body(httplib::Response& res, std::string answer, size_t padding, StreamControl control);

// 200, chunked, 64 KiB of spaces per chunk, forever.
void serve_endless_body(httplib::Response& res, StreamControl control);

// 200 with Content-Length answer.size(); the headers go out, the body never does.
void serve_stalled_body(httplib::Response& res, std::string answer, StreamControl control);

}  // namespace perseval::test
