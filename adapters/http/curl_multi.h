// The libcurl multi handle the engine's I/O thread drives: one connection cache shared by
// every transfer (keep-alive, connection reuse), HTTP/2 multiplexing when a server offers
// it, and a wait that another thread can cut short.
//
// It is driven event by event (curl_multi_socket_action with epoll) rather than with
// curl_multi_poll + curl_multi_perform: perform walks every transfer and polls each
// socket on every call, which at 512 requests in flight cost five times the CPU per
// request (measured by bench_http_throughput's BM_HttpEngineOnly). Here only the sockets
// that are ready, and libcurl's own timer, are serviced.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <optional>

namespace perseval {

// Owned and used by the I/O thread only, except wakeup(), which is thread-safe.
class CurlMulti {
 public:
  // Throws std::runtime_error when libcurl, epoll or the wakeup eventfd cannot be set up.
  CurlMulti();
  ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  // Starts / abandons a transfer. The easy handle stays owned by the caller.
  void add(CURL* easy);
  void remove(CURL* easy);

  // How many idle connections to keep open for reuse.
  void set_connection_cache(long connections);

  // Runs libcurl's timer work when it is due (starting added transfers, timeouts).
  void perform();

  // Waits up to `max_wait` (less when libcurl's timer is due sooner) for socket activity
  // or a wakeup(), and services whatever became ready.
  void wait(std::chrono::milliseconds max_wait);

  // Pops one finished transfer; false when none is left.
  bool next_finished(CURL** easy, CURLcode* result);

  // Makes a current or the next wait return at once. Safe from any thread.
  void wakeup();

 private:
  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void* socket_data);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);
  void action(curl_socket_t fd, int events);

  CURLM* multi_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::optional<std::chrono::steady_clock::time_point> timer_due_;
};

// Calls curl_global_init once per process (it is not safe to race with other libcurl use).
void ensure_curl_global_init();

}  // namespace perseval
