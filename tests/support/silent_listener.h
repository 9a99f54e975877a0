// A server that hangs: a TCP listener on 127.0.0.1 (an ephemeral port) that accepts every
// connection and never reads or writes a byte on it. Requests sent to it sit in socket
// buffers and are never answered; only the client's timeout ends them.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace perseval::test {

// Starts on construction, stops on destruction. Thread-safe counters.
class SilentListener {
 public:
  // Throws std::runtime_error when it cannot listen.
  SilentListener();
  // Closes the listening socket and every connection still held.
  ~SilentListener();
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;

  int port() const { return port_; }
  std::string base_url() const;  // "http://127.0.0.1:PORT/v1"

  // Connections accepted so far.
  long long accepted() const { return accepted_.load(); }
  // Of those, the ones the client has closed (they are closed here too).
  long long closed_by_client() const { return closed_by_client_.load(); }

 private:
  void run();

  int listen_fd_ = -1;
  int stop_fd_ = -1;  // an eventfd: written to stop the thread
  int port_ = -1;
  std::atomic<long long> accepted_{0};
  std::atomic<long long> closed_by_client_{0};
  std::thread thread_;
};

}  // namespace perseval::test
