// End-to-end throughput over HTTP: N LaMP-2-shaped samples through the real runner
// (stream-load, BM25 retrieval, prompt, openai adapter → local test server, score,
// SQLite) at server latency L and adapter concurrency C.
//
// The test server runs as a separate process (perseval_test_server), so the CPU reported
// for the harness is this process's alone; the server's CPU is reported beside it.
// Counters: samples_per_s, cpu_s_per_1k (harness CPU seconds per 1,000 samples, which is
// also its CPU-ms per sample), server_cpu_ms_per_sample,
// peak_rss_mib (this process's high-water mark during the run), efficiency =
// samples_per_s / (C / L) for L > 0, and the server's peak concurrent requests.
// samples_per_s and efficiency cover the whole run_evaluation call; stream_samples_per_s and
// stream_efficiency only the time from the first request sent to the last answer received.
//
//   build-http/perseval_bench --benchmark_filter=HttpThroughput
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <httplib.h>

#include "adapters/http/http_engine.h"
#include "adapters/registry.h"
#include "harness/runner/runner.h"
#include "tasks/registry.h"

extern char** environ;

using namespace perseval;

namespace {

const char* const kTags[] = {"sci-fi", "based on a book", "comedy", "action", "twist ending",
                             "dystopia", "dark comedy", "classic", "psychology", "fantasy",
                             "romance", "thought-provoking", "social commentary", "violence", "true story"};

// Writes a LaMP-2 (movie tagging) split of `n` questions with 24-item profiles.
std::string write_split(const std::filesystem::path& dir, int n) {
  std::filesystem::create_directories(dir);
  std::ofstream q(dir / "q.json"), o(dir / "o.json");
  q << "[";
  o << "{\"task\":\"LaMP_2\",\"golds\":[";
  std::string tag_list;
  for (const char* t : kTags) tag_list += std::string(tag_list.empty() ? "" : ", ") + t;
  for (int i = 0; i < n; ++i) {
    json profile = json::array();
    for (int j = 0; j < 24; ++j)
      profile.push_back({{"id", "p" + std::to_string(i) + "-" + std::to_string(j)},
                         {"description", "A story about topic " + std::to_string((i * 7 + j) % 97) +
                                             " where a family travels to the city number " + std::to_string(j)},
                         {"tag", kTags[(i + j) % 15]},
                         {"date", "2014-03-" + std::to_string(1 + j % 28)}});
    const std::string id = "synthetic-" + std::to_string(i);
    json question{{"id", id},
                  {"input", "Which tag does this movie relate to among the following tags? Just answer with the "
                            "tag name without further explanation. tags: [" + tag_list +
                                "] description: A story about topic " + std::to_string(i % 97) + " and a long trip"},
                  {"profile", profile}};
    q << (i ? "," : "") << question.dump();
    o << (i ? "," : "") << json{{"id", id}, {"output", kTags[i % 15]}}.dump();
  }
  q << "]";
  o << "]}";
  return "lamp-2:questions=" + (dir / "q.json").string() + ",outputs=" + (dir / "o.json").string();
}

// perseval_test_server in a child process; the port is read from its first output line.
class ServerProcess {
 public:
  explicit ServerProcess(int latency_ms) {
    int out[2], in[2];
    if (::pipe(out) != 0 || ::pipe(in) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, in[1]);
    std::string latency = std::to_string(latency_ms);
    std::vector<std::string> args{PERSEVAL_TEST_SERVER, "--latency-ms", latency, "--answer", "comedy"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, argv.data(), environ) != 0)
      throw std::runtime_error("cannot start " + args[0]);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(in[0]);
    stdin_ = in[1];
    std::string line;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    port_ = std::atoi(line.c_str());
    if (port_ <= 0) throw std::runtime_error("test server did not report a port");
  }
  ~ServerProcess() {
    ::close(stdin_);  // the server exits when its stdin closes
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  int port() const { return port_; }

  // User + system CPU seconds of the server so far.
  double cpu_seconds() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string skip;
    for (int i = 0; i < 11; ++i) fields >> skip;  // fields 3..13
    double utime = 0, stime = 0;
    fields >> utime >> stime;
    return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }

  json stats() const {
    httplib::Client client("127.0.0.1", port_);
    auto res = client.Get("/_stats");
    return res && res->status == 200 ? json::parse(res->body) : json::object();
  }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int port_ = -1;
};

double process_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Resets the kernel's peak-RSS mark so each case measures its own peak (Linux >= 4.0).
void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

double peak_rss_mib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

// Forwards to a model and notes when the first request went out and the last answer came
// back, so the streaming phase can be told apart from the runner's fixed costs around it
// (dataset fingerprint before, bootstrap intervals after).
class TimedModel final : public Model {
 public:
  explicit TimedModel(std::unique_ptr<Model> inner) : inner_(std::move(inner)) {}
  ModelInfo info() const override { return inner_->info(); }
  void submit(Request request, CompletionCallback done) override {
    std::call_once(first_, [this] { first_submit_ = std::chrono::steady_clock::now(); });
    inner_->submit(std::move(request), [this, done = std::move(done)](Completion c) {
      done(std::move(c));
      const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
      auto seen = last_done_.load();
      while (now > seen && !last_done_.compare_exchange_weak(seen, now)) {
      }
    });
  }
  void drain() override { inner_->drain(); }
  std::chrono::steady_clock::time_point first_submit() const { return first_submit_; }
  std::chrono::steady_clock::time_point last_done() const {
    return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(last_done_.load()));
  }
  double streaming_seconds() const {
    const auto last = std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(last_done_.load()));
    return std::chrono::duration<double>(last - first_submit_).count();
  }

 private:
  std::unique_ptr<Model> inner_;
  std::once_flag first_;
  std::chrono::steady_clock::time_point first_submit_;
  std::atomic<std::chrono::steady_clock::rep> last_done_{0};
};

