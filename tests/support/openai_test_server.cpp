#include "tests/support/openai_test_server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <cctype>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <set>
#include <unordered_map>

#include <httplib.h>

#include "tests/support/growing_thread_pool.h"
#include "tests/support/openai_test_responses.h"
#include "tests/support/openai_test_server_streams.h"

namespace perseval::test {

using nlohmann::json;

namespace {

// httplib listens with a backlog of 5; hundreds of clients connecting at once would
// see dropped SYNs and second-long retransmits. The listening socket is protected.
class WideBacklogServer : public httplib::Server {
 public:
  void widen_backlog(int backlog) { ::listen(svr_sock_, backlog); }
};

int port_of(int fd, bool peer) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  const int rc = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len)
                      : getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  if (rc != 0) return -1;
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  return -1;
}

// Shuts down this process's sockets whose local port is `local_port` (and, when >= 0,
// whose peer port is `peer_port`). httplib hides a connection's socket from handlers;
// the process's descriptor table does not.
void shutdown_sockets(int local_port, int peer_port) {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return;
  const int own = dirfd(dir);
  while (dirent* entry = readdir(dir)) {
    const int fd = std::atoi(entry->d_name);
    if (fd <= 2 || fd == own) continue;
    if (port_of(fd, false) != local_port) continue;
    if (peer_port >= 0 && port_of(fd, true) != peer_port) continue;
    ::shutdown(fd, SHUT_RDWR);
  }
  closedir(dir);
}

uint64_t request_key(const std::string& path, const std::string& body) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : path) h = (h ^ c) * 0x100000001b3ULL;
  h = (h ^ 0xff) * 0x100000001b3ULL;
  for (unsigned char c : body) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string error_body(const std::string& message) {
  return json{{"error", {{"message", message}, {"type", "test"}}}}.dump();
}

}  // namespace

struct OpenAITestServer::State {
  Options options;
  std::unique_ptr<WideBacklogServer> server;  // replaced by restart()
  std::thread thread;
  int port = -1;
  int restarts = 0;  // under mu
  std::shared_ptr<std::atomic<long long>> streamed = std::make_shared<std::atomic<long long>>(0);

  mutable std::mutex mu;
  int latency_ms = 0;
  int jitter_ms = 0;
  FaultPlan plan;
  Responder responder;
  std::map<std::string, long long> requests;
  long long total = 0;
  std::map<std::string, long long> authorization;
  std::vector<Arrival> arrivals;
  std::unordered_map<uint64_t, int> attempts;
  std::set<int> client_ports;
  std::map<std::string, std::string> last_headers;
  std::mt19937_64 rng{12345};
  std::atomic<int> current{0};
  std::atomic<int> peak{0};

  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stopping = false;

  // Sleeps, but wakes at once when the server stops.
  void pause(std::chrono::milliseconds d) {
    if (d.count() <= 0) return;
    std::unique_lock lock(stop_mu);
    stop_cv.wait_for(lock, d, [&] { return stopping; });
  }

  // Counts a request being handled; shared with content providers that outlive the handler.
  struct InFlight {
    explicit InFlight(State& s) : state(s) {
      const int now = ++state.current;
      int seen = state.peak.load();
      while (now > seen && !state.peak.compare_exchange_weak(seen, now)) {
      }
    }
    ~InFlight() { --state.current; }
    State& state;
  };

  bool is_stopping() {
    std::lock_guard lock(stop_mu);
    return stopping;
  }

  StreamControl stream_control(std::shared_ptr<InFlight> guard) {
    return StreamControl{[this] { return is_stopping(); }, [this](std::chrono::milliseconds d) { pause(d); },
                         streamed, std::move(guard)};
  }

  Fault decide(const FaultPlan& p, const httplib::Request& req, uint64_t key, int attempt,
               std::chrono::steady_clock::time_point arrived) const {
    if (p.fault == Fault::none) return Fault::none;
    if (!p.path.empty() && p.path != req.path) return Fault::none;
    if (!p.body_contains.empty() && req.body.find(p.body_contains) == std::string::npos) return Fault::none;
    if (p.until && arrived >= *p.until) return Fault::none;
    if (p.first_attempts > 0 && attempt > p.first_attempts) return Fault::none;
    if (p.probability < 1.0) {
      const double draw = static_cast<double>(mix(key ^ (0x51ed27ULL * static_cast<uint64_t>(attempt))) % 1000000) / 1e6;
      if (draw >= p.probability) return Fault::none;
    }
    return p.fault;
  }

