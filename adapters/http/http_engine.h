// The one HTTP engine: a single I/O thread drives a libcurl multi handle, so hundreds of
// requests are in flight without a thread each and no caller ever waits on the network.
// Endpoints carry their own limits (concurrency per replica, requests/min, tokens/min),
// timeouts and retry policy; waiting requests queue FIFO per endpoint and retries wait on
// a timer, never on a sleeping thread.
//
//   auto engine = HttpEngine::shared();
//   auto endpoint = engine->add_endpoint(options);
//   endpoint->submit(HttpRequest{"/chat/completions", body, tokens, std::move(handler)});
//   endpoint->drain();
#pragma once

#include <memory>

#include "adapters/http/http_request.h"

namespace perseval {

class HttpEndpoint;

// Thread-safe. Create through create() or shared(); it lives as long as any endpoint of
// it does. Destroying it (after the last endpoint) stops the I/O thread; anything still
// pending is cancelled, each callback run with an error.
class HttpEngine : public std::enable_shared_from_this<HttpEngine> {
 public:
  // A new engine with its own I/O thread and connection cache. Throws std::runtime_error
  // if libcurl cannot be initialised.
  static std::shared_ptr<HttpEngine> create();

  // The process-wide engine, created on first use and kept while anyone holds it, so
  // every model (and judge) of a run shares one I/O thread and one connection cache.
  static std::shared_ptr<HttpEngine> shared();

  ~HttpEngine();
  HttpEngine(const HttpEngine&) = delete;
  HttpEngine& operator=(const HttpEngine&) = delete;

  // Registers an endpoint with `options` (at least one base URL). The caller owns the
  // returned handle; it keeps this engine alive.
  std::unique_ptr<HttpEndpoint> add_endpoint(EndpointOptions options);

  struct Core;  // the I/O thread's state (http_engine.cpp)

 private:
  HttpEngine();
  std::unique_ptr<Core> core_;
  friend class HttpEndpoint;
};

// A handle to one endpoint of an engine. Thread-safe, except that drain() and the
// destructor must not run on the engine's I/O thread (that is, not inside a callback).
class HttpEndpoint {
 public:
  // Cancels this endpoint's pending requests (their handlers get done() with a
  // "cancelled" error) and waits until every callback has returned.
  ~HttpEndpoint();
  HttpEndpoint(const HttpEndpoint&) = delete;
  HttpEndpoint& operator=(const HttpEndpoint&) = delete;

  // Queues `request` and returns at once. Its handler's done() runs exactly once, later,
  // on the I/O thread (never inside submit()).
  void submit(HttpRequest request);

  // Blocks until every request submitted so far has had done() return.
  void drain();

  // A snapshot of the counters.
  HttpEndpointStats stats() const;

  // Requests submitted and not yet done.
  long long pending() const;

  struct Shared;  // state shared with the I/O thread (http_engine.cpp)

 private:
  friend class HttpEngine;
  HttpEndpoint(std::shared_ptr<HttpEngine> engine, std::shared_ptr<Shared> shared);
  std::shared_ptr<HttpEngine> engine_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace perseval