// Args: samples N, latency L (ms), concurrency C.
void BM_HttpThroughput(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const int latency_ms = static_cast<int>(state.range(1));
  const int concurrency = static_cast<int>(state.range(2));
  const auto dir = std::filesystem::temp_directory_path() / ("perseval-bench-http-" + std::to_string(::getpid()));
  const std::string task_spec = write_split(dir, n);
  auto task = make_task(Spec::parse(task_spec));
  ServerProcess server(latency_ms);
  const std::string model_spec = "openai:model=bench,base_url=http://127.0.0.1:" + std::to_string(server.port()) +
                                 "/v1,concurrency=" + std::to_string(concurrency);
  double wall = 0, streaming = 0, before = 0, after = 0, cpu = 0, server_cpu = 0, rss = 0;
  uint64_t seed = 0;
  for (auto _ : state) {
    state.PauseTiming();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(dir / (std::string("bench.db") + suffix));
    TimedModel model(make_model(Spec::parse(model_spec)));
    auto store = Store::open((dir / "bench.db").string());
    RunOptions options;
    options.seed = ++seed;
    options.progress = false;
    reset_peak_rss();
    const double cpu0 = process_cpu_seconds(), server0 = server.cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    state.ResumeTiming();
    auto summary = run_evaluation(*task, model, *store, options);
    state.PauseTiming();
    wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    streaming += model.streaming_seconds();
    const auto t1 = std::chrono::steady_clock::now();
    before += std::chrono::duration<double>(model.first_submit() - t0).count();
    after += std::chrono::duration<double>(t1 - model.last_done()).count();
    cpu += process_cpu_seconds() - cpu0;
    server_cpu += server.cpu_seconds() - server0;
    rss = std::max(rss, peak_rss_mib());
    if (summary.errors != 0 || summary.new_samples != n) state.SkipWithError("samples failed or went missing");
    state.ResumeTiming();
  }
  const double total = static_cast<double>(n) * static_cast<double>(state.iterations());
  state.counters["samples_per_s"] = total / wall;
  state.counters["cpu_s_per_1k"] = 1000.0 * cpu / total;
  state.counters["server_cpu_ms_per_sample"] = 1000.0 * server_cpu / total;
  state.counters["peak_rss_mib"] = rss;
  state.counters["server_peak_concurrency"] = server.stats().value("peak_concurrency", 0);
  state.counters["stream_samples_per_s"] = total / streaming;
  state.counters["runner_before_s"] = before;  // run_evaluation start → first request
  state.counters["runner_after_s"] = after;    // last answer → run_evaluation returns
  if (latency_ms > 0) {
    const double ideal = concurrency / (latency_ms / 1000.0);
    state.counters["efficiency"] = (total / wall) / ideal;
    state.counters["stream_efficiency"] = (total / streaming) / ideal;
  }
  state.SetItemsProcessed(static_cast<int64_t>(total));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_HttpThroughput)
    ->ArgNames({"N", "L_ms", "C"})
    ->Args({20000, 0, 64})
    ->Args({3200, 200, 64})
    ->Args({25600, 200, 512})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The engine alone (no runner, no task, no SQLite): N chat requests with a fixed small
// body at latency L and concurrency C, to separate the HTTP cost from the rest.
class CountingHandler final : public HttpResponseHandler {
 public:
  explicit CountingHandler(std::atomic<long long>& failed) : failed_(failed) {}
  void done(HttpResult result) override {
    if (result.error) ++failed_;
  }

 private:
  std::atomic<long long>& failed_;
};

void BM_HttpEngineOnly(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const int latency_ms = static_cast<int>(state.range(1));
  const int concurrency = static_cast<int>(state.range(2));
  ServerProcess server(latency_ms);
  const std::string body =
      R"({"model":"bench","max_tokens":16,"messages":[{"role":"user","content":"Which tag does this movie relate to?"}]})";
  double wall = 0, cpu = 0;
  std::atomic<long long> failed{0};
  for (auto _ : state) {
    auto engine = HttpEngine::create();
    EndpointOptions options;
    options.base_urls = {"http://127.0.0.1:" + std::to_string(server.port()) + "/v1"};
    options.headers = {"Content-Type: application/json"};
    options.concurrency = concurrency;
    auto endpoint = engine->add_endpoint(options);
    const double cpu0 = process_cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
      // Keep about 2C queued, as the runner does, so the queue never grows to N.
      while (endpoint->pending() >= 2 * concurrency) std::this_thread::sleep_for(std::chrono::microseconds(200));
      HttpRequest request;
      request.path = "/chat/completions";
      request.body = body;
      request.handler = std::make_unique<CountingHandler>(failed);
      endpoint->submit(std::move(request));
    }
    endpoint->drain();
    wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    cpu += process_cpu_seconds() - cpu0;
  }
  if (failed) state.SkipWithError("requests failed");
  const double total = static_cast<double>(n) * static_cast<double>(state.iterations());
  state.counters["requests_per_s"] = total / wall;
  state.counters["cpu_us_per_request"] = 1e6 * cpu / total;
  if (latency_ms > 0) state.counters["efficiency"] = (total / wall) / (concurrency / (latency_ms / 1000.0));
  state.SetItemsProcessed(static_cast<int64_t>(total));
}
BENCHMARK(BM_HttpEngineOnly)
    ->ArgNames({"N", "L_ms", "C"})
    ->Args({20000, 0, 64})
    ->Args({20000, 200, 512})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