  void handle_post(const httplib::Request& req, httplib::Response& res) {
    auto guard = std::make_shared<InFlight>(*this);
    const uint64_t key = request_key(req.path, req.body);
    FaultPlan p;
    Responder answer;
    int wait_ms = 0;
    int attempt = 0;
    Fault fault = Fault::none;
    {
      std::lock_guard lock(mu);
      const auto arrived = std::chrono::steady_clock::now();
      ++requests[req.path];
      ++total;
      const std::string auth = req.get_header_value("Authorization");
      if (!auth.empty()) ++authorization[auth];
      attempt = ++attempts[key];
      client_ports.insert(req.remote_port);
      fault = decide(plan, req, key, attempt, arrived);
      if (options.record_arrivals) {
        arrivals.push_back(Arrival{arrived, req.path, key, attempt, fault});
        last_headers.clear();
        for (const auto& [name, value] : req.headers) {
          std::string lower = name;
          for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          last_headers[lower] = value;
        }
      }
      p = plan;
      answer = responder;
      wait_ms = latency_ms + (jitter_ms > 0 ? static_cast<int>(rng() % static_cast<uint64_t>(jitter_ms + 1)) : 0);
    }
    pause(std::chrono::milliseconds(wait_ms));
    auto error_body = [&](const std::string& message) {
      return p.echo_authorization ? test::error_body(message + "; Authorization: " + req.get_header_value("Authorization"))
                                  : test::error_body(message);
    };
    switch (fault) {
      case Fault::rate_limited_retry_after:
        res.set_header("Retry-After", p.retry_after);
        if (!p.retry_after_ms.empty()) res.set_header("retry-after-ms", p.retry_after_ms);
        [[fallthrough]];
      case Fault::rate_limited:
        res.status = 429;
        res.set_content(error_body("Rate limit reached (injected)"), "application/json");
        return;
      case Fault::server_error:
        res.status = 500;
        res.set_content(error_body("internal error (injected)"), "application/json");
        return;
      case Fault::unavailable:
        res.status = 503;
        res.set_content(error_body("overloaded (injected)"), "application/json");
        return;
      case Fault::malformed_json:
        res.set_content("{\"choices\": [{\"message\": {\"content\": \"cut", "application/json");
        return;
      case Fault::never_answer:
        pause(std::chrono::hours(24));  // until the server stops
        [[fallthrough]];
      case Fault::dropped_connection:
        // Nothing has been written yet: closing now leaves the client with no response.
        shutdown_sockets(req.local_port, req.remote_port);
        return;
      case Fault::endless_body:
        serve_endless_body(res, stream_control(guard));
        return;
      default:
        break;
    }
    const json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      res.status = 400;
      res.set_content(error_body("request body is not a JSON object"), "application/json");
      return;
    }
    std::string content;
    if (req.path == "/v1/embeddings") {
      content = embeddings_response(body);
      if (content.empty()) {
        res.status = 400;
        res.set_content(error_body("input must be a string or an array of strings"), "application/json");
        return;
      }
    } else {
      content = completion_response(req.path, body, answer ? answer(req.path, body) : default_answer(req.path, body));
    }
    if (fault == Fault::huge_body) {
      serve_huge_body(res, std::move(content), p.huge_body_bytes, stream_control(guard));
      return;
    }
    if (fault == Fault::stall_after_headers) {
      serve_stalled_body(res, std::move(content), stream_control(guard));
      return;
    }
    if (fault == Fault::truncated_body) {
      auto full = std::make_shared<std::string>(std::move(content));
      res.set_content_provider(full->size(), "application/json",
                               [full, guard](size_t, size_t, httplib::DataSink& sink) {
                                 sink.write(full->data(), full->size() / 2);
                                 return false;  // httplib closes the connection: body cut short
                               });
      return;
    }
    if (fault == Fault::slow_body) {
      auto full = std::make_shared<std::string>(std::move(content));
      const size_t chunk = std::max<size_t>(1, full->size() / 10);
      const auto gap = std::chrono::milliseconds(std::max(1, p.slow_body_ms / 10));
      res.set_content_provider(full->size(), "application/json",
                               [this, full, guard, chunk, gap](size_t offset, size_t length, httplib::DataSink& sink) {
                                 pause(gap);
                                 sink.write(full->data() + offset, std::min(chunk, length));
                                 return true;
                               });
      return;
    }
    res.set_content(content, "application/json");
  }

  // Starts a server on `at` (0: any free port) and waits until it accepts connections.
  void listen(int at) {
    server = std::make_unique<WideBacklogServer>();
    WideBacklogServer& svr = *server;
    const size_t threads = options.max_threads;
    svr.new_task_queue = [threads] { return new GrowingThreadPool(threads); };
    // Headers and body go out in separate writes; without TCP_NODELAY the body waits for
    // the client's delayed ACK (40 ms per request).
    svr.set_tcp_nodelay(true);
    // restart() binds the same port again while the dropped connections sit in TIME_WAIT.
    svr.set_socket_options([](int fd) {
      const int yes = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof yes);
    });
    svr.set_keep_alive_max_count(100000000);
    svr.set_keep_alive_timeout(60);
    svr.set_read_timeout(60);
    svr.set_write_timeout(60);
    svr.set_payload_max_length(64u << 20);
    for (const char* path : {"/v1/chat/completions", "/v1/completions", "/v1/embeddings"})
      svr.Post(path, [this](const httplib::Request& req, httplib::Response& res) { handle_post(req, res); });
    svr.Get("/v1/models", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(mu);
        ++requests[req.path];
        ++total;
      }
      res.set_content(models_response(), "application/json");
    });
    svr.Get("/_stats", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(stats().dump(), "application/json");
    });
    if (at == 0) {
      port = svr.bind_to_any_port("127.0.0.1");
      if (port <= 0) throw std::runtime_error("test server: cannot bind 127.0.0.1");
    } else {
      // The port was just given up; another socket may hold it for a moment.
      bool bound = false;
      for (int tries = 0; tries < 100 && !(bound = svr.bind_to_port("127.0.0.1", at)); ++tries)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (!bound) throw std::runtime_error("test server: cannot bind 127.0.0.1:" + std::to_string(at) + " again");
    }
    svr.widen_backlog(2048);
    thread = std::thread([&svr] { svr.listen_after_bind(); });
    // stop() is ignored until the accept loop runs; wait for it so stopping works.
    while (!svr.is_running()) std::this_thread::sleep_for(std::chrono::microseconds(100));
  }

  // Closes the listening socket, then every connection (nothing more reaches a client),
  // then wakes the handlers still waiting and joins them.
  void stop_listening() {
    server->stop();
    // Keep-alive connections would hold their worker threads (and the join) for
    // keep_alive_timeout; close them now.
    shutdown_sockets(port, -1);
    {
      std::lock_guard lock(stop_mu);
      stopping = true;
    }
    stop_cv.notify_all();
    thread.join();
    server.reset();
  }

  json stats() const {
    std::lock_guard lock(mu);
    return json{{"requests", requests},
                {"total", total},
                {"connections", client_ports.size()},
                {"current_concurrency", current.load()},
                {"peak_concurrency", peak.load()}};
  }
};

