#include "adapters/http/http_engine.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_set>

#include "adapters/http/curl_multi.h"
#include "adapters/http/endpoint_state.h"
#include "adapters/http/http_attempt.h"

namespace perseval {

using Clock = std::chrono::steady_clock;

// What the I/O thread and the endpoint's handle both see.
struct HttpEndpoint::Shared {
  explicit Shared(uint64_t id_, size_t replicas) : id(id_), stats(replicas) {}
  const uint64_t id;
  HttpStatsRecorder stats;
  std::mutex mu;
  std::condition_variable idle;
  long long pending = 0;  // submitted and done() not yet returned
};

namespace {

// Work handed to the I/O thread. Exactly one of the pointers is set, or `stop`.
struct Command {
  uint64_t endpoint = 0;
  std::unique_ptr<EndpointState> add;
  std::shared_ptr<HttpEndpoint::Shared> shared;
  std::unique_ptr<Transfer> submit;
  std::promise<void>* removed = nullptr;
  bool stop = false;
};

Command stop_command() {
  Command c;
  c.stop = true;
  return c;
}

struct Timer {
  Clock::time_point due;
  uint64_t order;
  std::unique_ptr<Transfer> transfer;
};
bool later(const Timer& a, const Timer& b) { return a.due != b.due ? a.due > b.due : a.order > b.order; }

constexpr auto kIdleWait = std::chrono::milliseconds(1000);

}  // namespace

struct HttpEngine::Core {
  CurlMulti multi;
  std::thread io;
  std::mutex intake_mu;
  std::vector<Command> intake;
  std::atomic<bool> wake_pending{false};
  std::atomic<uint64_t> next_endpoint{1};

  // Everything below belongs to the I/O thread.
  struct Entry {
    std::unique_ptr<EndpointState> state;
    std::shared_ptr<HttpEndpoint::Shared> shared;
  };
  std::map<uint64_t, Entry> endpoints;
  std::vector<Timer> timers;  // a min-heap by `later`
  uint64_t timer_order = 0;
  std::unordered_set<Transfer*> running;  // owned while an attempt runs
  std::vector<CURL*> idle_easy;
  long cached_connections = 0;
  std::mt19937_64 rng{std::random_device{}()};  // jitter only: timing, never results

  Core() { io = std::thread([this] { run(); }); }

  ~Core() {
    // Only reached once every HttpEndpoint is gone (each holds the engine), and those may
    // not be destroyed on the I/O thread, so this never joins itself.
    post(stop_command());
    io.join();
    for (CURL* easy : idle_easy) curl_easy_cleanup(easy);
  }

  void post(Command command) {
    {
      std::lock_guard lock(intake_mu);
      intake.push_back(std::move(command));
    }
    // One wakeup per batch: the I/O thread clears the flag before it takes the intake.
    if (!wake_pending.exchange(true)) multi.wakeup();
  }

  void run() {
    std::vector<Command> batch;
    while (true) {
      wake_pending.store(false);
      {
        std::lock_guard lock(intake_mu);
        batch.swap(intake);
      }
      bool stop = false;
      for (auto& command : batch) stop |= apply(command);
      batch.clear();
      if (stop) {
        for (auto& [id, entry] : endpoints) cancel_endpoint(id);
        endpoints.clear();
        return;
      }
      const auto now = Clock::now();
      fire_timers(now);
      Clock::time_point wake = now + kIdleWait;
      if (!timers.empty()) wake = std::min(wake, timers.front().due);
      dispatch(now, wake);
      multi.perform();
      if (collect_finished() > 0) continue;  // slots came free: refill before sleeping
      const auto wait = std::chrono::ceil<std::chrono::milliseconds>(wake - Clock::now());
      multi.wait(std::clamp(wait, std::chrono::milliseconds(0), kIdleWait));
    }
  }

  // Returns true for the stop command.
  bool apply(Command& command) {
    if (command.stop) return true;
    if (command.add) {
      const auto& o = command.add->options();
      cached_connections += static_cast<long>(o.concurrency) * static_cast<long>(o.base_urls.size());
      multi.set_connection_cache(cached_connections + 16);
      endpoints[command.endpoint] = Entry{std::move(command.add), std::move(command.shared)};
    } else if (command.submit) {
      auto it = endpoints.find(command.endpoint);
      if (it != endpoints.end()) it->second.state->push_back(std::move(command.submit));
    } else if (command.removed) {
      auto it = endpoints.find(command.endpoint);
      if (it != endpoints.end()) {
        const auto& o = it->second.state->options();
        cached_connections -= static_cast<long>(o.concurrency) * static_cast<long>(o.base_urls.size());
        cancel_endpoint(command.endpoint);
        endpoints.erase(it);
      }
      command.removed->set_value();
    }
    return false;
  }

