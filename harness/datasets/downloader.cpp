#include "harness/datasets/downloader.h"

#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

#include "harness/core/errors.h"

namespace perseval {

namespace {

using Clock = std::chrono::steady_clock;

// State of one attempt, shared with libcurl's callbacks.
struct Transfer {
  CURL* curl = nullptr;
  FILE* file = nullptr;
  int64_t offset = 0;  // bytes the file held when the request went out (0 after a restart)
  bool body_started = false;
  long status = 0;
  std::optional<int64_t> range_start, range_total;  // Content-Range of the latest response
  std::string write_error;
  bool bad_range = false;
  bool interrupted = false;
  const DownloadOptions* options = nullptr;
  Clock::time_point started, last_draw;
};

std::string human_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024 && u < 4) bytes /= 1024, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

// Parses "bytes A-B/T" or "bytes */T" (case-insensitive unit, optional spaces).
void parse_content_range(const std::string& value, Transfer& t) {
  const auto unit = value.find_first_not_of(' ');
  if (unit == std::string::npos) return;
  std::string rest = value.substr(unit);
  if (rest.size() < 6) return;
  std::string lower = rest.substr(0, 6);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower != "bytes ") return;
  rest = rest.substr(6);
  if (const auto slash = rest.find('/'); slash != std::string::npos) {
    const std::string total = rest.substr(slash + 1);
    if (!total.empty() && std::isdigit(static_cast<unsigned char>(total[0]))) t.range_total = std::stoll(total);
    rest = rest.substr(0, slash);
  }
  if (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest[0]))) t.range_start = std::stoll(rest);
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const std::string line(data, size * n);
  // Each response of a redirect chain starts with its status line; forget the previous one.
  if (line.rfind("HTTP/", 0) == 0) {
    t.range_start.reset();
    t.range_total.reset();
    return size * n;
  }
  const auto colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string name = line.substr(0, colon);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  if (name == "content-range") {
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    parse_content_range(value, t);
  }
  return size * n;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  if (!t.body_started) {
    t.body_started = true;
    curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &t.status);
    if (t.status == 206 && (!t.range_start || *t.range_start != t.offset)) {
      t.bad_range = true;  // a range we did not ask for would splice the file wrongly
      return 0;
    }
    if (t.status == 200 && t.offset > 0) {
      // The server ignored the Range header and sends the whole file: start over.
      if (::ftruncate(::fileno(t.file), 0) != 0) {
        t.write_error = std::strerror(errno);
        return 0;
      }
      t.offset = 0;
    }
  }
  if (t.status != 200 && t.status != 206) return size * n;  // an error page: not file content
  if (std::fwrite(data, 1, size * n, t.file) != size * n) {
    t.write_error = std::strerror(errno);
    return 0;
  }
  return size * n;
}

