#include "adapters/http/curl_multi.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <stdexcept>

namespace perseval {

void ensure_curl_global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CurlMulti::CurlMulti() {
  ensure_curl_global_init();
  multi_ = curl_multi_init();
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (!multi_ || epoll_fd_ < 0 || wake_fd_ < 0) {
    if (multi_) curl_multi_cleanup(multi_);
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
    throw std::runtime_error("HTTP engine: cannot set up libcurl multi / epoll / eventfd");
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  // Several requests share one connection when the server speaks HTTP/2; on HTTP/1.1
  // each connection carries one request at a time and is kept alive for the next.
  curl_multi_setopt(multi_, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMulti::on_socket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMulti::on_timer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

CurlMulti::~CurlMulti() {
  curl_multi_cleanup(multi_);  // may still report sockets to remove: epoll must be open
  ::close(epoll_fd_);
  ::close(wake_fd_);
}

int CurlMulti::on_socket(CURL*, curl_socket_t fd, int what, void* self_ptr, void* socket_data) {
  auto* self = static_cast<CurlMulti*>(self_ptr);
  if (what == CURL_POLL_REMOVE) {
    ::epoll_ctl(self->epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);  // may already be gone: fine
    return 0;
  }
  epoll_event ev{};
  ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0u) | (what & CURL_POLL_OUT ? EPOLLOUT : 0u);
  ev.data.fd = fd;
  // socket_data marks sockets already in the epoll set (libcurl keeps it per socket).
  if (socket_data) {
    ::epoll_ctl(self->epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
  } else if (::epoll_ctl(self->epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0) {
    curl_multi_assign(self->multi_, fd, self);
  } else {
    ::epoll_ctl(self->epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
  }
  return 0;
}

int CurlMulti::on_timer(CURLM*, long timeout_ms, void* self_ptr) {
  auto* self = static_cast<CurlMulti*>(self_ptr);
  if (timeout_ms < 0) self->timer_due_.reset();
  else self->timer_due_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  return 0;
}

void CurlMulti::action(curl_socket_t fd, int events) {
  int running = 0;
  curl_multi_socket_action(multi_, fd, events, &running);
}

void CurlMulti::add(CURL* easy) { curl_multi_add_handle(multi_, easy); }

void CurlMulti::remove(CURL* easy) { curl_multi_remove_handle(multi_, easy); }

void CurlMulti::set_connection_cache(long connections) {
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, connections);
}

void CurlMulti::perform() {
  // libcurl may set a new timer from inside the call; clear ours first.
  if (timer_due_ && *timer_due_ <= std::chrono::steady_clock::now()) {
    timer_due_.reset();
    action(CURL_SOCKET_TIMEOUT, 0);
  }
}

void CurlMulti::wait(std::chrono::milliseconds max_wait) {
  auto wait = max_wait;
  if (timer_due_) {
    const auto until_timer = std::chrono::ceil<std::chrono::milliseconds>(*timer_due_ - std::chrono::steady_clock::now());
    wait = std::clamp(until_timer, std::chrono::milliseconds(0), wait);
  }
  epoll_event events[256];
  const int n = ::epoll_wait(epoll_fd_, events, 256, static_cast<int>(wait.count()));
  for (int i = 0; i < n; ++i) {
    const int fd = events[i].data.fd;
    if (fd == wake_fd_) {
      uint64_t count = 0;
      while (::read(wake_fd_, &count, sizeof count) > 0) {
      }
      continue;
    }
    int flags = 0;
    if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLRDHUP)) flags |= CURL_CSELECT_IN;
    if (events[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
    if (events[i].events & EPOLLERR) flags |= CURL_CSELECT_ERR;
    action(fd, flags);
  }
  perform();
}

bool CurlMulti::next_finished(CURL** easy, CURLcode* result) {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    *easy = msg->easy_handle;
    *result = msg->data.result;
    return true;
  }
  return false;
}

void CurlMulti::wakeup() {
  const uint64_t one = 1;
  // A full counter (never in practice) still leaves the eventfd readable: ignore errors.
  [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof one);
}

}  // namespace perseval