  void fire_timers(Clock::time_point now) {
    std::vector<std::unique_ptr<Transfer>> due;
    while (!timers.empty() && timers.front().due <= now) {
      std::pop_heap(timers.begin(), timers.end(), later);
      due.push_back(std::move(timers.back().transfer));
      timers.pop_back();
    }
    // Back to the queue's front, keeping their order among themselves.
    for (auto it = due.rbegin(); it != due.rend(); ++it) {
      auto found = endpoints.find((*it)->endpoint_id);
      if (found == endpoints.end()) continue;
      --found->second.state->retry_waiting;
      found->second.state->push_front(std::move(*it));
    }
  }

  void dispatch(Clock::time_point now, Clock::time_point& wake) {
    for (auto& [id, entry] : endpoints) {
      EndpointState& endpoint = *entry.state;
      while (auto transfer = endpoint.admit(now, wake)) start(endpoint, std::move(transfer), now);
      entry.shared->stats.set_load(endpoint.in_flight(), endpoint.queued() + endpoint.retry_waiting);
    }
  }

  void start(EndpointState& endpoint, std::unique_ptr<Transfer> transfer, Clock::time_point now) {
    CURL* easy = nullptr;
    if (idle_easy.empty()) {
      try {
        easy = new_easy_handle();
      } catch (const std::exception& e) {
        endpoint.end_attempt(*transfer, EndpointState::AttemptEnd{}, now);
        HttpResult r;
        r.attempts = transfer->attempts;
        r.error = e.what();
        complete(*endpoints.at(endpoint.id()).shared, std::move(transfer), std::move(r), false);
        return;
      }
    } else {
      easy = idle_easy.back();
      idle_easy.pop_back();
    }
    Transfer* t = transfer.release();
    t->easy = easy;
    ++t->attempts;
    t->response = BodySink{{}, endpoint.options().max_response_bytes, false};
    t->started = now;
    prepare_easy(easy, AttemptSetup{&t->url, &t->request.body, endpoint.headers(), endpoint.timeout_ms(),
                                    endpoint.no_proxy(), &t->response, t->error_buffer, t});
    running.insert(t);
    multi.add(easy);
  }

  // Takes the transfer's easy handle back from libcurl.
  std::unique_ptr<Transfer> detach(CURL* easy) {
    Transfer* raw = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &raw);
    running.erase(raw);
    multi.remove(easy);
    idle_easy.push_back(easy);
    raw->easy = nullptr;
    return std::unique_ptr<Transfer>(raw);
  }

  int collect_finished() {
    int finished = 0;
    CURL* easy = nullptr;
    CURLcode result = CURLE_OK;
    while (multi.next_finished(&easy, &result)) {
      ++finished;
      finish_attempt(easy, result);
    }
    return finished;
  }

  void finish_attempt(CURL* easy, CURLcode result) {
    const auto now = Clock::now();
    Transfer* raw = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &raw);
    Entry& entry = endpoints.at(raw->endpoint_id);
    EndpointState& endpoint = *entry.state;
    const EndpointOptions& options = endpoint.options();
    AttemptVerdict verdict =
        judge_attempt(easy, result, raw->response, raw->error_buffer, *raw->request.handler, options.secrets);
    std::unique_ptr<Transfer> t = detach(easy);
    endpoint.end_attempt(*t, EndpointState::AttemptEnd{verdict.success, verdict.status == 429, verdict.unreachable}, now);