int on_progress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t, curl_off_t) {
  auto& t = *static_cast<Transfer*>(user);
  if (t.options->stop && t.options->stop->load()) {
    t.interrupted = true;
    return 1;  // makes curl_easy_perform return CURLE_ABORTED_BY_CALLBACK
  }
  if (!t.options->progress) return 0;
  const auto now = Clock::now();
  if (now - t.last_draw < std::chrono::milliseconds(250)) return 0;
  t.last_draw = now;
  const double have = static_cast<double>(t.offset + dlnow);
  double total = dltotal > 0 ? static_cast<double>(t.offset + dltotal) : -1;
  if (total < 0 && t.options->expected_size) total = static_cast<double>(*t.options->expected_size);
  const double secs = std::chrono::duration<double>(now - t.started).count();
  const double rate = secs > 0 ? static_cast<double>(dlnow) / secs : 0;
  std::string line = "\r  " + t.options->label + "  " + human_bytes(have);
  if (total > 0) {
    char pct[16];
    std::snprintf(pct, sizeof pct, "  %3.0f%%", 100.0 * have / total);
    line += " / " + human_bytes(total) + pct;
  }
  line += "  " + human_bytes(rate) + "/s\033[K";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  return 0;
}

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool transient_curl_error(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

bool transient_status(long status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

int64_t file_size_or_zero(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

enum class Outcome { kDone, kRetry, kRetryNow };

struct AttemptResult {
  Outcome outcome = Outcome::kDone;
  std::string error;
};

// One HTTP request. kDone: the file is complete. kRetry/kRetryNow: transient failure (with
// or without back-off). Throws for permanent failures.
AttemptResult attempt(const std::string& url, const std::string& part_path, const DownloadOptions& options,
                      DownloadResult& result) {
  Transfer t;
  t.options = &options;
  t.offset = file_size_or_zero(part_path);
  t.file = std::fopen(part_path.c_str(), "ab");
  if (!t.file) throw DownloadError(part_path + ": cannot open for writing: " + std::strerror(errno));
  t.curl = curl_easy_init();
  if (!t.curl) {
    std::fclose(t.file);
    throw DownloadError("libcurl could not create a handle");
  }
  char errbuf[CURL_ERROR_SIZE] = {0};
  const std::string range = std::to_string(t.offset) + "-";
  const std::string agent = std::string("perseval/") + PERSEVAL_VERSION;
  curl_easy_setopt(t.curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(t.curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(t.curl, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(t.curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(t.curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(t.curl, CURLOPT_USERAGENT, agent.c_str());
  curl_easy_setopt(t.curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(t.curl, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_s);
  curl_easy_setopt(t.curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(t.curl, CURLOPT_LOW_SPEED_TIME, options.stall_timeout_s);
  curl_easy_setopt(t.curl, CURLOPT_ERRORBUFFER, errbuf);
  // CURLOPT_RANGE rather than CURLOPT_RESUME_FROM: with RESUME_FROM libcurl fails outright
  // when the server answers 200, while we want to restart from scratch in that case.
  if (t.offset > 0) curl_easy_setopt(t.curl, CURLOPT_RANGE, range.c_str());
  curl_easy_setopt(t.curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(t.curl, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(t.curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(t.curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(t.curl, CURLOPT_NOPROGRESS, 0L);  // the callback also watches the stop flag
  curl_easy_setopt(t.curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(t.curl, CURLOPT_XFERINFODATA, &t);
  t.started = t.last_draw = Clock::now();
  const int64_t offset_at_start = t.offset;

  const CURLcode code = curl_easy_perform(t.curl);
  long status = 0;
  curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &status);
  char* effective = nullptr;
  curl_easy_getinfo(t.curl, CURLINFO_EFFECTIVE_URL, &effective);
  if (effective) result.effective_url = effective;
  curl_easy_cleanup(t.curl);
  const bool closed_ok = std::fclose(t.file) == 0;
  if (options.progress) std::fputs("\r\033[K", stderr);

  if (t.interrupted) throw DownloadInterrupted(url + ": interrupted; the partial file " + part_path + " is kept");
  if (!t.write_error.empty() || !closed_ok)
    throw DownloadError(part_path + ": write failed: " + (t.write_error.empty() ? "close failed" : t.write_error));
  if (t.bad_range) {
    std::filesystem::remove(part_path);
    return {Outcome::kRetryNow, url + ": the server answered with a different byte range than requested"};
  }
  const std::string where = url + (result.effective_url != url && !result.effective_url.empty()
                                       ? " (redirected to " + result.effective_url + ")" : "");
  if (code != CURLE_OK) {
    const std::string message = where + ": " + (errbuf[0] ? errbuf : curl_easy_strerror(code));
    if (transient_curl_error(code)) return {Outcome::kRetry, message};
    throw DownloadError(message);
  }
  if (status == 200 || status == 206) {
    if (status == 200 && !t.body_started && offset_at_start > 0) std::filesystem::resize_file(part_path, 0);
    result.resumed_from = status == 206 ? offset_at_start : 0;
    return {Outcome::kDone, ""};
  }
  if (status == 416) {
    // Asked for bytes past the end: the partial file may already be whole.
    if (t.range_total && *t.range_total == offset_at_start) {
      result.resumed_from = offset_at_start;
      return {Outcome::kDone, ""};
    }
    std::filesystem::remove(part_path);
    return {Outcome::kRetryNow, where + ": HTTP 416 for the partial file; starting over"};
  }
  std::string message = where + ": HTTP " + std::to_string(status);
  if (status == 404 || status == 410) message += " (not found)";
  if (status == 401 || status == 403)
    message += " (the host wants authentication, which perseval does not send; download the file by hand "
               "into its place in the data directory and fetch again to record it)";
  if (transient_status(status)) return {Outcome::kRetry, message};
  throw DownloadError(message);
}

void sleep_unless_stopped(double seconds, const std::atomic<bool>* stop) {
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  while (Clock::now() < until) {
    if (stop && stop->load()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

DownloadResult download_with_retries(const std::string& url, const std::string& part_path,
                                     const DownloadOptions& options) {
  DownloadResult result;
  double delay = options.retry_delay_s;
  bool restarted = false;  // one immediate restart (bad range, 416) is free
  for (int attempt_no = 0;; ++attempt_no) {
    result.attempts = attempt_no + 1;
    const AttemptResult r = attempt(url, part_path, options, result);
    if (r.outcome == Outcome::kDone) {
      result.bytes = file_size_or_zero(part_path);
      return result;
    }
    if (r.outcome == Outcome::kRetryNow && !restarted) {
      restarted = true;
      --attempt_no;
      continue;
    }
    if (attempt_no >= options.retries)
      throw DownloadError(r.error + " (gave up after " + std::to_string(attempt_no + 1) + " attempts; run the "
                          "same command again to resume)");
    std::fprintf(stderr, "perseval: %s; retrying in %.1f s\n", r.error.c_str(), delay);
    sleep_unless_stopped(delay, options.stop);
    if (options.stop && options.stop->load())
      throw DownloadInterrupted(url + ": interrupted; the partial file " + part_path + " is kept");
    delay = std::min(delay * 2, 30.0);
  }
}

}  // namespace

DownloadResult download_file(const std::string& url, const std::string& part_path, const DownloadOptions& options) {
  init_curl_once();
  try {
    return download_with_retries(url, part_path, options);
  } catch (const DownloadError&) {
    // An empty .part (after a 404, say) is no progress worth keeping.
    std::error_code ec;
    if (std::filesystem::exists(part_path, ec) && file_size_or_zero(part_path) == 0)
      std::filesystem::remove(part_path, ec);
    throw;
  }
}

std::string apply_base_url(const std::string& url, const std::string& base_url) {
  if (base_url.empty()) return url;
  // Where the scheme://host[:port] part of an http(s) URL ends; nullopt when there is no
  // such part or the host is empty.
  auto authority_end = [](const std::string& u) -> std::optional<size_t> {
    for (const char* scheme : {"http://", "https://"}) {
      const size_t n = std::strlen(scheme);
      if (u.rfind(scheme, 0) != 0) continue;
      const size_t end = std::min(u.find_first_of("/?#", n), u.size());
      if (end == n) return std::nullopt;
      return end;
    }
    return std::nullopt;
  };
  const auto base_end = authority_end(base_url);
  if (!base_end || base_url.find_first_of("?# ") != std::string::npos)
    throw InputError("--base-url must be an http:// or https:// URL (a path prefix is allowed, no query), got '" +
                     base_url + "'");
  const auto end = authority_end(url);
  if (!end) throw InputError("cannot apply --base-url to '" + url + "': not an http(s) URL");
  std::string base = base_url;
  while (base.size() > *base_end && base.back() == '/') base.pop_back();
  std::string rest = url.substr(*end);
  if (!rest.empty() && rest[0] != '/') rest = "/" + rest;
  return base + rest;
}

}  // namespace perseval
