// One request's life inside the engine (internal to adapters/http): the caller's request,
// its attempts so far and the buffers of the current attempt.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "adapters/http/http_attempt.h"
#include "adapters/http/http_request.h"

namespace perseval {

struct Transfer {
  HttpRequest request;
  uint64_t endpoint_id = 0;
  int attempts = 0;             // attempts started so far
  size_t replica = 0;           // of the current / last attempt
  uint64_t dispatch_seq = 0;    // the endpoint's dispatch counter when the attempt started
  CURL* easy = nullptr;         // while an attempt runs
  std::string url;
  BodySink response;            // the current attempt's body, capped
  std::chrono::steady_clock::time_point started;
  long last_status = 0;
  double last_latency_ms = 0.0;
  std::string last_error;
  char error_buffer[CURL_ERROR_SIZE] = {};
};

}  // namespace perseval
