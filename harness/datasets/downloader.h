// One file over HTTP(S) with libcurl's easy API: resumable, redirect-following, with a
// progress line. Blocking by design: `perseval datasets fetch` is a command of its own, not
// part of the runner, so there is nothing else for the thread to do.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace perseval {

// A transfer that failed (network, HTTP status, disk). The message names the URL and the
// cause; the partial file is kept so the next attempt resumes.
class DownloadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The stop flag became true during a transfer; the partial file is kept.
class DownloadInterrupted : public DownloadError {
 public:
  using DownloadError::DownloadError;
};

struct DownloadOptions {
  int retries = 3;                    // extra attempts after a transient failure
  double retry_delay_s = 1.0;         // first back-off; doubles per attempt, capped at 30 s
  long connect_timeout_s = 30;
  long stall_timeout_s = 60;          // give up when under 1 byte/s for this long
  bool progress = false;              // draw a progress line on stderr
  std::string label;                  // what the progress line calls the file
  std::optional<int64_t> expected_size;  // lets the progress line show a total early
  const std::atomic<bool>* stop = nullptr;  // checked during the transfer and between attempts
};

struct DownloadResult {
  int64_t bytes = 0;         // final size of the file
  int64_t resumed_from = 0;  // bytes already present when the successful attempt started
  int attempts = 0;
  std::string effective_url; // after redirects
};

// Downloads `url` into `part_path`. When `part_path` already holds N bytes it asks for
// `Range: bytes=N-` and appends on 206; on 200 (the server ignored the range) it truncates
// and starts over; on 416 it starts over unless the file is already complete. Retries
// timeouts, dropped connections, 408/429/5xx with exponential back-off, resuming each time.
// Returns when `part_path` holds the whole body; never renames it (the caller checks it
// first). Throws DownloadError (404, refused connection, disk full, retries exhausted) or
// DownloadInterrupted.
DownloadResult download_file(const std::string& url, const std::string& part_path, const DownloadOptions& options);

// Rewrites `url` for a mirror: the scheme and host (with port) of `url` are replaced by
// `base_url`, which may carry a path prefix; the original path and query are kept.
//   apply_base_url("https://host/a/b.json?x=1", "http://127.0.0.1:8080/mirror")
//     == "http://127.0.0.1:8080/mirror/a/b.json?x=1"
// An empty `base_url` returns `url` unchanged. Throws InputError when `base_url` is not an
// http(s) URL.
std::string apply_base_url(const std::string& url, const std::string& base_url);

}  // namespace perseval
