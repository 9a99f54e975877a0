#include "adapters/http/http_attempt.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "adapters/http/error_text.h"

namespace perseval {
namespace {

size_t append_body(char* data, size_t size, size_t count, void* target) {
  auto* sink = static_cast<BodySink*>(target);
  const size_t n = size * count;
  if (sink->max_bytes > 0 && n > sink->max_bytes - std::min(sink->max_bytes, sink->body.size())) {
    sink->over_cap = true;
    return 0;  // anything but n: libcurl aborts with CURLE_WRITE_ERROR
  }
  sink->body.append(data, n);
  return n;
}

// Failure class and retry decision for a transport error (no complete HTTP response).
struct TransportClass {
  const char* kind;
  bool retryable;
  bool unreachable = false;
};

TransportClass classify_transport(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT: return {"timeout", true};
    case CURLE_COULDNT_CONNECT: return {"connection refused", true, true};
    case CURLE_GOT_NOTHING: return {"connection dropped", true};
    case CURLE_PARTIAL_FILE: return {"truncated body", true};
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR: return {"connection error", true};
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return {"dns", true, true};
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_SSL_CONNECT_ERROR: return {"protocol error", true};
    default: return {"transport", false};
  }
}

std::optional<std::chrono::milliseconds> read_retry_after(CURL* easy) {
  curl_header* header = nullptr;
  // OpenAI also sends the finer-grained retry-after-ms; prefer it when present.
  if (curl_easy_header(easy, "retry-after-ms", 0, CURLH_HEADER, -1, &header) == CURLHE_OK && header) {
    // Parsed as delta-seconds, so the result is 1000 times the milliseconds meant.
    if (auto scaled = parse_retry_after(header->value, std::chrono::system_clock::now()))
      return std::chrono::milliseconds(scaled->count() / 1000);
  }
  if (curl_easy_header(easy, "retry-after", 0, CURLH_HEADER, -1, &header) == CURLHE_OK && header)
    return parse_retry_after(header->value, std::chrono::system_clock::now());
  return std::nullopt;
}

}  // namespace

CURL* new_easy_handle() {
  CURL* easy = curl_easy_init();
  if (!easy) throw std::runtime_error("libcurl: curl_easy_init failed");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, append_body);
  // HTTP/2 when TLS negotiation offers it, HTTP/1.1 otherwise (plain http://).
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "perseval/" PERSEVAL_VERSION);
  return easy;
}

void prepare_easy(CURL* easy, const AttemptSetup& setup) {
  curl_easy_setopt(easy, CURLOPT_URL, setup.url->c_str());
  if (setup.body->empty()) {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else {
    // POSTFIELDS does not copy: the body lives in the request until the attempt ends.
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(setup.body->size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, setup.body->data());
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, setup.headers);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, setup.timeout_ms);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, std::min(setup.timeout_ms, 10000L));
  curl_easy_setopt(easy, CURLOPT_NOPROXY, setup.no_proxy);
  // Only TLS can turn into HTTP/2; there, wait for the first connection to say whether it
  // multiplexes rather than opening a connection per request.
  curl_easy_setopt(easy, CURLOPT_PIPEWAIT, std::strncmp(setup.url->c_str(), "https:", 6) == 0 ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, setup.response);
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(setup.response->max_bytes));
  setup.error_buffer[0] = '\0';
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, setup.error_buffer);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, setup.owner);
}

AttemptVerdict judge_attempt(CURL* easy, CURLcode result, BodySink& sink,
                             const char* error_buffer, HttpResponseHandler& handler,
                             const std::vector<std::string>& secrets) {
  AttemptVerdict v;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &v.status);
  std::string& response = sink.body;
  if (sink.over_cap || result == CURLE_FILESIZE_EXCEEDED) {
    // Not retried: the same request would most likely bring the same answer, and each
    // try would download up to the cap again.
    v.kind = "response too large";
    v.error = "response larger than " + std::to_string(sink.max_bytes) + " bytes (max_response_bytes)";
    if (v.status > 0) v.error = "HTTP " + std::to_string(v.status) + ", " + v.error;
    return v;
  }
  if (result != CURLE_OK) {
    const TransportClass c = classify_transport(result);
    v.kind = c.kind;
    v.retryable = c.retryable;
    v.unreachable = c.unreachable;
    const std::string detail =
        error_buffer && error_buffer[0] ? error_buffer : curl_easy_strerror(result);
    v.error = std::string(c.kind) + ": " + detail;
    if (v.status > 0) v.error = "HTTP " + std::to_string(v.status) + ", " + v.error;
    v.error = redact(body_excerpt(v.error, 300), secrets);
    return v;
  }
  if (v.status >= 200 && v.status < 300) {
    std::string reason;
    try {
      reason = handler.accept(response);
    } catch (const std::exception& e) {
      reason = e.what();
    }
    if (reason.empty()) {
      v.success = true;
      return v;
    }
    v.kind = "malformed body";
    v.retryable = true;
    v.error = redact("HTTP " + std::to_string(v.status) + ": malformed response (" +
                         body_excerpt(reason, 120) + "): " + body_excerpt(response),
                     secrets);
    return v;
  }
  v.kind = std::to_string(v.status);
  v.retryable = is_retryable_status(v.status);
  if (v.retryable) v.retry_after = read_retry_after(easy);
  v.error = redact("HTTP " + std::to_string(v.status) + ": " + body_excerpt(response), secrets);
  return v;
}

}  // namespace perseval