OpenAITestServer::OpenAITestServer() : OpenAITestServer(Options{}) {}

OpenAITestServer::OpenAITestServer(Options options) : state_(std::make_shared<State>()) {
  state_->options = options;
  state_->listen(0);
}

OpenAITestServer::~OpenAITestServer() { state_->stop_listening(); }

void OpenAITestServer::restart(std::chrono::milliseconds downtime) {
  State& s = *state_;
  const auto down_since = std::chrono::steady_clock::now();
  s.stop_listening();
  std::this_thread::sleep_until(down_since + downtime);
  {
    std::lock_guard lock(s.stop_mu);
    s.stopping = false;
  }
  s.listen(s.port);
  std::lock_guard lock(s.mu);
  ++s.restarts;
}

int OpenAITestServer::restarts() const {
  std::lock_guard lock(state_->mu);
  return state_->restarts;
}

long long OpenAITestServer::streamed_bytes() const { return state_->streamed->load(); }

int OpenAITestServer::port() const { return state_->port; }

std::string OpenAITestServer::base_url() const { return "http://127.0.0.1:" + std::to_string(state_->port) + "/v1"; }

void OpenAITestServer::set_latency(int latency_ms, int jitter_ms) {
  std::lock_guard lock(state_->mu);
  state_->latency_ms = latency_ms;
  state_->jitter_ms = jitter_ms;
}

void OpenAITestServer::set_fault(FaultPlan plan) {
  std::lock_guard lock(state_->mu);
  state_->plan = std::move(plan);
}

void OpenAITestServer::set_responder(Responder responder) {
  std::lock_guard lock(state_->mu);
  state_->responder = std::move(responder);
}

long long OpenAITestServer::requests(const std::string& path) const {
  std::lock_guard lock(state_->mu);
  auto it = state_->requests.find(path);
  return it == state_->requests.end() ? 0 : it->second;
}

long long OpenAITestServer::total_requests() const {
  std::lock_guard lock(state_->mu);
  return state_->total;
}

int OpenAITestServer::current_concurrency() const { return state_->current.load(); }

int OpenAITestServer::peak_concurrency() const { return state_->peak.load(); }

std::map<std::string, long long> OpenAITestServer::authorization_headers() const {
  std::lock_guard lock(state_->mu);
  return state_->authorization;
}

long long OpenAITestServer::connections() const {
  std::lock_guard lock(state_->mu);
  return static_cast<long long>(state_->client_ports.size());
}

std::map<std::string, std::string> OpenAITestServer::last_request_headers() const {
  std::lock_guard lock(state_->mu);
  return state_->last_headers;
}

std::vector<Arrival> OpenAITestServer::arrivals() const {
  std::lock_guard lock(state_->mu);
  return state_->arrivals;
}

void OpenAITestServer::reset_counters() {
  std::lock_guard lock(state_->mu);
  state_->requests.clear();
  state_->total = 0;
  state_->authorization.clear();
  state_->arrivals.clear();
  state_->attempts.clear();
  state_->client_ports.clear();
  state_->last_headers.clear();
  state_->peak = state_->current.load();
}

json OpenAITestServer::stats_json() const { return state_->stats(); }

}  // namespace perseval::test