    HttpAttempt attempt;
    attempt.replica = t->replica;
    attempt.attempt = t->attempts;
    attempt.status = verdict.status;
    attempt.failure = verdict.error;
    attempt.latency_ms = std::chrono::duration<double, std::milli>(now - t->started).count();
    attempt.started = t->started;
    attempt.will_retry = !verdict.success && verdict.retryable && t->attempts <= options.retry.max_retries;
    if (attempt.will_retry) {
      const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
      attempt.retry_delay = retry_delay(options.retry, t->attempts, verdict.retry_after, unit);
    }
    entry.shared->stats.on_attempt(attempt, verdict.kind);
    if (options.on_attempt) {
      try {
        options.on_attempt(attempt);
      } catch (...) {  // an observer must not take the I/O thread down
      }
    }
    t->last_status = verdict.status;
    t->last_latency_ms = attempt.latency_ms;
    if (verdict.success) {
      HttpResult r{verdict.status, std::move(t->response.body), t->attempts, attempt.latency_ms, t->replica, {}};
      complete(*entry.shared, std::move(t), std::move(r), false);
    } else if (attempt.will_retry) {
      t->last_error = std::move(verdict.error);
      t->response.body = std::string();  // release the failed body while waiting
      ++endpoint.retry_waiting;
      timers.push_back(Timer{now + attempt.retry_delay, timer_order++, std::move(t)});
      std::push_heap(timers.begin(), timers.end(), later);
    } else {
      std::string error = std::move(verdict.error);
      if (t->attempts > 1) error += " (gave up after " + std::to_string(t->attempts) + " attempts)";
      HttpResult r{verdict.status, {}, t->attempts, attempt.latency_ms, t->replica, std::move(error)};
      complete(*entry.shared, std::move(t), std::move(r), false);
    }
  }

  void complete(HttpEndpoint::Shared& shared, std::unique_ptr<Transfer> t, HttpResult result, bool cancelled) {
    shared.stats.on_outcome(!result.error, cancelled);
    try {
      t->request.handler->done(std::move(result));
    } catch (...) {  // done() must not throw; if it does, the engine still goes on
    }
    t.reset();  // everything the request held is gone before drain() can return
    std::lock_guard lock(shared.mu);
    if (--shared.pending == 0) shared.idle.notify_all();
  }

  void cancel(HttpEndpoint::Shared& shared, std::unique_ptr<Transfer> t) {
    HttpResult r;
    r.status = t->last_status;
    r.attempts = t->attempts;
    r.latency_ms = t->last_latency_ms;
    r.replica = t->replica;
    r.error = "cancelled: the HTTP endpoint shut down before an answer";
    if (!t->last_error.empty()) *r.error += " (last attempt: " + t->last_error + ")";
    complete(shared, std::move(t), std::move(r), true);
  }

  void cancel_endpoint(uint64_t id) {
    Entry& entry = endpoints.at(id);
    std::vector<Transfer*> mine;
    for (Transfer* t : running)
      if (t->endpoint_id == id) mine.push_back(t);
    for (Transfer* t : mine) {
      auto owned = detach(t->easy);
      entry.state->end_attempt(*owned, EndpointState::AttemptEnd{}, Clock::now());
      cancel(*entry.shared, std::move(owned));
    }
    for (auto& t : entry.state->take_queue()) cancel(*entry.shared, std::move(t));
    std::vector<Timer> keep;
    for (auto& timer : timers) {
      if (timer.transfer->endpoint_id == id) cancel(*entry.shared, std::move(timer.transfer));
      else keep.push_back(std::move(timer));
    }
    timers = std::move(keep);
    std::make_heap(timers.begin(), timers.end(), later);
    entry.state->retry_waiting = 0;
  }
};

HttpEngine::HttpEngine() : core_(std::make_unique<Core>()) {}

HttpEngine::~HttpEngine() = default;

std::shared_ptr<HttpEngine> HttpEngine::create() { return std::shared_ptr<HttpEngine>(new HttpEngine()); }

std::shared_ptr<HttpEngine> HttpEngine::shared() {
  static std::mutex mu;
  static std::weak_ptr<HttpEngine> current;
  std::lock_guard lock(mu);
  auto engine = current.lock();
  if (!engine) {
    engine = create();
    current = engine;
  }
  return engine;
}

std::unique_ptr<HttpEndpoint> HttpEngine::add_endpoint(EndpointOptions options) {
  const uint64_t id = core_->next_endpoint++;
  const size_t replicas = options.base_urls.size();
  auto state = std::make_unique<EndpointState>(id, std::move(options));
  auto shared = std::make_shared<HttpEndpoint::Shared>(id, replicas);
  Command add;
  add.endpoint = id;
  add.add = std::move(state);
  add.shared = shared;
  core_->post(std::move(add));
  return std::unique_ptr<HttpEndpoint>(new HttpEndpoint(shared_from_this(), std::move(shared)));
}

HttpEndpoint::HttpEndpoint(std::shared_ptr<HttpEngine> engine, std::shared_ptr<Shared> shared)
    : engine_(std::move(engine)), shared_(std::move(shared)) {}

HttpEndpoint::~HttpEndpoint() {
  std::promise<void> removed;
  auto done = removed.get_future();
  Command remove;
  remove.endpoint = shared_->id;
  remove.removed = &removed;
  engine_->core_->post(std::move(remove));
  done.wait();
}

void HttpEndpoint::submit(HttpRequest request) {
  auto transfer = std::make_unique<Transfer>();
  transfer->request = std::move(request);
  transfer->endpoint_id = shared_->id;
  {
    std::lock_guard lock(shared_->mu);
    ++shared_->pending;
  }
  shared_->stats.on_submitted();
  Command submit;
  submit.endpoint = shared_->id;
  submit.submit = std::move(transfer);
  engine_->core_->post(std::move(submit));
}

void HttpEndpoint::drain() {
  std::unique_lock lock(shared_->mu);
  shared_->idle.wait(lock, [&] { return shared_->pending == 0; });
}

HttpEndpointStats HttpEndpoint::stats() const { return shared_->stats.snapshot(); }

long long HttpEndpoint::pending() const {
  std::lock_guard lock(shared_->mu);
  return shared_->pending;
}

}  // namespace perseval
