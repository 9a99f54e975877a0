#include "adapters/http/endpoint_state.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace perseval {
namespace {

// Loopback never goes through a proxy from the environment (a local vLLM or the test
// server behind a corporate http_proxy would otherwise be unreachable); the user's own
// no_proxy list still applies. An explicit CURLOPT_NOPROXY replaces the environment's,
// hence the merge.
std::string no_proxy_list() {
  std::string list = "127.0.0.1,localhost,::1";
  for (const char* name : {"no_proxy", "NO_PROXY"}) {
    if (const char* value = std::getenv(name); value && *value) {
      if (std::string(value) == "*") return "*";
      list += ",";
      list += value;
      break;
    }
  }
  return list;
}

}  // namespace

EndpointState::EndpointState(uint64_t id, EndpointOptions options)
    : id_(id),
      options_(std::move(options)),
      no_proxy_(no_proxy_list()),
      timeout_ms_(std::max(1L, static_cast<long>(options_.timeout_s * 1000.0))),
      requests_(options_.rpm),
      tokens_(options_.tpm) {
  if (options_.base_urls.empty()) throw std::invalid_argument("an HTTP endpoint needs a base URL");
  for (std::string url : options_.base_urls) {
    while (!url.empty() && url.back() == '/') url.pop_back();  // paths start with '/'
    replicas_.push_back(Replica{url, ConcurrencyLimit(options_.concurrency, options_.adaptive)});
  }
  for (const auto& header : options_.headers) headers_ = curl_slist_append(headers_, header.c_str());
  // libcurl would send "Expect: 100-continue" for bodies over 1 KiB and wait a round trip
  // (up to a second with servers that ignore it) before sending the body.
  headers_ = curl_slist_append(headers_, "Expect:");
}

EndpointState::~EndpointState() { curl_slist_free_all(headers_); }

void EndpointState::push_back(std::unique_ptr<Transfer> transfer) { queue_.push_back(std::move(transfer)); }

void EndpointState::push_front(std::unique_ptr<Transfer> transfer) { queue_.push_front(std::move(transfer)); }

int EndpointState::pick_replica(Clock::time_point now) {
  const size_t n = replicas_.size();
  const bool all_resting = std::all_of(replicas_.begin(), replicas_.end(),
                                       [&](const Replica& r) { return r.resting_until > now; });
  int best = -1;
  for (size_t k = 0; k < n; ++k) {
    const size_t i = (rotation_ + k) % n;
    const Replica& r = replicas_[i];
    if (r.in_flight >= r.limit.current()) continue;
    if (r.resting_until > now && !all_resting) continue;
    if (best < 0 || r.in_flight < replicas_[static_cast<size_t>(best)].in_flight) best = static_cast<int>(i);
  }
  if (best >= 0) rotation_ = (static_cast<size_t>(best) + 1) % n;
  return best;
}

std::unique_ptr<Transfer> EndpointState::admit(Clock::time_point now, Clock::time_point& wake) {
  if (queue_.empty()) return nullptr;
  const int replica = pick_replica(now);
  if (replica < 0) return nullptr;  // a finishing attempt wakes the loop
  Transfer& head = *queue_.front();
  const double cost = std::max(1.0, head.request.estimated_tokens);
  const auto ready = std::max(requests_.ready_at(1.0, now), tokens_.ready_at(cost, now));
  if (ready > now) {
    wake = std::min(wake, ready);
    return nullptr;
  }
  requests_.try_take(1.0, now);
  tokens_.try_take(cost, now);
  std::unique_ptr<Transfer> transfer = std::move(queue_.front());
  queue_.pop_front();
  Replica& r = replicas_[static_cast<size_t>(replica)];
  transfer->replica = static_cast<size_t>(replica);
  transfer->dispatch_seq = next_dispatch_seq_++;
  transfer->url = r.base_url + transfer->request.path;
  ++r.in_flight;
  ++in_flight_;
  return transfer;
}

void EndpointState::end_attempt(const Transfer& transfer, AttemptEnd how, Clock::time_point now) {
  Replica& r = replicas_[transfer.replica];
  --r.in_flight;
  --in_flight_;
  if (how.throttled) r.limit.on_throttled(transfer.dispatch_seq, next_dispatch_seq_);
  else if (how.succeeded) r.limit.on_success();
  if (how.unreachable) {
    r.unreachable_streak = std::min(r.unreachable_streak + 1, 30);
    const auto rest = std::min<long long>(30000, 250LL << std::min(r.unreachable_streak - 1, 7));
    r.resting_until = now + std::chrono::milliseconds(rest);
  } else if (how.succeeded) {
    r.unreachable_streak = 0;
    r.resting_until = Clock::time_point{};
  }
}

std::deque<std::unique_ptr<Transfer>> EndpointState::take_queue() {
  std::deque<std::unique_ptr<Transfer>> out;
  out.swap(queue_);
  return out;
}

}  // namespace perseval
