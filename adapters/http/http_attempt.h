// One HTTP attempt on a libcurl easy handle: setting it up, and judging how it ended
// (success, retryable failure, permanent failure) with a safe error text.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "adapters/http/http_request.h"

namespace perseval {

// Collects one attempt's body, up to a cap: the write callback refuses the bytes that
// would take it past `max_bytes` (libcurl then aborts the transfer), so an oversized or
// endless body never occupies more than the cap.
struct BodySink {
  std::string body;
  size_t max_bytes = 0;   // 0: no cap
  bool over_cap = false;  // the server sent more than max_bytes; the body is incomplete
};

// Where one attempt goes and where its answer lands. Pointers must outlive the attempt.
struct AttemptSetup {
  const std::string* url = nullptr;
  const std::string* body = nullptr;  // empty: GET
  curl_slist* headers = nullptr;
  long timeout_ms = 0;
  const char* no_proxy = nullptr;     // hosts that bypass any proxy from the environment
  BodySink* response = nullptr;       // the body is appended here; its cap also becomes
                                      // CURLOPT_MAXFILESIZE (refuses a larger Content-Length)
  char* error_buffer = nullptr;       // CURL_ERROR_SIZE bytes
  void* owner = nullptr;              // CURLOPT_PRIVATE
};

// Configures a (possibly reused) easy handle for one attempt. Options that never change
// are set once by new_easy_handle().
void prepare_easy(CURL* easy, const AttemptSetup& setup);

// A fresh easy handle with the options every attempt shares. Throws std::runtime_error
// if libcurl cannot allocate one. The caller owns it (curl_easy_cleanup).
CURL* new_easy_handle();

// How an attempt ended.
struct AttemptVerdict {
  bool success = false;
  bool retryable = false;
  bool unreachable = false;                              // no connection could be made at all
  long status = 0;                                       // 0: no HTTP response
  std::string kind;                                      // failure class for counters; "" on success
  std::string error;                                     // one line, no headers, secrets redacted
  std::optional<std::chrono::milliseconds> retry_after;  // from the response, when given
};

// Judges a finished attempt from libcurl's `result`, the response and (for a 2xx) the
// handler's opinion of the body. A body over the sink's cap is a permanent failure
// ("response larger than N bytes"). Never throws.
AttemptVerdict judge_attempt(CURL* easy, CURLcode result, BodySink& response,
                             const char* error_buffer, HttpResponseHandler& handler,
                             const std::vector<std::string>& secrets);

}  // namespace perseval
